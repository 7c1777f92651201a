"""Round operations. Helpers add to the current transaction; the caller commits."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import TextClause

from wellbeing import audit, db
from wellbeing.accounts.models import User
from wellbeing.accounts.security import token_digest
from wellbeing.db import UTCDateTime, utcnow
from wellbeing.instruments.registry import registry
from wellbeing.rounds import releases, scoring
from wellbeing.rounds.models import Category, Consensus, Invitee, Priority, Respondent, Round, RoundMode, RoundStatus
from wellbeing.rounds.releases import TeamPicture, instrument_of, team_picture  # noqa: F401  (the one way to read answers)
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import School

CHECKLIST_ID = "checklist-welbevinden"
# Codes people type from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_CODES = 150


class RoundError(ValueError):
    """An operation is not possible in the round's state; the message is for the user."""


def open_round(school: School, year: SchoolYear, mode: RoundMode, actor: User) -> Round:
    exists = db.session.scalar(select(Round).where(Round.school_id == school.id, Round.school_year == str(year),
                                                   Round.instrument_id == CHECKLIST_ID))
    if exists is not None:
        raise RoundError("exists")
    checklist = registry().latest(CHECKLIST_ID)
    round_ = Round(school_id=school.id, school_year=str(year), instrument_id=checklist.id,
                   instrument_version=checklist.version, mode=mode)
    db.session.add(round_)
    db.session.flush()
    audit.record("round.opened", actor=actor, school_id=school.id, detail=f"{year} {mode.value}")
    return round_


def today_utc() -> datetime:
    """Now, kept to the day: respondent and answer moments are stored no finer, so a stored moment
    cannot be matched with a request in a log or a mail in an outbox."""
    now = utcnow()
    return datetime(now.year, now.month, now.day, tzinfo=UTC)


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == 10 else cleaned


def issue_codes(round_: Round, count: int) -> list[str]:
    """Create ``count`` single-use codes; the plain codes are returned once and never stored."""
    if round_.status != RoundStatus.OPEN:
        raise RoundError("not-open")
    if round_.mode == RoundMode.MEETING and progress(round_).invited + count > 1:
        # A meeting round is shown from one answer set, so it may never hold individual answers.
        raise RoundError("meeting-one-code")
    codes = [new_code() for _ in range(count)]
    db.session.add_all(Respondent(round_id=round_.id, token_hash=token_digest(normalise_code(c))) for c in codes)
    # Rows get ids in the order made; the sheet lists the codes in another, random order, so the
    # place of a slip on the sheet says nothing about the row behind it.
    secrets.SystemRandom().shuffle(codes)
    return codes


def invite_by_email(round_: Round, addresses: list[str]) -> list[tuple[str, str]]:
    """Make one code per new address and return (address, code) pairs to mail, in address order.

    The codes come out of ``issue_codes`` in random order, so neither the respondent rows' ids nor
    the order of the invitee rows or of the mails links an address to a row. The address list is
    kept for reminders only; once a code is first used its hash is gone, so a mail in an outbox or a
    log no longer points at any row either.
    """
    known = set(db.session.scalars(select(Invitee.email).where(Invitee.round_id == round_.id)))
    fresh = sorted({a.strip().lower() for a in addresses} - known)
    codes = issue_codes(round_, len(fresh)) if fresh else []
    db.session.add_all(Invitee(round_id=round_.id, email=address) for address in fresh)
    return list(zip(fresh, codes))


def invitees(round_: Round) -> list[str]:
    return list(db.session.scalars(select(Invitee.email).where(Invitee.round_id == round_.id).order_by(Invitee.email)))


def respondent_for_code(code: str) -> Respondent | None:
    """The respondent a code (printed, mailed or a resume code) still opens, with its round and
    school; None when no row has it (never issued, already used, or its answers sent)."""
    return db.session.scalar(select(Respondent).options(joinedload(Respondent.round).joinedload(Round.school))
                             .where(Respondent.token_hash == token_digest(normalise_code(code))))


