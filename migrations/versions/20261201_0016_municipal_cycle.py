"""municipal cycle: top situations and problems, needs in the Preventiematrix, targets, evaluations,
agreements, cycle reports

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-01 09:30:00+00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _municipality(table: str) -> sa.Column:
    return sa.Column('municipality_id', sa.Integer(), nullable=False)


def _municipality_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'],
                                   name=op.f(f'fk_{table}_municipality_id_municipality'), ondelete='CASCADE')


def _index(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_municipality_id'), ['municipality_id'], unique=False)


def upgrade() -> None:
    op.create_table('cycle_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    _municipality('cycle_choice'),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('catalogue_key', sa.String(length=48), nullable=True),
    sa.Column('own_text', sa.String(length=200), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('situation', 'problem')", name=op.f('ck_cycle_choice_kind_known')),
    _municipality_fk('cycle_choice'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_choice'))
    )
    _index('cycle_choice')

    op.create_table('cycle_need',
    sa.Column('id', sa.Integer(), nullable=False),
    _municipality('cycle_need'),
    sa.Column('sector', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    _municipality_fk('cycle_need'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_need'))
    )
    _index('cycle_need')

    op.create_table('cycle_target',
    sa.Column('id', sa.Integer(), nullable=False),
    _municipality('cycle_target'),
    sa.Column('ambition', sa.String(length=300), nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('school_type', sa.String(length=8), nullable=False),
    sa.Column('threshold', sa.SmallInteger(), nullable=False),
    sa.Column('by_year', sa.String(length=9), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('threshold BETWEEN 0 AND 100', name=op.f('ck_cycle_target_threshold_in_range')),
    _municipality_fk('cycle_target'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_target'))
    )
    _index('cycle_target')

    op.create_table('cycle_evaluation',
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['cycle_target.id'], name=op.f('fk_cycle_evaluation_target_id_cycle_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('target_id', 'school_year', name=op.f('pk_cycle_evaluation'))
    )

    op.create_table('cycle_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    _municipality('cycle_agreement'),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('forum', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _municipality_fk('cycle_agreement'),
    sa.ForeignKeyConstraint(['partner_id'], ['offer_partner.id'], name=op.f('fk_cycle_agreement_partner_id_offer_partner'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_id'], ['cycle_target.id'], name=op.f('fk_cycle_agreement_target_id_cycle_target'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_agreement'))
    )
    _index('cycle_agreement')

    op.create_table('cycle_report',
    sa.Column('id', sa.Integer(), nullable=False),
    _municipality('cycle_report'),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='report_status', native_enum=False, length=32), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    _municipality_fk('cycle_report'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_cycle_report_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_report'))
    )
    _index('cycle_report')


def downgrade() -> None:
    for table in ('cycle_report', 'cycle_agreement', 'cycle_choice', 'cycle_need'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_municipality_id'))
        op.drop_table(table)
    op.drop_table('cycle_evaluation')
    with op.batch_alter_table('cycle_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_target_municipality_id'))
    op.drop_table('cycle_target')
