from tests import factories
from tests.conftest import login
from wellbeing import db
from wellbeing.accounts.models import Role


def test_coordinator_logs_in_and_lands_on_their_school(app, ctx, client):
    school = factories.school(name="De Notenkraker")
    user = factories.user(Role.SCHOOL_COORDINATOR, school)
    db.session.commit()
    response = login(client, user.email)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert "De Notenkraker" in page.get_data(as_text=True)
