"""The school's log made readable: per local day, who in plain words, and a GSA's many page views
folded into one line per person and day, with the parts of the school they opened.

Pure grouping over ``AuditEntry`` rows; the view chooses the rows and the template shows the days.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date, ngettext, to_user_timezone
from flask_babel import lazy_gettext as _l

from wellbeing.accounts.models import Role, User
from wellbeing.labels import audit_label, role_label, sharing_label

VIEW = "content.viewed"
KINDS = {"all": _l("Everything"), "views": _l("Views from outside the school"), "changes": _l("Changes and events")}

# The school's parts, by the path under /school/<id>; the first that matches names the part.
AREAS = (
    (re.compile(r"^/rounds"), _l("Checklist rounds")),
    (re.compile(r"^/menu-card"), _l("Menu card")),
    (re.compile(r"^/plan"), _l("Multi-year plan")),
    (re.compile(r"^/vignet"), _l("Vignet readiness")),
    (re.compile(r"^/(report|export)"), _l("Report and export")),
)
_SCHOOL_PATH = re.compile(r"^/school/\d+")


def area_of(path: str) -> str:
    """The part of the school a content view opened, in words ("Menu card"), from its path."""
    rest = _SCHOOL_PATH.sub("", path.split("?", 1)[0], count=1)
    for pattern, label in AREAS:
        if pattern.match(rest):
            return str(label)
    return str(_l("School page"))


PLAN_DETAILS = {"settings": _l("years and team"), "goal": _l("a goal saved"), "goal removed": _l("a goal removed"),
                "action": _l("an action saved"), "action removed": _l("an action removed")}
LANGUAGES = {"nl": "Nederlands", "en": "English"}


def describe(action: str, detail: str) -> str:
    """An entry's detail in words where it was stored as a code; other details as they are."""
    try:
        if action == "plan.changed":
            return str(PLAN_DETAILS.get(detail, detail))
        if action == "sharing.changed":
            return sharing_label(detail)
        if action in ("visit_note.added", "vignet.certificate"):
            return format_date(date.fromisoformat(detail), "long")
        if action == "report.requested":
            return LANGUAGES.get(detail, detail)
        if action == "round.reminder":
            return ngettext("to %(num)d address", "to %(num)d addresses", int(detail))
        if action == "round.opened":
            return detail.split(" ", 1)[0]
        if action == "export.downloaded":
            return detail.replace("csv ", "CSV: ").replace("xlsx", "XLSX")
    except (KeyError, ValueError):
        pass  # an entry from before a change of format: show it as stored
    return detail


def who(actor: User | None, school_id: int) -> str:
    """Name and, in words, the capacity in which the person relates to this school."""
    if actor is None:
        return str(_l("A removed account"))
    if school_id in actor.scope_ids(Role.SCHOOL_COORDINATOR):
        capacity = Role.SCHOOL_COORDINATOR
    elif actor.has_role(Role.GSA):
        capacity = Role.GSA
    else:
        capacity = next(iter(sorted(actor.roles(), key=lambda r: r.value)), None)
    return f"{actor.name} ({role_label(capacity)})" if capacity else actor.name


@dataclass
class Line:
    """One line of a day: a single event, or one person's content views of that day folded together."""
    first: datetime
    last: datetime
    who: str
    what: str
    detail: str = ""
    areas: list[str] = field(default_factory=list)
    count: int = 1


@dataclass
class Day:
    day: date
    lines: list[Line]


def days(entries: Iterable, school_id: int, kind: str = "all") -> list[Day]:
    """Entries (newest first) grouped by local day, newest day first, filtered by ``kind``."""
    grouped: dict[date, list[Line]] = {}
    folded: dict[tuple[date, int | None], Line] = {}
    for entry in entries:
        is_view = entry.action == VIEW
        if (kind == "views" and not is_view) or (kind == "changes" and is_view):
            continue
        moment = to_user_timezone(entry.at)
        lines = grouped.setdefault(moment.date(), [])
        if is_view:
            key = (moment.date(), entry.actor_id)
            line = folded.get(key)
            if line is None:
                line = folded[key] = Line(moment, moment, who(entry.actor, school_id), audit_label(VIEW), count=0)
                lines.append(line)
            line.first, line.count = min(line.first, moment), line.count + 1
            area = area_of(entry.detail)
            if area in line.areas:
                line.areas.remove(area)
            line.areas.insert(0, area)  # entries come newest first; the line reads in the order opened
            continue
        lines.append(Line(moment, moment, who(entry.actor, school_id), audit_label(entry.action),
                          describe(entry.action, entry.detail)))
    return [Day(day, lines) for day, lines in sorted(grouped.items(), reverse=True)]
