"""Which school needs a call first: the triage flags at each boundary, and the order they give."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from wellbeing.portfolio.triage import UNKNOWN, Flag, sort_key, triage

TODAY = date(2026, 3, 15)


def _days_ago(days: int) -> datetime:
    # Noon UTC lands on the same calendar day in any European server time zone.
    return datetime.combine(TODAY - timedelta(days=days), time(12), tzinfo=UTC)


LAST_WEEK, LONG_AGO = _days_ago(7), _days_ago(200)


@dataclass
class Status:
    """A healthy school: active last week, round finalised, no certificate, no uncovered priorities."""

    last_activity: datetime | None = LAST_WEEK
    round_status: str | None = "finalised"
    round_opened_at: datetime | None = LONG_AGO
    certificate_expires: date | None = None
    uncovered_high: int = 0
    overdue_actions: int = 0


def test_a_healthy_school_raises_no_flag():
    result = triage(Status(), TODAY)
    assert result.known and result.flags == () and result.days_inactive == 7


@pytest.mark.parametrize(("days", "flagged"), [(0, False), (89, False), (90, True), (91, True)])
def test_no_activity_is_flagged_from_ninety_days_on(days, flagged):
    result = triage(Status(last_activity=_days_ago(days)), TODAY)
    assert (Flag.NO_ACTIVITY in result.flags) is flagged
    assert result.days_inactive == days


def test_a_school_that_was_never_active_is_flagged():
    result = triage(Status(last_activity=None), TODAY)
    assert result.flags == (Flag.NO_ACTIVITY,) and result.days_inactive is None


@pytest.mark.parametrize(("days", "flagged"), [(41, False), (42, False), (43, True), (120, True)])
def test_an_open_round_stalls_after_more_than_42_days(days, flagged):
    result = triage(Status(round_status="open", round_opened_at=_days_ago(days)), TODAY)
    assert (Flag.ROUND_STALLED in result.flags) is flagged


@pytest.mark.parametrize("round_status", ["closed", "finalised", None])
def test_only_an_open_round_can_stall(round_status):
    assert Flag.ROUND_STALLED not in triage(Status(round_status=round_status, round_opened_at=_days_ago(300)),
                                            TODAY).flags


@pytest.mark.parametrize(("days_left", "flagged"), [
    (184, False), (183, True), (1, True), (0, True),         # expires within half a year (valid on its last day)
    (-1, True), (-365, True), (-366, False), (-1000, False),  # expired within the past year
])
def test_certificate_flag_from_half_a_year_before_to_a_year_after_expiry(days_left, flagged):
    result = triage(Status(certificate_expires=TODAY + timedelta(days=days_left)), TODAY)
    assert (Flag.CERTIFICATE_EXPIRING in result.flags) is flagged
    assert result.certificate_days_left == days_left


@pytest.mark.parametrize(("uncovered", "flagged"), [(0, False), (1, True), (4, True)])
def test_high_priorities_without_an_action_are_flagged(uncovered, flagged):
    assert (Flag.PRIORITIES_WITHOUT_ACTION in triage(Status(uncovered_high=uncovered), TODAY).flags) is flagged


def test_overdue_actions_pass_through_without_a_flag():
    result = triage(Status(overdue_actions=3), TODAY)
    assert result.overdue == 3 and result.flags == ()


def test_all_flags_come_in_a_fixed_order_with_their_codes():
    result = triage(Status(last_activity=None, round_status="open", round_opened_at=_days_ago(60),
                           certificate_expires=TODAY, uncovered_high=2), TODAY)
    assert result.codes == ("no-activity", "round-stalled", "certificate-expiring", "priorities-without-action")


def test_a_school_without_status_is_unknown_and_unflagged():
    assert triage(None, TODAY) == UNKNOWN and not UNKNOWN.known and UNKNOWN.flags == ()


def test_most_flags_first_then_longest_without_activity():
    schools = {
        "healthy": Status(last_activity=_days_ago(3)),
        "quiet": Status(last_activity=_days_ago(60)),
        "one flag, recent": Status(last_activity=_days_ago(2), uncovered_high=1),
        "one flag, older": Status(last_activity=_days_ago(30), uncovered_high=1),
        "two flags": Status(last_activity=_days_ago(100), uncovered_high=1),
        "three flags, never active": Status(last_activity=None, uncovered_high=1, certificate_expires=TODAY),
    }
    ranked = sorted(schools, key=lambda name: sort_key(triage(schools[name], TODAY)))
    assert ranked == ["three flags, never active", "two flags", "one flag, older", "one flag, recent",
                      "quiet", "healthy"]


def test_an_unknown_school_comes_after_flagged_ones_and_before_quiet_ones():
    ranked = sorted([triage(Status(uncovered_high=1), TODAY), UNKNOWN, triage(Status(last_activity=_days_ago(80)),
                                                                              TODAY)], key=sort_key)
    assert ranked[0].flags and ranked[1] is UNKNOWN and ranked[2].days_inactive == 80
