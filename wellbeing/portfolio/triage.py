"""Triage of a GSA's portfolio: which school needs a call first.

Pure functions over a school's summary row (``SchoolStatus``, or anything with the same
attributes) and today's date; no database, no request. Days are whole calendar days in the
server's time zone, the same clock ``date.today()`` reads everywhere else.
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

#: No activity for this many days or more (or never) raises a flag.
NO_ACTIVITY_DAYS = 90
#: An open round opened more than this many days ago has stalled (six weeks).
ROUND_STALLED_DAYS = 42
#: Renewal must be applied for before expiry: warn in the last half year ...
CERTIFICATE_WARNING_DAYS = 183
#: ... and for a year after it expired, while renewing is still the obvious next step.
CERTIFICATE_EXPIRED_DAYS = 365


class Flag(str, enum.Enum):
    """A reason to contact the school; the value is the stable code used in URLs, CSS and tests."""

    NO_ACTIVITY = "no-activity"
    ROUND_STALLED = "round-stalled"
    CERTIFICATE_EXPIRING = "certificate-expiring"
    PRIORITIES_WITHOUT_ACTION = "priorities-without-action"


class StatusLike(Protocol):
    last_activity: datetime | None
    round_status: str | None
    round_opened_at: datetime | None
    certificate_expires: date | None
    uncovered_high: int
    overdue_actions: int


@dataclass(frozen=True)
class Triage:
    known: bool                          # False: the school has no summary row yet
    flags: tuple[Flag, ...]              # in the order of ``Flag``
    days_inactive: int | None            # since the last activity; None when never active or unknown
    certificate_days_left: int | None    # until expiry, negative once expired; None without certificate
    overdue: int                         # planned actions whose period has ended

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(flag.value for flag in self.flags)


UNKNOWN = Triage(known=False, flags=(), days_inactive=None, certificate_days_left=None, overdue=0)


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date() if moment.tzinfo is not None else moment.date()


def days_since(moment: datetime, today: date) -> int:
    return (today - _local_date(moment)).days


def triage(status: StatusLike | None, today: date) -> Triage:
    """The flags of one school on ``today``; ``UNKNOWN`` when it has no summary row yet."""
    if status is None:
        return UNKNOWN
    inactive = days_since(status.last_activity, today) if status.last_activity is not None else None
    cert_left = (status.certificate_expires - today).days if status.certificate_expires is not None else None
    raised = {
        Flag.NO_ACTIVITY: inactive is None or inactive >= NO_ACTIVITY_DAYS,
        Flag.ROUND_STALLED: (status.round_status == "open" and status.round_opened_at is not None
                             and days_since(status.round_opened_at, today) > ROUND_STALLED_DAYS),
        Flag.CERTIFICATE_EXPIRING: cert_left is not None and -CERTIFICATE_EXPIRED_DAYS <= cert_left
        <= CERTIFICATE_WARNING_DAYS,
        Flag.PRIORITIES_WITHOUT_ACTION: (status.uncovered_high or 0) > 0,
    }
    return Triage(known=True, flags=tuple(flag for flag in Flag if raised[flag]), days_inactive=inactive,
                  certificate_days_left=cert_left, overdue=status.overdue_actions or 0)


def sort_key(result: Triage) -> tuple[int, float]:
    """Ascending order puts the school needing a call first: most flags, then longest without activity.

    Never active counts as longest; so does a school whose status is not known yet, since nothing
    tells the adviser it is fine.
    """
    inactive = math.inf if result.days_inactive is None else result.days_inactive
    return -len(result.flags), -inactive
