"""The cause analysis as one call: scrub, classify, cluster. Used by the CLI, the web app and the report.

Scrubbing comes first and everything after it sees only scrubbed text, so no name can end up in a
vocabulary, a theme label or a representative quote.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis.classify import UNCERTAIN, CauseClassifier, ColdStartClassifier
from analysis.scrub import PersonalDataScrubber
from analysis.text import detect_language, is_non_answer
from analysis.themes import AnswerFeatures, Theme, ThemeClusterer

# Fewer labelled answers than this per cause, and the trained model is not better than the lexicon.
MIN_TRAINING_PER_CAUSE = 3
MIN_TRAINING_CAUSES = 4

Progress = Callable[[Iterable, str, int], Iterable]


def _no_progress(items: Iterable, description: str, total: int) -> Iterable:
    return items


def _chunks(items: Sequence, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def scrub_texts(texts: Sequence[str], progress: Progress = _no_progress) -> list[str]:
    scrubber = PersonalDataScrubber()
    result: list[str] = []
    chunks = list(_chunks(list(texts)))
    for chunk in progress(chunks, "scrub", len(chunks)):
        result.extend(scrubber.transform(chunk))
    return result


def cause_model(texts: Sequence[str], train_texts: Sequence[str] | None = None,
                train_labels: Sequence[str] | None = None, random_state: int = 0):
    """A trained classifier when there are enough labelled answers, otherwise the cold-start one."""
    if train_texts is not None and train_labels is not None:
        pairs = [(t, l) for t, l in zip(train_texts, train_labels) if l and not is_non_answer(t)]
        labels, counts = np.unique([l for _, l in pairs], return_counts=True) if pairs else ([], [])
        if sum(c >= MIN_TRAINING_PER_CAUSE for c in counts) >= MIN_TRAINING_CAUSES:
            keep = {label for label, count in zip(labels, counts) if count >= MIN_TRAINING_PER_CAUSE}
            chosen = [(t, l) for t, l in pairs if l in keep]
            return CauseClassifier(random_state=random_state).fit([t for t, _ in chosen], [l for _, l in chosen])
    return ColdStartClassifier(random_state=random_state).fit([t for t in texts if not is_non_answer(t)])


def classify_texts(model, texts: Sequence[str], progress: Progress = _no_progress) -> tuple[list[str], list[float]]:
    causes: list[str] = []
    confidences: list[float] = []
    chunks = list(_chunks(list(texts)))
    for chunk in progress(chunks, "classify", len(chunks)):
        labels, confidence = model.predict_with_confidence(chunk)
        causes.extend(str(label) for label in labels)
        confidences.extend(float(c) for c in confidence)
    for i, text in enumerate(texts):
        if is_non_answer(text):
            causes[i], confidences[i] = UNCERTAIN, 0.0
    return causes, confidences


@dataclass
class Analysis:
    scrubbed: list[str]
    languages: list[str]
    causes: list[str]
    confidences: list[float]
    themes: list[int]
    theme_list: list[Theme]
    k: int
    stability: dict[int, float]
    trained: bool
    parameters: dict = field(default_factory=dict)
    clusterer: ThemeClusterer | None = None

    def theme_label(self, theme: int) -> str:
        for item in self.theme_list:
            if item.id == theme:
                return item.label
        return ""


def analyse(texts: Sequence[str], train_texts: Sequence[str] | None = None,
            train_labels: Sequence[str] | None = None, k: int | None = None, random_state: int = 0,
            progress: Progress = _no_progress) -> Analysis:
    """Scrub, classify and cluster ``texts``. Training texts are scrubbed too before they are used."""
    scrubbed = scrub_texts(texts, progress)
    train = scrub_texts(train_texts, progress) if train_texts is not None else None
    model = cause_model(scrubbed, train, train_labels, random_state)
    causes, confidences = classify_texts(model, scrubbed, progress)
    clusterer = ThemeClusterer(k=k, random_state=random_state,
                               features=AnswerFeatures(cause_model=model, random_state=random_state))
    for _ in progress([None], "cluster", 1):
        clusterer.fit(scrubbed)
    return Analysis(scrubbed=scrubbed, languages=[detect_language(t) for t in scrubbed], causes=causes,
                    confidences=confidences, themes=[int(t) for t in clusterer.labels_],
                    theme_list=clusterer.themes_, k=clusterer.k_, stability=clusterer.stability_,
                    trained=isinstance(model, CauseClassifier),
                    parameters={"k": k, "random_state": random_state, "k_range": list(clusterer.k_range),
                                "n_resamples": clusterer.n_resamples, "min_similarity": clusterer.min_similarity,
                                "max_unassigned": clusterer.max_unassigned, "trained": isinstance(model, CauseClassifier)},
                    clusterer=clusterer)
