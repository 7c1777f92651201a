"""What of one school goes into the upward releases: its own facts only, as the release job reads
them, so a coordinator can explain to the team what the municipality and the GGD receive."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wellbeing import db
from wellbeing.schoolyear import SchoolYear
from wellbeing.summaries.models import ElementSummary, PrioritySummary, RoundSummary, SchoolStatus
from wellbeing.pillars import PILLARS

PREVENTION = ("universal", "selective", "indicated")


@dataclass(frozen=True)
class OwnFigures:
    finalised_this_year: bool
    certificate_valid: bool
    pillars: tuple[str, ...]
    prevention: tuple[str, ...]
    scores: tuple[tuple[str, dict[str, float]], ...]    # (school year, element -> score), oldest first
    priorities: tuple[str, ...]                          # item ids of the latest round, this year or last


def own_figures(school_id: int, today: date, years_shown: int = 5) -> OwnFigures | None:
    """None before the school's summaries exist."""
    status = db.session.get(SchoolStatus, school_id)
    if status is None:
        return None
    current = SchoolYear.containing(today)
    years = [str(current - n) for n in range(years_shown - 1, -1, -1)]
    rounds = db.session.execute(select(RoundSummary.round_id, RoundSummary.school_year, RoundSummary.scored)
                                .where(RoundSummary.school_id == school_id, RoundSummary.school_year.in_(years))
                                .order_by(RoundSummary.school_year, RoundSummary.round_id)).all()
    scores = []
    for round_id, year, scored in rounds:
        if scored:
            scores.append((year, dict(db.session.execute(select(ElementSummary.element_id, ElementSummary.score)
                                                         .where(ElementSummary.round_id == round_id)).all())))
    recent = [r for r in rounds if r.school_year in (str(current - 1), str(current))]
    priorities: tuple[str, ...] = ()
    if recent:
        priorities = tuple(sorted(db.session.scalars(select(PrioritySummary.item_id)
                                                     .where(PrioritySummary.round_id == recent[-1].round_id))))
    return OwnFigures(
        finalised_this_year=status.finalised_this_year,
        certificate_valid=status.certificate_expires is not None and status.certificate_expires >= today,
        pillars=tuple(p for p in PILLARS if getattr(status, f"doing_{p}")),
        prevention=tuple(v for v in PREVENTION if getattr(status, f"uses_{v}")),
        scores=tuple(scores), priorities=priorities)
