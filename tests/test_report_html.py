"""Every PDF report has an accessible HTML version with the same content: the same headings, the same
figures, the charts as SVG with their tables, linked beside the PDF download."""
from __future__ import annotations

import re

from flask_babel import force_locale
from sqlalchemy import select

from tests.test_overview_charts import sample_overview
from tests.test_overview_pdf import HEADINGS
from tests.test_reports import _request
from tests.school_content import coordinator_client
from wellbeing import db
from wellbeing.reports.html import overview_report_html
from wellbeing.reports.models import Report


def test_the_school_report_has_an_html_version_beside_its_pdf(app):
    client, school_id = coordinator_client(app)
    assert _request(client, school_id).status_code == 302
    page = client.get(f"/school/{school_id}/report").get_data(as_text=True)
    with app.app_context():
        report_id = db.session.scalar(select(Report.id).where(Report.school_id == school_id))
    link = f"/school/{school_id}/report/{report_id}.html"
    assert f'href="{link}">accessible web page</a>' in page
    html = client.get(link).get_data(as_text=True)
    for heading in ("School report", "Summary", "Element scores", "Priorities", "Menu card", "Multi-year plan",
                    "Vignet readiness"):
        assert re.search(rf"<h[12][^>]*>{heading}", html), heading
    assert f'/school/{school_id}/report/{report_id}.pdf' in html and " style=" not in html


def test_the_overview_html_has_the_pdfs_sections_charts_and_hidden_marks(app):
    with app.app_context(), force_locale("en"):
        html = overview_report_html(sample_overview())
    for heading in HEADINGS:
        assert heading % {"product": "Welbevinden in beeld"} in html, heading
    assert html.count('role="img"') >= 3 and html.count("<table") >= 5
    assert "hidden" in html and "note 1" in html and " style=" not in html
