"""Browser helpers: the app served on a free port, headless Debian Chromium, and the axe check."""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.services import free_port

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@contextmanager
def live_server(app, port: int | None = None):
    port = port or free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def chromium():
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed: `make test` installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def assert_accessible(page, name: str) -> None:
    """Fail on any axe-core violation, whatever its impact; keep a screenshot for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    # The app's Content-Security-Policy refuses inline styles and scripts: none may be on the page.
    # (Chromium's autofill leaves an empty style="" on form fields; that is no style.)
    inline = page.evaluate("() => [...document.querySelectorAll('[style]:not([style=\"\"]), style, script:not([src])')]"
                           ".map(e => e.outerHTML.slice(0, 100))")
    assert not inline, f"{name}: inline style or script, which the Content-Security-Policy refuses: {inline[:3]}"
    results = Axe().run(page)
    bad = results.response["violations"]
    assert not bad, f"{name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad)


def log_in(page, base_url: str, email: str, password: str, totp_secret: str | None = None) -> None:
    """Log in through the Dutch login form, as a person would; when the second-factor step follows,
    enter the code from ``totp_secret`` (default: the demo users' public secret)."""
    page.goto(base_url + "/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/login/code"):
        enter_code(page, email, totp_secret)


#: The last time step whose code was entered, per address: the app accepts each step once.
_LAST_STEP: dict[str, int] = {}


def enter_code(page, email: str, totp_secret: str | None = None) -> None:
    import time

    import pyotp

    from wellbeing.demo import DEMO_TOTP_SECRET

    totp = pyotp.TOTP(totp_secret or DEMO_TOTP_SECRET)
    while True:
        step = int(time.time()) // totp.interval
        wanted = max(step, _LAST_STEP.get(email, 0) + 1)
        if wanted <= step + 1:  # the next step's code is accepted for clock drift
            break
        time.sleep(totp.interval - time.time() % totp.interval + 0.1)
    _LAST_STEP[email] = wanted
    page.get_by_label("Code", exact=True).fill(totp.generate_otp(wanted))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_load_state()


@contextmanager
def demo_site(app):
    """The demo data served on a free port with a browser; the database is emptied afterwards."""
    from tests.conftest import empty_database
    from wellbeing import db
    from wellbeing.demo import load_demo

    with app.app_context():
        logins = dict(load_demo())
        db.session.commit()
    try:
        with live_server(app) as url, chromium() as browser:
            yield url, browser, logins
    finally:
        empty_database(app)


def tab_to(page, target, limit: int = 400) -> None:
    """Press Tab (only Tab: no mouse, no ``focus()``) until ``target`` has the keyboard focus, and check
    that the focus is visible there (WCAG 2.4.7): an outline or a box shadow."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("e => e === document.activeElement", handle):
            visible = page.evaluate("""e => { const s = getComputedStyle(e);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }""", handle)
            assert visible, f"no visible focus on {target}"
            return
    raise AssertionError(f"{target} cannot be reached with Tab in {limit} presses")


def download_pdf(page, target: Path, artifact: str, resolution: int = 50) -> str:
    """Download the first ready PDF the page links to ("PDF, n kB") to ``target``, render its pages to
    test-artifacts/<artifact>-N.png (replacing earlier renders) to look at, and return its text with
    white space folded (table cells wrap lines)."""
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"PDF, \d+ kB")).first.click()
    download.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob(f"{artifact}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(target), str(ARTIFACTS / artifact)], check=True)
    return " ".join(subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
