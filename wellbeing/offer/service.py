"""Offer operations: what a municipality keeps, what a school sees and links. Helpers add to the
current transaction; the caller commits.

Schools never receive ``OfferItem`` rows: ``school_offer`` copies what a school may read into
``SchoolOfferItem``, which has no private note, so no template can show one by mistake.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wellbeing import db
from wellbeing.instruments.registry import registry
from wellbeing.menucard.service import menu_card
from wellbeing.pillars import PILLARS
from wellbeing.offer.models import LEVELS, LinkKind, OfferItem, OfferLink, Partner, PartnerKind
from wellbeing.offer.models import offer_item_municipality as item_municipality
from wellbeing.plans.models import Action
from wellbeing.tenancy.models import Municipality, School

SCHOOL_TYPES = ("po", "vo", "so", "mbo")


class OfferError(ValueError):
    """Input that cannot be saved; ``code`` names the reason (views translate it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- what a municipality keeps ----------------------------------------------------------------

def items_for(municipality: Municipality, pillar: str | None = None) -> list[OfferItem]:
    query = (select(OfferItem).join(item_municipality, item_municipality.c.item_id == OfferItem.id)
             .where(item_municipality.c.municipality_id == municipality.id)
             .options(selectinload(OfferItem.partner), selectinload(OfferItem.municipalities))
)
    if pillar in PILLARS:
        query = query.where(OfferItem.pillar == pillar)
    # In the order of the menu card's pillars, then basis, extra, speciaal.
    return sorted(db.session.scalars(query), key=lambda i: (PILLARS.index(i.pillar), LEVELS.index(i.level),
                                                             i.title.lower()))


def get_item(municipality: Municipality, item_id: int) -> OfferItem | None:
    """The item if it is offered in ``municipality``; None otherwise (the view answers 404)."""
    return db.session.scalar(
        select(OfferItem).join(item_municipality, item_municipality.c.item_id == OfferItem.id)
        .where(OfferItem.id == item_id, item_municipality.c.municipality_id == municipality.id))


def partners_of(region_id: int) -> list[Partner]:
    return list(db.session.scalars(select(Partner).where(Partner.region_id == region_id).order_by(Partner.name)))


def get_partner(municipality: Municipality, partner_id: int) -> Partner | None:
    partner = db.session.get(Partner, partner_id)
    return partner if partner is not None and partner.region_id == municipality.region_id else None


@dataclass(frozen=True)
class ItemText:
    """What describes an offer item to a school, as kept and as shown."""

    title: str
    description: str
    level: str
    pillar: str
    school_types: tuple[str, ...]
    age_min: int
    age_max: int
    request_route: str
    paid_by: str
    intervention_id: str | None


@dataclass(frozen=True)
class ItemInput(ItemText):
    partner_id: int
    municipality_ids: tuple[int, ...]


def save_item(item: OfferItem, values: ItemInput, municipalities: list[Municipality],
              private_note: str | None) -> OfferItem:
    """Write ``values`` into ``item``; ``private_note`` None keeps the note as it is (the user may
    not see it). Raises ``OfferError`` for a level, pillar, type or intervention that does not exist."""
    check_item(values)
    for key in ("partner_id", "title", "description", "level", "pillar", "age_min", "age_max", "request_route",
                "paid_by", "intervention_id"):
        setattr(item, key, getattr(values, key))
    item.school_types = " ".join(t for t in SCHOOL_TYPES if t in values.school_types)
    item.municipalities = municipalities
    if private_note is not None:
        item.private_note = private_note
    db.session.add(item)
    return item


def check_item(values: ItemInput) -> None:
    if values.level not in LEVELS:
        raise OfferError("unknown-level")
    if values.pillar not in PILLARS:
        raise OfferError("unknown-pillar")
    if not values.school_types or set(values.school_types) - set(SCHOOL_TYPES):
        raise OfferError("unknown-school-type")
    if not 0 <= values.age_min <= values.age_max <= 30:
        raise OfferError("bad-ages")
    if values.intervention_id and registry().intervention(values.intervention_id) is None:
        raise OfferError("unknown-intervention")


def intervention_choices() -> list[tuple[str, str]]:
    return [(i.id, i.name) for c in registry().of_kind("interventions") for i in c.items]


# --- what a school sees ----------------------------------------------------------------------

@dataclass(frozen=True)
class SchoolOfferItem(ItemText):
    """What a school may read of an offer item: everything but the private note."""

    id: int
    partner_name: str
    partner_kind: PartnerKind
    partner_contact: str


def _for_school(item: OfferItem) -> SchoolOfferItem:
    return SchoolOfferItem(
        title=item.title, description=item.description, level=item.level, pillar=item.pillar,
        school_types=item.types, age_min=item.age_min, age_max=item.age_max, request_route=item.request_route,
        paid_by=item.paid_by, intervention_id=item.intervention_id, id=item.id, partner_name=item.partner.name,
        partner_kind=item.partner.kind, partner_contact=item.partner.contact)


def school_offer(school: School, pillar: str | None = None) -> list[SchoolOfferItem]:
    """The offer of the school's own municipality for its school type, optionally one pillar."""
    return [_for_school(i) for i in items_for(school.municipality, pillar)
            if school.school_type.value in i.types]


def links(school: School) -> list[OfferLink]:
    return list(db.session.scalars(select(OfferLink).where(OfferLink.school_id == school.id)
                                   .options(selectinload(OfferLink.item).selectinload(OfferItem.partner))
                                   .order_by(OfferLink.id)))


def get_link(school: School, link_id: int) -> OfferLink | None:
    link = db.session.get(OfferLink, link_id)
    return link if link is not None and link.school_id == school.id else None


def add_link(school: School, item_id: int, kind: str, target: str = "") -> OfferLink:
    """Link the school to one of its municipality's offer items. ``target`` is ``a:<activity id>`` (a
    menu card activity), ``p:<action id>`` (a plan action) or empty (only allowed for a wish).
    Raises ``OfferError``; an identical link already made is returned as it is."""
    item = next((i for i in school_offer(school) if i.id == item_id), None)
    if item is None:
        raise OfferError("unknown-item")
    try:
        link_kind = LinkKind(kind)
    except ValueError:
        raise OfferError("unknown-kind") from None
    activity_id, action_id = None, None
    if target.startswith("a:"):
        activity = menu_card().activities().get(target[2:])
        if activity is None or school.school_type.value not in activity.school_types:
            raise OfferError("unknown-target")
        activity_id = activity.id
    elif target.startswith("p:") and target[2:].isdigit():
        action = db.session.get(Action, int(target[2:]))
        if action is None or action.school_id != school.id:
            raise OfferError("unknown-target")
        action_id = action.id
    elif target:
        raise OfferError("unknown-target")
    elif link_kind == LinkKind.USES:
        raise OfferError("target-required")
    existing = db.session.scalar(select(OfferLink).where(
        OfferLink.school_id == school.id, OfferLink.item_id == item.id, OfferLink.kind == link_kind,
        OfferLink.activity_id.is_(None) if activity_id is None else OfferLink.activity_id == activity_id,
        OfferLink.action_id.is_(None) if action_id is None else OfferLink.action_id == action_id))
    if existing is not None:
        return existing
    link = OfferLink(school_id=school.id, item_id=item.id, kind=link_kind, activity_id=activity_id,
                     action_id=action_id)
    db.session.add(link)
    return link


@dataclass(frozen=True)
class SchoolOffer:
    """Everything the menu card and plan pages show of the offer for one school."""

    items: list[SchoolOfferItem]
    links: list[OfferLink]

    def for_pillar(self, pillar: str) -> list[SchoolOfferItem]:
        return [i for i in self.items if i.pillar == pillar]

    def item(self, item_id: int) -> SchoolOfferItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def for_activity(self, activity_id: str) -> list[tuple[OfferLink, SchoolOfferItem]]:
        return [(link, self.item(link.item_id)) for link in self.links
                if link.activity_id == activity_id and self.item(link.item_id)]

    def for_action(self, action_id: int) -> list[tuple[OfferLink, SchoolOfferItem]]:
        return [(link, self.item(link.item_id)) for link in self.links
                if link.action_id == action_id and self.item(link.item_id)]

    def for_item(self, item_id: int) -> list[OfferLink]:
        return [link for link in self.links if link.item_id == item_id]


def for_school(school: School) -> SchoolOffer:
    return SchoolOffer(school_offer(school), links(school))
