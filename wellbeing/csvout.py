"""The one CSV writer every export uses: ``;``-separated with a BOM (Excel reads UTF-8 then), and
no cell that a spreadsheet would run as a formula.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's list of
formula triggers) gets a leading apostrophe, which spreadsheets show as text. Numbers stay numbers.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str | int | float:
    """The value as written: None empty, booleans yes/no, formula-like text neutralised."""
    if value is None:
        return ""
    if value is True or value is False:
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def response(rows: Iterable[Iterable[object]], filename: str) -> Response:
    """A download of ``rows`` as ``filename``."""
    return Response("\ufeff" + to_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
