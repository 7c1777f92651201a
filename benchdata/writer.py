"""Bulk writing: COPY on PostgreSQL, SQLAlchemy Core ``insert()`` with lists of rows on SQLite.

Rows carry their ids (allocated by the generator after the highest id in each table), so no row
needs to be read back; the sequences are moved past them at the end. Everything happens in the
caller's transaction.

On PostgreSQL the keys and indexes of the three big tables (answer, respondent, consensus) are
dropped inside that transaction and built again, with every constraint validated, before it
commits, the way pg_restore loads data. If anything fails, the whole load rolls back, constraints
included; nothing is ever committed without them.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection

from benchdata.school import AnswerBlock
from wellbeing.db import Base

COLUMNS = {
    "region": ("id", "code", "name", "created_at"),
    "municipality": ("id", "code", "name", "region_id"),
    "board": ("id", "code", "name"),
    "school": ("id", "brin", "vestiging", "name", "school_type", "municipality_id", "board_id", "gsa_sharing",
               "created_at"),
    "user_account": ("id", "email", "name", "password_hash", "locale", "active", "created_at"),
    "membership": ("id", "user_id", "role", "region_id", "municipality_id", "school_id"),
    "portfolio_assignment": ("id", "user_id", "school_id", "assigned_at"),
    "round": ("id", "school_id", "school_year", "instrument_id", "instrument_version", "mode", "status", "opened_at",
              "closed_at", "finalised_at"),
    "respondent": ("id", "round_id", "token_hash", "category", "started_at", "submitted_at", "released_in"),
    "team_picture_release": ("id", "round_id", "number", "respondents", "minimum", "final", "made_on"),
    "answer": ("id", "respondent_id", "item_id", "value", "updated_at"),
    "consensus": ("id", "round_id", "item_id", "agreed_score", "rationale", "priority"),
    "audit_entry": ("id", "at", "actor_id", "school_id", "action", "detail"),
    "menu_entry": ("id", "school_id", "activity_id", "title", "pillar", "status", "note", "since_year", "grades",
                   "intervention_id", "updated_at"),
    "plan": ("id", "school_id", "first_year", "years", "coordinator", "working_group", "updated_at"),
    "plan_goal": ("id", "school_id", "what", "measure", "target", "target_year", "element_id", "item_id",
                  "created_at"),
    "plan_action": ("id", "school_id", "goal_id", "pillar", "title", "activity_id", "intervention_id", "owner",
                    "school_year", "period", "status", "evaluation", "carried_from_id", "created_at", "updated_at"),
    "vignet_attestation": ("id", "school_id", "criterion_id", "note", "attested_by_id", "attested_at"),
    "vignet_certificate": ("id", "school_id", "awarded_on", "expires_on", "note", "recorded_by_id", "recorded_at"),
    "summary_school": ("school_id", "region_id", "municipality_id", "school_type", "phase", "phase_complete",
                       "readiness_met", "readiness_total", "certificate_expires", "last_activity", "round_year",
                       "round_status", "round_opened_at", "respondents_invited", "respondents_submitted",
                       "finalised_this_year", "uncovered_high", "overdue_actions", "doing_educatie",
                       "doing_signaleren", "doing_omgeving", "doing_beleid", "uses_universal", "uses_selective",
                       "uses_indicated", "refreshed_at"),
    "summary_round": ("round_id", "school_id", "region_id", "municipality_id", "school_type", "school_year",
                      "scored"),
    "summary_element": ("round_id", "element_id", "score"),
    "summary_priority": ("round_id", "item_id"),
}
#: Tables with a serial ``id`` the generator allocates.
ID_TABLES = tuple(t for t, columns in COLUMNS.items() if columns[0] == "id")
#: The order in which a chunk's tables are written (foreign keys first).
ORDER = tuple(COLUMNS)
DEFERRED = ("answer", "respondent", "consensus")
_BATCH = 5000


class Writer:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.raw = connection.connection.driver_connection if self.postgres else None
        self.counts: dict[str, int] = {}
        self._deferred: list[tuple[str, str, str]] = []

    def max_ids(self) -> dict[str, int]:
        return {t: self.connection.scalar(text(f'SELECT coalesce(max(id), 0) FROM "{t}"')) or 0 for t in ID_TABLES}

    def rows(self, table: str, rows: list[tuple]) -> None:
        if not rows:
            return
        columns = COLUMNS[table]
        self.counts[table] = self.counts.get(table, 0) + len(rows)
        if self.postgres:
            with self.raw.cursor().copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        target = Base.metadata.tables[table]
        for start in range(0, len(rows), _BATCH):
            self.connection.execute(insert(target), [dict(zip(columns, r)) for r in rows[start:start + _BATCH]])

    def answers(self, blocks: Iterable[AnswerBlock], next_id: int) -> int:
        """Write the answers of ``blocks`` with ids from ``next_id + 1``; returns the last id used."""
        answer_id, count = next_id, 0
        if self.postgres:
            with self.raw.cursor().copy(f'COPY answer ({", ".join(COLUMNS["answer"])}) FROM STDIN') as copy:
                for block in blocks:
                    lines = []
                    for i, respondent in enumerate(block.respondents):
                        stamp = block.stamps[i].isoformat(sep=" ")
                        limit = block.limits[i] if block.limits else len(block.items)
                        for j in range(limit):
                            answer_id += 1
                            value = block.columns[j][i]
                            lines.append(f"{answer_id}\t{respondent}\t{block.items[j]}\t"
                                         f"{value if value else chr(92) + 'N'}\t{stamp}\n")
                    count += len(lines)
                    copy.write("".join(lines))
        else:
            target, batch = Base.metadata.tables["answer"], []
            for block in blocks:
                for i, respondent in enumerate(block.respondents):
                    limit = block.limits[i] if block.limits else len(block.items)
                    for j in range(limit):
                        answer_id += 1
                        value = block.columns[j][i]
                        batch.append({"id": answer_id, "respondent_id": respondent, "item_id": block.items[j],
                                      "value": value or None, "updated_at": block.stamps[i]})
                if len(batch) >= _BATCH:
                    self.connection.execute(insert(target), batch)
                    count, batch = count + len(batch), []
            if batch:
                self.connection.execute(insert(target), batch)
                count += len(batch)
        self.counts["answer"] = self.counts.get("answer", 0) + count
        return answer_id

    def defer_constraints(self) -> None:
        """PostgreSQL: drop keys and indexes of the big tables until ``restore_constraints``."""
        if not self.postgres:
            return
        referenced_from_outside = {r[0] for r in self.raw.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
            "AND confrelid = ANY(%s::regclass[]) AND NOT conrelid = ANY(%s::regclass[])",
            [list(DEFERRED), list(DEFERRED)])}
        tables = [t for t in DEFERRED if t not in referenced_from_outside]
        constraints = self.raw.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('p', 'u', 'f')", [tables]).fetchall()
        indexes = self.raw.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)", [tables]).fetchall()
        for table, name, kind, _ in sorted(constraints, key=lambda c: c[2] != "f"):
            self.raw.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            self.raw.execute(f'DROP INDEX "{name}"')
        keys = [c for c in constraints if c[2] != "f"]
        foreign = [c for c in constraints if c[2] == "f"]
        self._deferred = ([(table, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}', kind)
                           for table, name, kind, definition in keys]
                          + [("", definition, "i") for _, definition in indexes]
                          + [(table, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}', kind)
                             for table, name, kind, definition in foreign])

    def restore_constraints(self) -> None:
        """Build every dropped key and index again; a violation fails the load (and rolls it back)."""
        if self._deferred:
            self.raw.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, statement, _ in self._deferred:
            self.raw.execute(statement)
        self._deferred = []

    def move_sequences(self, ids: dict[str, int]) -> None:
        if not self.postgres:
            return
        for table in ID_TABLES:
            sequence = self.raw.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"']).fetchone()[0]
            if sequence and ids.get(table):
                self.raw.execute("SELECT setval(%s, %s)", [sequence, ids[table]])



def vacuum_analyze(engine) -> None:
    """PostgreSQL: VACUUM (ANALYZE) the loaded tables, so the planner has statistics and autovacuum
    does not start on tens of millions of fresh rows while a benchmark measures."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ORDER:
            connection.exec_driver_sql(f'VACUUM (ANALYZE) "{table}"')
