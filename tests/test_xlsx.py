"""Does the XLSX export (XlsxWriter) produce a workbook that spreadsheet programs read as intended?"""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree as ET

from wellbeing.reports.xlsx import column_letter, sheet_names, write_xlsx

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
REQUIRED = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/styles.xml"}


def _open(content: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    return archive


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, worksheet part path) in workbook order, resolved through the relationships."""
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.findall("p:Relationship", NS)}
    return [(sheet.get("name"), "xl/" + targets[sheet.get(f"{{{NS['r']}}}id")])
            for sheet in workbook.findall("m:sheets/m:sheet", NS)]


def _cells(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    """cell ref → (type attribute, text value, style index)."""
    root = ET.fromstring(archive.read(part))
    result = {}
    for cell in root.iter(f"{{{NS['m']}}}c"):
        inline = cell.find("m:is/m:t", NS)
        value = cell.find("m:v", NS)
        text = inline.text if inline is not None else (value.text if value is not None else None)
        result[cell.get("r")] = (cell.get("t"), text, cell.get("s"))
    return result


def _sample() -> bytes:
    return write_xlsx([
        ("Scores", [["Element", "Jaar", "Score", "Gedeeld", "Datum"],
                    ["Positief klimaat", "2025-2026", 72, True, date(2026, 3, 1)],
                    ["Visie & beleid <po>", "2024-2025", 64.5, False, datetime(2026, 3, 1, 9, 30)],
                    ["Leeg", None, None, None, None]]),
        ("Acties", [["Actie", "Notitie"],
                    ["=HYPERLINK(\"http://x\")", "+31 6 1234"],
                    ["-5", "@SUM(A1)"],
                    ["bel\x07l\x00en", "regel 1\nregel 2 – ‘coördinator’ €"]]),
        ("Scores", [["dubbel"], [Decimal("1.25")]]),
    ])


def test_workbook_contains_every_required_part_with_matching_content_types():
    archive = _open(_sample())
    names = set(archive.namelist())
    assert REQUIRED <= names
    assert {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"} <= names
    types = ET.fromstring(archive.read("[Content_Types].xml"))
    overrides = {o.get("PartName") for o in types.findall("ct:Override", NS)}
    assert {"/xl/workbook.xml", "/xl/styles.xml", "/xl/worksheets/sheet3.xml"} <= overrides
    root_rel = ET.fromstring(archive.read("_rels/.rels")).find("p:Relationship", NS)
    assert root_rel.get("Target") == "xl/workbook.xml"
    for name in names:                       # every XML part parses
        ET.fromstring(archive.read(name))


def test_sheets_keep_their_order_and_duplicate_names_are_made_unique():
    assert [name for name, _ in _sheets(_open(_sample()))] == ["Scores", "Acties", "Scores (2)"]


def test_cell_types_numbers_booleans_empty_and_iso_dates():
    archive = _open(_sample())
    cells = _cells(archive, _sheets(archive)[0][1])
    assert cells["A1"] == ("inlineStr", "Element", "1")           # header row is bold (style 1)
    assert cells["C2"] == (None, "72", None)                       # a number, not text
    assert cells["C3"] == (None, "64.5", None)
    assert cells["D2"][:2] == ("b", "1") and cells["D3"][:2] == ("b", "0")
    assert cells["E2"] == ("inlineStr", "2026-03-01", None)
    assert cells["E3"][1] == "2026-03-01T09:30:00"
    assert cells["A3"][1] == "Visie & beleid <po>"
    assert "B4" not in cells and "C4" not in cells                 # None stays empty
    styles = ET.fromstring(archive.read("xl/styles.xml"))
    fonts = styles.findall("m:fonts/m:font", NS)
    bold_xf = styles.findall("m:cellXfs/m:xf", NS)[1]
    assert fonts[int(bold_xf.get("fontId"))].find("m:b", NS) is not None


def test_formula_looking_strings_stay_text_and_control_characters_are_removed():
    archive = _open(_sample())
    part = _sheets(archive)[1][1]
    cells = _cells(archive, part)
    assert cells["A2"] == ("inlineStr", '=HYPERLINK("http://x")', None)
    assert cells["B2"][:2] == ("inlineStr", "+31 6 1234")
    assert cells["A3"][:2] == ("inlineStr", "-5")
    assert cells["B3"][:2] == ("inlineStr", "@SUM(A1)")
    assert cells["A4"][1] == "bellen"
    assert cells["B4"][1] == "regel 1\nregel 2 – ‘coördinator’ €"
    assert b"<f>" not in archive.read(part)


def test_sheet_name_with_markup_characters_survives_the_workbook_xml():
    archive = _open(write_xlsx([("Plan & <acties> \"2025\"", [["a"]])]))
    assert _sheets(archive)[0][0] == 'Plan & <acties> "2025"'


def test_decimal_is_a_number():
    archive = _open(_sample())
    assert _cells(archive, _sheets(archive)[2][1])["A2"] == (None, "1.25", None)


def test_sheet_names_are_sanitised_truncated_and_unique():
    names = sheet_names(["Meerjarenplan: acties [2025/2026]?", "a" * 40, "a" * 40, "", "'Scores'",
                         "SCORES", "History"])
    assert names[0] == "Meerjarenplan  acties  2025 2026"[:31]
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[1] == "a" * 31 and names[2] == "a" * 27 + " (2)"
    assert names[3] == "Sheet4"
    assert names[4] == "Scores" and names[5] == "SCORES (2)"
    assert names[6] == "History (2)"
    assert len({n.casefold() for n in names}) == len(names)


def test_empty_workbook_still_has_one_sheet_and_column_letters_roll_over():
    archive = _open(write_xlsx([]))
    assert len(_sheets(archive)) == 1
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
