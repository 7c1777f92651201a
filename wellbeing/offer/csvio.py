"""The offer as CSV, both ways.

Import follows the school-list import: the whole file is checked first, every bad line is reported
as (line, reason), and nothing is written unless every line is valid. An item is known by its
partner's name and its title within the region: a line for a known item updates it, any other line
adds one. Items missing from the file stay as they are.

Export goes through ``wellbeing.csvout``, the one CSV writer, which neutralises cells a spreadsheet
would run as a formula (a leading ``'`` in front); import takes that ``'`` off again, so an exported
file imports unchanged.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from wellbeing import db
from wellbeing.csvout import FORMULA_START
from wellbeing.pillars import PILLARS
from wellbeing.offer.models import LEVELS, MATRIX_WORDS, OfferItem, Partner, PartnerKind
from wellbeing.offer.service import SCHOOL_TYPES, ItemInput, OfferError, check_item, save_item
from wellbeing.tenancy.models import Municipality

# key -> accepted header names (the first is what export writes)
COLUMNS = {
    "partner": ("partner", "aanbieder"),
    "kind": ("soort", "partner_kind", "kind"),
    "contact": ("contact",),
    "title": ("titel", "title"),
    "description": ("omschrijving", "description"),
    "level": ("niveau", "level"),
    "pillar": ("pijler", "pillar"),
    "school_types": ("schooltypen", "school_types"),
    "ages": ("leeftijd", "ages"),
    "request": ("aanvragen", "request"),
    "paid_by": ("betaald_door", "paid_by"),
}
OPTIONAL = {
    "intervention": ("interventie", "intervention"),
    "municipalities": ("gemeenten", "municipalities"),
    "note": ("notitie", "private_note", "note"),
}
LIMITS = {"partner": 200, "contact": 300, "title": 200, "description": 2000, "request": 300, "paid_by": 120,
          "note": 2000}
AGES = re.compile(r"^(\d{1,2})\s*[-–]\s*(\d{1,2})$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LEVEL_WORDS = {**{v: k for k, v in MATRIX_WORDS.items()}, **{level: level for level in LEVELS}}


def _restore(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


@dataclass(frozen=True)
class Row:
    line: int
    partner: str
    kind: PartnerKind
    contact: str
    values: ItemInput
    municipality_codes: tuple[str, ...]
    note: str | None


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    partners_created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = [h.strip().lower().replace(" ", "_").lstrip("\ufeff") for h in header]
    found, missing = {}, []
    for key, accepted in (COLUMNS | OPTIONAL).items():
        index = next((names.index(n) for n in accepted if n in names), None)
        if index is not None:
            found[key] = index
        elif key in COLUMNS:
            missing.append(accepted[0])
    return found, missing


def _line(number: int, value: dict[str, str], default_codes: tuple[str, ...], notes_allowed: bool):
    """(Row, []) or (None, problems) for one line's cells."""
    problems = []
    for key, limit in LIMITS.items():
        if len(value.get(key, "")) > limit:
            problems.append(_("%(column)s is longer than %(limit)d characters", column=key, limit=limit))
    for key, text in value.items():
        if CONTROL.search(text):
            problems.append(_("%(column)s contains control characters", column=key))
    if not value["partner"]:
        problems.append(_("partner is empty"))
    if not value["title"]:
        problems.append(_("title is empty"))
    try:
        kind = PartnerKind(value["kind"].lower())
    except ValueError:
        kind = None
        problems.append(_("kind %(value)r is not one of %(allowed)s", value=value["kind"],
                          allowed=", ".join(k.value for k in PartnerKind)))
    level = LEVEL_WORDS.get(value["level"].lower())
    if level is None:
        problems.append(_("level %(value)r is not one of basis, extra, speciaal", value=value["level"]))
    pillar = value["pillar"].lower()
    if pillar not in PILLARS:
        problems.append(_("pillar %(value)r is not one of %(allowed)s", value=value["pillar"],
                          allowed=", ".join(PILLARS)))
    types = tuple(t for t in re.split(r"[\s,|/]+", value["school_types"].lower()) if t)
    if not types or set(types) - set(SCHOOL_TYPES):
        problems.append(_("school types %(value)r are not among po, vo, so, mbo", value=value["school_types"]))
    ages = AGES.match(value["ages"])
    if ages is None or not int(ages[1]) <= int(ages[2]) <= 30:
        problems.append(_("ages %(value)r are not like 4-12", value=value["ages"]))
    codes = tuple(c.upper() for c in re.split(r"[\s,|/]+", value.get("municipalities", "")) if c) or default_codes
    if not codes:
        problems.append(_("no municipality given"))
    note = value.get("note", "") if "note" in value else None
    if note and not notes_allowed:
        problems.append(_("you cannot set private notes; leave the note column empty"))
        note = None
    if problems:
        return None, problems
    values = ItemInput(partner_id=0, title=value["title"], description=value["description"], level=level,
                       pillar=pillar, school_types=types, age_min=int(ages[1]), age_max=int(ages[2]),
                       request_route=value["request"], paid_by=value["paid_by"],
                       intervention_id=value.get("intervention") or None, municipality_ids=())
    try:
        check_item(values)
    except OfferError:
        return None, [_("intervention %(value)r is not a recognised intervention", value=value.get("intervention"))]
    return Row(number, value["partner"], kind, value["contact"], values, codes,
               note if notes_allowed else None), []


