"""Changes to a municipality's cycle, or a group of municipalities' cycle, each written to the audit
log. Helpers take the owner (a ``Municipality`` or a ``CycleGroup``), add to the current
transaction, and leave the commit to the caller.

Audit entries carry no school: their detail starts with the owner's code (a municipality's CBS
code, ``GROUP<id>`` for a group), which is how the cycle pages find their own history.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from sqlalchemy import select

from wellbeing import audit, db
from wellbeing.accounts.models import User
from wellbeing.audit import AuditEntry
from wellbeing.cycle.catalogue import CATALOGUE, MAX_CHOICES
from wellbeing.cycle.models import Agreement, Choice, CycleGroup, Evaluation, Need, Target
from wellbeing.tenancy.models import Municipality

OWN = "own-"
Owner = Municipality | CycleGroup


def owner_key(owner: Owner) -> dict[str, int]:
    """The column that ties a cycle row to its owner, as keyword arguments (also the URL's)."""
    return {"group_id": owner.id} if isinstance(owner, CycleGroup) else {"municipality_id": owner.id}


def of(model, owner: Owner):
    """The condition "this row of ``model`` belongs to ``owner``"."""
    if isinstance(owner, CycleGroup):
        return model.group_id == owner.id
    return model.municipality_id == owner.id


class CycleError(ValueError):
    """Input that cannot be saved; ``code`` names the reason (views translate it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _log(user: User, owner: Owner, action: str, what: str) -> None:
    audit.record(f"cycle.{action}", actor=user, detail=f"{owner.code}: {what}"[:2000])


def history(owner: Owner, limit: int = 10) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("cycle.%"), AuditEntry.detail.like(f"{owner.code}: %"))
        .order_by(AuditEntry.id.desc()).limit(limit)))


# --- top desired situations and problems -----------------------------------------------------------

def choices(owner: Owner) -> list[Choice]:
    return list(db.session.scalars(select(Choice).where(of(Choice, owner))
                                   .order_by(Choice.kind.desc(), Choice.position, Choice.id)))


def choice_label(choice: Choice) -> str:
    if choice.catalogue_key:
        return str(CATALOGUE[choice.kind][choice.catalogue_key])
    return choice.own_text


def save_choices(owner: Owner, user: User, kind: str, keys: list[str], own_text: str) -> list[Choice]:
    """Make the owner's top ``kind`` ("situation" or "problem") exactly ``keys`` (catalogue keys,
    or ``own-<id>`` for an own entry already kept) plus ``own_text`` when given. Raises
    ``CycleError`` for an unknown key or more than ``MAX_CHOICES``."""
    catalogue = CATALOGUE[kind]
    existing = [c for c in choices(owner) if c.kind == kind]
    own = {f"{OWN}{c.id}": c for c in existing if not c.catalogue_key}
    if any(k not in catalogue and k not in own for k in keys):
        raise CycleError("unknown-choice")
    keys = list(dict.fromkeys(keys))
    if len(keys) + (1 if own_text else 0) > MAX_CHOICES:
        raise CycleError("too-many")
    by_key = {c.catalogue_key: c for c in existing if c.catalogue_key}
    kept = []
    for position, key in enumerate(keys):
        choice = own.get(key) or by_key.get(key) or Choice(**owner_key(owner), kind=kind,
                                                          catalogue_key=key)
        choice.position = position
        db.session.add(choice)
        kept.append(choice)
    if own_text:
        choice = Choice(**owner_key(owner), kind=kind, catalogue_key=None, own_text=own_text,
                        position=len(kept))
        db.session.add(choice)
        kept.append(choice)
    for choice in existing:
        if choice not in kept:
            db.session.delete(choice)
    _log(user, owner, f"{kind}s.saved", "; ".join(choice_label(c) for c in kept) or "-")
    return kept


# --- what is still needed in the matrix ------------------------------------------------------------

def needs(owner: Owner) -> list[Need]:
    return list(db.session.scalars(select(Need).where(of(Need, owner)).order_by(Need.id)))


def add_need(owner: Owner, user: User, sector: str, level: str, text: str) -> Need:
    need = Need(**owner_key(owner), sector=sector, level=level, text=text)
    db.session.add(need)
    _log(user, owner, "need.added", text)
    return need


def owns(owner: Owner, row) -> bool:
    """Whether a cycle row (with ``municipality_id`` and ``group_id``) belongs to ``owner``."""
    if isinstance(owner, CycleGroup):
        return row.group_id == owner.id
    return row.group_id is None and row.municipality_id == owner.id


def _owned(model, owner: Owner, row_id: int):
    """The row if it belongs to ``owner``; None otherwise (the view answers 404)."""
    found = db.session.get(model, row_id)
    return found if found is not None and owns(owner, found) else None


def get_need(owner: Owner, need_id: int) -> Need | None:
    return _owned(Need, owner, need_id)


def remove_need(owner: Owner, user: User, need: Need) -> None:
    db.session.delete(need)
    _log(user, owner, "need.removed", need.text)


# --- ambitions and targets ---------------------------------------------------------------------------

def targets(owner: Owner) -> list[Target]:
    return list(db.session.scalars(select(Target).where(of(Target, owner))
                                   .order_by(Target.by_year, Target.id)))


def get_target(owner: Owner, target_id: int) -> Target | None:
    return _owned(Target, owner, target_id)


@dataclass(frozen=True)
class TargetInput:
    ambition: str
    indicator: str
    school_type: str
    threshold: int
    by_year: str


def add_target(owner: Owner, user: User, values: TargetInput) -> Target:
    target = Target(**owner_key(owner), **values.__dict__)
    db.session.add(target)
    _log(user, owner, "target.added", _target_words(values.ambition, values.indicator, values.school_type,
                                                            values.threshold, values.by_year))
    return target


def remove_target(owner: Owner, user: User, target: Target) -> None:
    db.session.delete(target)
    _log(user, owner, "target.removed", _target_words(target.ambition, target.indicator, target.school_type,
                                                              target.threshold, target.by_year))


def _target_words(ambition: str, indicator: str, school_type: str, threshold: int, by_year: str) -> str:
    return f"{ambition or indicator} ({school_type}) ≥ {threshold}, {by_year}"


def set_evaluation(owner: Owner, user: User, target: Target, school_year: str, note: str) -> None:
    found = db.session.get(Evaluation, (target.id, school_year))
    if found is None:
        found = Evaluation(target_id=target.id, school_year=school_year)
        db.session.add(found)
    found.note = note
    _log(user, owner, "evaluation.saved", f"target {target.id}, {school_year}")


# --- agreements ----------------------------------------------------------------------------------

def agreements(owner: Owner) -> list[Agreement]:
    return list(db.session.scalars(select(Agreement).where(of(Agreement, owner))
                                   .order_by(Agreement.due_on.is_(None), Agreement.due_on, Agreement.id)))


def get_agreement(owner: Owner, agreement_id: int) -> Agreement | None:
    return _owned(Agreement, owner, agreement_id)


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


def save_agreement(owner: Owner, user: User, agreement: Agreement | None,
                   values: AgreementInput) -> Agreement:
    """Write ``values`` into ``agreement`` (a new one when None). The caller checked that the
    partner and target belong to the owner."""
    new = agreement is None
    agreement = agreement or Agreement(**owner_key(owner))
    for key, value in values.__dict__.items():
        setattr(agreement, key, value)
    db.session.add(agreement)
    _log(user, owner, "agreement.added" if new else "agreement.changed",
         f"{values.what} ({values.who}, {values.status})")
    return agreement


def remove_agreement(owner: Owner, user: User, agreement: Agreement) -> None:
    db.session.delete(agreement)
    _log(user, owner, "agreement.removed", agreement.what)



# --- groups of municipalities ---------------------------------------------------------------------

def save_group(user: User, group: CycleGroup | None, name: str, members: list[Municipality]) -> CycleGroup:
    """Create a group (``group`` None) or change its name and members. The caller checked that the
    user may group these municipalities (``access.may_define_group``): one region, at least one."""
    new = group is None
    group = group or CycleGroup(region_id=members[0].region_id)
    group.name = name
    group.members = sorted(members, key=lambda m: m.name)
    db.session.add(group)
    db.session.flush()
    _log(user, group, "group.created" if new else "group.changed",
         f"{name}: " + ", ".join(m.name for m in group.members))
    return group


def remove_group(user: User, group: CycleGroup) -> None:
    _log(user, group, "group.removed", group.name)
    db.session.delete(group)
