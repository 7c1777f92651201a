"""A minimal Office Open XML workbook writer: named sheets of plain values, first row bold.

Written by hand with ``zipfile`` so exports need no extra dependency. Strings are stored as inline
strings, never as formulas, so a cell that starts with ``=``, ``+``, ``-`` or ``@`` stays text when the
workbook is opened (no CSV-style formula injection).
"""
from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, time
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape, quoteattr

MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32767          # Excel refuses longer cell text
_FORBIDDEN_IN_NAME = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry at all (C0 controls except tab/newline/return, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_STAMP = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: same input, same bytes

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
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        def put(path: str, xml: str) -> None:
            info = zipfile.ZipInfo(path, _STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, xml.encode("utf-8"))

        put("[Content_Types].xml", _content_types(len(names)))
        put("_rels/.rels", _ROOT_RELS)
        put("xl/workbook.xml", _workbook(names))
        put("xl/_rels/workbook.xml.rels", _workbook_rels(len(names)))
        put("xl/styles.xml", _STYLES)
        for number, (_, rows) in enumerate(sheets, start=1):
            put(f"xl/worksheets/sheet{number}.xml", _worksheet(rows))
    return buffer.getvalue()


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


def _cell(ref: str, value: object, style: str) -> str:
    if value is None:
        return f'<c r="{ref}"{style}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, (float, Decimal)) and math.isfinite(value)):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if isinstance(value, (date, time)):
        text = value.isoformat()
    else:
        text = clean_text(str(value))
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _worksheet(rows: Sequence[Sequence[object]]) -> str:
    body, widths = [], {}
    for r, row in enumerate(rows, start=1):
        style = ' s="1"' if r == 1 else ""
        cells = []
        for c, value in enumerate(row):
            cells.append(_cell(f"{column_letter(c)}{r}", value, style))
            if value is not None:
                longest = max((len(line) for line in str(value).splitlines()), default=0)
                widths[c] = max(widths.get(c, 0), longest)
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    cols = "".join(f'<col min="{c + 1}" max="{c + 1}" width="{min(max(w, 6), 60) + 2}" customWidth="1"/>'
                   for c, w in sorted(widths.items()))
    frozen = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
              'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>') if len(rows) > 1 else ""
    return (f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">{frozen}'
            f'{f"<cols>{cols}</cols>" if cols else ""}<sheetData>{"".join(body)}</sheetData></worksheet>')


def _workbook(names: list[str]) -> str:
    sheets = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                     for i, name in enumerate(names, start=1))
    return f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>'


def _workbook_rels(count: int) -> str:
    rels = [f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)]
    rels.append(f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>')
    return f'{_XML}<Relationships xmlns="{_PKG_REL}">{"".join(rels)}</Relationships>'


def _content_types(count: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SML}.worksheet+xml"/>'
                     for i in range(1, count + 1))
    return (f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_SML}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_SML}.styles+xml"/>{sheets}</Types>')


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_ROOT_RELS = (f'{_XML}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
              f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
# Font 0 regular, font 1 bold; cell format 1 uses the bold font (the header row).
_STYLES = (f'{_XML}<styleSheet xmlns="{_MAIN}">'
           '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
           '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill>'
           '<fill><patternFill patternType="gray125"/></fill></fills>'
           '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
           '</styleSheet>')
