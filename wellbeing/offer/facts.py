"""Read the facts ``uptake.compute`` needs from the database (for the release job), and what the
latest release shows of one municipality's uptake (for its page).

Costs grow with the schools (one row per school, its offer links and its menu card marks), never
with answers; the page reads one release row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wellbeing import db
from wellbeing.instruments.registry import registry
from wellbeing.menucard.models import MenuEntry, MenuStatus
from wellbeing.menucard.service import menu_card
from wellbeing.offer import disclosure, uptake
from wellbeing.offer.models import OfferItem, OfferLink
from wellbeing.offer.service import items_for
from wellbeing.release.compute import CountResult, Ledger
from wellbeing.release.models import Release, ReleaseArea
from wellbeing.release.read import latest
from wellbeing.release.tables import ALL, Geography
from wellbeing.tenancy.models import Municipality, School


@dataclass(frozen=True)
class Uptake:
    """A municipality's uptake page: its offer (live: the offer itself is public to its readers) and
    the uptake figures of the latest release (None before the first)."""

    items: list[OfferItem]
    figures: dict[tuple[str, str], dict[str, uptake.Figure]]
    spots: list[uptake.Spot]
    types: list[str]
    release: Release | None

    def item_cells(self, item_id: int, measure: str) -> dict[str, uptake.Figure]:
        return self.figures.get((uptake.item_subject(item_id), measure), {})

    @property
    def columns(self) -> list[str]:
        return [*self.types, ALL]

    def item_figure(self, item_id: int, measure: str, column: str) -> uptake.Figure:
        return self.item_cells(item_id, measure).get(column, uptake.IMPOSSIBLE)

    def waiting(self, item: OfferItem) -> bool:
        """An item the latest release does not know yet (new since), though schools here could use it."""
        return not self.item_cells(item.id, "uses") and any(t in self.types for t in item.types)


def facts(municipality_ids: list[int] | None = None):
    """Schools, offer items, links and menu card activities done or wanted, for these municipalities
    (all when None), as ``uptake.compute`` takes them."""
    query = select(School.id, School.municipality_id, School.school_type)
    if municipality_ids is not None:
        query = query.where(School.municipality_id.in_(municipality_ids))
    schools = [uptake.SchoolFact(s.id, s.municipality_id, s.school_type.value) for s in db.session.execute(query)]
    items = db.session.scalars(select(OfferItem).options(selectinload(OfferItem.municipalities))).all()
    item_facts = [uptake.ItemFact(i.id, tuple(m.id for m in i.municipalities), i.level, i.pillar, i.types)
                  for i in items]
    if municipality_ids is not None:
        item_facts = [i for i in item_facts if set(i.municipality_ids) & set(municipality_ids)]
    ids = {s.school_id for s in schools}
    links = [uptake.LinkFact(school_id, item_id, kind.value) for school_id, item_id, kind in db.session.execute(
        select(OfferLink.school_id, OfferLink.item_id, OfferLink.kind)) if school_id in ids]
    activities = menu_card().activities()
    doing = []
    for school_id, activity_id, intervention_id, pillar in db.session.execute(
            select(MenuEntry.school_id, MenuEntry.activity_id, MenuEntry.intervention_id, MenuEntry.pillar)
            .where(MenuEntry.status.in_((MenuStatus.DOING, MenuStatus.WANT)))):
        if school_id not in ids:
            continue
        activity = activities.get(activity_id) if activity_id else None
        intervention = registry().intervention(intervention_id) if intervention_id else None
        level = activity.prevention_level if activity else (intervention.prevention_level if intervention else None)
        if level:
            doing.append(uptake.Doing(school_id, level, pillar))
    return schools, item_facts, links, doing


def activity_types() -> set[tuple[str, str, str]]:
    """(level, pillar, school type) for which a school can mark something on the menu card: an
    activity of the card, or an own activity carried out with a recognised intervention."""
    card = menu_card()
    found = {(a.prevention_level, a.pillar, t) for a in card.activities().values() for t in a.school_types}
    found |= {(i.prevention_level, i.pillar, t) for c in registry().of_kind("interventions") for i in c.items
              for t in i.school_types}
    return found


def release_uptake(geography: Geography, year: str, minimum: int, ledger: Ledger) -> dict[tuple[str, str], CountResult]:
    """The uptake tables of a release (called by the release job, inside its transaction)."""
    schools, items, links, doing = facts()
    activities = activity_types()
    cells = uptake.compute(schools, items, links, doing, activities)
    return disclosure.release(cells, items, geography.region_of, year, minimum, ledger, activities)


def municipality_uptake(municipality: Municipality) -> Uptake:
    items = items_for(municipality)
    item_facts = [uptake.ItemFact(i.id, tuple(m.id for m in i.municipalities), i.level, i.pillar, i.types)
                  for i in items]
    present = {getattr(t, "value", t) for t in db.session.scalars(
        select(School.school_type).where(School.municipality_id == municipality.id).distinct())}
    types = [t for t in uptake.TYPES if t in present]
    release = latest()
    if release is None:
        return Uptake(items, {}, [], types, None)
    row = db.session.get(ReleaseArea, (release.id, "m", municipality.id))
    found = uptake.figures(json.loads(row.payload) if row else {}, release.school_year)
    return Uptake(items, found, uptake.spots(found, item_facts, municipality.id, types) if types else [], types,
                  release)
