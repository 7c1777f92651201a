"""Translated labels for prevention levels (in the municipality's words) and partner kinds."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wellbeing.instruments.registry import registry

LEVEL_LABELS = {"universal": _l("Basic (universal)"), "selective": _l("Extra (selective)"),
                "indicated": _l("Special (indicated)")}
KIND_LABELS = {
    "jgz": _l("Youth health care (JGZ)"), "school_social_work": _l("School social work"),
    "youth_work": _l("Youth work"), "neighbourhood_team": _l("Neighbourhood team"),
    "sports_coach": _l("Sports coach"), "health_promotion": _l("GGD health promotion"),
    "parenting_support": _l("Parenting support"), "mental_health": _l("Mental health prevention"),
    "other": _l("Other partner"),
}
LINK_LABELS = {"uses": _l("Carried out by"), "wish": _l("Wished for")}


def level_label(level: str) -> str:
    return str(LEVEL_LABELS[level])


def kind_label(kind) -> str:
    return str(KIND_LABELS[getattr(kind, "value", kind)])


def link_label(kind) -> str:
    return str(LINK_LABELS[getattr(kind, "value", kind)])


def intervention_name(intervention_id: str) -> str:
    found = registry().intervention(intervention_id)
    return found.name if found else intervention_id


HELPERS = {"offer_level_label": level_label, "offer_kind_label": kind_label, "offer_link_label": link_label,
           "offer_intervention_name": intervention_name}
