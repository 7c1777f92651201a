"""Readiness for the vignet: evaluate the criteria that apply to a school over its facts
(``wellbeing.progress``), and keep attestations and certificates. Helpers add to the current
transaction; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from wellbeing import db
from wellbeing.accounts.models import User
from wellbeing.instruments.registry import registry
from wellbeing.progress.facts import SchoolFacts
from wellbeing.progress.gather import school_facts
from wellbeing.tenancy.models import School
from wellbeing.vignet import rules
from wellbeing.vignet.models import VALID_YEARS, Attestation, Certificate
from wellbeing.vignet.uploads import Evidence


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
