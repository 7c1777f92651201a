"""Team picture releases: the only way answers reach a page, an export or a summary.

A release is made when at least ``MIN_RESPONDENTS`` answers have been sent since the last one (on
the submission that completes them); closing or finalising a round releases whatever that rule
allows, and finalising marks the latest release final. Each release freezes its members
(``Respondent.released_in``) and records which figures it showed, decided by
``wellbeing.rounds.disclosure`` against everything shown before. Between releases every reader sees
exactly the same picture; live progress shows counts only. Helpers add to the current transaction;
the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import func, select, update

from wellbeing import db
from wellbeing.instruments.registry import registry
from wellbeing.rounds import disclosure, scoring
from wellbeing.rounds.disclosure import ALL, Earlier, Member, Shown
from wellbeing.rounds.models import Answer, Category, Respondent, Round, RoundMode, RoundStatus, TeamPictureRelease


def minimum_respondents() -> int:
    return max(3, current_app.extensions["wellbeing.settings"].min_respondents)


def latest(round_: Round) -> TeamPictureRelease | None:
    return db.session.scalar(select(TeamPictureRelease).where(TeamPictureRelease.round_id == round_.id)
                             .order_by(TeamPictureRelease.number.desc()).limit(1))


def _submitted(round_: Round):
    return select(func.count()).select_from(Respondent).where(Respondent.round_id == round_.id,
                                                              Respondent.submitted_at.isnot(None))


def _members(round_: Round, up_to: int | None) -> tuple[list[Member], dict[int, int | None]]:
    """Submitted respondents as plain members (those in releases up to ``up_to``, or all of them
    when None) and the release each first appeared in."""
    query = select(Respondent.id, Respondent.category, Respondent.released_in).where(
        Respondent.round_id == round_.id, Respondent.submitted_at.isnot(None))
    if up_to is not None:
        query = query.where(Respondent.released_in.isnot(None), Respondent.released_in <= up_to)
    rows = db.session.execute(query).all()
    answers: dict[int, dict[str, int | None]] = {row[0]: {} for row in rows}
    if answers:
        for respondent_id, item_id, value in db.session.execute(
                select(Answer.respondent_id, Answer.item_id, Answer.value).where(Answer.respondent_id.in_(answers))):
            answers[respondent_id][item_id] = value
    members = [Member(rid, category.value if category else None, answers[rid]) for rid, category, _ in rows]
    return members, {row[0]: row[2] for row in rows}


def _history(releases: list[TeamPictureRelease], members: list[Member], released_in: dict[int, int | None],
             minimum: int) -> list[Earlier]:
    """What each release showed; a release a migration made (``shown`` None) showed what the rule
    allows given the ones before it."""
    history: list[Earlier] = []
    for release in releases:
        ids = frozenset(i for i, number in released_in.items() if number is not None and number <= release.number)
        if release.shown is not None:
            shown = Shown.from_json(release.shown)
        else:
            shown = disclosure.decide([m for m in members if m.id in ids], history, release.minimum or minimum)
        history.append(Earlier(ids, shown))
    return history


def release_if_due(round_: Round, final: bool = False) -> TeamPictureRelease | None:
    """Make the next release when at least the minimum of answers have been sent since the last one
    (a team-meeting round: when its one answer set is sent). ``final`` marks the latest release final
    even when no new one is due."""
    # One release at a time per round: two last submissions at once must not both release.
    db.session.execute(select(Round.id).where(Round.id == round_.id).with_for_update())
    db.session.flush()
    minimum = minimum_respondents()
    previous = latest(round_)
    pending = db.session.scalar(_submitted(round_).where(Respondent.released_in.is_(None)))
    joint = round_.mode == RoundMode.MEETING
    release = None
    if pending and (joint or disclosure.due(pending, minimum)):
        members, released_in = _members(round_, None)
        releases = list(db.session.scalars(select(TeamPictureRelease).where(TeamPictureRelease.round_id == round_.id)
                                           .order_by(TeamPictureRelease.number)))
        shown = disclosure.joint(members) if joint else disclosure.decide(
            members, _history(releases, members, released_in, minimum), minimum)
        number = (previous.number if previous else 0) + 1
        db.session.execute(update(Respondent).where(Respondent.round_id == round_.id,
                                                    Respondent.submitted_at.isnot(None),
                                                    Respondent.released_in.is_(None)).values(released_in=number))
        release = TeamPictureRelease(round_id=round_.id, number=number, respondents=len(members), minimum=minimum,
                                     final=final, made_on=date.today(), shown=shown.to_json())
        db.session.add(release)
        db.session.flush()
    elif final and previous is not None:
        previous.final = True
    return release


@dataclass(frozen=True)
class TeamPicture:
    """What a reader of the round sees: the latest release, for the team or one shown role group."""

    respondents: int                 # members of the release (in the group); 0 before the first
    shown: bool                      # a release exists (and the asked group is shown in it)
    items: dict[str, scoring.ItemPicture]
    element_scores: dict[str, float | None]
    categories: dict[str, int]       # role groups shown in the release
    release: int = 0                 # its number; 0 before the first
    final: bool = False
    pending: int = 0                 # answers sent since, not in the picture
    needed: int = 0                  # more answers the next release needs (0 when the round is not open)
    hidden: list[str] = field(default_factory=list)  # statements of the group shown as "too few answers"


def instrument_of(round_: Round):
    """The instrument version the round was opened with (old rounds keep theirs)."""
    return registry().get(round_.instrument_id, round_.instrument_version)


def elements_of(round_: Round) -> dict[str, list[str]]:
    school_type = round_.school.school_type.value
    return {e.id: [i.id for i in e.items_for(school_type)] for e in instrument_of(round_).elements_for(school_type)}


def team_picture(round_: Round, minimum: int | None = None, category: Category | None = None) -> TeamPicture:
    """The latest release's picture. Nothing here recomputes what may be shown for a stored release:
    only which figures, never which people, come from the release row."""
    minimum = max(3, minimum or minimum_respondents())
    release = latest(round_)
    submitted = db.session.scalar(_submitted(round_))
    pending = submitted - (release.respondents if release else 0)
    open_ = round_.status == RoundStatus.OPEN and round_.mode == RoundMode.INDIVIDUAL
    needed = max(0, minimum - pending) if open_ else 0
    if release is None:
        return TeamPicture(0, False, {}, {}, {}, 0, False, pending, needed)
    members, released_in = _members(round_, release.number)
    if release.shown is not None:
        shown = Shown.from_json(release.shown)
    else:
        releases = list(db.session.scalars(select(TeamPictureRelease).where(
            TeamPictureRelease.round_id == round_.id, TeamPictureRelease.number <= release.number)
            .order_by(TeamPictureRelease.number)))
        shown = _history(releases, members, released_in, minimum)[-1].shown
    group = category.value if category is not None else ALL
    if group != ALL and group not in shown.groups:
        return TeamPicture(0, False, {}, {}, shown.groups, release.number, release.final, pending, needed)
    elements = elements_of(round_)
    figures = disclosure.figures(members, shown, elements, group)
    hidden = shown.hidden_items([i for items in elements.values() for i in items], group)
    return TeamPicture(figures.respondents, True, figures.items, figures.element_scores, shown.groups,
                       release.number, release.final, pending, needed, hidden)
