"""Federated sign-in settings and the region's choice to refuse passwords (the browser test
tests/test_browser_federation.py drives the login itself against real providers)."""
from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import csrf_token, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.auth.models import RegionSignInPolicy
from wellbeing.config import ConfigError, load_settings

ENV = {"OIDC_PROVIDERS": "entree,ggd-utrecht",
       "OIDC_ENTREE_ISSUER": "https://connect.example/", "OIDC_ENTREE_CLIENT_ID": "wib",
       "OIDC_ENTREE_CLIENT_SECRET": "s3cret", "OIDC_ENTREE_KIND": "school", "OIDC_ENTREE_LABEL": "Entree",
       "OIDC_GGD_UTRECHT_ISSUER": "https://login.example/tenant/v2.0", "OIDC_GGD_UTRECHT_CLIENT_ID": "wib-ggd",
       "OIDC_GGD_UTRECHT_CLIENT_SECRET": "s3cret2", "OIDC_GGD_UTRECHT_REGION": "GGD-UTR"}


def test_providers_come_from_the_environment_with_their_secret_hidden_from_logs():
    entree, ggd = load_settings(env=ENV).oidc_providers
    assert (entree.name, entree.kind, entree.issuer, entree.label) == ("entree", "school", "https://connect.example",
                                                                       "Entree")
    assert "entree" in entree.scope.split()
    assert (ggd.kind, ggd.region, ggd.label) == ("organisation", "GGD-UTR", "ggd-utrecht")
    assert "s3cret" not in repr(entree) and "s3cret2" not in repr(ggd)


@pytest.mark.parametrize("change, message", [
    ({"OIDC_ENTREE_CLIENT_SECRET": ""}, "OIDC_ENTREE_CLIENT_SECRET must be set"),
    ({"OIDC_GGD_UTRECHT_REGION": ""}, "OIDC_GGD_UTRECHT_REGION must name the region"),
    ({"OIDC_ENTREE_KIND": "everyone"}, "must be school or organisation"),
    ({"OIDC_PROVIDERS": "Entree Federatie"}, "not a short lower-case name"),
])
def test_an_incomplete_provider_stops_the_start(change, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env={**ENV, **change})


def test_production_wants_https_issuers():
    env = {**ENV, "WELLBEING_ENV": "production", "SECRET_KEY": "x" * 40, "BASE_URL": "https://wib.example",
           "OIDC_ENTREE_ISSUER": "http://connect.example"}
    with pytest.raises(ConfigError, match="https"):
        load_settings(env=env)


def test_a_region_that_requires_federated_login_refuses_its_staffs_passwords(app, ctx, client):
    region = factories.region()
    school = factories.school(factories.municipality(region))
    coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
    elsewhere = factories.user(Role.SCHOOL_COORDINATOR, factories.school())
    db.session.add(RegionSignInPolicy(region_id=region.id, coordinators_need_second_factor=False,
                                      federated_login_required=True))
    db.session.commit()
    refused = login(client, coordinator.email)
    assert refused.headers["Location"] == "/login"
    assert "log in through its own login page" in client.get("/login").get_data(as_text=True)
    assert client.get("/profile").status_code == 302
    assert login(client, elsewhere.email).headers["Location"] == "/"
    assert client.get("/profile").status_code == 200


def test_unknown_providers_are_not_found(app, client):
    assert client.get("/login/federated/nowhere").status_code == 404
    assert client.get("/login/federated/nowhere/callback").status_code == 404
    token = csrf_token(client, "/login")
    assert client.post("/invitation/x/federated/nowhere", data={"csrf_token": token}).status_code == 404
