"""failure streaks: growing delays per (account, address) and a ceiling per account

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('failure_streak',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_failure_streak')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_failure_streak_key_hash'))
    )
    with op.batch_alter_table('failure_streak', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failure_streak_last_at'), ['last_at'], unique=False)


def downgrade():
    with op.batch_alter_table('failure_streak', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failure_streak_last_at'))
    op.drop_table('failure_streak')
