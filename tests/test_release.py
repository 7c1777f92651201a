"""Releases in the application: the command, the school's own page, and what a release stores."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from tests import factories
from tests.conftest import english_client, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.release.models import Release, ReleaseArea, ReleaseMeasure
from wellbeing.summaries.refresh import refresh_all
from wellbeing.tenancy.models import SchoolType


def test_the_release_command_audits_stores_and_says_when_the_next_one_is(app):
    with app.app_context():
        municipality = factories.municipality(factories.region())
        for _ in range(6):
            factories.school(municipality, school_type=SchoolType.PO)
        factories.school(municipality, school_type=SchoolType.MBO)
        db.session.commit()
        refresh_all()
    from wellbeing.cli import main

    result = app.test_cli_runner().invoke(main, ["overview", "release"])
    assert result.exit_code == 0, result.output
    assert "cells" in result.output and "next release on" in result.output
    with app.app_context():
        release = db.session.scalar(select(Release).order_by(Release.id.desc()))
        assert release.cells > 0 and release.hidden > 0
        ledger = db.session.scalar(select(ReleaseMeasure).where(ReleaseMeasure.release_id == release.id,
                                                                ReleaseMeasure.measure == "participation"))
        published = json.loads(ledger.published)
        # The single mbo school's cell is protected; nobody reads "none" or "all" of a cell.
        assert published[f"m:{municipality.id}:mbo"] is None
        assert all(v is None or v[0] < v[1] or 0 < v[0] for v in published.values())
        assert db.session.scalar(select(func.count()).select_from(ReleaseArea)
                                 .where(ReleaseArea.release_id == release.id)) >= 3   # municipality, region, nation


def test_a_coordinator_sees_what_of_the_school_leaves_it_and_nobody_else_does(app):
    with app.app_context():
        municipality = factories.municipality(factories.region())
        school = factories.school(municipality, school_type=SchoolType.PO)
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        officer = factories.user(Role.MUNICIPALITY_OFFICER, municipality)
        db.session.commit()
        refresh_all()
        school_id, coordinator_email, officer_email = school.id, coordinator.email, officer.email
    client = english_client(app)
    login(client, coordinator_email)
    page = client.get(f"/school/{school_id}/upward").get_data(as_text=True)
    assert "Finalised a checklist round this school year" in page and "at least 5 schools" in page
    other = english_client(app)
    login(other, officer_email)
    assert other.get(f"/school/{school_id}/upward").status_code == 404
