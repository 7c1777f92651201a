"""The overviews pages show (``overview``, ``national``: the latest release), their translated
labels, and the pre-release computation from summary tables (``compute``), kept for comparison."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from wellbeing import db
from wellbeing.instruments.registry import registry
from wellbeing.labels import PREVENTION_LABELS, locale_code, school_type_label
from wellbeing.overview.build import Area, Labels, RoundRecord, SchoolRecord, build
from wellbeing.overview.data import ALL, REST, Overview
from wellbeing.release import read
from wellbeing.rounds.service import CHECKLIST_ID
from wellbeing.schoolyear import SchoolYear
from wellbeing.summaries.models import ElementSummary, PrioritySummary, RoundSummary, SchoolStatus
from wellbeing.tenancy.models import Municipality, Region
from wellbeing.pillars import PILLARS

YEARS_SHOWN = 5


def school_records(region_id: int | None, today: date) -> list[SchoolRecord]:
    """The region's schools, or the whole country's for ``None``."""
    query = select(SchoolStatus)
    if region_id is not None:
        query = query.where(SchoolStatus.region_id == region_id)
    rows = db.session.scalars(query).all()
    return [SchoolRecord(
        municipality_id=s.municipality_id, school_type=s.school_type, finalised_this_year=s.finalised_this_year,
        pillars=frozenset(p for p in PILLARS if getattr(s, f"doing_{p}")),
        prevention=frozenset(v for v in ("universal", "selective", "indicated") if getattr(s, f"uses_{v}")),
        certificate_valid=s.certificate_expires is not None and s.certificate_expires >= today) for s in rows]


def round_records(region_id: int | None, years: list[str]) -> list[RoundRecord]:
    """Finalised rounds of ``years`` in the region, or in the whole country for ``None``."""
    where = [RoundSummary.school_year.in_(years)]
    if region_id is not None:
        where.append(RoundSummary.region_id == region_id)
    rounds = db.session.execute(select(RoundSummary.round_id, RoundSummary.school_id, RoundSummary.municipality_id,
                                       RoundSummary.school_type, RoundSummary.school_year, RoundSummary.scored)
                                .where(*where)).all()
    in_region = select(RoundSummary.round_id).where(*where)
    scores: dict[int, dict[str, float]] = {}
    for round_id, element, score in db.session.execute(select(
            ElementSummary.round_id, ElementSummary.element_id, ElementSummary.score)
            .where(ElementSummary.round_id.in_(in_region))):
        scores.setdefault(round_id, {})[element] = score
    priorities: dict[int, list[str]] = {}
    for round_id, item in db.session.execute(select(PrioritySummary.round_id, PrioritySummary.item_id)
                                             .where(PrioritySummary.round_id.in_(in_region))):
        priorities.setdefault(round_id, []).append(item)
    return [RoundRecord(school_key=r.school_id, municipality_id=r.municipality_id, school_type=r.school_type,
                        school_year=r.school_year, scores=scores.get(r.round_id, {}) if r.scored else {},
                        priorities=tuple(sorted(priorities.get(r.round_id, ()))))
            for r in rounds]


def labels() -> Labels:
    lc = locale_code()
    checklist = registry().latest(CHECKLIST_ID)
    menu_card = registry().latest("menu-card-welbevinden")
    return Labels(
        type_labels={**{t: school_type_label(t) for t in ("po", "vo", "so", "mbo")},
                     REST: _("vo, so and mbo together"), ALL: _("All types")},
        elements={e.id: e.title[lc] for e in checklist.elements},
        statements={i.id: (i.text[lc], e.title[lc]) for e in checklist.elements for i in e.items},
        participation=_("Finalised a checklist round this school year"),
        pillar_labels={p: menu_card.pillar_label(p, "po", lc) for p in PILLARS},
        prevention_labels={k: str(v) for k, v in PREVENTION_LABELS.items()},
        certificates=_("Holds a valid vignet Welbevinden"),
        titles={"participation": _("Participation"), "pillars": _("Schools doing at least one activity per pillar"),
                "prevention": _("Schools using a recognised intervention, per prevention level"),
                "certificates": _("Vignet"), "scored": _("Schools with element scores")})


def overview(region: Region, municipality: Municipality | None = None) -> Overview | None:
    """The area's figures in the latest release (None before the first release): pages, CSVs and
    PDFs read releases, never the live summaries."""
    if municipality is not None:
        return read.area_overview("municipality", "m", municipality.id, municipality.name, labels(), _minimum(),
                                  _scored_label)
    return read.area_overview("region", "r", region.id, region.name, labels(), _minimum(), _scored_label)


def national() -> Overview | None:
    return read.area_overview("national", "n", 0, _("the Netherlands"), labels(), _minimum(), _scored_label)


def _minimum() -> int:
    return current_app.extensions["wellbeing.settings"].min_schools


def _scored_label(year: str) -> str:
    return _("Element scores in %(year)s", year=year)


def compute(region: Region, municipality: Municipality | None = None, today: date | None = None) -> Overview:
    """The overview as it was published before releases (pattern-based suppression on live
    summaries). No page reads it any more; ``bench/disclosure.py`` compares it with the releases."""
    today = today or date.today()
    current = SchoolYear.containing(today)
    years = [str(current - n) for n in range(YEARS_SHOWN - 1, -1, -1)]
    minimum = current_app.extensions["wellbeing.settings"].min_schools
    area = Area("municipality", municipality.name, municipality.id) if municipality else Area("region", region.name,
                                                                                              None)
    return build(area, school_records(region.id, today), round_records(region.id, years), years, str(current),
                 minimum, labels(), today)
