"""team picture releases; codes bound to a browser on first use

Rounds that have answers keep a readable picture: every round with at least MIN_RESPONDENTS sent
answer sets (or a team-meeting round with its one set) gets release 1 holding all of them, final
when the round is finalised; its ``shown`` stays empty, meaning "what the rule allows a first
release" (computed when read). A sent respondent's code hash is removed: a printed code of a sent
round opens nothing and no longer points at a row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 05:10:00+00:00
"""
import os
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _minimum() -> int:
    try:
        return max(3, int(os.environ.get("MIN_RESPONDENTS", "3")))
    except ValueError:
        return 3


def upgrade() -> None:
    op.create_table('team_picture_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('respondents', sa.Integer(), nullable=False),
    sa.Column('minimum', sa.Integer(), nullable=False),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('shown', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_team_picture_release_round_id_round'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_picture_release')),
    sa.UniqueConstraint('round_id', 'number', name='uq_team_picture_release_round_number')
    )
    with op.batch_alter_table('team_picture_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_picture_release_round_id'), ['round_id'], unique=False)
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=True)
        batch_op.add_column(sa.Column('session_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('released_in', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_respondent_session_hash'), ['session_hash'])

    connection = op.get_bind()
    minimum = _minimum()
    rounds = connection.execute(sa.text(
        "SELECT o.id, o.status, o.mode, COUNT(r.id) FROM round o JOIN respondent r ON r.round_id = o.id "
        "WHERE r.submitted_at IS NOT NULL GROUP BY o.id, o.status, o.mode")).all()
    release = sa.table('team_picture_release', sa.column('round_id', sa.Integer), sa.column('number', sa.Integer),
                       sa.column('respondents', sa.Integer), sa.column('minimum', sa.Integer),
                       sa.column('final', sa.Boolean), sa.column('made_on', sa.Date))
    for round_id, status, mode, sent in rounds:
        if sent < minimum and mode != 'meeting':
            continue
        connection.execute(sa.insert(release).values(round_id=round_id, number=1, respondents=sent, minimum=minimum,
                                                     final=status == 'finalised', made_on=date.today()))
        connection.execute(sa.text("UPDATE respondent SET released_in = 1 WHERE round_id = :r "
                                   "AND submitted_at IS NOT NULL"), {"r": round_id})
    connection.execute(sa.text("UPDATE respondent SET token_hash = NULL WHERE submitted_at IS NOT NULL"))


def downgrade() -> None:
    connection = op.get_bind()
    # A code hash cannot come back; a placeholder keeps the old NOT NULL UNIQUE column valid.
    connection.execute(sa.text("UPDATE respondent SET token_hash = 'gone-' || CAST(id AS VARCHAR(20)) "
                               "WHERE token_hash IS NULL"))
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_respondent_session_hash'), type_='unique')
        batch_op.drop_column('released_in')
        batch_op.drop_column('session_hash')
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table('team_picture_release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_picture_release_round_id'))
    op.drop_table('team_picture_release')
