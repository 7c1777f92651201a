"""What one autosave costs the database: the figure the 200-respondent capacity rests on
(bench/respondents.py). Once a browser's respondent is known in the process, a save is one statement
on the autocommit pool, and the request pool is not touched at all."""
from __future__ import annotations

from sqlalchemy import event

from tests.test_rounds import _items, coordinator_round, start  # noqa: F401  (a fixture used below)


def _statements(app, action) -> dict[str, list[str]]:
    database = app.extensions["wellbeing.db"]
    seen: dict[str, list[str]] = {"request": [], "autocommit": []}
    listeners = []
    for name, engine in (("request", database.engine), ("autocommit", database.autocommit)):
        def collect(conn, cursor, statement, *args, name=name):
            seen[name].append(statement)
        event.listen(engine, "before_cursor_execute", collect)
        listeners.append((engine, collect))
    try:
        action()
    finally:
        for engine, collect in listeners:
            event.remove(engine, "before_cursor_execute", collect)
    return seen


def test_a_known_respondent_s_autosave_is_one_statement_on_the_autocommit_pool(app, coordinator_round):  # noqa: F811
    _, _, codes = coordinator_round
    member = start(app, codes[0])
    items = _items(app)
    first = _statements(app, lambda: member.post("/r/answers/autosave", data={"item": items[0], "value": "3"}))
    # The first save looks the browser up, saves and marks the respondent started.
    assert len(first["autocommit"]) == 3, first
    for item, value in zip(items[1:6], ("1", "2", "4", "dk", "3"), strict=True):
        seen = _statements(app, lambda item=item, value=value: member.post(
            "/r/answers/autosave", data={"item": item, "value": value}))
        if app.extensions["wellbeing.db"].engine.dialect.name == "postgresql":
            assert seen == {"request": [], "autocommit": [seen["autocommit"][0]]}, seen
        assert "INSERT INTO answer" in seen["autocommit"][0]
