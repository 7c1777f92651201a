"""Everything the cycle pages, the CSVs and the PDF show of one municipality, gathered once: released
figures, the summary, the matrix, targets with their readings per year, agreements. Call inside an
app context (labels are translated)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from wellbeing.cycle import figures as released
from wellbeing.cycle import matrix as matrices
from wellbeing.cycle import monitor, service
from wellbeing.cycle.catalogue import indicator_label, is_share
from wellbeing.cycle.models import Agreement, Choice, Target
from wellbeing.cycle.summary import summarise
from wellbeing.offer.service import items_for
from wellbeing.overview.service import labels as overview_labels
from wellbeing.tenancy.models import Municipality


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
    municipality: Municipality
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

    def chosen(self, kind: str) -> list[Choice]:
        return [c for c in self.choices if c.kind == kind]


def names(municipality: Municipality) -> dict[str, str]:
    return {"m": municipality.name, "r": municipality.region.name, "n": _("the Netherlands")}


def load_figures(municipality: Municipality) -> released.Figures | None:
    return released.load(municipality.id, municipality.region_id, names(municipality))


def gather(municipality: Municipality, with_matrix: bool = True) -> Cycle:
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
        matrix = matrices.build(items_for(municipality), service.needs(municipality), area,
                                figures.current if figures else "")
    return Cycle(municipality, figures, names(municipality), dict(labels.elements), dict(labels.pillar_labels),
                 type_labels, service.choices(municipality), matrix, views, service.agreements(municipality))


def summary(cycle: Cycle, year: str) -> list[str]:
    if cycle.figures is None:
        return []
    return summarise(cycle.figures, year, cycle.elements, cycle.pillars)

