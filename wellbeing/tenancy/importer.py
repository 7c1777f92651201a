"""Import a DUO-style school list (CSV): validate everything first, then write all or nothing.

Columns (header names, case-insensitive; ``;`` or ``,`` separated): ``brin``, ``vestigingsnummer``,
``naam``, ``type`` (po/vo/so/mbo), ``gemeentecode`` (GM0344) and ``gemeentenaam``. Municipalities
must already exist in a region, or are created in ``region_code`` when one is given. Optional
columns ``bestuursnummer`` and ``bestuursnaam`` link the school to its board (schoolbestuur). A school that
exists (same BRIN and vestigingsnummer) is updated, never duplicated.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from wellbeing import db
from wellbeing.inputs import has_control
from wellbeing.tenancy.models import Board, Municipality, Region, School, SchoolType

COLUMNS = {
    "brin": ("brin", "brin_nummer", "brinnummer"),
    "vestiging": ("vestigingsnummer", "vestiging", "vestnr"),
    "name": ("naam", "vestigingsnaam", "name"),
    "school_type": ("type", "onderwijstype", "school_type"),
    "municipality_code": ("gemeentecode", "gemeente_code", "municipality_code"),
    "municipality_name": ("gemeentenaam", "gemeente", "municipality_name"),
}
OPTIONAL_COLUMNS = {
    "board_code": ("bestuursnummer", "bevoegd_gezag_nummer", "board_code"),
    "board_name": ("bestuursnaam", "bevoegd_gezag_naam", "board_name"),
}
BRIN = re.compile(r"^\d{2}[A-Z]{2}$")
VESTIGING = re.compile(r"^\d{1,2}$")
CBS = re.compile(r"^(GM)?\d{4}$")


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    municipalities_created: int = 0
    # Existing schools now in another municipality or of another type: their summaries (which the
    # municipality and region overviews read) must be refreshed once the import is committed.
    moved: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Row:
    line: int
    brin: str
    vestiging: str
    name: str
    school_type: SchoolType
    municipality_code: str
    municipality_name: str
    board_code: str = ""
    board_name: str = ""


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    normalised = [h.strip().lower().replace(" ", "_") for h in header]
    found, missing = {}, []
    for key, names in COLUMNS.items():
        index = next((normalised.index(n) for n in names if n in normalised), None)
        if index is None:
            missing.append(names[0])
        else:
            found[key] = index
    for key, names in OPTIONAL_COLUMNS.items():
        index = next((normalised.index(n) for n in names if n in normalised), None)
        if index is not None:
            found[key] = index
    return found, missing


def parse(text: str) -> tuple[list[Row], list[tuple[int, str]]]:
    """Parse and validate every line; returns the good rows and (line, reason) for each bad one."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], [(1, "the file is empty")]
    columns, missing = _header_map(header)
    if missing:
        return [], [(1, "missing column(s): " + ", ".join(missing))]
    rows, errors, seen = [], [], {}
    try:
        for line_number, raw in enumerate(reader, start=2):
            _parse_line(line_number, raw, header, columns, rows, errors, seen)
    except csv.Error as exc:  # e.g. a field beyond the csv module's limit: stop there, say where
        errors.append((reader.line_num, f"unreadable CSV ({exc})"))
    return rows, errors


