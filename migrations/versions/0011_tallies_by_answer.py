"""answer tallies split by a breakdown answer (age band, position size...), for the whole organisation

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 23:00:38.236888

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer_tally', schema=None) as batch_op:
        batch_op.add_column(sa.Column('by_question', sa.String(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('by_value', sa.String(length=200), server_default='', nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_answer_tally_cell'), type_='unique')
        batch_op.create_unique_constraint('uq_answer_tally_cell', ['organisation_id', 'questionnaire_key', 'quarter', 'unit_id', 'by_question', 'by_value', 'question', 'value'])
    # Tallies are derived data, counted afresh here with today's code. That code writes the table
    # as it is at the head, so a later migration that changes the table must take this fill along.
    from survey_app.services import tallies
    tallies.rebuild(op.get_bind())


def downgrade():
    op.execute("DELETE FROM answer_tally WHERE by_question <> ''")
    with op.batch_alter_table('answer_tally', schema=None) as batch_op:
        batch_op.drop_constraint('uq_answer_tally_cell', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_answer_tally_cell'), ['organisation_id', 'questionnaire_key', 'quarter', 'unit_id', 'question', 'value'])
        batch_op.drop_column('by_value')
        batch_op.drop_column('by_question')