def respondent_for_secret(secret: str | None) -> Respondent | None:
    """The respondent bound to the browser holding ``secret``; None for no or an unknown secret."""
    if not secret:
        return None
    return db.session.scalar(select(Respondent).options(joinedload(Respondent.round).joinedload(Round.school))
                             .where(Respondent.session_hash == token_digest(secret)))


def usable(respondent: Respondent | None) -> bool:
    return (respondent is not None and respondent.submitted_at is None
            and respondent.round.status == RoundStatus.OPEN)


def bind(respondent: Respondent) -> str:
    """Bind the respondent to a browser: returns the browser's new secret (to keep in a cookie);
    raises ``RoundError`` when another browser took the code at the same moment (roll back).
    The code used to get here is forgotten, so it opens nothing any more, and a browser bound
    before loses the row.

    On a code's first use the row made when the code was issued is replaced by a new one (it holds
    nothing yet: answers are saved only through a bound browser). So the row that will hold the
    answers got its id when its owner started, not when the code was printed or mailed: neither a
    sheet's order nor a batch of invitations (even of one address) points at it.
    """
    if respondent.session_hash is None:
        # Made before the old row goes: SQLite would give a new row the id of a deleted last one.
        fresh = Respondent(round_id=respondent.round_id, round=respondent.round)
        db.session.add(fresh)
        db.session.flush()
        # Deleting the old row is what claims the code: of two browsers entering it at once, the
        # second deletes nothing (PostgreSQL makes it wait for the first) and is refused.
        claimed = db.session.execute(delete(Respondent).where(Respondent.id == respondent.id,
                                                              Respondent.session_hash.is_(None))).rowcount
        db.session.expunge(respondent)
        if claimed != 1:
            raise RoundError("taken")
        respondent = fresh
    secret = secrets.token_urlsafe(32)
    respondent.session_hash = token_digest(secret)
    respondent.token_hash = None
    db.session.flush()
    return secret


def resume_code(respondent: Respondent) -> str:
    """A private code to continue on another device, shown once; it replaces an earlier one."""
    code = new_code()
    respondent.token_hash = token_digest(normalise_code(code))
    return code


def submit(respondent: Respondent) -> None:
    """Send the answers: the row is unbound from every secret, and a release follows when due."""
    respondent.submitted_at = today_utc()
    respondent.started_at = respondent.started_at or respondent.submitted_at
    respondent.token_hash = None
    respondent.session_hash = None
    db.session.flush()
    releases.release_if_due(respondent.round)


def item_ids(instrument_id: str, version: int, school_type: str) -> frozenset[str]:
    """The statement ids a respondent answers, cached per instrument version and school type."""
    cache = current_app.extensions.setdefault("wellbeing.item_ids", {})
    key = (instrument_id, version, school_type)
    if key not in cache:
        instrument = registry().get(instrument_id, version)
        cache[key] = frozenset(i.id for e in instrument.elements_for(school_type) for i in e.items_for(school_type))
    return cache[key]


def answer_upsert(rows: str) -> TextClause:
    """The one answer upsert: ``INSERT INTO answer ... <rows> ON CONFLICT DO UPDATE``, the same on
    PostgreSQL and SQLite, where ``rows`` is a ``VALUES`` list or a guarding ``SELECT`` giving
    respondent_id, item_id, value, updated_at (SQLite needs a SELECT's WHERE to read ON CONFLICT
    right). Text, because SQLAlchemy does not cache the compiled form of its on_conflict constructs;
    text is compiled once."""
    return text(
        f"INSERT INTO answer (respondent_id, item_id, value, updated_at) {rows} "
        "ON CONFLICT (respondent_id, item_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
    ).bindparams(bindparam("updated_at", type_=UTCDateTime()))


_UPSERT = answer_upsert("VALUES (:respondent_id, :item_id, :value, :updated_at)")


