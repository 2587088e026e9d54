"""answer tallies: the dashboard's counts, kept at submit time

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 22:14:24.793073

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_key', sa.String(length=60), nullable=False),
    sa.Column('quarter', sa.String(length=6), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_answer_tally_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_tally')),
    sa.UniqueConstraint('organisation_id', 'questionnaire_key', 'quarter', 'unit_id', 'question', 'value', name='uq_answer_tally_cell')
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_organisation_id_id', ['organisation_id', 'id'], unique=False)
        batch_op.drop_index('ix_response_organisation_id')
    # Filled by 0011, the last migration to change the table's shape: the counting code is
    # today's, so it can only write the table as it is at the head.


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index('ix_response_organisation_id', ['organisation_id'], unique=False)
        batch_op.drop_index('ix_response_organisation_id_id')
    op.drop_table('answer_tally')
