"""The menu card (Gezonde School-matrix): activities per pillar that a school marks as doing, want,
interested or declined. An empty pillar is a visible gap."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellbeing.instruments.schema import LOCALES, SCHOOL_TYPES, Checker, PillarLabelled
from wellbeing.pillars import PILLARS

Text = dict[str, str]
STATUSES = ("doing", "want", "interested", "declined")
PREVENTION_LEVELS = ("universal", "selective", "indicated")
CHECKLIST_ELEMENTS = ("vision", "climate", "signalling", "participation", "staff", "partners", "equal-opportunities")


@dataclass(frozen=True)
class Activity:
    id: str
    pillar: str
    text: Text
    help: Text
    school_types: tuple[str, ...]
    prevention_level: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class MenuCard(PillarLabelled):
    id: str
    kind: str
    version: int
    title: Text
    description: Text
    school_types: tuple[str, ...]
    statuses: dict[str, Text]
    pillar_labels: dict[str, dict[str, Text]]
    pillars: dict[str, tuple[Activity, ...]]

    def activities_for(self, pillar: str, school_type: str) -> tuple[Activity, ...]:
        return tuple(a for a in self.pillars[pillar] if school_type in a.school_types)

    def activities(self) -> dict[str, Activity]:
        return {a.id: a for activities in self.pillars.values() for a in activities}

    def item_count(self) -> int:
        return len(self.activities())


def parse_menu_card(data: dict[str, Any], check: Checker) -> MenuCard:
    check.mapping(data, "", ("id", "kind", "version", "title", "school_types", "statuses", "pillar_labels",
                             "pillars"), ("description",))
    school_types = check.choices(data["school_types"], "school_types", SCHOOL_TYPES)
    check.mapping(data["statuses"], "statuses", STATUSES)
    statuses = {status: check.text(data["statuses"][status], f"statuses.{status}") for status in STATUSES}
    raw_pillars = data["pillars"]
    if not isinstance(raw_pillars, list) or [p.get("id") if isinstance(p, dict) else None
                                             for p in raw_pillars] != list(PILLARS):
        check.fail("pillars", f"expected the four pillars {list(PILLARS)} in this order")
    seen: set[str] = set()
    pillars = {}
    for p_index, raw in enumerate(raw_pillars):
        path = f"pillars[{p_index}]"
        check.mapping(raw, path, ("id", "activities"))
        pillar = raw["id"]
        if not isinstance(raw["activities"], list) or not raw["activities"]:
            check.fail(f"{path}.activities", "expected a non-empty list")
        activities = []
        for a_index, item in enumerate(raw["activities"]):
            a_path = f"{path}.activities[{a_index}]"
            check.mapping(item, a_path, ("id", "text", "prevention_level"), ("help", "school_types", "elements"))
            activity_id = check.ident(item["id"], f"{a_path}.id")
            if not activity_id.startswith(pillar + "."):
                check.fail(f"{a_path}.id", f"{activity_id!r} must start with '{pillar}.'")
            if activity_id in seen:
                check.fail(f"{a_path}.id", f"duplicate activity id {activity_id!r}")
            seen.add(activity_id)
            if item["prevention_level"] not in PREVENTION_LEVELS:
                check.fail(f"{a_path}.prevention_level",
                           f"{item['prevention_level']!r} is not one of {list(PREVENTION_LEVELS)}")
            activities.append(Activity(
                id=activity_id, pillar=pillar, text=check.text(item["text"], f"{a_path}.text"),
                help=check.text(item["help"], f"{a_path}.help") if "help" in item else dict.fromkeys(LOCALES, ""),
                school_types=(check.choices(item["school_types"], f"{a_path}.school_types", school_types)
                              if "school_types" in item else school_types),
                prevention_level=item["prevention_level"],
                elements=(check.choices(item["elements"], f"{a_path}.elements", CHECKLIST_ELEMENTS)
                          if "elements" in item else ())))
        pillars[pillar] = tuple(activities)
    return MenuCard(
        id=data["id"], kind=data["kind"], version=data["version"], title=check.text(data["title"], "title"),
        description=check.text(data["description"], "description") if "description" in data
        else dict.fromkeys(LOCALES, ""),
        school_types=school_types, statuses=statuses, pillar_labels=check.pillar_labels(data["pillar_labels"]),
        pillars=pillars)
