"""Criteria for the Gezonde School theme certificate Welbevinden (vignet), per school type and per
criteria year. Gezonde School revises the criteria each summer, so each file states the first school
year it applies to; ``Registry.vignet_criteria`` picks the newest one that applies.

Every criterion carries a rule that decides it from the school's data (``wellbeing.vignet.rules``)
or asks the coordinator to attest it with evidence, and a "to do" that tells the school what to do
in the product when the criterion is not met.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from wellbeing.progress.facts import ACTION_STATUSES, RECOGNITION_LEVELS
from wellbeing.instruments.schema import LOCALES, SCHOOL_TYPES, Checker
from wellbeing.pillars import PILLARS
from wellbeing.schoolyear import SchoolYear

Text = dict[str, str]
CRITERION_PILLARS = (*PILLARS, "general")
DEFAULT_ACTION_STATUSES = ("planned", "in_progress", "done")
# The parameters each rule type accepts; anything else in a rule is an error.
RULE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "attestation": ("valid_months",),
    "round_finalised": ("within_months",),
    "menu_card": ("activities", "pillar", "min", "recognised"),
    "plan_actions": ("pillars", "min", "statuses"),
    "plan_goals": ("min",),
    "priorities_covered": (),
    "evaluated": ("min",),
}
RULE_TYPES = tuple(RULE_PARAMETERS)


@dataclass(frozen=True)
class Rule:
    """How a criterion is decided. Only the parameters of ``type`` (``RULE_PARAMETERS``) mean
    anything; the others keep their defaults."""

    type: str
    activities: tuple[str, ...] = ()      # menu_card: menu card activity ids; empty = any activity
    pillar: str | None = None             # menu_card: only entries in this pillar
    pillars: tuple[str, ...] = PILLARS    # plan_actions: every one of these pillars needs ``min`` actions
    min: int = 1                          # menu_card, plan_actions (per pillar), plan_goals, evaluated
    recognised: str | None = None         # menu_card: lowest recognition level that counts
    statuses: tuple[str, ...] = DEFAULT_ACTION_STATUSES  # plan_actions: action statuses that count
    within_months: int = 12               # round_finalised
    valid_months: int = 36                # attestation: evidence older than this must be given again

    def parameters(self) -> dict[str, Any]:
        """The parameters that apply to this rule's type, with their values."""
        return {name: getattr(self, name) for name in RULE_PARAMETERS[self.type]}


@dataclass(frozen=True)
class Criterion:
    id: str
    pillar: str        # one of PILLARS or "general"
    text: Text
    todo: Text         # what the school does in the product when the criterion is not met
    rule: Rule


