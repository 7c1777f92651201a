"""The checklist instrument: statements grouped in elements, scored on a 1–4 scale or "don't know"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wellbeing.instruments.schema import SCHOOL_TYPES, Checker, PillarLabelled
from wellbeing.pillars import PILLARS

Text = dict[str, str]


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: Text


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    pillars: tuple[str, ...]
    school_types: tuple[str, ...]


@dataclass(frozen=True)
class Element:
    id: str
    title: Text
    help: Text
    school_types: tuple[str, ...]
    items: tuple[Item, ...]

    def items_for(self, school_type: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if school_type in i.school_types)


@dataclass(frozen=True)
class Checklist(PillarLabelled):
    id: str
    kind: str
    version: int
    title: Text
    description: Text
    school_types: tuple[str, ...]
    scale: tuple[ScalePoint, ...]
    dont_know: Text
    pillar_labels: dict[str, dict[str, Text]]
    elements: tuple[Element, ...]

    def elements_for(self, school_type: str) -> tuple[Element, ...]:
        return tuple(e for e in self.elements if school_type in e.school_types and e.items_for(school_type))

    def items(self) -> dict[str, Item]:
        return {item.id: item for element in self.elements for item in element.items}

    def item_count(self) -> int:
        return sum(len(e.items) for e in self.elements)


def parse_checklist(data: dict[str, Any], check: Checker) -> Checklist:
    check.mapping(data, "", ("id", "kind", "version", "title", "school_types", "scale", "dont_know",
                             "pillar_labels", "elements"), ("description",))
    school_types = check.choices(data["school_types"], "school_types", SCHOOL_TYPES)
    scale = _scale(data["scale"], check)
    labels = check.pillar_labels(data["pillar_labels"])
    if not isinstance(data["elements"], list) or not data["elements"]:
        check.fail("elements", "expected a non-empty list")
    seen_elements: set[str] = set()
    seen_items: set[str] = set()
    elements = []
    for e_index, raw in enumerate(data["elements"]):
        path = f"elements[{e_index}]"
        check.mapping(raw, path, ("id", "title", "items"), ("help", "school_types"))
        element_id = check.ident(raw["id"], f"{path}.id")
        if element_id in seen_elements:
            check.fail(f"{path}.id", f"duplicate element id {element_id!r}")
        seen_elements.add(element_id)
        element_types = (check.choices(raw["school_types"], f"{path}.school_types", school_types)
                         if "school_types" in raw else school_types)
        if not isinstance(raw["items"], list) or not raw["items"]:
            check.fail(f"{path}.items", "expected a non-empty list")
        items = []
        for i_index, item in enumerate(raw["items"]):
            item_path = f"{path}.items[{i_index}]"
            check.mapping(item, item_path, ("id", "text", "pillars"), ("school_types",))
            item_id = check.ident(item["id"], f"{item_path}.id")
            if not item_id.startswith(element_id + "."):
                check.fail(f"{item_path}.id", f"{item_id!r} must start with '{element_id}.'")
            if item_id in seen_items:
                check.fail(f"{item_path}.id", f"duplicate item id {item_id!r}")
            seen_items.add(item_id)
            items.append(Item(
                id=item_id, text=check.text(item["text"], f"{item_path}.text"),
                pillars=check.choices(item["pillars"], f"{item_path}.pillars", PILLARS),
                school_types=(check.choices(item["school_types"], f"{item_path}.school_types", element_types)
                              if "school_types" in item else element_types)))
        elements.append(Element(id=element_id, title=check.text(raw["title"], f"{path}.title"),
                                help=check.text(raw["help"], f"{path}.help") if "help" in raw else {"nl": "", "en": ""},
                                school_types=element_types, items=tuple(items)))
    return Checklist(
        id=data["id"], kind=data["kind"], version=data["version"], title=check.text(data["title"], "title"),
        description=check.text(data["description"], "description") if "description" in data else {"nl": "", "en": ""},
        school_types=school_types, scale=scale, dont_know=check.text(data["dont_know"], "dont_know"),
        pillar_labels=labels, elements=tuple(elements))


def _scale(raw: Any, check: Checker) -> tuple[ScalePoint, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        check.fail("scale", "expected a list of at least two points")
    points = []
    for index, point in enumerate(raw):
        check.mapping(point, f"scale[{index}]", ("value", "label"))
        if not isinstance(point["value"], int) or isinstance(point["value"], bool):
            check.fail(f"scale[{index}].value", "expected a whole number")
        points.append(ScalePoint(point["value"], check.text(point["label"], f"scale[{index}].label")))
    values = [p.value for p in points]
    if values != list(range(values[0], values[0] + len(values))):
        check.fail("scale", "values must be consecutive whole numbers in increasing order")
    return tuple(points)
