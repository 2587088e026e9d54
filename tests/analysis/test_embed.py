"""Sentence embeddings with the shipped model (nothing downloaded) and the cache in front of it."""
from __future__ import annotations

import numpy as np
from sklearn.base import clone

from analysis.embed import CachedEmbedder, MemoryStore, default_embedder, text_key
from analysis.features import EmbeddingStep


class CountingEmbedder:
    """The real model, counting what it is asked to embed."""

    def __init__(self):
        self.inner = default_embedder()
        self.model_id, self.dim = self.inner.model_id, self.inner.dim
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return self.inner.encode(texts)


def test_the_model_places_the_same_meaning_close_across_languages_and_standards():
    vectors = default_embedder().encode(["Løna er for låg.", "Lønnen er for lav.", "The pay is too low.",
                                         "Vi flyttar til Bodø."])
    assert vectors.shape == (4, default_embedder().dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 3] and similarity[0, 2] > similarity[2, 3]
    assert "e5" in default_embedder().model_id


def test_the_cache_embeds_each_text_once_and_keys_by_model_and_text():
    counting, store = CountingEmbedder(), MemoryStore()
    cached = CachedEmbedder(counting, store)
    first = cached.encode(["Turnusen er tung.", "Turnusen er tung.", "Eg går av med pensjon."])
    assert counting.seen == ["Turnusen er tung.", "Eg går av med pensjon."]
    again = cached.encode(["Eg går av med pensjon.", "Turnusen  er tung."])  # white space is normalised
    assert counting.seen == ["Turnusen er tung.", "Eg går av med pensjon."]
    assert np.allclose(again, first[[2, 0]])
    assert set(store) == {(counting.model_id, text_key("Turnusen er tung.")),
                          (counting.model_id, text_key("Eg går av med pensjon."))}


def test_the_store_is_bounded():
    store = MemoryStore(max_items=2)
    for key in "abc":
        store[key] = np.zeros(2)
    assert list(store) == ["b", "c"]


def test_an_embedding_step_is_cloned_with_the_model_shared_not_copied():
    step = EmbeddingStep(embedder=default_embedder(), by_language=True)
    copy = clone(step)
    assert copy.embedder is step.embedder
    texts = ["Løna er for låg.", "Eg går av med pensjon.", "Turnusen er tung.", "Leiaren er aldri der.",
             "Vi flyttar.", "Jeg flytter.", "Lønnen er lav.", "Jeg går av med pensjon.", "Turnusen er tung for meg.",
             "Lederen er aldri der."]
    vectors = copy.fit_transform(texts)
    # Centred per written standard: nynorsk and bokmål answers about the same thing end up closest.
    assert ((vectors @ vectors.T)[0, 1:]).argmax() + 1 == 6
