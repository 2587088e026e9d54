"""The cause analysis as one object: scrub, classify, find themes (tracked over quarters when the
answers carry periods). The CLI, the web app and the report all run ``CauseAnalysis``.

Scrubbing comes first and everything after it sees only scrubbed text, so no name can end up in a
vocabulary, a theme label or a representative quote. Each step is a component passed in (and
cloned) or a default: ``scrubber``, ``classifier`` (trained on labelled answers), ``cold_start``
(no labels), ``clusterer`` (themes).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator, clone

from analysis.classify import UNCERTAIN, CauseClassifier, ColdStartClassifier, Prefitted, decide
from analysis.scrub import PersonalDataScrubber
from analysis.text import detect_language, is_non_answer
from analysis.themes import Theme, ThemeClusterer, ThemeFeatures
from analysis.tracking import ThemeTracker

# Fewer labelled answers than this per cause, and the trained model is not better than the cold start.
MIN_TRAINING_PER_CAUSE = 3
MIN_TRAINING_CAUSES = 4
# Themes are tracked (learnt on earlier quarters, the current one placed into them) from this
# many earlier answers; with fewer, all answers are clustered together.
MIN_TRACKING_HISTORY = 20

Progress = Callable[[Iterable, str, int], Iterable]


def _no_progress(items: Iterable, description: str, total: int) -> Iterable:
    return items


def _chunks(items: Sequence, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def scrub_texts(texts: Sequence[str], progress: Progress = _no_progress, scrubber=None) -> list[str]:
    scrubber = scrubber if scrubber is not None else PersonalDataScrubber()
    result: list[str] = []
    chunks = list(_chunks(list(texts)))
    for chunk in progress(chunks, "scrub", len(chunks)):
        result.extend(scrubber.transform(chunk))
    return result


def _counted_labels(causes: list[str], uncertain: list[bool]) -> list[str]:
    """Causes with ``UNCERTAIN`` where the classifier is not sure: what a table counts."""
    return [UNCERTAIN if flag else cause for cause, flag in zip(causes, uncertain)]


@dataclass
class Classification:
    causes: list[str]          # the most likely cause of every answer ("uncertain" for non-answers)
    confidences: list[float]   # its probability
    uncertain: list[bool]      # below the classifier's threshold (or a non-answer)
    trained: bool
    model: Prefitted | None = None  # the fitted classifier, remembering what it scored

    def labels(self) -> list[str]:
        return _counted_labels(self.causes, self.uncertain)


@dataclass
class Analysis:
    scrubbed: list[str]
    languages: list[str]
    causes: list[str]
    confidences: list[float]
    uncertain: list[bool]
    themes: list[int]
    theme_list: list[Theme]
    k: int
    stability: dict[int, float]
    trained: bool
    parameters: dict = field(default_factory=dict)
    clusterer: ThemeClusterer | None = None

    def labels(self) -> list[str]:
        return _counted_labels(self.causes, self.uncertain)

    def theme_label(self, theme: int) -> str:
        for item in self.theme_list:
            if item.id == theme:
                return item.label
        return ""


class CauseAnalysis(BaseEstimator):
    """Scrub, classify and find themes in free-text answers.

    ``run(texts, train_texts, train_labels, periods, current)``: labelled answers (in the app, the
    respondents' own main reason) train ``classifier`` when there are enough of them, otherwise
    ``cold_start`` learns from the answers alone. With ``periods`` and ``current``, themes are
    learnt on the earlier quarters and the current quarter's answers are placed into them, new
    themes flagged; otherwise all answers are clustered together.
    """

    def __init__(self, scrubber=None, classifier=None, cold_start=None, clusterer=None, k: int | None = None,
                 scrub: bool = True, random_state: int = 0):
        self.scrubber = scrubber
        self.classifier = classifier
        self.cold_start = cold_start
        self.clusterer = clusterer
        self.k = k
        self.scrub = scrub
        self.random_state = random_state

    def scrub_all(self, texts, progress: Progress = _no_progress) -> list[str]:
        if not self.scrub:
            return list(texts)
        return scrub_texts(texts, progress, clone(self.scrubber) if self.scrubber is not None else None)

    def cause_model(self, texts, train_texts=None, train_labels=None):
        """A trained classifier when there are enough labelled answers, otherwise the cold-start one."""
        if train_texts is not None and train_labels is not None:
            pairs = [(t, l) for t, l in zip(train_texts, train_labels) if l and not is_non_answer(t)]
            labels, counts = np.unique([l for _, l in pairs], return_counts=True) if pairs else ([], [])
            if sum(c >= MIN_TRAINING_PER_CAUSE for c in counts) >= MIN_TRAINING_CAUSES:
                keep = {label for label, count in zip(labels, counts) if count >= MIN_TRAINING_PER_CAUSE}
                chosen = [(t, l) for t, l in pairs if l in keep]
                model = (clone(self.classifier) if self.classifier is not None
                         else CauseClassifier(random_state=self.random_state))
                return model.fit([t for t, _ in chosen], [l for _, l in chosen])
        model = (clone(self.cold_start) if self.cold_start is not None
                 else ColdStartClassifier(random_state=self.random_state))
        return model.fit([t for t in texts if not is_non_answer(t)])

    def classify(self, texts, train_texts=None, train_labels=None, progress: Progress = _no_progress,
                 model=None) -> Classification:
        """Texts must be scrubbed already (see ``scrub_all``)."""
        texts = list(texts)
        model = model if model is not None else self.cause_model(texts, train_texts, train_labels)
        model = model if isinstance(model, Prefitted) else Prefitted(model)
        causes: list[str] = []
        confidences: list[float] = []
        uncertain: list[bool] = []
        chunks = list(_chunks(texts))
        for chunk in progress(chunks, "classify", len(chunks)):
            best, confidence, unsure = decide(model.classes_, model.predict_proba(chunk), model.min_confidence)
            causes.extend(str(c) for c in best)
            confidences.extend(float(c) for c in confidence)
            uncertain.extend(bool(u) for u in unsure)
        for i, text in enumerate(texts):
            if is_non_answer(text):
                causes[i], confidences[i], uncertain[i] = UNCERTAIN, 0.0, True
        return Classification(causes, confidences, uncertain, isinstance(model.model, CauseClassifier), model)

    def _clusterer(self, model) -> ThemeClusterer:
        if self.clusterer is not None:
            return clone(self.clusterer)
        return ThemeClusterer(k=self.k, random_state=self.random_state,
                              features=ThemeFeatures(cause_model=model, random_state=self.random_state))

    def run(self, texts, train_texts=None, train_labels=None, periods=None, current=None,
            progress: Progress = _no_progress) -> Analysis:
        scrubbed = self.scrub_all(texts, progress)
        train = self.scrub_all(train_texts, progress) if train_texts is not None else None
        classification = self.classify(scrubbed, train, train_labels, progress)
        clusterer = self._clusterer(classification.model)
        themes = [-1] * len(scrubbed)
        found: list[Theme] = []
        earlier = [i for i, p in enumerate(periods or []) if p != current]
        now = [i for i, p in enumerate(periods or []) if p == current]
        for _ in progress([None], "themes", 1):
            if periods is not None and current is not None and len(earlier) >= MIN_TRACKING_HISTORY:
                tracker = ThemeTracker(clusterer=clusterer, random_state=self.random_state)
                tracker.fit([scrubbed[i] for i in earlier])
                for i, theme in zip(earlier, tracker.labels_):
                    themes[i] = int(theme)
                for i, theme in zip(now, tracker.update([scrubbed[i] for i in now])):
                    themes[i] = int(theme)
                # Representatives are positions in the batch that found the theme: map them back.
                found = [Theme(id=t.id, label=t.label, top_terms=t.top_terms, size=t.size, new=t.new,
                               representatives=[(now if t.new else earlier)[j] for j in t.representatives])
                         for t in tracker.themes_]
            elif scrubbed:
                clusterer.fit(scrubbed)
                themes = [int(t) for t in clusterer.labels_]
                found = list(clusterer.themes_)
        return Analysis(
            scrubbed=scrubbed, languages=[detect_language(t) for t in scrubbed], causes=classification.causes,
            confidences=classification.confidences, uncertain=classification.uncertain, themes=themes,
            theme_list=found, k=getattr(clusterer, "k_", 0), stability=getattr(clusterer, "stability_", {}) or {},
            trained=classification.trained,
            parameters={"k": self.k, "random_state": self.random_state, "k_range": list(clusterer.k_range),
                        "n_resamples": clusterer.n_resamples, "min_similarity": clusterer.min_similarity,
                        "max_unassigned": clusterer.max_unassigned, "trained": classification.trained},
            clusterer=clusterer)


def analyse(texts: Sequence[str], train_texts: Sequence[str] | None = None,
            train_labels: Sequence[str] | None = None, k: int | None = None, random_state: int = 0,
            progress: Progress = _no_progress) -> Analysis:
    """Scrub, classify and cluster ``texts`` with the default components."""
    return CauseAnalysis(k=k, random_state=random_state).run(texts, train_texts, train_labels, progress=progress)
