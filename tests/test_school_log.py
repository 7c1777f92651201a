"""The school's log in words: local days, plain names, a day's views folded into one line."""
from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from flask_babel import force_locale

from wellbeing.home.log import area_of, days, describe


def _entry(action, at, actor_id=None, detail=""):
    return SimpleNamespace(action=action, at=at, actor_id=actor_id, actor=None, detail=detail)


def test_views_fold_per_person_and_local_day_and_days_follow_the_dutch_clock(app):
    entries = [  # newest first, as the page reads them
        _entry("content.viewed", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), 7, "/school/3/plan"),  # 1 Dec, 00:30
        _entry("content.viewed", datetime(2026, 11, 30, 10, 0, tzinfo=UTC), 7, "/school/3/menu-card"),
        _entry("content.viewed", datetime(2026, 11, 30, 9, 0, tzinfo=UTC), 7, "/school/3/rounds/4/team"),
        _entry("content.viewed", datetime(2026, 11, 30, 8, 0, tzinfo=UTC), 7, "/school/3/rounds"),
        _entry("sharing.changed", datetime(2026, 11, 30, 7, 0, tzinfo=UTC), 1, "content"),
    ]
    with app.test_request_context(), force_locale("en"):
        result = days(entries, school_id=3)
        assert [d.day.isoformat() for d in result] == ["2026-12-01", "2026-11-30"]
        views = result[1].lines[0]
        assert views.count == 3 and views.areas == ["Checklist rounds", "Menu card"]
        assert (views.first.hour, views.last.hour) == (9, 11)  # 08:00 and 10:00 UTC in winter time
        assert result[1].lines[1].detail == "Progress and content"
        assert [len(d.lines) for d in days(entries, 3, "changes")] == [1]
        assert sum(len(d.lines) for d in days(entries, 3, "views")) == 2


def test_stored_codes_read_as_words(app):
    with app.test_request_context(), force_locale("nl"):
        assert describe("round.reminder", "1") == "naar 1 adres"
        assert describe("visit_note.added", "2026-12-03") == "3 december 2026"
        assert describe("visit_note.added", "not a date") == "not a date"
        assert area_of("/school/12/vignet/attest/x") == "Gereedheid voor het vignet"
