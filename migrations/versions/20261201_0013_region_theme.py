"""region theme (a GGD region's colour and logo); the accessible HTML version of a report

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 05:30:00+00:00
"""
from alembic import op
import sqlalchemy as sa



revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'region_theme',
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('colour', sa.String(length=7), nullable=False),
        sa.Column('logo_png', sa.LargeBinary(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_region_theme_region_id_region'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('region_id', name=op.f('pk_region_theme')),
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_column('html')
    op.drop_table('region_theme')