def save_answer(respondent: Respondent, item_id: str, value: int | None) -> None:
    """Insert or update one answer in the session's transaction; safe when two tabs save it at once."""
    now = today_utc()
    # On the session's connection (Core): the ORM would treat a parameter dict as a "bulk insert".
    db.session.connection().execute(
        _UPSERT, {"respondent_id": respondent.id, "item_id": item_id, "value": value, "updated_at": now})
    if respondent.started_at is None:
        respondent.started_at = now


def set_category(respondent: Respondent, category: Category | None) -> None:
    respondent.category = category


@dataclass(frozen=True)
class Progress:
    invited: int
    started: int
    submitted: int


def progress(round_: Round) -> Progress:
    row = db.session.execute(select(func.count(Respondent.id), func.count(Respondent.started_at),
                                    func.count(Respondent.submitted_at))
                             .where(Respondent.round_id == round_.id)).one()
    return Progress(*row)


def set_status(round_: Round, status: RoundStatus, actor: User) -> None:
    allowed = {RoundStatus.CLOSED: {RoundStatus.OPEN}, RoundStatus.OPEN: {RoundStatus.CLOSED},
               RoundStatus.FINALISED: {RoundStatus.OPEN, RoundStatus.CLOSED}}
    if round_.status not in allowed[status]:
        raise RoundError("status")
    round_.status = status
    now = utcnow()
    if status == RoundStatus.CLOSED:
        round_.closed_at = now
    elif status == RoundStatus.FINALISED:
        round_.finalised_at = now
        round_.closed_at = round_.closed_at or now
    if status != RoundStatus.OPEN:
        releases.release_if_due(round_, final=status == RoundStatus.FINALISED)
    audit.record(f"round.{status.value}", actor=actor, school_id=round_.school_id, detail=round_.school_year)


def save_consensus(round_: Round, item_id: str, agreed: int | None, rationale: str, priority: Priority) -> None:
    """Record what the team agreed on one statement: from now on it counts as discussed."""
    if round_.status == RoundStatus.FINALISED:
        raise RoundError("finalised")
    row = db.session.scalar(select(Consensus).where(Consensus.round_id == round_.id, Consensus.item_id == item_id))
    if row is None:
        row = Consensus(round_id=round_.id, item_id=item_id)
        db.session.add(row)
    row.agreed_score, row.rationale, row.priority = agreed, rationale.strip(), priority
    row.discussed = True


def forget_consensus(round_: Round, item_id: str) -> None:
    """Put one statement back to "not discussed" (a recording made by mistake)."""
    if round_.status == RoundStatus.FINALISED:
        raise RoundError("finalised")
    db.session.execute(delete(Consensus).where(Consensus.round_id == round_.id, Consensus.item_id == item_id))


def agreements(round_: Round) -> dict[str, Consensus]:
    """The statements the team agreed on, by statement id; every other statement is "not discussed"."""
    return {c.item_id: c for c in db.session.scalars(select(Consensus).where(Consensus.round_id == round_.id,
                                                                            Consensus.discussed.is_(True)))}


@dataclass(frozen=True)
class YearColumn:
    round: Round
    team: dict[str, float | None]    # element id -> team score (empty when below the threshold)
    agreed: dict[str, float | None]  # element id -> score of the agreed statement scores


def years_overview(school: School, minimum: int) -> list[YearColumn]:
    """Element scores of every round of ``school``, oldest first. Elements are matched by id across
    instrument versions, so a new checklist version lines up with the old rounds."""
    rounds = db.session.scalars(select(Round).where(Round.school_id == school.id, Round.instrument_id == CHECKLIST_ID)
                                .order_by(Round.school_year)).all()
    columns = []
    for round_ in rounds:
        instrument = instrument_of(round_)
        picture = team_picture(round_, minimum)
        agreed_by_item = dict(db.session.execute(select(Consensus.item_id, Consensus.agreed_score)
                                                 .where(Consensus.round_id == round_.id,
                                                        Consensus.discussed.is_(True))).all())
        agreed = {element.id: scoring.element_score([agreed_by_item.get(i.id) for i in element.items])
                  for element in instrument.elements_for(school.school_type.value)}
        columns.append(YearColumn(round_, picture.element_scores, agreed))
    return columns
