"""Validation of instrument files. Every problem names the file, the path inside it and the reason.

The checks are written out rather than delegated to a JSON-schema library so the messages speak the
language of a GGD editor ("elements[2].items[0].text: missing 'en'").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from wellbeing.pillars import PILLARS

LOCALES = ("nl", "en")
SCHOOL_TYPES = ("po", "vo", "so", "mbo")
KINDS = ("checklist", "menu_card", "vignet_criteria", "interventions")
ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


class InstrumentError(ValueError):
    """An instrument file is invalid; ``str()`` gives ``file: path: reason``."""

    def __init__(self, file: str, path: str, reason: str) -> None:
        self.file, self.path, self.reason = file, path, reason
        super().__init__(f"{file}: {path or '(top)'}: {reason}")


@dataclass
class Checker:
    file: str

    def fail(self, path: str, reason: str) -> None:
        raise InstrumentError(self.file, path, reason)

    def mapping(self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(path, "expected a mapping")
        for key in required:
            if key not in value:
                self.fail(path, f"missing field '{key}'")
        unknown = set(value) - set(required) - set(optional)
        if unknown:
            self.fail(path, f"unknown field(s) {sorted(unknown)}")
        return value

    def text(self, value: Any, path: str) -> dict[str, str]:
        if not isinstance(value, dict):
            self.fail(path, "expected a text with 'nl' and 'en'")
        for locale in LOCALES:
            if not isinstance(value.get(locale), str) or not value[locale].strip():
                self.fail(path, f"missing '{locale}'")
        extra = set(value) - set(LOCALES)
        if extra:
            self.fail(path, f"unknown language(s) {sorted(extra)}")
        return {locale: value[locale].strip() for locale in LOCALES}

    def ident(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not ID.match(value):
            self.fail(path, f"id {value!r} must be lowercase letters, digits, dots and dashes")
        return value

    def choices(self, value: Any, path: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.fail(path, f"expected a non-empty list from {list(allowed)}")
        for index, item in enumerate(value):
            if item not in allowed:
                self.fail(f"{path}[{index}]", f"{item!r} is not one of {list(allowed)}")
        if len(set(value)) != len(value):
            self.fail(path, "contains duplicates")
        return tuple(value)

    def pillar_labels(self, raw: Any) -> dict[str, dict[str, dict[str, str]]]:
        """Labels per pillar, ``default`` plus optional per-sector overrides (mbo names pillars its own way)."""
        self.mapping(raw, "pillar_labels", ("default",), SCHOOL_TYPES)
        result = {}
        for sector, labels in raw.items():
            path = f"pillar_labels.{sector}"
            self.mapping(labels, path, PILLARS)
            result[sector] = {pillar: self.text(labels[pillar], f"{path}.{pillar}") for pillar in PILLARS}
        return result


class PillarLabelled:
    """Mixin for instruments with ``pillar_labels``: the label of a pillar in a sector and language."""

    pillar_labels: dict[str, dict[str, dict[str, str]]]

    def pillar_label(self, pillar: str, school_type: str, locale: str) -> str:
        labels = self.pillar_labels.get(school_type) or self.pillar_labels["default"]
        return labels[pillar][locale]
