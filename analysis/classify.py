"""Cause classification of free-text answers into the sluttsamtale cause codes.

Two modes:

- ``CauseClassifier``: trained on labelled answers (in the product these come for free: people
  who chose a main reason and also wrote a text). Word TF-IDF on canonical stems, character
  n-grams for typos and compounds, and the seed lexicon's scores as a prior.
- ``ColdStartClassifier``: no labels at all. Scores answers with the seed lexicon, then (by
  default) trains a ``CauseClassifier`` on the answers the lexicon is sure about, so words the
  lexicon never listed are learnt from the data itself.

Both expose ``predict_proba`` and ``predict``; ``predict`` says ``UNCERTAIN`` rather than guess
when the best cause is not clearly ahead.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from analysis.lexicon import LexiconScorer
from analysis.text import TextNormaliser

UNCERTAIN = "uncertain"


def _shares(scores: np.ndarray) -> np.ndarray:
    """Lexicon scores as shares; the +1 keeps a single weak hit from looking certain."""
    return scores / (scores.sum(axis=1, keepdims=True) + 1.0)


def _decide(classes: np.ndarray, proba: np.ndarray, min_confidence: float) -> tuple[np.ndarray, np.ndarray]:
    best = proba.argmax(axis=1)
    confidence = proba[np.arange(len(best)), best]
    labels = classes[best].astype(object)
    labels[confidence < min_confidence] = UNCERTAIN
    return labels, confidence


class CauseClassifier(BaseEstimator, ClassifierMixin):
    """Supervised cause classifier (TF-IDF words + character n-grams + lexicon prior, logistic regression)."""

    def __init__(self, C: float = 20.0, lexicon_weight: float = 0.5, char_ngrams: tuple = (2, 5),
                 min_confidence: float = 0.3, random_state: int = 0):
        self.C = C
        self.lexicon_weight = lexicon_weight
        self.char_ngrams = char_ngrams
        self.min_confidence = min_confidence
        self.random_state = random_state

    def _prepare(self, X):
        X = list(X)
        return (TextNormaliser().transform(X), TextNormaliser(drop_stopwords=False, stemmed=False).transform(X),
                self.lexicon_.transform(X))

    def _features(self, prepared, fit: bool = False):
        stems, canonical, lexicon_scores = prepared
        if fit:
            self.words_ = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)).fit(stems)
            self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams),
                                          sublinear_tf=True).fit(canonical)
        return sp.hstack([self.words_.transform(stems), self.chars_.transform(canonical),
                          sp.csr_matrix(_shares(lexicon_scores) * self.lexicon_weight)]).tocsr()

    def fit(self, X, y, sample_weight=None):
        self.lexicon_ = LexiconScorer().fit()
        features = self._features(self._prepare(X), fit=True)
        self.model_ = LogisticRegression(C=self.C, max_iter=5000, random_state=self.random_state)
        self.model_.fit(features, np.asarray(y), sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        return self.model_.predict_proba(self._features(self._prepare(X)))

    def predict_with_confidence(self, X) -> tuple[np.ndarray, np.ndarray]:
        return _decide(self.classes_, self.predict_proba(X), self.min_confidence)

    def predict(self, X) -> np.ndarray:
        return self.predict_with_confidence(X)[0]


class ColdStartClassifier(BaseEstimator, ClassifierMixin):
    """Cause classifier that needs no labelled answers.

    ``fit(X)`` takes the answers to be classified (labels, if given, are ignored). With
    ``self_training`` it learns from the answers the lexicon is confident about, and blends that
    model with the lexicon itself.
    """

    def __init__(self, temperature: float = 1.0, self_training: bool = True, pseudo_label_confidence: float = 0.6,
                 blend: float = 0.5, min_confidence: float = 0.3, random_state: int = 0):
        self.temperature = temperature
        self.self_training = self_training
        self.pseudo_label_confidence = pseudo_label_confidence
        self.blend = blend
        self.min_confidence = min_confidence
        self.random_state = random_state

    def _lexicon_proba(self, scores: np.ndarray) -> np.ndarray:
        z = scores / self.temperature
        z = z - z.max(axis=1, keepdims=True)
        proba = np.exp(z)
        proba /= proba.sum(axis=1, keepdims=True)
        # No lexicon hit at all: a flat distribution, which ``_decide`` turns into "uncertain".
        proba[scores.max(axis=1) == 0] = 1.0 / scores.shape[1]
        return proba

    def fit(self, X, y=None):
        X = list(X)
        self.lexicon_ = LexiconScorer().fit()
        self.classes_ = np.array(self.lexicon_.causes_)
        self.student_ = None
        if self.self_training and X:
            proba = self._lexicon_proba(self.lexicon_.transform(X))
            best = proba.argmax(axis=1)
            confident = proba.max(axis=1) >= self.pseudo_label_confidence
            labels = self.classes_[best[confident]]
            # A student needs at least two causes with a couple of examples each to learn anything.
            counts = np.unique(labels, return_counts=True)[1] if len(labels) else np.array([])
            if (counts >= 2).sum() >= 2:
                texts = [text for text, keep in zip(X, confident) if keep]
                self.student_ = CauseClassifier(random_state=self.random_state).fit(texts, labels)
        return self

    def predict_proba(self, X) -> np.ndarray:
        X = list(X)
        proba = self._lexicon_proba(self.lexicon_.transform(X))
        if self.student_ is not None:
            student = np.zeros_like(proba)
            columns = [list(self.classes_).index(c) for c in self.student_.classes_]
            student[:, columns] = self.student_.predict_proba(X)
            proba = (1 - self.blend) * proba + self.blend * student
        return proba

    def predict_with_confidence(self, X) -> tuple[np.ndarray, np.ndarray]:
        return _decide(self.classes_, self.predict_proba(X), self.min_confidence)

    def predict(self, X) -> np.ndarray:
        return self.predict_with_confidence(X)[0]
