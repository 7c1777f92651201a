"""The school report is made by a job (inline without Redis, on a real RQ worker with it) and the
school's data exports as CSV and XLSX."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from tests.conftest import csrf_token
from tests.school_content import coordinator_client
from wellbeing import db
from wellbeing.reports.models import Report, ReportStatus


def _request(client, school_id, locale="en"):
    url = f"/school/{school_id}/report"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "locale": locale})


def _status(app, school_id):
    with app.app_context():
        return db.session.scalar(select(Report.status).where(Report.school_id == school_id)
                                 .order_by(Report.id.desc()).limit(1))


def test_without_redis_the_report_is_made_inline_and_downloads_as_a_pdf(app):
    client, school_id = coordinator_client(app)
    assert _request(client, school_id).status_code == 302
    assert _status(app, school_id) == ReportStatus.DONE
    page = client.get(f"/school/{school_id}/report").get_data(as_text=True)
    assert "Ready" in page and 'http-equiv="refresh"' not in page
    with app.app_context():
        report_id = db.session.scalar(select(Report.id).where(Report.school_id == school_id))
    pdf = client.get(f"/school/{school_id}/report/{report_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-") and pdf.mimetype == "application/pdf"


def test_with_redis_the_page_shows_the_status_until_a_real_worker_has_made_it(app, redis_url, database_url):
    settings = app.extensions["wellbeing.settings"]
    app.extensions["wellbeing.settings"] = replace(settings, redis_url=redis_url)
    try:
        client, school_id = coordinator_client(app)
        assert _request(client, school_id, "nl").status_code == 302
        assert _status(app, school_id) == ReportStatus.QUEUED
        page = client.get(f"/school/{school_id}/report").get_data(as_text=True)
        assert "Waiting" in page and 'http-equiv="refresh"' in page
        again = _request(client, school_id)
        assert "already being made" in client.get(again.headers["Location"]).get_data(as_text=True)
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
               "WELLBEING_INSTANCE_PATH": app.instance_path}
        worker = subprocess.run([str(Path(sys.executable).parent / "wellbeing"), "worker", "--burst"], env=env,
                                capture_output=True, text=True, timeout=180)
        assert worker.returncode == 0, worker.stderr[-2000:]
        assert _status(app, school_id) == ReportStatus.DONE
        page = client.get(f"/school/{school_id}/report").get_data(as_text=True)
        assert "Ready" in page and 'http-equiv="refresh"' not in page
    finally:
        app.extensions["wellbeing.settings"] = settings


def test_a_failing_report_is_marked_failed_not_left_running(app, monkeypatch):
    from wellbeing.reports import pdf

    def broken(data):
        raise RuntimeError("boom")
    monkeypatch.setattr(pdf, "build_school_report", broken)
    client, school_id = coordinator_client(app)
    _request(client, school_id)
    assert _status(app, school_id) == ReportStatus.FAILED
    assert "Failed; try again" in client.get(f"/school/{school_id}/report").get_data(as_text=True)


def test_exports_hold_the_schools_own_menu_card_and_plan(app):
    client, school_id = coordinator_client(app)
    card_url = f"/school/{school_id}/menu-card"
    client.post(card_url, data={"csrf_token": csrf_token(client, card_url),
                                "a-educatie.sel-programme-status": "doing",
                                "a-educatie.sel-programme-note": "=HYPERLINK(\"x\")"})
    csv_text = client.get(f"/school/{school_id}/export/menu-card.csv").get_data(as_text=True)
    assert "educatie.sel-programme" in csv_text and "We already do this" in csv_text
    assert client.get(f"/school/{school_id}/export/other.csv").status_code == 404
    xlsx = client.get(f"/school/{school_id}/export.xlsx")
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.data)) as archive:
        names = archive.namelist()
        sheets = [n for n in names if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 3
        content = "".join(archive.read(n).decode() for n in sheets)
    assert "educatie.sel-programme" in content and "<f>" not in content