def _parse_line(line_number: int, raw: list[str], header: list[str], columns: dict[str, int], rows: list[Row],
                errors: list[tuple[int, str]], seen: dict) -> None:
    if not any(cell.strip() for cell in raw):
        return
    if len(raw) < len(header):
        errors.append((line_number, f"expected {len(header)} fields, found {len(raw)}"))
        return
    if any(has_control(cell) for cell in raw):
        errors.append((line_number, "contains a control character (such as a NUL byte); save the file again as "
                                    "plain UTF-8 CSV"))
        return
    value = {key: raw[index].strip() for key, index in columns.items()}
    value.setdefault("board_code", "")
    value.setdefault("board_name", "")
    problems = []
    brin = value["brin"].upper()
    if not BRIN.match(brin):
        problems.append(f"BRIN {value['brin']!r} is not two digits and two letters")
    if not VESTIGING.match(value["vestiging"]):
        problems.append(f"vestigingsnummer {value['vestiging']!r} is not a number of at most two digits")
    if not value["name"]:
        problems.append("name is empty")
    elif len(value["name"]) > 200:
        problems.append("name is longer than 200 characters")
    try:
        school_type = SchoolType(value["school_type"].lower())
    except ValueError:
        school_type = None
        problems.append(f"type {value['school_type']!r} is not one of po, vo, so, mbo")
    code = value["municipality_code"].upper()
    if not CBS.match(code):
        problems.append(f"municipality code {value['municipality_code']!r} is not like GM0344")
    code = code if code.startswith("GM") else "GM" + code
    if not value["municipality_name"]:
        problems.append("municipality name is empty")
    elif len(value["municipality_name"]) > 120:
        problems.append("municipality name is longer than 120 characters")
    if len(value["board_name"]) > 200:
        problems.append("board name is longer than 200 characters")
    vestiging = value["vestiging"].zfill(2)
    key = (brin, vestiging)
    if not problems and key in seen:
        problems.append(f"school {brin} {vestiging} also appears on line {seen[key]}")
    if value["board_code"] and not re.fullmatch(r"\d{1,8}", value["board_code"]):
        problems.append(f"board number {value['board_code']!r} is not a number of at most eight digits")
    if value["board_code"] and not value["board_name"]:
        problems.append("board name is empty while a board number is given")
    if problems:
        errors.append((line_number, "; ".join(problems)))
        return
    seen[key] = line_number
    rows.append(Row(line_number, brin, vestiging, value["name"], school_type, code, value["municipality_name"],
                    value["board_code"], value["board_name"]))


def import_schools(text: str, region_code: str | None = None) -> ImportResult:
    """Validate ``text`` entirely, then apply it in the current transaction (the caller commits).

    Nothing is added to the session when any line is bad.
    """
    rows, errors = parse(text)
    result = ImportResult(errors=list(errors))
    region = None
    if region_code:
        region = db.session.scalar(select(Region).where(Region.code == region_code.upper()))
        if region is None:
            result.errors.append((0, f"region {region_code!r} does not exist"))
    municipalities = {m.code: m for m in db.session.scalars(select(Municipality))}
    for row in rows:
        if row.municipality_code not in municipalities and region is None:
            result.errors.append((row.line, f"municipality {row.municipality_code} is unknown; "
                                             "give --region to create it"))
    if result.errors:
        result.errors.sort()
        return result
    for row in rows:
        if row.municipality_code not in municipalities:
            municipality = Municipality(code=row.municipality_code, name=row.municipality_name, region=region)
            db.session.add(municipality)
            municipalities[row.municipality_code] = municipality
            result.municipalities_created += 1
    boards = {b.code: b for b in db.session.scalars(select(Board).where(Board.code.isnot(None)))}
    for row in rows:
        if row.board_code and row.board_code not in boards:
            boards[row.board_code] = Board(code=row.board_code, name=row.board_name)
            db.session.add(boards[row.board_code])
        elif row.board_code:
            boards[row.board_code].name = row.board_name
    db.session.flush()
    existing = {(s.brin, s.vestiging): s for s in db.session.scalars(select(School))}
    for row in rows:
        municipality = municipalities[row.municipality_code]
        board_id = boards[row.board_code].id if row.board_code else None
        school = existing.get((row.brin, row.vestiging))
        if school is None:
            db.session.add(School(brin=row.brin, vestiging=row.vestiging, name=row.name, board_id=board_id,
                                  school_type=row.school_type, municipality_id=municipality.id))
            result.created += 1
        elif ((school.name, school.school_type, school.municipality_id, school.board_id)
              != (row.name, row.school_type, municipality.id, board_id if row.board_code else school.board_id)):
            if (school.school_type, school.municipality_id) != (row.school_type, municipality.id):
                result.moved.append(school.id)
            school.name, school.school_type, school.municipality_id = row.name, row.school_type, municipality.id
            if row.board_code:
                school.board_id = board_id
            result.updated += 1
        else:
            result.unchanged += 1
    return result
