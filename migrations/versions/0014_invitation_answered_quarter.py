"""invitations: the quarter an answer came in, so follow-up counts are fixed once a quarter ends

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 16:00:00

Invitations answered before this column existed get the quarter they were last sent in: the
closest known, and the one the answer most likely came in.
"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_quarter', sa.String(length=6), nullable=True))
    invitation = sa.table('invitation', sa.column('id', sa.Integer), sa.column('status', sa.String),
                          sa.column('last_sent_at', sa.DateTime), sa.column('sent_at', sa.DateTime),
                          sa.column('answered_quarter', sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(invitation.c.id, invitation.c.last_sent_at, invitation.c.sent_at)
                              .where(invitation.c.status == 'used')).all()
    by_quarter: dict = {}
    for row_id, last_sent, sent in rows:
        when = last_sent or sent
        if isinstance(when, str):
            when = datetime.fromisoformat(when)
        if when is not None:
            by_quarter.setdefault(f"{when.year}Q{(when.month - 1) // 3 + 1}", []).append(row_id)
    for quarter, ids in by_quarter.items():
        for start in range(0, len(ids), 500):
            connection.execute(invitation.update().where(invitation.c.id.in_(ids[start:start + 500]))
                               .values(answered_quarter=quarter))


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('answered_quarter')
