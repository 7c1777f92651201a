"""Pages, CSVs and PDFs read the latest release: one stored row per area, translated here.

Nothing is recomputed from summaries: between two releases every upward figure stays put.
"""
from __future__ import annotations

import json

from sqlalchemy import select

from wellbeing import db
from wellbeing.overview.build import Labels
from wellbeing.overview.data import (
    ALL,
    NO_SCHOOLS,
    PROTECTED,
    REST,
    CountCell,
    CountRow,
    CountTable,
    Distribution,
    Overview,
    PriorityCount,
    ScoreRow,
    Trend,
    TrendPoint,
    YearScores,
)
from wellbeing.release.models import Release, ReleaseArea

TYPES = ("po", "vo", "so", "mbo")


def latest() -> Release | None:
    return db.session.scalar(select(Release).order_by(Release.id.desc()).limit(1))


def area_overview(kind: str, level: str, area_id: int, name: str, labels: Labels, minimum: int,
                  scored_label) -> Overview | None:
    """The area's figures in the latest release, or None before the first release."""
    release = latest()
    if release is None:
        return None
    row = db.session.get(ReleaseArea, (release.id, level, area_id))
    payload = json.loads(row.payload) if row else {"schools": {}, "counts": {}, "scores": {}}
    return overview(kind, name, payload, release, labels, minimum, scored_label)


def overview(kind: str, name: str, payload: dict, release: Release, labels: Labels, minimum: int,
             scored_label) -> Overview:
    schools: dict[str, int] = payload["schools"]
    year = release.school_year
    columns = tuple(c for c in (*TYPES, REST) if schools.get(c))
    counts = payload["counts"]

    def cell(shown, column) -> CountCell:
        base = schools.get(column)
        if not base:
            return CountCell(None, None, NO_SCHOOLS)
        if shown is None:
            return CountCell(None, None, PROTECTED)
        return CountCell(shown[0], base, None, shown[1])

    def row(label: str, key: str) -> CountRow:
        found = counts.get(key, {})
        return CountRow(label, {c: cell(found.get(c), c) for c in (*columns, ALL)})

    def table(title_key: str, rows: list[tuple[str, str]]) -> CountTable:
        return CountTable(labels.titles[title_key], tuple(row(label, f"{year}|{key}") for label, key in rows))

    years = sorted({k.split("|")[0] for k in payload["scores"]} | {k.split("|")[0] for k in counts
                                                                   if k.endswith("|scored")})
    scores = []
    for y in years:
        rows = []
        for element, title in labels.elements.items():
            found = payload["scores"].get(f"{y}|{element}")
            if found is None:
                continue
            cells = {}
            for c in (*columns, ALL):
                if c not in found:
                    continue
                v = found[c]
                cells[c] = Distribution(None, None, None, None, PROTECTED) if v is None else \
                    Distribution(None, float(v[0]), float(v[1]), float(v[2]))
            rows.append(ScoreRow(element, title, cells))
        scores.append(YearScores(y, tuple(rows)))
    trends = []
    for element, title in labels.elements.items():
        points = []
        for y in scores:
            found = next((r for r in y.rows if r.element_id == element), None)
            c = found.cells.get(ALL) if found else None
            points.append(TrendPoint(y.school_year, c.median if c is not None and not c.hidden else None))
        if any(p.median is not None for p in points):
            trends.append(Trend(element, title, tuple(points)))
    priorities = []
    for key, cells in counts.items():
        y, _, measure = key.partition("|")
        if y != year or not measure.startswith("priority:"):
            continue
        shown = cells.get(ALL)
        item = measure.split(":", 1)[1]
        if shown and shown[0] == shown[1] and shown[0] >= minimum and item in labels.statements:
            statement, element = labels.statements[item]
            priorities.append(PriorityCount(statement, element, shown[0]))
    priorities.sort(key=lambda p: (-p.schools, p.statement))
    total = schools.get(ALL, 0)
    return Overview(
        kind=kind, area_name=name, school_year=year, minimum=minimum, generated_on=release.released_at.date(),
        types=columns, type_labels=labels.type_labels,
        schools={**{c: schools[c] for c in columns}, ALL: total},
        participation=table("participation", [(labels.participation, "participation")]),
        pillars=table("pillars", [(labels.pillar_labels[p], f"pillar:{p}") for p in labels.pillar_labels]),
        prevention=table("prevention", [(labels.prevention_labels[v], f"prevention:{v}")
                                        for v in labels.prevention_labels]),
        certificates=table("certificates", [(labels.certificates, "certificates")]),
        scores=tuple(scores), trends=tuple(trends), priorities=tuple(priorities[:10]),
        priorities_hidden=PROTECTED if total < minimum else None,
        released_at=release.released_at, next_release_on=release.next_release_on,
        scored=CountTable(labels.titles.get("scored", ""), tuple(
            CountRow(scored_label(y), {c: cell(counts.get(f"{y}|scored", {}).get(c), c) for c in (*columns, ALL)})
            for y in years)))
