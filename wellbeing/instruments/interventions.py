"""Recognised interventions (erkende interventies): programmes whose quality and effect were judged by the
recognition committees behind Loket Gezond Leven and the NJi Databank Effectieve Jeugdinterventies.

A school can link a menu card activity to one of these; the recognition level then counts towards
vignet readiness and shows municipalities what kind of offer their schools have.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from wellbeing.progress.facts import RECOGNITION_LEVELS
from wellbeing.instruments.menu_card import PREVENTION_LEVELS
from wellbeing.instruments.schema import SCHOOL_TYPES, Checker
from wellbeing.pillars import PILLARS

Text = dict[str, str]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Intervention:
    id: str
    name: str
    school_types: tuple[str, ...]
    pillar: str
    prevention_level: str
    recognition: str
    summary: Text
    activities: tuple[str, ...]
    url: str

    def at_least(self, level: str) -> bool:
        """Whether the recognition is ``level`` or stronger; ``ValueError`` for an unknown level."""
        if level not in RECOGNITION_LEVELS:
            raise ValueError(f"{level!r} is not one of {list(RECOGNITION_LEVELS)}")
        return RECOGNITION_LEVELS.index(self.recognition) >= RECOGNITION_LEVELS.index(level)


@dataclass(frozen=True)
class Interventions:
    id: str
    kind: str
    version: int
    as_of: date
    source: Text
    items: tuple[Intervention, ...]

    def get(self, intervention_id: str) -> Intervention | None:
        return next((i for i in self.items if i.id == intervention_id), None)

    def for_school_type(self, school_type: str) -> tuple[Intervention, ...]:
        return tuple(i for i in self.items if school_type in i.school_types)

    def for_activity(self, activity_id: str, school_type: str) -> tuple[Intervention, ...]:
        """Interventions that can fill ``activity_id`` in ``school_type``, strongest recognition first
        (file order among equals)."""
        found = [i for i in self.for_school_type(school_type) if activity_id in i.activities]
        return tuple(sorted(found, key=lambda i: -RECOGNITION_LEVELS.index(i.recognition)))

    def activity_links(self):
        """``(path, activity_id)`` for every menu card activity named; the registry checks that each exists."""
        for i_index, item in enumerate(self.items):
            for a_index, activity_id in enumerate(item.activities):
                yield f"interventions[{i_index}].activities[{a_index}]", activity_id

    def item_count(self) -> int:
        return len(self.items)


def parse_interventions(data: dict, check: Checker) -> Interventions:
    check.mapping(data, "", ("id", "kind", "version", "as_of", "source", "interventions"))
    raw_items = data["interventions"]
    if not isinstance(raw_items, list) or not raw_items:
        check.fail("interventions", "expected a non-empty list")
    seen: set[str] = set()
    items = []
    for index, item in enumerate(raw_items):
        path = f"interventions[{index}]"
        check.mapping(item, path, ("id", "name", "school_types", "pillar", "prevention_level", "recognition",
                                   "summary"), ("activities", "url"))
        intervention_id = check.ident(item["id"], f"{path}.id")
        if intervention_id in seen:
            check.fail(f"{path}.id", f"duplicate intervention id {intervention_id!r}")
        seen.add(intervention_id)
        if not isinstance(item["name"], str) or not item["name"].strip():
            check.fail(f"{path}.name", "expected a non-empty name")
        for field, allowed in (("pillar", PILLARS), ("prevention_level", PREVENTION_LEVELS),
                               ("recognition", RECOGNITION_LEVELS)):
            if item[field] not in allowed:
                check.fail(f"{path}.{field}", f"{item[field]!r} is not one of {list(allowed)}")
        items.append(Intervention(
            id=intervention_id, name=item["name"].strip(),
            school_types=check.choices(item["school_types"], f"{path}.school_types", SCHOOL_TYPES),
            pillar=item["pillar"], prevention_level=item["prevention_level"], recognition=item["recognition"],
            summary=check.text(item["summary"], f"{path}.summary"),
            activities=_activities(item.get("activities", []), f"{path}.activities", check),
            url=_url(item["url"], f"{path}.url", check) if "url" in item else ""))
    return Interventions(id=data["id"], kind=data["kind"], version=data["version"],
                         as_of=_date(data["as_of"], "as_of", check), source=check.text(data["source"], "source"),
                         items=tuple(items))


def _date(raw, path: str, check: Checker) -> date:
    # An unquoted date in YAML already arrives as a date; a quoted one as text.
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if isinstance(raw, str) and ISO_DATE.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    check.fail(path, f"{raw!r} is not a date written as YYYY-MM-DD")


def _activities(raw, path: str, check: Checker) -> tuple[str, ...]:
    if not isinstance(raw, list):
        check.fail(path, "expected a list of menu card activity ids")
    for index, activity_id in enumerate(raw):
        check.ident(activity_id, f"{path}[{index}]")
    if len(set(raw)) != len(raw):
        check.fail(path, "contains duplicates")
    return tuple(raw)


def _url(raw, path: str, check: Checker) -> str:
    if not isinstance(raw, str) or not URL.match(raw):
        check.fail(path, f"{raw!r} is not a web address starting with http:// or https://")
    return raw
