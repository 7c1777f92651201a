"""Helpers for tests of a school's own content: a coordinator with a logged-in client."""
from __future__ import annotations

from tests import factories
from tests.conftest import english_client, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.tenancy.models import SchoolType, Sharing


def coordinator_client(app, school_type: SchoolType = SchoolType.PO, sharing: Sharing = Sharing.PROGRESS):
    """(client, school id) for a freshly made school and its logged-in coordinator."""
    with app.app_context():
        school = factories.school(school_type=school_type, gsa_sharing=sharing)
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        db.session.commit()
        school_id, email = school.id, coordinator.email
    client = english_client(app)
    assert login(client, email).status_code == 302
    return client, school_id


def gsa_client(app, school_id: int):
    """A logged-in GSA of the school's region with the school in the portfolio."""
    from wellbeing.tenancy.models import School

    with app.app_context():
        school = db.session.get(School, school_id)
        gsa = factories.user(Role.GSA, school.municipality.region)
        factories.assign(gsa, school)
        db.session.commit()
        email = gsa.email
    client = english_client(app)
    assert login(client, email).status_code == 302
    return client
