"""released groups: what staff have been shown counts as shown for every later release

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 19:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'released_group',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('family', sa.String(length=80), nullable=False),
        sa.Column('scope', sa.String(length=64), nullable=False),
        sa.Column('key', sa.String(length=300), nullable=False),
        sa.Column('first_shown', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('organisation_id', 'family', 'scope', 'key', name='uq_released_group'),
    )
    with op.batch_alter_table('released_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_released_group_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('released_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_released_group_organisation_id'))
    op.drop_table('released_group')
