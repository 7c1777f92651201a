"""The login page, measured by Lighthouse on a phone profile: accessibility and best practices 100,
performance at least 95, SEO 100. One page here (about 25 s); ``make bench`` measures the answer page,
the team picture and the municipality overview too (bench/lighthouse.py)."""
import pytest

from tests.browser import ARTIFACTS, live_server
from tests.lighthouse import failing_audits, lighthouse

pytestmark = pytest.mark.browser


def test_the_login_page_scores_full_marks_on_a_phone(app):
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / "lighthouse-login.json"
    with live_server(app) as url:
        scores = lighthouse(url + "/login", report)
    why = failing_audits(report)
    assert scores["accessibility"] == 100, why
    assert scores["best-practices"] == 100, why
    assert scores["seo"] == 100, why
    assert scores["performance"] >= 95, why
