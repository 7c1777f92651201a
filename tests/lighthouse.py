"""Lighthouse (npm package pinned in tests/lighthouse/package.json) against Debian's Chromium, phone profile.

``ensure_lighthouse`` installs it into tests/lighthouse/node_modules with npm when it is missing (the
test suite and ``make bench`` share it); it fails, never skips, when npm or chromium is missing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent / "lighthouse"
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def ensure_lighthouse() -> Path:
    if not CLI.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to install Lighthouse (tests/lighthouse/package.json)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
    return CLI


def lighthouse(url: str, report: Path, extra_headers: dict[str, str] | None = None,
               user_agent: str | None = None) -> dict[str, float]:
    """Run Lighthouse's default (mobile, simulated slow 4G) profile on ``url``; returns the category scores
    as 0–100 and leaves the JSON report at ``report``."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("Debian's chromium is not installed: `make test` installs it")
    command = ["node", str(ensure_lighthouse()), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    if extra_headers:
        command.append(f"--extra-headers={json.dumps(extra_headers)}")
    if user_agent:
        command.append(f"--emulatedUserAgent={user_agent}")
    subprocess.run(command, check=True, env={"CHROME_PATH": chromium, "PATH": "/usr/bin:/bin"}, timeout=180)
    result = json.loads(report.read_text())
    return {name: round(100 * result["categories"][name]["score"]) for name in CATEGORIES}


def failing_audits(report: Path) -> list[str]:
    """What cost points, to put in an assertion message."""
    audits = json.loads(report.read_text())["audits"].values()
    return [f"{a['id']}: {a.get('displayValue', '')}".strip() for a in audits
            if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary", "numeric")]
