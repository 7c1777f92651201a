"""Everything the cycle pages, the CSVs and the PDF show of one municipality or one group of
municipalities, gathered once: released figures, the summary, the matrix, targets with their
readings per year, agreements. Call inside an app context (labels are translated).

A group's figures are its members' released figures side by side and the sums of their released
counts (``group_figures``): nothing is computed from school data."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from wellbeing.cycle import figures as released
from wellbeing.cycle.group_figures import combine
from wellbeing.cycle import matrix as matrices
from wellbeing.cycle import monitor, service
from wellbeing.cycle.catalogue import indicator_label, is_share
from wellbeing.cycle.models import Agreement, Choice, CycleGroup, Target
from wellbeing.cycle.summary import summarise, summarise_group
from wellbeing.offer.service import items_for
from wellbeing.overview.service import labels as overview_labels


@dataclass
class TargetView:
    target: Target
    label: str
    column_label: str
    unit: str                                   # "%" or "" (a score)
    readings: list[tuple[str, monitor.Reading]]   # per released school year
    region: monitor.Reading | None              # the region in the latest year, for comparison
    notes: dict[str, str]

    @property
    def words(self) -> str:
        """The target in one line: indicator (schools) ≥ value, school year."""
        return f"{self.label} ({self.column_label}) ≥ {self.target.threshold}{self.unit}, {self.target.by_year}"


@dataclass
class Cycle:
    municipality: service.Owner       # a Municipality, or a CycleGroup
    figures: released.Figures | None
    names: dict[str, str]
    elements: dict[str, str]
    pillars: dict[str, str]
    type_labels: dict[str, str]
    choices: list[Choice]
    matrix: list[matrices.Row]
    targets: list[TargetView]
    agreements: list[Agreement]

    @property
    def years(self) -> tuple[str, ...]:
        return self.figures.years if self.figures else ()

    @property
    def is_group(self) -> bool:
        return isinstance(self.municipality, CycleGroup)

    def chosen(self, kind: str) -> list[Choice]:
        return [c for c in self.choices if c.kind == kind]


def names(owner: service.Owner) -> dict[str, str]:
    return {"m": owner.name, "r": owner.region.name, "n": _("the Netherlands")}


def load_figures(owner: service.Owner) -> released.Figures | None:
    """The owner's released figures beside its region's and the country's; for a group, ``areas["m"]``
    holds the sums of the members' released counts and ``members`` each member's figures."""
    if not isinstance(owner, CycleGroup):
        return released.load(owner.id, owner.region_id, names(owner))
    area_names = names(owner)
    found = released.load_areas([*(("m", m.id, m.name) for m in owner.members), ("r", owner.region_id, area_names["r"]),
                                 ("n", 0, area_names["n"])])
    if found is None:
        return None
    latest, areas = found
    members = areas.get("m", [])
    return released.figures_of(latest, {"m": combine(owner.name, members), "r": areas["r"][0], "n": areas["n"][0]},
                               members)


def offer_items(owner: service.Owner) -> list:
    """The local offer of a municipality, or of every member of a group (each item once)."""
    if not isinstance(owner, CycleGroup):
        return items_for(owner)
    seen: dict[int, object] = {}
    for member in owner.members:
        for item in items_for(member):
            seen.setdefault(item.id, item)
    return list(seen.values())


def gather(municipality: service.Owner, with_matrix: bool = True) -> Cycle:
    labels = overview_labels()
    figures = load_figures(municipality)
    type_labels = dict(labels.type_labels)
    views = []
    for target in service.targets(municipality):
        readings, region = [], None
        if figures is not None:
            readings = monitor.series(figures.municipality, target.indicator, target.school_type, figures.years,
                                      target.threshold)
            region = monitor.read(figures.areas["r"], target.indicator, target.school_type, figures.current,
                                  target.threshold)
        views.append(TargetView(target, indicator_label(target.indicator, labels.elements),
                                type_labels.get(target.school_type, target.school_type),
                                "%" if is_share(target.indicator) else "", readings, region,
                                {e.school_year: e.note for e in target.evaluations}))
    matrix = []
    if with_matrix:
        area = figures.municipality if figures else released.AreaFigures("m", municipality.name)
        matrix = matrices.build(offer_items(municipality), service.needs(municipality), area,
                                figures.current if figures else "")
    return Cycle(municipality, figures, names(municipality), dict(labels.elements), dict(labels.pillar_labels),
                 type_labels, service.choices(municipality), matrix, views, service.agreements(municipality))


def summary(cycle: Cycle, year: str) -> list[str]:
    if cycle.figures is None:
        return []
    summarise_owner = summarise_group if cycle.is_group else summarise
    return summarise_owner(cycle.figures, year, cycle.elements, cycle.pillars)

