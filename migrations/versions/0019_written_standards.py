"""themes and actions: a name and text per written standard (nynorsk, bokmål), for the report in either

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('translations')
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_column('translations')
