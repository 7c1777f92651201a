"""job records: background jobs as data (an outbox), dispatched to RQ after commit

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 05:30:00+00:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

WAITING = sa.text("state IN ('pending', 'queued')")


def upgrade() -> None:
    op.create_table(
        'job_record',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('queue', sa.String(length=16), nullable=False),
        sa.Column('arguments', sa.Text(), nullable=True),
        sa.Column('state', sa.Enum('pending', 'queued', 'running', 'done', 'failed', name='job_state',
                                   native_enum=False, length=32), nullable=False),
        sa.Column('waiting_key', sa.String(length=200), nullable=True),
        sa.Column('rq_id', sa.String(length=64), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_record')),
    )
    op.create_index(op.f('ix_job_record_state'), 'job_record', ['state'], unique=False)
    op.create_index('uq_job_record_waiting_key', 'job_record', ['waiting_key'], unique=True,
                    postgresql_where=WAITING, sqlite_where=WAITING)


def downgrade() -> None:
    op.drop_index('uq_job_record_waiting_key', table_name='job_record')
    op.drop_index(op.f('ix_job_record_state'), table_name='job_record')
    op.drop_table('job_record')
