"""agreements are recorded per statement: old pre-filled consensus rows count as not discussed

Until now the consensus form was pre-filled with each statement's median and one click saved all of
them, so a stored score did not mean the team agreed on it. From now on a statement is "not
discussed" until the coordinator records what the team agreed. Existing rows that carry nothing but
a score (no rationale, no priority) cannot be told apart from an untouched pre-filled median: they
become ``discussed = false`` and count as not discussed everywhere; their score is kept, so a
downgrade restores them. Rows with a rationale or a priority show that someone acted: they stay
agreed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 09:40:00+00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consensus', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discussed', sa.Boolean(), server_default=sa.true(), nullable=False))
    consensus = sa.table('consensus', sa.column('rationale', sa.Text()), sa.column('priority', sa.String()),
                         sa.column('discussed', sa.Boolean()))
    op.execute(consensus.update().where(sa.func.coalesce(consensus.c.rationale, '') == '',
                                        sa.cast(consensus.c.priority, sa.String()) == 'none')
               .values(discussed=False))


def downgrade() -> None:
    with op.batch_alter_table('consensus', schema=None) as batch_op:
        batch_op.drop_column('discussed')
