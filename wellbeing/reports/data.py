"""The school report as plain, already translated values: what the PDF and the exports print.

``wellbeing.reports.gather`` fills it from the database; ``wellbeing.reports.pdf`` lays it out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class YearScore:
    school_year: str
    team: float | None             # 0–100, None when below the anonymity threshold or not answered
    agreed: float | None           # 0–100 from the agreed statement scores


@dataclass(frozen=True)
class ElementRow:
    title: str
    scores: tuple[YearScore, ...]  # oldest year first


@dataclass(frozen=True)
class PriorityRow:
    element: str
    statement: str
    agreed_score: int | None
    rationale: str


@dataclass(frozen=True)
class AgreementRow:
    element: str
    statement: str
    agreed_score: int | None       # None: not discussed (or agreed without a score)
    priority: str                  # translated label, "" when none or not discussed
    discussed: bool


@dataclass(frozen=True)
class Agreements:
    school_year: str               # the most recent round's
    rows: tuple[AgreementRow, ...]  # every statement, in checklist order

    @property
    def agreed(self) -> int:
        return sum(1 for r in self.rows if r.discussed)


@dataclass(frozen=True)
class MenuRow:
    activity: str
    status: str                    # translated status label, "" when not marked
    since: str                     # school year, "" when not doing
    grades: str
    note: str
    own: bool                      # added by the school itself
    intervention: str = ""         # name and recognition of a linked recognised intervention


@dataclass(frozen=True)
class PillarColumn:
    label: str                     # sector-specific pillar label
    rows: tuple[MenuRow, ...]
    gap: bool                      # nothing marked "doing" in this pillar


@dataclass(frozen=True)
class GoalRow:
    what: str
    measure: str
    target: str
    by_year: str
    linked: str                    # element or statement the goal answers


@dataclass(frozen=True)
class ActionRow:
    pillar: str
    title: str
    owner: str
    period: str
    status: str
    evaluation: str


@dataclass(frozen=True)
class PlanYear:
    school_year: str
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class CriterionRow:
    pillar: str                    # pillar label or "General"
    text: str
    status: str                    # translated: met / missing / needs attestation
    met: bool
    todo: str                      # what to do when not met, "" when met


@dataclass(frozen=True)
class Readiness:
    title: str                     # e.g. "Vignet Welbevinden, criteria 2026-2027 (po)"
    met: int
    total: int
    rows: tuple[CriterionRow, ...]
    certificate: str               # e.g. "Valid until 1 March 2028" or ""


@dataclass(frozen=True)
class ReportData:
    locale: str                    # "nl" or "en"; headings are translated with this locale
    generated_on: date
    school_name: str
    brin: str
    school_type: str               # translated label
    municipality: str
    phase_number: int              # 1–6
    phase_title: str
    next_step: str
    years: tuple[str, ...]         # school years with a round, oldest first
    elements: tuple[ElementRow, ...]
    priorities: tuple[PriorityRow, ...]
    menu: tuple[PillarColumn, ...]
    goals: tuple[GoalRow, ...]
    plan: tuple[PlanYear, ...]
    readiness: Readiness | None
    agreements: Agreements | None = None  # the most recent round, statement by statement
