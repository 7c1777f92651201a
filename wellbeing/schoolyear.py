"""School years: ``2025-2026`` runs from 1 August 2025 to 31 July 2026."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True, order=True)
class SchoolYear:
    start_year: int

    @classmethod
    def parse(cls, text: str) -> SchoolYear:
        """Parse ``'2025-2026'``; raises ``ValueError`` for anything else."""
        match = _PATTERN.match(text.strip())
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise ValueError(f"not a school year: {text!r} (expected e.g. 2025-2026)")
        return cls(int(match.group(1)))

    @classmethod
    def containing(cls, day: date) -> SchoolYear:
        return cls(day.year if day.month >= 8 else day.year - 1)

    @classmethod
    def current(cls) -> SchoolYear:
        return cls.containing(date.today())

    @property
    def first_day(self) -> date:
        return date(self.start_year, 8, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 7, 31)

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __add__(self, years: int) -> SchoolYear:
        return SchoolYear(self.start_year + years)

    def __sub__(self, years: int) -> SchoolYear:
        return SchoolYear(self.start_year - years)

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"
