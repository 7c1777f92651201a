"""``make bench`` (last step): Lighthouse on its phone profile (simulated slow 4G, mid-range phone) for
the four pages issue 19 names: the login page, a respondent's answer page, the team picture and the
municipality overview, on the demo data served by the embedded server (SQLite, compression on).

Goals: accessibility 100, best practices 100, performance at least 95. Writes
bench/results/<date>-lighthouse.md and prints it; exits 1 when a goal is missed. About 25 s a page.
The login page is also measured in ``make test`` (tests/test_lighthouse.py).
"""
from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select  # noqa: E402

from tests.browser import CHROMIUM_ARGS, live_server  # noqa: E402
from tests.lighthouse import failing_audits, lighthouse  # noqa: E402

# One user agent for the login in Playwright and for Lighthouse: the session is bound to it.
AGENT = ("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/131.0.0.0 Mobile Safari/537.36 Welbevinden-bench")
GOALS = {"accessibility": 100, "best-practices": 100, "performance": 95}


def _prepare(instance: Path):
    from wellbeing import db
    from wellbeing.app import create_app
    from wellbeing.config import load_settings
    from wellbeing.demo import load_demo
    from wellbeing.rounds import service
    from wellbeing.rounds.models import Round, RoundStatus
    from wellbeing.tenancy.models import Municipality, School

    app = create_app(load_settings(env={}, instance_path=instance, base_url="http://127.0.0.1",
                                   database_url=f"sqlite:///{instance / 'wellbeing.sqlite'}"))
    with app.app_context():
        from alembic import command

        from wellbeing.cli import alembic_config
        command.upgrade(alembic_config(), "head")
        load_demo()
        school = db.session.scalar(select(School).where(School.brin == "90AA", School.vestiging == "00"))
        open_round = db.session.scalar(select(Round).where(Round.school_id == school.id,
                                                           Round.status == RoundStatus.OPEN))
        code = service.issue_codes(open_round, 1)[0]
        team_round = db.session.scalar(select(Round.id).where(Round.school_id == school.id).order_by(Round.school_year))
        municipality = db.session.scalar(select(Municipality.id).where(Municipality.code == "GM0344"))
        db.session.commit()
        paths = {"login": ("/login", None), "answer page": (f"/r/{code}/1", None),
                 "team picture": (f"/school/{school.id}/rounds/{team_round}/team", "school@demo.welbevinden.nl"),
                 "municipality overview": (f"/municipality/{municipality}", "gemeente@demo.welbevinden.nl")}
    return app, paths


def _cookie(browser, url: str, email: str) -> str:
    from wellbeing.demo import DEMO_PASSWORD

    context = browser.new_context(user_agent=AGENT)
    page = context.new_page()
    page.goto(url + "/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    context.close()
    return cookie


def main() -> int:
    rows, missed = [], []
    with tempfile.TemporaryDirectory() as work:
        app, paths = _prepare(Path(work))
        with live_server(app) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for name, (path, email) in paths.items():
                headers = {"Cookie": _cookie(browser, url, email)} if email else None
                report = Path(work) / f"{name.replace(' ', '-')}.json"
                scores = lighthouse(url + path, report, extra_headers=headers, user_agent=AGENT)
                landed = json.loads(report.read_text())["finalDisplayedUrl"]
                if not landed.endswith(path):       # e.g. sent to the login page: not this page's score
                    missed.append(f"{name}: measured {landed}, not {path}")
                rows.append((name, scores))
                missed += [f"{name}: {category} {scores[category]} < {goal} ({failing_audits(report)})"
                           for category, goal in GOALS.items() if scores[category] < goal]
            browser.close()
    lines = ["# Lighthouse, phone profile", "", f"{date.today()}, demo data, embedded server (SQLite, compressed).", "",
             "| page | performance | accessibility | best practices | SEO |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} |"
              for name, s in rows]
    text = "\n".join(lines + [""] + [f"- missed: {m}" for m in missed]) + "\n"
    (ROOT / "bench" / "results" / f"{date.today()}-lighthouse.md").write_text(text)
    print(text)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
