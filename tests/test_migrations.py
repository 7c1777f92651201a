"""Migrations: one head, and they build exactly what the models declare."""
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from wellbeing import db
from wellbeing.cli import alembic_config
from wellbeing.models import Base


def test_there_is_exactly_one_migration_head(app, ctx):
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}; merge them"


def test_migrated_schema_matches_the_models(app, ctx):
    with db.engine().connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": False}), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrations_downgrade_to_base_and_up_again(app, ctx):
    config = alembic_config()
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    with db.engine().connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None
