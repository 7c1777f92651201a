"""groups of municipalities that run the municipal cycle together: cycle_group, its members, and a
group owner beside the municipality on every cycle row

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 12:40:00+00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

OWNED = ('cycle_choice', 'cycle_need', 'cycle_target', 'cycle_agreement', 'cycle_report')


def upgrade() -> None:
    op.create_table('cycle_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_cycle_group_region_id_region'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_group'))
    )
    with op.batch_alter_table('cycle_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycle_group_region_id'), ['region_id'], unique=False)

    op.create_table('cycle_group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['cycle_group.id'], name=op.f('fk_cycle_group_member_group_id_cycle_group'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'],
                            name=op.f('fk_cycle_group_member_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'municipality_id', name=op.f('pk_cycle_group_member'))
    )
    with op.batch_alter_table('cycle_group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycle_group_member_municipality_id'), ['municipality_id'], unique=False)

    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
            batch_op.alter_column('municipality_id', existing_type=sa.Integer(), nullable=True)
            batch_op.create_index(batch_op.f(f'ix_{table}_group_id'), ['group_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_group_id_cycle_group'), 'cycle_group', ['group_id'],
                                        ['id'], ondelete='CASCADE')
            batch_op.create_check_constraint(batch_op.f(f'ck_{table}_one_owner'),
                                             '(municipality_id IS NULL) <> (group_id IS NULL)')


def downgrade() -> None:
    for table in OWNED:
        op.execute(f'DELETE FROM {table} WHERE group_id IS NOT NULL')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'ck_{table}_one_owner'), type_='check')
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_group_id_cycle_group'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_group_id'))
            batch_op.alter_column('municipality_id', existing_type=sa.Integer(), nullable=False)
            batch_op.drop_column('group_id')
    with op.batch_alter_table('cycle_group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_group_member_municipality_id'))
    op.drop_table('cycle_group_member')
    with op.batch_alter_table('cycle_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_group_region_id'))
    op.drop_table('cycle_group')
