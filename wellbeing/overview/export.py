"""The overview as CSV: exactly the cells the page shows, hidden ones with their label and no value.
A band reads "0–1" in the count column, as on the page."""
from __future__ import annotations

from wellbeing import csvout
from wellbeing.overview.data import ALL, CountTable, Overview

HEADER = ["section", "row", "school_type", "school_year", "count", "base", "share_percent", "n", "q1", "median",
          "q3", "status"]


def _status(hidden: str | None) -> str:
    return f"hidden: {hidden}" if hidden else "shown"


def _count_rows(section: str, table: CountTable, columns, year: str) -> list[list]:
    rows = []
    for row in table.rows:
        for column in columns:
            cell = row.cells[column]
            rows.append([section, row.label, column, year, None if cell.hidden else cell.figure, cell.base,
                         cell.share, "", "", "", "", _status(cell.hidden)])
    return rows


def rows(data: Overview) -> list[list]:
    columns = (*data.types, ALL)
    result = [HEADER]
    result += [["schools", "", column, data.school_year, data.schools[column], "", "", "", "", "", "", "shown"]
               for column in columns]
    for section, table in (("participation", data.participation), ("pillars", data.pillars),
                           ("prevention", data.prevention), ("certificates", data.certificates)):
        result += _count_rows(section, table, columns, data.school_year)
    if data.scored is not None:
        for year, row in zip(data.scores, data.scored.rows):   # one row per school year, in the same order
            result += _count_rows("scored", CountTable(data.scored.title, (row,)), columns, year.school_year)
    for year in data.scores:
        for row in year.rows:
            for column in columns:
                cell = row.cells.get(column)
                if cell is None:
                    continue
                result.append(["element_scores", row.element_id, column, year.school_year, "", "", "", cell.n,
                               cell.q1, cell.median, cell.q3, _status(cell.hidden)])
    if data.priorities_hidden:
        result.append(["priorities", "", ALL, data.school_year, "", "", "", "", "", "", "",
                       _status(data.priorities_hidden)])
    for priority in data.priorities:
        result.append(["priorities", priority.statement, ALL, data.school_year, priority.schools, "", "", "", "",
                       "", "", "shown"])
    return result


def to_csv(data: Overview) -> str:
    return csvout.to_csv(rows(data))
