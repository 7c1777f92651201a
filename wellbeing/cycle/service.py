"""Changes to a municipality's cycle, each written to the audit log. Helpers add to the current
transaction; the caller commits.

Audit entries carry no school: their detail starts with the municipality's CBS code, which is how
the cycle pages find their own history.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wellbeing import audit, db
from wellbeing.accounts.models import User
from wellbeing.audit import AuditEntry
from wellbeing.cycle.catalogue import CATALOGUE, MAX_CHOICES
from wellbeing.cycle.models import Agreement, Choice, Evaluation, Need, Target
from wellbeing.tenancy.models import Municipality

OWN = "own-"


class CycleError(ValueError):
    """Input that cannot be saved; ``code`` names the reason (views translate it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _log(user: User, municipality: Municipality, action: str, what: str) -> None:
    audit.record(f"cycle.{action}", actor=user, detail=f"{municipality.code}: {what}"[:2000])


def history(municipality: Municipality, limit: int = 10) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("cycle.%"), AuditEntry.detail.like(f"{municipality.code}: %"))
        .order_by(AuditEntry.id.desc()).limit(limit)))


# --- top desired situations and problems -----------------------------------------------------------

def choices(municipality: Municipality) -> list[Choice]:
    return list(db.session.scalars(select(Choice).where(Choice.municipality_id == municipality.id)
                                   .order_by(Choice.kind.desc(), Choice.position, Choice.id)))


def choice_label(choice: Choice) -> str:
    if choice.catalogue_key:
        return str(CATALOGUE[choice.kind][choice.catalogue_key])
    return choice.own_text


def save_choices(municipality: Municipality, user: User, kind: str, keys: list[str], own_text: str) -> list[Choice]:
    """Make the municipality's top ``kind`` ("situation" or "problem") exactly ``keys`` (catalogue keys,
    or ``own-<id>`` for an own entry already kept) plus ``own_text`` when given. Raises
    ``CycleError`` for an unknown key or more than ``MAX_CHOICES``."""
    catalogue = CATALOGUE[kind]
    existing = [c for c in choices(municipality) if c.kind == kind]
    own = {f"{OWN}{c.id}": c for c in existing if not c.catalogue_key}
    if any(k not in catalogue and k not in own for k in keys):
        raise CycleError("unknown-choice")
    keys = list(dict.fromkeys(keys))
    if len(keys) + (1 if own_text else 0) > MAX_CHOICES:
        raise CycleError("too-many")
    by_key = {c.catalogue_key: c for c in existing if c.catalogue_key}
    kept = []
    for position, key in enumerate(keys):
        choice = own.get(key) or by_key.get(key) or Choice(municipality_id=municipality.id, kind=kind,
                                                          catalogue_key=key)
        choice.position = position
        db.session.add(choice)
        kept.append(choice)
    if own_text:
        choice = Choice(municipality_id=municipality.id, kind=kind, catalogue_key=None, own_text=own_text,
                        position=len(kept))
        db.session.add(choice)
        kept.append(choice)
    for choice in existing:
        if choice not in kept:
            db.session.delete(choice)
    _log(user, municipality, f"{kind}s.saved", "; ".join(choice_label(c) for c in kept) or "-")
    return kept


# --- what is still needed in the matrix ------------------------------------------------------------

def needs(municipality: Municipality) -> list[Need]:
    return list(db.session.scalars(select(Need).where(Need.municipality_id == municipality.id).order_by(Need.id)))


def add_need(municipality: Municipality, user: User, sector: str, level: str, text: str) -> Need:
    need = Need(municipality_id=municipality.id, sector=sector, level=level, text=text)
    db.session.add(need)
    _log(user, municipality, "need.added", text)
    return need


def _owned(model, municipality: Municipality, row_id: int):
    """The row if it belongs to ``municipality``; None otherwise (the view answers 404)."""
    found = db.session.get(model, row_id)
    return found if found is not None and found.municipality_id == municipality.id else None


def get_need(municipality: Municipality, need_id: int) -> Need | None:
    return _owned(Need, municipality, need_id)


def remove_need(municipality: Municipality, user: User, need: Need) -> None:
    db.session.delete(need)
    _log(user, municipality, "need.removed", need.text)


# --- ambitions and targets ---------------------------------------------------------------------------

def targets(municipality: Municipality) -> list[Target]:
    return list(db.session.scalars(select(Target).where(Target.municipality_id == municipality.id)
                                   .order_by(Target.by_year, Target.id)))


def get_target(municipality: Municipality, target_id: int) -> Target | None:
    return _owned(Target, municipality, target_id)


@dataclass(frozen=True)
class TargetInput:
    ambition: str
    indicator: str
    school_type: str
    threshold: int
    by_year: str


def add_target(municipality: Municipality, user: User, values: TargetInput) -> Target:
    target = Target(municipality_id=municipality.id, **values.__dict__)
    db.session.add(target)
    _log(user, municipality, "target.added", _target_words(values.ambition, values.indicator, values.school_type,
                                                            values.threshold, values.by_year))
    return target


def remove_target(municipality: Municipality, user: User, target: Target) -> None:
    db.session.delete(target)
    _log(user, municipality, "target.removed", _target_words(target.ambition, target.indicator, target.school_type,
                                                              target.threshold, target.by_year))


def _target_words(ambition: str, indicator: str, school_type: str, threshold: int, by_year: str) -> str:
    return f"{ambition or indicator} ({school_type}) ≥ {threshold}, {by_year}"


def set_evaluation(municipality: Municipality, user: User, target: Target, school_year: str, note: str) -> None:
    found = db.session.get(Evaluation, (target.id, school_year))
    if found is None:
        found = Evaluation(target_id=target.id, school_year=school_year)
        db.session.add(found)
    found.note = note
    _log(user, municipality, "evaluation.saved", f"target {target.id}, {school_year}")


# --- agreements ----------------------------------------------------------------------------------

def agreements(municipality: Municipality) -> list[Agreement]:
    return list(db.session.scalars(select(Agreement).where(Agreement.municipality_id == municipality.id)
                                   .order_by(Agreement.due_on.is_(None), Agreement.due_on, Agreement.id)))


def get_agreement(municipality: Municipality, agreement_id: int) -> Agreement | None:
    return _owned(Agreement, municipality, agreement_id)


@dataclass(frozen=True)
class AgreementInput:
    what: str
    who: str
    partner_id: int | None
    due_on: date | None
    forum: str
    status: str
    target_id: int | None
    note: str


def save_agreement(municipality: Municipality, user: User, agreement: Agreement | None,
                   values: AgreementInput) -> Agreement:
    """Write ``values`` into ``agreement`` (a new one when None). The caller checked that the
    partner and target belong to the municipality."""
    new = agreement is None
    agreement = agreement or Agreement(municipality_id=municipality.id)
    for key, value in values.__dict__.items():
        setattr(agreement, key, value)
    db.session.add(agreement)
    _log(user, municipality, "agreement.added" if new else "agreement.changed",
         f"{values.what} ({values.who}, {values.status})")
    return agreement


def remove_agreement(municipality: Municipality, user: User, agreement: Agreement) -> None:
    db.session.delete(agreement)
    _log(user, municipality, "agreement.removed", agreement.what)

