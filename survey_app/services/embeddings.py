"""Sentence embeddings of free-text answers, kept in the database per answer and model.

Embedding is the slow step of an analysis (about 20 ms an answer on two cores); a quarter's run
reads the vectors of the answers it has seen before and embeds only the new ones. Vectors go
into the analysis library's in-memory store, which the library's embedding steps read.
"""
from __future__ import annotations

import logging

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.embed import CachedEmbedder, default_embedder, process_store, text_key
from analysis.text import is_non_answer
from survey_app.models import AnswerEmbedding

_log = logging.getLogger(__name__)
_CHUNK = 500  # ids per IN (...) list: well inside SQLite's and PostgreSQL's parameter limits


def ensure_embeddings(session: Session, answers: list[tuple[int, str]], embedder=None) -> dict[str, int]:
    """Make sure every ``(answer_id, scrubbed text)`` has a current embedding, in the table and in
    the library's store; returns how many were found and how many were made."""
    embedder = embedder if embedder is not None else default_embedder()
    model_id = embedder.model_id
    store = process_store()
    keys = {answer_id: text_key(text) for answer_id, text in answers}
    stored: dict[int, AnswerEmbedding] = {}
    ids = list(keys)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for row in session.scalars(select(AnswerEmbedding).where(AnswerEmbedding.answer_id.in_(chunk),
                                                                  AnswerEmbedding.model_id == model_id)):
            stored[row.answer_id] = row
    found = 0
    missing: list[tuple[int, str]] = []
    for answer_id, text in answers:
        row = stored.get(answer_id)
        if row is not None and row.text_hash == keys[answer_id]:
            store[(model_id, keys[answer_id])] = np.frombuffer(row.vector, dtype="<f4")
            found += 1
        else:
            missing.append((answer_id, text))
    if missing:
        vectors = CachedEmbedder(embedder, store).encode([text for _, text in missing])
        for (answer_id, _), vector in zip(missing, vectors):
            data = np.asarray(vector, dtype="<f4").tobytes()
            row = stored.get(answer_id)
            if row is None:
                session.add(AnswerEmbedding(answer_id=answer_id, model_id=model_id, text_hash=keys[answer_id],
                                            vector=data))
            else:
                row.text_hash, row.vector = keys[answer_id], data
        session.flush()
    return {"found": found, "made": len(missing)}


def embed_submitted(session: Session, response, embedder=None) -> int:
    """Embed a just-submitted response's free text, so that the quarter's analysis run finds it
    ready (about 25 ms an answer). The response is committed already: if embedding fails here
    (the engine cannot load on this CPU, the database is busy) nothing is lost, the next analysis
    run embeds what is missing. Returns how many answers were embedded."""
    answers = [(a.id, a.value_scrubbed) for a in response.answers
               if a.value_scrubbed and not is_non_answer(a.value_scrubbed)]
    if not answers:
        return 0
    try:
        made = ensure_embeddings(session, answers, embedder)["made"]
        session.commit()
        return made
    except Exception:  # noqa: BLE001 - an optimisation must never turn a stored answer into an error page
        session.rollback()
        _log.warning("free text of response %s not embedded at submit; the next analysis run will", response.id,
                     exc_info=True)
        return 0
