"""Cause classification of free-text answers into the sluttsamtale cause codes.

Two modes, both scikit-learn classifiers built from swappable parts:

- ``CauseClassifier``: trained on labelled answers (in the product these come for free: people who
  chose a main reason and also wrote a text). Features are a ``FeatureUnion`` of what the answer
  means (sentence embedding) and the words it uses (stems and character n-grams); the cause
  descriptions join the training answers as a few extra examples per cause, which keeps a cause
  with few labelled answers from being learnt from those alone.
- ``ColdStartClassifier``: no labels at all. Starts from how close each answer is to the causes'
  descriptions and the seed lexicon (``CauseAffinityStep``), then trains a ``CauseClassifier`` on
  the answers it is most sure of (self-training), so it learns the words of the answers at hand.

``features``, ``estimator``, ``affinity`` and ``student`` are cloned, never fitted in place.
Both give ``predict_proba``; ``predict`` says ``UNCERTAIN`` rather than guess when the best cause
has less than ``min_confidence``, and ``predict_with_confidence`` gives the most likely cause, its
probability and whether it counts as uncertain.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from analysis.features import CauseAffinityStep, EmbeddingStep, WordStep, cause_descriptions

UNCERTAIN = "uncertain"
# Below this probability the most likely cause is not clearly ahead of the others (12 causes:
# an even spread gives each 0.08).
MIN_CONFIDENCE = 0.3


def default_features(embedder=None) -> FeatureUnion:
    """Meaning and words. The weights were chosen on the development set by cross-validation."""
    return FeatureUnion([("embedding", EmbeddingStep(embedder=embedder)), ("words", WordStep())],
                        transformer_weights={"embedding": 1.5, "words": 1.0})


def decide(classes, proba: np.ndarray, min_confidence: float):
    """(most likely cause, its probability, uncertain?) per row."""
    best = proba.argmax(axis=1)
    confidence = proba[np.arange(len(best)), best]
    return np.asarray(classes)[best].astype(object), confidence, confidence < min_confidence


class _Decisions:
    min_confidence: float

    def predict_with_confidence(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Labels with ``UNCERTAIN`` below the threshold, and the best cause's probability."""
        labels, confidence, uncertain = decide(self.classes_, self.predict_proba(X), self.min_confidence)
        labels[uncertain] = UNCERTAIN
        return labels, confidence

    def predict(self, X) -> np.ndarray:
        return self.predict_with_confidence(X)[0]


class CauseClassifier(_Decisions, ClassifierMixin, BaseEstimator):
    """Supervised cause classifier: ``features`` (default: embedding + words) then ``estimator``
    (default: logistic regression), with the cause descriptions as extra examples weighted
    ``description_weight`` (0 leaves them out)."""

    def __init__(self, features=None, estimator=None, C: float = 30.0, description_weight: float = 1.0,
                 min_confidence: float = MIN_CONFIDENCE, random_state: int = 0):
        self.features = features
        self.estimator = estimator
        self.C = C
        self.description_weight = description_weight
        self.min_confidence = min_confidence
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        X, y = list(X), [str(label) for label in y]
        weights = list(sample_weight) if sample_weight is not None else [1.0] * len(X)
        if self.description_weight:
            known = set(y)
            for cause, lines in cause_descriptions().items():
                if cause in known:
                    X += lines
                    y += [cause] * len(lines)
                    weights += [self.description_weight] * len(lines)
        features = clone(self.features) if self.features is not None else default_features()
        estimator = (clone(self.estimator) if self.estimator is not None else
                     LogisticRegression(C=self.C, max_iter=5000, random_state=self.random_state))
        self.pipeline_ = Pipeline([("features", features), ("model", estimator)])
        self.pipeline_.fit(X, np.asarray(y), model__sample_weight=np.asarray(weights))
        self.classes_ = self.pipeline_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        return self.pipeline_.predict_proba(list(X))


class ColdStartClassifier(_Decisions, ClassifierMixin, BaseEstimator):
    """Cause classifier that needs no labelled answers.

    ``fit(X)`` takes the answers to be classified (labels, if given, are ignored). The prior is
    ``affinity`` (default: cause descriptions and seed lexicon). With ``self_training``, the share
    ``pseudo_label_share`` of each cause's most confident answers train ``student`` (default: a
    ``CauseClassifier``), and the two are blended.
    """

    def __init__(self, affinity=None, student=None, self_training: bool = True, pseudo_label_share: float = 0.7,
                 blend: float = 0.5, min_confidence: float = MIN_CONFIDENCE, random_state: int = 0):
        self.affinity = affinity
        self.student = student
        self.self_training = self_training
        self.pseudo_label_share = pseudo_label_share
        self.blend = blend
        self.min_confidence = min_confidence
        self.random_state = random_state

    def fit(self, X, y=None):
        X = list(X)
        self.affinity_ = (clone(self.affinity) if self.affinity is not None else CauseAffinityStep()).fit(X)
        self.classes_ = np.asarray(self.affinity_.classes_)
        self.student_ = None
        if self.self_training and len(X) >= 10:
            proba = self.affinity_.transform(X)
            best, confidence = proba.argmax(axis=1), proba.max(axis=1)
            chosen: list[int] = []
            for cause in np.unique(best):
                members = np.flatnonzero(best == cause)
                take = max(2, int(round(len(members) * self.pseudo_label_share)))
                chosen.extend(members[np.argsort(-confidence[members])][:take].tolist())
            labels = self.classes_[best[chosen]]
            # A student needs at least two causes with a couple of examples each to learn anything.
            counts = np.unique(labels, return_counts=True)[1]
            if (counts >= 2).sum() >= 2:
                student = (clone(self.student) if self.student is not None else
                           CauseClassifier(C=10.0, random_state=self.random_state))
                self.student_ = student.fit([X[i] for i in chosen], labels)
        return self

    def predict_proba(self, X) -> np.ndarray:
        X = list(X)
        proba = self.affinity_.transform(X)
        if self.student_ is not None:
            student = np.zeros_like(proba)
            columns = np.searchsorted(self.classes_, self.student_.classes_)
            student[:, columns] = self.student_.predict_proba(X)
            proba = (1 - self.blend) * proba + self.blend * student
        return proba


class Prefitted:
    """A fitted classifier handed to another component as is: ``clone`` and ``deepcopy`` return
    the same object, so a component that clones its parameters (as it must) keeps what the
    classifier learnt instead of getting an unfitted copy. It remembers the probabilities it has
    given per text: the themes ask again for the answers the classification has just scored."""

    def __init__(self, model):
        self.model = model
        self._known: dict[str, np.ndarray] = {}

    def __sklearn_clone__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    @property
    def classes_(self):
        return self.model.classes_

    @property
    def min_confidence(self):
        return self.model.min_confidence

    def predict_proba(self, X) -> np.ndarray:
        X = list(X)
        missing = [text for text in dict.fromkeys(X) if text not in self._known]
        if missing:
            self._known.update(zip(missing, self.model.predict_proba(missing)))
        if not X:
            return np.zeros((0, len(self.classes_)))
        return np.vstack([self._known[text] for text in X])
