"""Menu card operations. Helpers add to the current transaction; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from wellbeing import db
from wellbeing.instruments.registry import registry
from wellbeing.menucard.models import MenuEntry, MenuStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import School
from wellbeing.pillars import PILLARS

MENU_CARD_ID = "menu-card-welbevinden"


class MenuError(ValueError):
    """An entry cannot be saved; ``field`` names the input, ``code`` the reason (views translate it)."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field, self.code = field, code


def menu_card():
    return registry().latest(MENU_CARD_ID)


def entries(school: School) -> list[MenuEntry]:
    return list(db.session.scalars(select(MenuEntry).where(MenuEntry.school_id == school.id)
                                   .order_by(MenuEntry.pillar, MenuEntry.id)))


def by_activity(school: School) -> dict[str, MenuEntry]:
    return {e.activity_id: e for e in entries(school) if e.activity_id is not None}


def own_entries(school: School) -> list[MenuEntry]:
    return [e for e in entries(school) if e.activity_id is None]


@dataclass(frozen=True)
class EntryInput:
    """One activity's fields as the user typed them."""

    status: str = ""
    since_year: str = ""
    grades: str = ""
    note: str = ""
    intervention_id: str = ""


def clean(school: School, pillar: str, raw: EntryInput) -> dict:
    """Check one entry's input; raises ``MenuError`` for the first wrong field."""
    try:
        status = MenuStatus(raw.status) if raw.status else None
    except ValueError:
        raise MenuError("status", "unknown-status") from None
    since = None
    if status == MenuStatus.DOING and raw.since_year.strip():
        try:
            year = SchoolYear.parse(raw.since_year)
        except ValueError:
            raise MenuError("since_year", "bad-year") from None
        if year > SchoolYear.current():
            raise MenuError("since_year", "future-year")
        since = str(year)
    intervention_id = raw.intervention_id.strip() or None
    if intervention_id is not None:
        intervention = registry().intervention(intervention_id)
        if intervention is None or intervention.pillar != pillar \
                or school.school_type.value not in intervention.school_types:
            raise MenuError("intervention_id", "unknown-intervention")
    if len(raw.grades) > 120:
        raise MenuError("grades", "too-long")
    if len(raw.note) > 2000:
        raise MenuError("note", "too-long")
    doing = status == MenuStatus.DOING
    return {"status": status, "since_year": since, "grades": raw.grades.strip() if doing else "",
            "note": raw.note.strip(), "intervention_id": intervention_id}


def save_activity(school: School, activity_id: str, raw: EntryInput) -> MenuEntry:
    """Record the school's mark on a menu card activity; raises ``MenuError`` for bad input."""
    activity = menu_card().activities().get(activity_id)
    if activity is None or school.school_type.value not in activity.school_types:
        raise MenuError("activity", "unknown-activity")
    values = clean(school, activity.pillar, raw)
    entry = db.session.scalar(select(MenuEntry).where(MenuEntry.school_id == school.id,
                                                      MenuEntry.activity_id == activity_id))
    if entry is None:
        if values["status"] is None and not values["note"]:
            return None  # nothing to record
        entry = MenuEntry(school_id=school.id, activity_id=activity_id, pillar=activity.pillar)
        db.session.add(entry)
    for key, value in values.items():
        setattr(entry, key, value)
    return entry


def add_own(school: School, pillar: str, title: str, raw: EntryInput) -> MenuEntry:
    if pillar not in PILLARS:
        raise MenuError("pillar", "unknown-pillar")
    title = title.strip()
    if not title:
        raise MenuError("title", "required")
    if len(title) > 200:
        raise MenuError("title", "too-long")
    entry = MenuEntry(school_id=school.id, activity_id=None, title=title, pillar=pillar,
                      **clean(school, pillar, raw))
    db.session.add(entry)
    return entry


def save_own(entry: MenuEntry, school: School, raw: EntryInput) -> None:
    for key, value in clean(school, entry.pillar, raw).items():
        setattr(entry, key, value)


def gaps(school: School, all_entries: list[MenuEntry] | None = None) -> list[str]:
    """Pillars in which the school does nothing yet: the visible gaps of its menu card."""
    all_entries = entries(school) if all_entries is None else all_entries
    doing = {e.pillar for e in all_entries if e.status == MenuStatus.DOING}
    return [p for p in PILLARS if p not in doing]
