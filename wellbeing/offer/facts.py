"""Read the facts ``uptake.compute`` needs for one municipality from the database.

Costs grow with the municipality's schools (one row per school, its offer links and its menu card
marks), never with answers.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from wellbeing import db
from wellbeing.instruments.registry import registry
from wellbeing.menucard.models import MenuEntry, MenuStatus
from wellbeing.menucard.service import menu_card
from wellbeing.offer import uptake
from wellbeing.offer.models import OfferItem, OfferLink
from wellbeing.offer.service import items_for
from wellbeing.tenancy.models import Municipality, School


@dataclass(frozen=True)
class Uptake:
    items: list[OfferItem]
    published: list[uptake.Published]
    spots: list[uptake.Spot]

    def item_cells(self, item_id: int, measure: str) -> dict[str, uptake.Published]:
        subject = uptake.item_subject(item_id)
        return {p.school_type: p for p in self.published if p.subject == subject and p.measure == measure}

    @property
    def types(self) -> list[str]:
        return list(dict.fromkeys(s.school_type for s in self.spots))


def facts(municipality: Municipality):
    schools = [uptake.SchoolFact(s.id, s.municipality_id, s.school_type.value) for s in db.session.execute(
        select(School.id, School.municipality_id, School.school_type).where(School.municipality_id == municipality.id))]
    items = items_for(municipality)
    item_facts = [uptake.ItemFact(i.id, tuple(m.id for m in i.municipalities), i.level, i.pillar, i.types)
                  for i in items]
    ids = [s.school_id for s in schools]
    links = [uptake.LinkFact(school_id, item_id, kind.value) for school_id, item_id, kind in db.session.execute(
        select(OfferLink.school_id, OfferLink.item_id, OfferLink.kind).where(OfferLink.school_id.in_(ids)))]
    activities = menu_card().activities()
    doing = []
    for school_id, activity_id, intervention_id, pillar in db.session.execute(
            select(MenuEntry.school_id, MenuEntry.activity_id, MenuEntry.intervention_id, MenuEntry.pillar)
            .where(MenuEntry.school_id.in_(ids), MenuEntry.status == MenuStatus.DOING)):
        activity = activities.get(activity_id) if activity_id else None
        intervention = registry().intervention(intervention_id) if intervention_id else None
        level = activity.prevention_level if activity else (intervention.prevention_level if intervention else None)
        if level:
            doing.append(uptake.Doing(school_id, level, pillar))
    return items, schools, item_facts, links, doing


def activity_types() -> set[tuple[str, str, str]]:
    """(level, pillar, school type) for which a school can mark something on the menu card: an
    activity of the card, or an own activity carried out with a recognised intervention."""
    card = menu_card()
    found = {(a.prevention_level, a.pillar, t) for a in card.activities().values() for t in a.school_types}
    found |= {(i.prevention_level, i.pillar, t) for c in registry().of_kind("interventions") for i in c.items
              for t in i.school_types}
    return found


def municipality_uptake(municipality: Municipality, minimum: int) -> Uptake:
    items, schools, item_facts, links, doing = facts(municipality)
    published = uptake.publish(uptake.compute(schools, item_facts, links, doing, activity_types()), minimum)
    return Uptake(items, published, uptake.spots(published, item_facts, municipality.id) if schools else [])
