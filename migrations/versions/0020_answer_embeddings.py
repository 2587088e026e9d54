"""answer embeddings: one sentence embedding per free-text answer and model, backfilled

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 04:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'answer_embedding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('model_id', sa.String(length=100), nullable=False),
        sa.Column('text_hash', sa.String(length=64), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_answer_embedding_answer_id_answer'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_embedding')),
        sa.UniqueConstraint('answer_id', 'model_id', name=op.f('uq_answer_embedding_answer_id_model_id')),
    )
    with op.batch_alter_table('answer_embedding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_embedding_answer_id'), ['answer_id'], unique=False)
    _backfill()


def _backfill():
    """Embed the scrubbed free text already stored, so the first analysis after the upgrade does
    not have to. Without the embedding model installed the analysis makes them when it runs."""
    from datetime import datetime, timezone

    try:
        from analysis.embed import default_embedder, text_key
        embedder = default_embedder()
    except ImportError:
        return
    import numpy as np

    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, value_scrubbed FROM answer WHERE value_scrubbed IS NOT NULL "
                                      "AND value_scrubbed <> '' ORDER BY id")).all()
    table = sa.table('answer_embedding', sa.column('answer_id', sa.Integer), sa.column('model_id', sa.String),
                     sa.column('text_hash', sa.String), sa.column('vector', sa.LargeBinary),
                     sa.column('created_at', sa.DateTime))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for start in range(0, len(rows), 256):
        batch = rows[start:start + 256]
        vectors = embedder.encode([text for _, text in batch])
        connection.execute(table.insert(), [
            {"answer_id": answer_id, "model_id": embedder.model_id, "text_hash": text_key(text),
             "vector": np.asarray(vector, dtype="<f4").tobytes(), "created_at": now}
            for (answer_id, text), vector in zip(batch, vectors)])


def downgrade():
    with op.batch_alter_table('answer_embedding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_embedding_answer_id'))
    op.drop_table('answer_embedding')
