"""What the generator needs from the instrument files, looked up once per run."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wellbeing.instruments.registry import Registry
from wellbeing.pillars import PILLARS
from wellbeing.rounds.service import CHECKLIST_ID
from wellbeing.schoolyear import SchoolYear

TYPES = ("po", "vo", "so", "mbo")


@dataclass(frozen=True)
class Instruments:
    checklist_id: str
    checklist_version: int
    items: dict[str, tuple[str, ...]]                       # type -> item ids, in instrument order
    elements: dict[str, tuple[tuple[str, tuple[int, ...]], ...]]  # type -> (element id, item indexes)
    item_text: dict[str, str]                               # item id -> Dutch text
    menu: dict[str, tuple[tuple[str, str], ...]]            # type -> (pillar, activity id)
    interventions: dict[tuple[str, str], tuple[str, ...]]   # (type, activity) -> intervention ids
    prevention: dict[str, str]                              # intervention id -> prevention level
    recognition: dict[str, str]                             # intervention id -> recognition level
    criteria: dict[str, object]                             # type -> VignetCriteria for today's school year
    attestable: dict[str, tuple[str, ...]]                  # type -> criterion ids decided by attestation


def load(registry: Registry, today: date) -> Instruments:
    checklist = registry.latest(CHECKLIST_ID)
    menu_card = registry.latest("menu-card-welbevinden")
    interventions = registry.of_kind("interventions")
    items, elements, menu, criteria, attestable = {}, {}, {}, {}, {}
    linked: dict[tuple[str, str], tuple[str, ...]] = {}
    for school_type in TYPES:
        ids: list[str] = []
        groups = []
        for element in checklist.elements_for(school_type):
            own = [i.id for i in element.items_for(school_type)]
            groups.append((element.id, tuple(range(len(ids), len(ids) + len(own)))))
            ids += own
        items[school_type], elements[school_type] = tuple(ids), tuple(groups)
        menu[school_type] = tuple((pillar, a.id) for pillar in PILLARS
                                  for a in menu_card.activities_for(pillar, school_type))
        for _, activity in menu[school_type]:
            found = [i.id for i in interventions[-1].for_activity(activity, school_type)] if interventions else []
            if found:
                linked[(school_type, activity)] = tuple(found)
        criteria[school_type] = registry.vignet_criteria(school_type, SchoolYear.containing(today))
        attestable[school_type] = tuple(c.id for c in criteria[school_type].criteria
                                        if c.rule.type == "attestation") if criteria[school_type] else ()
    everything = [i for collection in interventions for i in collection.items]
    return Instruments(
        checklist_id=checklist.id, checklist_version=checklist.version, items=items, elements=elements,
        item_text={i.id: i.text["nl"] for e in checklist.elements for i in e.items}, menu=menu,
        interventions=linked, prevention={i.id: i.prevention_level for i in everything},
        recognition={i.id: i.recognition for i in everything}, criteria=criteria, attestable=attestable)
