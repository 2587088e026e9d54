"""answer tallies: the unique key leads with the breakdown question, so plain and split reads are each one range

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 23:55:00

"""
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

NEW = ['organisation_id', 'questionnaire_key', 'by_question', 'quarter', 'unit_id', 'by_value', 'question', 'value']
OLD = ['organisation_id', 'questionnaire_key', 'quarter', 'unit_id', 'by_question', 'by_value', 'question', 'value']


def _key(columns):
    with op.batch_alter_table('answer_tally', schema=None) as batch_op:
        batch_op.drop_constraint('uq_answer_tally_cell', type_='unique')
        batch_op.create_unique_constraint('uq_answer_tally_cell', columns)


def upgrade():
    _key(NEW)


def downgrade():
    _key(OLD)
