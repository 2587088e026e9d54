"""Feature steps: meaning, words and cause affinity, each a transformer that a union composes."""
from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import FeatureUnion

from analysis.features import CauseAffinityStep, EmbeddingStep, WordStep, answer_features, cause_descriptions
from tests.analysis.conftest import ANSWERS


def test_cause_descriptions_cover_every_cause_in_three_languages():
    from analysis import resources
    raw = resources.yaml_data("cause_descriptions.yaml")
    lexicon = resources.yaml_data("cause_lexicon.yaml")
    assert set(raw) == set(lexicon)
    assert all(set(entry) == {"nn", "nb", "en"} and all(entry.values()) for entry in raw.values())
    assert all(len(lines) >= 5 for lines in cause_descriptions().values())


def test_cause_affinity_needs_no_labels_and_knows_the_causes(labelled):
    texts, labels = labelled
    step = CauseAffinityStep(lexicon_weight=0.0).fit(texts)
    proba = step.transform(texts)
    assert proba.shape == (len(texts), 12) and np.allclose(proba.sum(axis=1), 1)
    hits = (step.classes_[proba.argmax(axis=1)] == np.array(labels)).mean()
    assert hits >= 0.75, hits  # descriptions alone, no lexicon, no labels


def test_relevance_tells_exit_answers_from_other_text(labelled):
    texts, _ = labelled
    step = CauseAffinityStep().fit(texts)
    other = ["Jupiter er den største planeten i solsystemet.", "Kampen endte 2-1 etter ekstraomganger.",
             "Presidenten la fram statsbudsjettet i går."]
    assert step.relevance(texts).mean() > 0.7 > 0.5 > step.relevance(other).mean()


def test_word_step_sees_typos_and_standards_as_near():
    step = WordStep().fit(["Løna er for låg.", "Turnusen er tung."])
    vectors = step.transform(["Lønna er for låg.", "Løna er for lg.", "Turnusen er tung."]).toarray()
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_union_weights_and_leaves_out_steps():
    union = answer_features(embedding_weight=1.0, word_weight=0.0, cause_weight=2.0)
    assert isinstance(union, FeatureUnion) and [n for n, _ in union.transformer_list] == ["embedding", "causes"]
    texts = [t for answers in ANSWERS.values() for t in answers]
    out = clone(union).fit_transform(texts)
    assert out.shape == (len(texts), EmbeddingStep().fit(texts).transform(texts[:1]).shape[1] + 12)
