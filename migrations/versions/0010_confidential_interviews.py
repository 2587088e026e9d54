"""confidential interviews: the link from a response to the leaver, in a table of its own

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 22:38:22.336317

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('confidential_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_confidential_link_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_confidential_link_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_confidential_link')),
    sa.UniqueConstraint('response_id', name=op.f('uq_confidential_link_response_id'))
    )
    with op.batch_alter_table('confidential_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_confidential_link_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('response_draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_response_draft_person_id_person'), 'person', ['person_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('response_draft', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_response_draft_person_id_person'), type_='foreignkey')
        batch_op.drop_column('person_id')

    with op.batch_alter_table('confidential_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_confidential_link_person_id'))

    op.drop_table('confidential_link')
