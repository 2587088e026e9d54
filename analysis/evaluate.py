"""How well the pipeline does on a labelled set: classification (trained and cold start),
clustering against the labels and across seeds, and scrubbing recall.

The measures are plain functions so a benchmark, a test or the CLI can call them.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.metrics import adjusted_rand_score, f1_score, normalized_mutual_info_score
from sklearn.model_selection import StratifiedKFold

from analysis.classify import CauseClassifier, ColdStartClassifier
from analysis.scrub import PersonalDataScrubber
from analysis.text import normalise
from analysis.themes import ThemeClusterer

_WORDS = re.compile(r"\w+")


@dataclass
class ClassificationScore:
    macro_f1: float            # every answer gets its most likely cause
    uncertain_share: float     # answers the default threshold sends to "uncertain"
    macro_f1_confident: float  # macro-F1 on the answers that were not uncertain


def _classification_score(y_true, proba, classes, min_confidence) -> ClassificationScore:
    best = np.asarray(classes)[proba.argmax(axis=1)]
    confident = proba.max(axis=1) >= min_confidence
    return ClassificationScore(
        macro_f1=float(f1_score(y_true, best, average="macro")),
        uncertain_share=float(1 - confident.mean()),
        macro_f1_confident=float(f1_score(np.asarray(y_true)[confident], best[confident], average="macro"))
        if confident.any() else 0.0)


def cross_validated_classification(texts, labels, folds: int = 5, random_state: int = 0,
                                   model: CauseClassifier | None = None) -> ClassificationScore:
    """Stratified k-fold: each answer is predicted by a model that never saw it."""
    texts, labels = list(texts), np.asarray(labels)
    model = model or CauseClassifier(random_state=random_state)
    classes = np.unique(labels)
    proba = np.zeros((len(texts), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    for train, test in splitter.split(texts, labels):
        fitted = model.__class__(**model.get_params()).fit([texts[i] for i in train], labels[train])
        columns = np.searchsorted(classes, fitted.classes_)
        proba[np.ix_(test, columns)] = fitted.predict_proba([texts[i] for i in test])
    return _classification_score(labels, proba, classes, model.min_confidence)


def cold_start_classification(texts, labels, random_state: int = 0) -> ClassificationScore:
    """The classifier as a new municipality gets it: no labels, only the project's seed lexicon."""
    model = ColdStartClassifier(random_state=random_state).fit(list(texts))
    return _classification_score(labels, model.predict_proba(list(texts)), model.classes_, model.min_confidence)


@dataclass
class ClusteringScore:
    k: int
    nmi: float                # against the labels, at the automatically chosen k
    seed_ari: float           # agreement of two runs with different seeds
    unassigned_share: float
    second_k: int


def clustering(texts, labels, seeds: tuple[int, int] = (0, 1), k: int | None = None) -> ClusteringScore:
    texts = list(texts)
    first = ThemeClusterer(k=k, random_state=seeds[0]).fit(texts)
    second = ThemeClusterer(k=k, random_state=seeds[1]).fit(texts)
    return ClusteringScore(k=first.k_, nmi=float(normalized_mutual_info_score(labels, first.labels_)),
                           seed_ari=float(adjusted_rand_score(first.labels_, second.labels_)),
                           unassigned_share=float((first.labels_ < 0).mean()), second_k=second.k_)


def parse_pii(value: str) -> list[tuple[str, str]]:
    """``kind:exact text | kind:exact text`` -> [(kind, text)]."""
    spans = []
    for part in (value or "").split(" | "):
        if ":" in part:
            kind, text = part.split(":", 1)
            spans.append((kind.strip(), text.strip()))
    return spans


@dataclass
class ScrubScore:
    spans: int
    removed: int
    recall: float
    other_words: int
    other_altered: int
    altered_share: float
    missed: list


def scrubbing(texts, pii_values, scrubber: PersonalDataScrubber | None = None) -> ScrubScore:
    """A span counts as removed when its exact text is gone from the output; a word outside every
    span counts as altered when the output has fewer copies of it than the input."""
    scrubber = scrubber or PersonalDataScrubber()
    spans = removed = other = altered = 0
    missed = []
    for text, value in zip(texts, pii_values):
        text = normalise(text)
        output = scrubber.scrub(text)
        listed = parse_pii(value)
        masked = text
        for kind, span in listed:
            spans += 1
            if span in output:
                missed.append(f"{kind}:{span}")
            else:
                removed += 1
            masked = masked.replace(span, " ")
        remaining = Counter(_WORDS.findall(output))
        for word in _WORDS.findall(masked):
            other += 1
            if remaining[word] > 0:
                remaining[word] -= 1
            else:
                altered += 1
    return ScrubScore(spans=spans, removed=removed, recall=removed / spans if spans else 1.0,
                      other_words=other, other_altered=altered,
                      altered_share=altered / other if other else 0.0, missed=missed)


def as_dict(score) -> dict:
    return asdict(score)
