"""Readiness for the vignet: gather the school's facts once, evaluate the criteria that apply to it,
and keep attestations and certificates. Helpers add to the current transaction; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from wellbeing import db
from wellbeing.accounts.models import User
from wellbeing.facts import ActionFact, GoalFact, MenuFact, SchoolFacts
from wellbeing.instruments.registry import registry
from wellbeing.menucard.models import MenuEntry
from wellbeing.plans.models import Action, Goal, Plan
from wellbeing.plans.service import priority_round
from wellbeing.rounds import service as rounds
from wellbeing.rounds.models import Consensus, Priority, Round, RoundStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import School
from wellbeing.vignet import rules
from wellbeing.vignet.models import VALID_YEARS, Attestation, Certificate
from wellbeing.vignet.uploads import Evidence


def _level(intervention_id: str | None) -> str | None:
    intervention = registry().intervention(intervention_id) if intervention_id else None
    return intervention.recognition if intervention else None


def school_facts(school: School, today: date | None = None) -> SchoolFacts:
    """Everything the phase and the criteria look at, in a fixed handful of queries."""
    today = today or date.today()
    round_rows = db.session.execute(select(Round.id, Round.status, Round.finalised_at).where(
        Round.school_id == school.id, Round.instrument_id == rounds.CHECKLIST_ID)
        .order_by(Round.school_year.desc())).all()
    finalised = [r.finalised_at.date() for r in round_rows if r.status == RoundStatus.FINALISED and r.finalised_at]
    source = priority_round(school)
    high = () if source is None else tuple(db.session.scalars(select(Consensus.item_id).where(
        Consensus.round_id == source.id, Consensus.priority == Priority.HIGH,
        Consensus.discussed.is_(True)).order_by(Consensus.item_id)))
    plan = db.session.scalar(select(Plan).where(Plan.school_id == school.id))
    menu = tuple(MenuFact(e.activity_id, e.pillar, e.status.value if e.status else None, e.intervention_id,
                          _level(e.intervention_id))
                 for e in db.session.scalars(select(MenuEntry).where(MenuEntry.school_id == school.id)))
    actions = db.session.scalars(select(Action).where(Action.school_id == school.id)).all()
    with_action = {a.goal_id for a in actions if a.goal_id}
    goals = tuple(GoalFact(g.id, g.complete, g.element_id, g.item_id, g.id in with_action)
                  for g in db.session.scalars(select(Goal).where(Goal.school_id == school.id)))
    attested = {criterion: at.date() for criterion, at in db.session.execute(
        select(Attestation.criterion_id, Attestation.attested_at).where(Attestation.school_id == school.id))}
    return SchoolFacts(
        school_type=school.school_type.value, today=today, rounds=len(round_rows),
        last_finalised=max(finalised) if finalised else None, high_priorities=high,
        working_group=bool(plan and plan.coordinator.strip() and plan.working_group.strip()),
        menu=menu, goals=goals, attested=attested,
        actions=tuple(ActionFact(a.pillar, SchoolYear.parse(a.school_year), a.status.value, bool(a.evaluation.strip()),
                                 a.goal_id, a.activity_id, a.intervention_id, _level(a.intervention_id))
                      for a in actions))


@dataclass(frozen=True)
class CertificateState:
    certificate: Certificate | None
    days_left: int | None          # until expiry; negative when expired

    @property
    def valid(self) -> bool:
        return self.days_left is not None and self.days_left >= 0

    @property
    def renew_soon(self) -> bool:
        """Renewal must be applied for before expiry; warn in the last half year."""
        return self.valid and self.days_left <= 183


@dataclass(frozen=True)
class Readiness:
    criteria: object | None        # the VignetCriteria instrument that applies, or None
    results: tuple[rules.Result, ...]
    attestations: dict[str, Attestation]
    certificate: CertificateState

    @property
    def met(self) -> int:
        return sum(1 for r in self.results if r.status == rules.MET)

    @property
    def total(self) -> int:
        return len(self.results)


def certificate_state(school: School, today: date | None = None) -> CertificateState:
    today = today or date.today()
    latest = db.session.scalar(select(Certificate).where(Certificate.school_id == school.id)
                               .order_by(Certificate.expires_on.desc()).limit(1))
    return CertificateState(latest, (latest.expires_on - today).days if latest else None)


def readiness(school: School, facts: SchoolFacts | None = None) -> Readiness:
    facts = facts or school_facts(school)
    criteria = registry().vignet_criteria(school.school_type.value, facts.school_year)
    results = rules.evaluate_all(criteria, facts) if criteria is not None else ()
    attestations = {a.criterion_id: a for a in db.session.scalars(
        select(Attestation).where(Attestation.school_id == school.id))}
    return Readiness(criteria, results, attestations, certificate_state(school, facts.today))


def attest(school: School, criterion_id: str, note: str, evidence: Evidence | None, actor: User) -> Attestation:
    """Record or update the coordinator's attestation; a new file replaces the old one, no file keeps it."""
    row = db.session.scalar(select(Attestation).where(Attestation.school_id == school.id,
                                                      Attestation.criterion_id == criterion_id))
    if row is None:
        row = Attestation(school_id=school.id, criterion_id=criterion_id)
        db.session.add(row)
    row.note = note.strip()
    if evidence is not None:
        row.file_name, row.file_type = evidence.name, evidence.content_type
        row.file_size, row.file_data = len(evidence.data), evidence.data
    row.attested_by_id = actor.id
    row.attested_at = db.utcnow()
    return row


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def record_certificate(school: School, awarded_on: date, note: str, actor: User) -> Certificate:
    certificate = Certificate(school_id=school.id, awarded_on=awarded_on,
                              expires_on=add_years(awarded_on, VALID_YEARS), note=note.strip(),
                              recorded_by_id=actor.id)
    db.session.add(certificate)
    return certificate


def certificates(school: School) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.school_id == school.id)
                                   .order_by(Certificate.awarded_on.desc())))


def evidence_count(school: School) -> int:
    return db.session.scalar(select(func.count()).select_from(Attestation).where(Attestation.school_id == school.id))
