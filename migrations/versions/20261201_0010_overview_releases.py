"""overview releases: the ledger of every published cell, and the pages read from it

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 05:20:00+00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The national snapshot is superseded: every page, the national one included, reads a release.
    op.drop_table('overview_snapshot')
    op.create_table(
        'overview_release',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('school_year', sa.String(length=9), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('next_release_on', sa.Date(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('cells', sa.Integer(), nullable=False),
        sa.Column('hidden', sa.Integer(), nullable=False),
        sa.Column('geography', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_overview_release')))
    with op.batch_alter_table('overview_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overview_release_released_at'), ['released_at'], unique=False)
    op.create_table(
        'overview_release_measure',
        sa.Column('release_id', sa.Integer(), nullable=False),
        sa.Column('school_year', sa.String(length=9), nullable=False),
        sa.Column('measure', sa.String(length=128), nullable=False),
        sa.Column('published', sa.Text(), nullable=False),
        sa.Column('truth', sa.Text(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['release_id'], ['overview_release.id'],
                                name=op.f('fk_overview_release_measure_release_id_overview_release'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('release_id', 'school_year', 'measure', name=op.f('pk_overview_release_measure')))
    op.create_table(
        'overview_release_area',
        sa.Column('release_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=1), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['release_id'], ['overview_release.id'],
                                name=op.f('fk_overview_release_area_release_id_overview_release'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('release_id', 'level', 'area_id', name=op.f('pk_overview_release_area')))


def downgrade() -> None:
    op.drop_table('overview_release_area')
    op.drop_table('overview_release_measure')
    with op.batch_alter_table('overview_release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overview_release_released_at'))
    op.drop_table('overview_release')
    op.create_table(
        'overview_snapshot',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('version', sa.String(length=160), nullable=False, server_default=''),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_overview_snapshot')))
