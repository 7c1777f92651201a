"""Alembic environment: the URL comes from the app's settings (``wellbeing db upgrade``)."""
from alembic import context

from wellbeing.config import load_settings
from wellbeing.db import make_engine
from wellbeing.models import Base

config = context.config
url = config.attributes.get("database_url") or load_settings().database_url


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (copy, drop, rename). With foreign keys enforced,
            # dropping the old table deletes every row that points at it with ON DELETE CASCADE
            # (rebuilding respondent would delete all answers). The pragma is ignored inside a
            # transaction, so it is set, and committed, before the migrations' transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        _run(connection)
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