@dataclass(frozen=True)
class VignetCriteria:
    id: str
    kind: str
    version: int
    school_type: str
    school_year: SchoolYear   # first school year these criteria apply to
    title: Text
    description: Text
    criteria: tuple[Criterion, ...]

    def get(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def activity_links(self) -> Iterator[tuple[str, str]]:
        """``(path in file, activity id)`` for every menu card activity a rule names."""
        for c_index, criterion in enumerate(self.criteria):
            for a_index, activity_id in enumerate(criterion.rule.activities):
                yield f"criteria[{c_index}].rule.activities[{a_index}]", activity_id

    def item_count(self) -> int:
        return len(self.criteria)


def parse_vignet_criteria(data: dict, check: Checker) -> VignetCriteria:
    check.mapping(data, "", ("id", "kind", "version", "school_type", "school_year", "title", "criteria"),
                  ("description",))
    if data["school_type"] not in SCHOOL_TYPES:
        check.fail("school_type", f"{data['school_type']!r} is not one of {list(SCHOOL_TYPES)}")
    try:
        school_year = SchoolYear.parse(data["school_year"]) if isinstance(data["school_year"], str) else None
    except ValueError:
        school_year = None
    if school_year is None:
        check.fail("school_year", f"{data['school_year']!r} is not a school year such as \"2026-2027\"")
    if not isinstance(data["criteria"], list) or not data["criteria"]:
        check.fail("criteria", "expected a non-empty list")
    seen: set[str] = set()
    criteria = []
    for index, raw in enumerate(data["criteria"]):
        path = f"criteria[{index}]"
        check.mapping(raw, path, ("id", "pillar", "text", "todo", "rule"))
        criterion_id = check.ident(raw["id"], f"{path}.id")
        if raw["pillar"] not in CRITERION_PILLARS:
            check.fail(f"{path}.pillar", f"{raw['pillar']!r} is not one of {list(CRITERION_PILLARS)}")
        if not criterion_id.startswith(raw["pillar"] + "."):
            check.fail(f"{path}.id", f"{criterion_id!r} must start with '{raw['pillar']}.'")
        if criterion_id in seen:
            check.fail(f"{path}.id", f"duplicate criterion id {criterion_id!r}")
        seen.add(criterion_id)
        criteria.append(Criterion(
            id=criterion_id, pillar=raw["pillar"], text=check.text(raw["text"], f"{path}.text"),
            todo=check.text(raw["todo"], f"{path}.todo"), rule=_rule(raw["rule"], f"{path}.rule", check)))
    return VignetCriteria(
        id=data["id"], kind=data["kind"], version=data["version"], school_type=data["school_type"],
        school_year=school_year, title=check.text(data["title"], "title"),
        description=check.text(data["description"], "description") if "description" in data
        else dict.fromkeys(LOCALES, ""),
        criteria=tuple(criteria))


def _rule(raw: Any, path: str, check: Checker) -> Rule:
    if not isinstance(raw, dict) or "type" not in raw:
        check.fail(path, f"expected a mapping with a 'type' from {list(RULE_TYPES)}")
    rule_type = raw["type"]
    if not isinstance(rule_type, str) or rule_type not in RULE_PARAMETERS:
        check.fail(f"{path}.type", f"{rule_type!r} is not one of {list(RULE_TYPES)}")
    allowed = RULE_PARAMETERS[rule_type]
    unknown = sorted(set(raw) - {"type", *allowed})
    if unknown:
        accepted = f"accepts {list(allowed)}" if allowed else "takes no parameters"
        check.fail(path, f"unknown parameter(s) {unknown} for rule type {rule_type!r}, which {accepted}")
    values: dict[str, Any] = {}
    if "within_months" in raw:
        values["within_months"] = _whole(raw["within_months"], f"{path}.within_months", check, 1, 120)
    if "valid_months" in raw:
        values["valid_months"] = _whole(raw["valid_months"], f"{path}.valid_months", check, 1, 120)
    if "min" in raw:
        values["min"] = _whole(raw["min"], f"{path}.min", check, 1, 100)
    if "pillar" in raw:
        if raw["pillar"] not in PILLARS:
            check.fail(f"{path}.pillar", f"{raw['pillar']!r} is not one of {list(PILLARS)}")
        values["pillar"] = raw["pillar"]
    if "pillars" in raw:
        values["pillars"] = check.choices(raw["pillars"], f"{path}.pillars", PILLARS)
    if "statuses" in raw:
        values["statuses"] = check.choices(raw["statuses"], f"{path}.statuses", ACTION_STATUSES)
    if "recognised" in raw:
        if raw["recognised"] not in RECOGNITION_LEVELS:
            check.fail(f"{path}.recognised", f"{raw['recognised']!r} is not one of {list(RECOGNITION_LEVELS)}")
        values["recognised"] = raw["recognised"]
    if "activities" in raw:
        values["activities"] = _activities(raw["activities"], f"{path}.activities", values.get("pillar"), check)
        if values.get("min", 1) > len(values["activities"]):
            check.fail(f"{path}.min", f"asks for {values['min']} of only {len(values['activities'])} activities")
    return Rule(type=rule_type, **values)


def _activities(raw: Any, path: str, pillar: str | None, check: Checker) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        check.fail(path, "expected a non-empty list of menu card activity ids")
    for index, activity_id in enumerate(raw):
        check.ident(activity_id, f"{path}[{index}]")
        # Menu card activity ids start with their pillar, so a mismatch is caught here already.
        if pillar and not activity_id.startswith(pillar + "."):
            check.fail(f"{path}[{index}]", f"{activity_id!r} is not in the pillar {pillar!r} this rule counts")
    if len(set(raw)) != len(raw):
        check.fail(path, "contains duplicates")
    return tuple(raw)


def _whole(value: Any, path: str, check: Checker, lowest: int, highest: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest:
        check.fail(path, f"expected a whole number from {lowest} to {highest}")
    return value
