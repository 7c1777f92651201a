"""Load and validate every instrument file; look instruments up by id and version.

The app loads the registry at start-up and refuses to start on a broken file, naming file, path
and reason. Answers always store instrument id and version, so old rounds stay readable.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from flask import Flask, current_app

from wellbeing.config import PROJECT_ROOT
from wellbeing.instruments.checklist import parse_checklist
from wellbeing.instruments.interventions import parse_interventions
from wellbeing.instruments.menu_card import parse_menu_card
from wellbeing.instruments.schema import KINDS, Checker, InstrumentError
from wellbeing.instruments.vignet import parse_vignet_criteria
from wellbeing.schoolyear import SchoolYear

INSTRUMENT_DIR = PROJECT_ROOT / "instruments"
PARSERS = {"checklist": parse_checklist, "menu_card": parse_menu_card, "interventions": parse_interventions,
           "vignet_criteria": parse_vignet_criteria}


class Registry:
    def __init__(self, instruments: dict[tuple[str, int], Any], files: dict[tuple[str, int], Path]) -> None:
        self._instruments = instruments
        self.files = files
        digest = hashlib.sha256()
        for path in sorted(files.values()):
            digest.update(path.read_bytes())
        #: Changes whenever any instrument file does: part of the key of cached overviews.
        self.fingerprint = digest.hexdigest()[:16]

    def get(self, instrument_id: str, version: int):
        """The instrument ``instrument_id`` at ``version``; ``KeyError`` when there is none."""
        return self._instruments[(instrument_id, version)]

    def latest(self, instrument_id: str):
        versions = [v for (i, v) in self._instruments if i == instrument_id]
        if not versions:
            raise KeyError(instrument_id)
        return self._instruments[(instrument_id, max(versions))]

    def of_kind(self, kind: str) -> list:
        return sorted((i for i in self._instruments.values() if i.kind == kind), key=lambda i: (i.id, i.version))

    def vignet_criteria(self, school_type: str, year: SchoolYear):
        """The criteria that apply to ``school_type`` in ``year``: the newest criteria year not after
        ``year`` (or the oldest there is, for a year before any criteria); None when there are none."""
        candidates = sorted((c for c in self.of_kind("vignet_criteria") if c.school_type == school_type),
                            key=lambda c: (c.school_year, c.version))
        if not candidates:
            return None
        applicable = [c for c in candidates if c.school_year <= year]
        return applicable[-1] if applicable else candidates[0]

    def intervention(self, intervention_id: str):
        """The recognised intervention with ``intervention_id`` from the newest interventions file, or None."""
        for collection in reversed(self.of_kind("interventions")):
            found = collection.get(intervention_id)
            if found is not None:
                return found
        return None

    def __iter__(self):
        return iter(sorted(self._instruments.values(), key=lambda i: (i.kind, i.id, i.version)))

    def __len__(self) -> int:
        return len(self._instruments)


def load_file(path: Path):
    """Parse and validate one instrument file; raises ``InstrumentError``."""
    name = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise InstrumentError(name, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise InstrumentError(name, "", "not UTF-8 text") from None
    check = Checker(name)
    if not isinstance(data, dict):
        check.fail("", "expected a mapping at the top")
    for key in ("id", "kind", "version"):
        if key not in data:
            check.fail("", f"missing field '{key}'")
    check.ident(data["id"], "id")
    if data["kind"] not in KINDS:
        check.fail("kind", f"{data['kind']!r} is not one of {list(KINDS)}")
    if not isinstance(data["version"], int) or isinstance(data["version"], bool) or data["version"] < 1:
        check.fail("version", "expected a whole number of at least 1")
    parser = PARSERS.get(data["kind"])
    if parser is None:
        check.fail("kind", f"instruments of kind {data['kind']!r} are not supported by this version of the app")
    return parser(data, check)


def load_directory(directory: Path = INSTRUMENT_DIR) -> Registry:
    instruments: dict[tuple[str, int], Any] = {}
    files: dict[tuple[str, int], Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        instrument = load_file(path)
        key = (instrument.id, instrument.version)
        if key in instruments:
            raise InstrumentError(str(path), "version",
                                  f"{instrument.id} version {instrument.version} is also defined in {files[key]}")
        instruments[key], files[key] = instrument, path
    _check_activity_links(instruments, files)
    return Registry(instruments, files)


def _check_activity_links(instruments: dict[tuple[str, int], Any], files: dict[tuple[str, int], Path]) -> None:
    """Interventions and vignet criteria name menu card activities; each named one must exist."""
    known = {a for i in instruments.values() if i.kind == "menu_card" for a in i.activities()}
    for key, instrument in instruments.items():
        for path, activity_id in getattr(instrument, "activity_links", lambda: ())():
            if activity_id not in known:
                raise InstrumentError(str(files[key]), path, f"no menu card has an activity {activity_id!r}")


def init_app(app: Flask) -> None:
    directory = Path(app.config.get("INSTRUMENT_DIR", INSTRUMENT_DIR))
    app.extensions["wellbeing.instruments"] = load_directory(directory)


def registry() -> Registry:
    return current_app.extensions["wellbeing.instruments"]
