"""Reset and lockout that cannot be turned against the user, and passwords nobody should choose."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import db, jobs
from wellbeing.accounts import views as account_views
from wellbeing.accounts.models import LoginThrottle, Role
from wellbeing.accounts.security import Throttle
from wellbeing.auth.passwords import weakness
from wellbeing.db import utcnow


def _client_at(app, address: str):
    client = english_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _coordinator(app) -> str:
    with app.app_context():
        user = factories.user(Role.SCHOOL_COORDINATOR, factories.school())
        db.session.commit()
        return user.email


def test_a_stranger_locks_only_their_own_network_out_not_the_real_user(app):
    email = _coordinator(app)
    stranger = _client_at(app, "203.0.113.9")
    for _ in range(app.extensions["wellbeing.settings"].login_max_failures):
        assert login(stranger, email, "guessing the password").status_code == 401
    assert login(stranger, email).status_code == 429  # even the right password, from there
    owner = _client_at(app, "198.51.100.20")
    assert login(owner, email).status_code == 302


def test_each_next_lock_of_the_same_pair_lasts_twice_as_long(app, ctx):
    throttle = Throttle(max_failures=3, lock_minutes=10)
    key = ["pair:someone@example.org|203.0.113.9"]
    start = utcnow()
    for _ in range(3):
        throttle.fail(key, now=start)
    first = db.session.get(LoginThrottle, key[0]).locked_until - start
    later = start + first + timedelta(seconds=1)
    assert not throttle.locked(key, now=later)
    for _ in range(3):
        throttle.fail(key, now=later)
    second = db.session.get(LoginThrottle, key[0]).locked_until - later
    assert first == timedelta(minutes=10) and second == timedelta(minutes=20)
    assert throttle.locked(key, now=later + timedelta(minutes=19))


def test_one_client_trying_many_addresses_is_locked(app):
    sprayer = _client_at(app, "203.0.113.50")
    limit = app.extensions["wellbeing.settings"].login_max_failures * 10
    for n in range(limit):
        assert login(sprayer, f"person{n}@example.org", "Welkom2026!").status_code == 401
    assert login(sprayer, "yet.another@example.org", "Welkom2026!").status_code == 429


def test_reset_mails_at_most_a_few_links_per_address_per_hour(app, outbox):
    email = _coordinator(app)
    per_address = app.extensions["wellbeing.settings"].reset_max_per_address
    for n in range(per_address + 4):
        client = _client_at(app, f"198.51.100.{n + 1}")  # many networks: the address limit holds
        answer = client.post("/reset", data={"email": email, "csrf_token": csrf_token(client, "/reset")},
                             follow_redirects=True)
        assert "If this address belongs to an account" in answer.get_data(as_text=True)
    assert len(outbox()) == per_address


def test_reset_requests_from_one_client_are_limited(app, outbox):
    client = _client_at(app, "203.0.113.77")
    per_client = app.extensions["wellbeing.settings"].reset_max_per_client
    for n in range(per_client):
        response = client.post("/reset", data={"email": f"x{n}@example.org", "csrf_token": csrf_token(client, "/reset")})
        assert response.status_code == 302
    refused = client.post("/reset", data={"email": "one.more@example.org", "csrf_token": csrf_token(client, "/reset")})
    assert refused.status_code == 429
    assert "Too many requests" in refused.get_data(as_text=True)


def test_known_and_unknown_addresses_do_the_same_work_in_the_request(app, monkeypatch):
    """The request only counts and enqueues; the job looks the address up (in a worker)."""
    email = _coordinator(app)
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda func, *args: queued.append((func.job_name, args)))
    for address in (email, "nobody@example.org"):
        client = english_client(app)
        client.post("/reset", data={"email": address, "csrf_token": csrf_token(client, "/reset")})
    assert [name for name, _ in queued] == [account_views.send_reset_link.job_name] * 2
    assert [args for _, args in queued] == [(email,), ("nobody@example.org",)]


@pytest.mark.parametrize("password", [
    "aaaaaaaaaaaa", "qwertyuiop12", "1qaz2wsx3edc4rfv", "123456789012", "abcabcabcabc", "password1234",
    "P@ssw0rd2026!", "Welkom2026!!", "zomer2026zomer", "welbevinden2026", "Welbevinden in beeld!",
])
def test_common_and_patterned_passwords_are_refused(password):
    assert weakness(password, "ilse.devries@school.example", "Ilse de Vries") is not None


def test_the_users_own_address_and_name_are_refused():
    assert weakness("ilse.devries!!2026", "ilse.devries@school.example", "Ilse de Vries") is not None
    assert weakness("mijn naam is Vries en ik", "ilse@school.example", "Ilse de Vries") is not None


@pytest.mark.parametrize("password", ["a long enough secret", "mijn fiets staat bij het station",
                                      "Tr0ub4dor&3 paard", "gele kaas op woensdag"])
def test_ordinary_sentences_are_accepted(password):
    assert weakness(password, "ilse.devries@school.example", "Ilse de Vries") is None


def test_the_reset_form_refuses_a_blocklisted_password(app, outbox):
    email = _coordinator(app)
    client = english_client(app)
    client.post("/reset", data={"email": email, "csrf_token": csrf_token(client, "/reset")})
    link = outbox()[-1].split("http://testserver", 1)[1].split()[0]
    token = csrf_token(client, link)
    refused = client.post(link, data={"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa", "csrf_token": token})
    assert refused.status_code == 200 and "too easy to guess" in refused.get_data(as_text=True)
    assert login(client, email, "aaaaaaaaaaaa").status_code == 401


def test_the_proxy_limits_reset_requests_and_second_factor_steps_per_client():
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf").read_text()
    assert re.search(r"limit_req_zone \$binary_remote_addr zone=reset:\S+ rate=\d+r/m;", text)
    assert "limit_req zone=reset" in re.search(r"location = /reset \{([^}]*)\}", text).group(1)
    assert "limit_req zone=second_factor" in re.search(r"location /login/ \{([^}]*)\}", text).group(1)
