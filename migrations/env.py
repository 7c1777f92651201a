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
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
