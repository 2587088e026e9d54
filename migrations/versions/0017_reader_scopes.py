"""reader scopes: the units behind a leader's scope, so that what one scope was shown binds the next

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 21:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reader_scope',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=64), nullable=False),
        sa.Column('units', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('organisation_id', 'scope', name='uq_reader_scope'),
    )
    with op.batch_alter_table('reader_scope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reader_scope_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reader_scope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reader_scope_organisation_id'))
    op.drop_table('reader_scope')
