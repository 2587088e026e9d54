"""regions: a municipality belongs to at most one region

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 18:10:00

Two regions over the same municipalities can be subtracted from each other: each regional total
is suppressed on its own, and together they give a small member's hidden count. A municipality
therefore belongs to one region. Where an installation already has a municipality in several
regions, it stays in the oldest (lowest id) and leaves the others; the warning names them so the
host administrator can look again.
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    member = sa.table('region_member', sa.column('region_id', sa.Integer), sa.column('organisation_id', sa.Integer))
    connection = op.get_bind()
    seen: dict = {}
    for region_id, organisation_id in connection.execute(
            sa.select(member.c.region_id, member.c.organisation_id).order_by(member.c.region_id)).all():
        if organisation_id in seen:
            log.warning("organisation %s left region %s: it is already in region %s (one region each)",
                        organisation_id, region_id, seen[organisation_id])
            connection.execute(member.delete().where(member.c.region_id == region_id,
                                                     member.c.organisation_id == organisation_id))
        else:
            seen[organisation_id] = region_id
    with op.batch_alter_table('region_member', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_region_member_organisation', ['organisation_id'])


def downgrade():
    with op.batch_alter_table('region_member', schema=None) as batch_op:
        batch_op.drop_constraint('uq_region_member_organisation', type_='unique')