def parse(text: str, default_codes: tuple[str, ...] = (), notes_allowed: bool = False):
    """Parse and check every line; returns the good rows and (line, reason) for every bad one."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return [], [(1, _("the file is empty"))]
    columns, missing = _header(header)
    if missing:
        return [], [(1, _("missing column(s): %(columns)s", columns=", ".join(missing)))]
    rows, errors, seen, partners = [], [], {}, {}
    for number, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) < len(header):
            errors.append((number, _("expected %(expected)d fields, found %(found)d", expected=len(header),
                                     found=len(raw))))
            continue
        value = {key: _restore(raw[index].strip()) for key, index in columns.items()}
        row, problems = _line(number, value, default_codes, notes_allowed)
        if row is not None:
            key = (row.partner.lower(), row.values.title.lower())
            if key in seen:
                problems.append(_("this item also appears on line %(line)d", line=seen[key]))
            first = partners.setdefault(row.partner.lower(), row)
            if (first.kind, first.contact) != (row.kind, row.contact):
                problems.append(_("partner %(name)s has another kind or contact on line %(line)d",
                                  name=row.partner, line=first.line))
        if problems:
            errors.append((number, "; ".join(problems)))
            continue
        seen[key] = number
        rows.append(row)
    return rows, errors


def import_offer(text: str, region_id: int, kept: dict[str, Municipality], default_codes: tuple[str, ...] = (),
                 notes_allowed: bool = False) -> ImportResult:
    """Check ``text`` entirely, then apply it in the current transaction (the caller commits).

    ``kept`` maps the CBS codes of the municipalities the importing user keeps (all in
    ``region_id``) to them; a line for any other municipality is an error. Nothing is added to the
    session when any line is bad.
    """
    rows, errors = parse(text, default_codes, notes_allowed)
    result = ImportResult(errors=list(errors))
    partners = {p.name.lower(): p for p in db.session.scalars(select(Partner).where(Partner.region_id == region_id))}
    items = {(i.partner.name.lower(), i.title.lower()): i
             for i in db.session.scalars(select(OfferItem).where(OfferItem.region_id == region_id))}
    for row in rows:
        unknown = [c for c in row.municipality_codes if c not in kept]
        if unknown:
            result.errors.append((row.line, _("municipality %(codes)s is not one whose offer you keep",
                                              codes=", ".join(unknown))))
        existing = items.get((row.partner.lower(), row.values.title.lower()))
        if existing is not None and any(m.code not in kept for m in existing.municipalities):
            result.errors.append((row.line, _("this item is also offered in municipalities whose offer you do "
                                              "not keep; change it there")))
    if result.errors:
        result.errors.sort(key=lambda e: e[0])
        return result
    for row in rows:
        partner = partners.get(row.partner.lower())
        if partner is None:
            partner = Partner(region_id=region_id, name=row.partner, kind=row.kind, contact=row.contact)
            db.session.add(partner)
            partners[row.partner.lower()] = partner
            result.partners_created += 1
        else:
            partner.kind, partner.contact = row.kind, row.contact
    db.session.flush()
    for row in rows:
        partner = partners[row.partner.lower()]
        item = items.get((row.partner.lower(), row.values.title.lower()))
        if item is None:
            item = OfferItem(region_id=region_id)
            result.created += 1
        else:
            result.updated += 1
        values = dataclasses.replace(row.values, partner_id=partner.id)
        save_item(item, values, [kept[c] for c in dict.fromkeys(row.municipality_codes)], row.note)
    return result


def export(items: list[OfferItem], with_notes: bool) -> list[list]:
    """The items as rows for ``csvout`` (the import's columns); private notes only ``with_notes``.
    Every cell is text, so ages like "4-12" are never read as numbers."""
    header = [names[0] for names in COLUMNS.values()] + ["interventie", "gemeenten"]
    header += ["notitie"] if with_notes else []
    rows = [header]
    for item in items:
        row = [item.partner.name, item.partner.kind.value, item.partner.contact, item.title, item.description,
               MATRIX_WORDS[item.level], item.pillar, " ".join(item.types), f"{item.age_min}-{item.age_max}",
               item.request_route, item.paid_by, item.intervention_id or "",
               " ".join(m.code for m in item.municipalities)]
        if with_notes:
            row.append(item.private_note)
        rows.append(row)
    return rows
