"""XLSX exports through XlsxWriter: named sheets of plain values, first row bold and frozen.

Strings are always written as strings (never formulas, numbers or links), so a cell that starts with
``=``, ``+``, ``-`` or ``@`` stays text when the workbook is opened (no CSV-style formula injection).
Constant-memory mode writes each row as it comes (through a temporary file), with inline strings.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO

import xlsxwriter

MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32767          # Excel refuses longer cell text
_FORBIDDEN_IN_NAME = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry at all (C0 controls except tab/newline/return, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Fixed document dates: the same data gives the same workbook.
_CREATED = datetime(2000, 1, 1)

Sheet = tuple[str, Sequence[Sequence[object]]]


def write_xlsx(sheets: list[Sheet]) -> bytes:
    """Return an .xlsx workbook with one worksheet per ``(name, rows)``, in order.

    Names are made valid (at most 31 characters, none of ``[]:*?/\\``, not blank) and unique
    (case-insensitively, as Excel compares them). Cells: ``str`` as text, ``int``/``float``/``Decimal``
    as numbers, ``bool`` as TRUE/FALSE, ``None`` empty, dates and times as ISO text, anything else as
    ``str(value)``. The first row of every sheet is bold. An empty list gives one empty sheet.
    """
    if not sheets:
        sheets = [("Sheet1", [])]
    names = sheet_names([name for name, _ in sheets])
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
        "strings_to_urls": False})
    workbook.set_properties({"created": _CREATED})
    bold = workbook.add_format({"bold": True})
    for name, (_, rows) in zip(names, sheets):
        worksheet = workbook.add_worksheet(name)
        for column, width in sorted(_widths(rows).items()):
            worksheet.set_column(column, column, min(max(width, 6), 60) + 2)
        if len(rows) > 1:
            worksheet.freeze_panes(1, 0)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write(worksheet, r, c, value, bold if r == 0 else None)
    workbook.close()
    return buffer.getvalue()


def _write(worksheet, row: int, column: int, value: object, style) -> None:
    if value is None:
        if style is not None:
            worksheet.write_blank(row, column, None, style)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, column, value, style)
    elif isinstance(value, int) or (isinstance(value, (float, Decimal)) and math.isfinite(value)):
        worksheet.write_number(row, column, value, style)
    elif isinstance(value, (date, time)):
        worksheet.write_string(row, column, value.isoformat(), style)
    else:
        worksheet.write_string(row, column, clean_text(str(value)), style)


def _widths(rows: Sequence[Sequence[object]]) -> dict[int, int]:
    widths: dict[int, int] = {}
    for row in rows:
        for c, value in enumerate(row):
            if value is not None:
                longest = max((len(line) for line in str(value).splitlines()), default=0)
                widths[c] = max(widths.get(c, 0), longest)
    return widths


def sheet_names(wanted: Iterable[str]) -> list[str]:
    """Valid, unique sheet names for ``wanted``, in order ("Naam", "Naam (2)", ...)."""
    result: list[str] = []
    taken: set[str] = set()
    for number, name in enumerate(wanted, start=1):
        base = _NOT_XML.sub("", _FORBIDDEN_IN_NAME.sub(" ", str(name))).strip().strip("'").strip()
        base = base or f"Sheet{number}"
        candidate, copy = base[:MAX_SHEET_NAME], 1
        while candidate.casefold() in taken or candidate.casefold() == "history":  # "History" is reserved
            copy += 1
            suffix = f" ({copy})"
            candidate = base[:MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_text(value: str) -> str:
    """Text as a cell may hold it: characters XML cannot carry removed, cut to Excel's limit."""
    return _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))[:MAX_CELL_TEXT]
