"""The school's status row (``summary_school``): its phase, readiness, latest round, gaps and offer,
as plain values computed from its ``SchoolFacts``.

``wellbeing.summaries.refresh`` fills the inputs from the database and ``benchdata.summaries`` from
generated data; both build the row here, so the GSA's portfolio and the upward views read the same
thing whichever wrote it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from wellbeing.pillars import Pillar
from wellbeing.plans.models import Period
from wellbeing.progress.facts import SchoolFacts
from wellbeing.progress.phase import phase
from wellbeing.schoolyear import SchoolYear
from wellbeing.vignet import rules

PERIOD_END = {Period.P1: (10, 31), Period.P2: (1, 31), Period.P3: (4, 30), Period.P4: (7, 31), Period.YEAR: (7, 31)}
PREVENTION_LEVELS = ("universal", "selective", "indicated")


def period_end(school_year: SchoolYear, period: Period) -> date:
    month, day = PERIOD_END[period]
    return date(school_year.start_year + (0 if month >= 8 else 1), month, day)


def overdue(pending: Iterable[tuple[str, str]], today: date) -> int:
    """How many of the planned or running actions, given as (school year, period), should have ended
    before ``today``."""
    return sum(1 for year, period in pending if period_end(SchoolYear.parse(year), Period(period)) < today)


@dataclass(frozen=True)
class LatestRound:
    """The school's most recent checklist round, as far as the status row shows it."""

    school_year: str
    status: str
    opened_at: datetime | None
    invited: int
    submitted: int


def status_row(facts: SchoolFacts, *, school_id: int, region_id: int, municipality_id: int,
               results: Sequence[rules.Result], certificate_expires: date | None, last_activity: datetime | None,
               latest: LatestRound | None, finalised_this_year: bool, overdue_actions: int,
               prevention: Callable[[str], str | None], refreshed_at: datetime) -> dict[str, Any]:
    """The values of the school's ``summary_school`` row, by column name. ``results`` are the vignet
    criteria evaluated over ``facts``; ``prevention`` gives an intervention's prevention level."""
    current = phase(facts)
    levels = {m.intervention_id and prevention(m.intervention_id) for m in facts.menu if m.status == "doing"}
    levels |= {a.intervention_id and prevention(a.intervention_id) for a in facts.actions if a.status != "stopped"}
    doing = {m.pillar for m in facts.doing()}
    return {
        "school_id": school_id, "region_id": region_id, "municipality_id": municipality_id,
        "school_type": facts.school_type, "phase": current.number, "phase_complete": current.complete,
        "readiness_met": sum(1 for r in results if r.status == rules.MET), "readiness_total": len(results),
        "certificate_expires": certificate_expires, "last_activity": last_activity,
        "round_year": latest.school_year if latest else None, "round_status": latest.status if latest else None,
        "round_opened_at": latest.opened_at if latest else None,
        "respondents_invited": latest.invited if latest else 0,
        "respondents_submitted": latest.submitted if latest else 0,
        "finalised_this_year": finalised_this_year, "uncovered_high": len(facts.uncovered_priorities()),
        "overdue_actions": overdue_actions,
        **{f"doing_{pillar.value}": pillar.value in doing for pillar in Pillar},
        **{f"uses_{level}": level in levels for level in PREVENTION_LEVELS},
        "refreshed_at": refreshed_at,
    }
