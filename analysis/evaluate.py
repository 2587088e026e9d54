"""How well the pipeline does on a labelled set: classification (trained and cold start),
clustering against the labels and across seeds, and scrubbing recall.

The measures are plain functions so a benchmark, a test or the CLI can call them.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score, f1_score, normalized_mutual_info_score
from sklearn.model_selection import StratifiedKFold

from analysis.classify import CauseClassifier, ColdStartClassifier
from analysis.scrub import PersonalDataScrubber
from analysis.table import read_rows
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


def _held_out_proba(model, texts, labels, classes, train, test) -> np.ndarray:
    fitted = clone(model).fit([texts[i] for i in train], labels[train])
    proba = np.zeros((len(test), len(classes)))
    proba[:, np.searchsorted(classes, fitted.classes_)] = fitted.predict_proba([texts[i] for i in test])
    return proba


def cross_validated_classification(texts, labels, folds: int = 5, random_state: int = 0,
                                   model: CauseClassifier | None = None) -> ClassificationScore:
    """Stratified k-fold: each answer is predicted by a model that never saw it."""
    texts, labels = list(texts), np.asarray(labels)
    model = model or CauseClassifier(random_state=random_state)
    classes = np.unique(labels)
    proba = np.zeros((len(texts), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    for train, test in splitter.split(texts, labels):
        proba[test] = _held_out_proba(model, texts, labels, classes, train, test)
    return _classification_score(labels, proba, classes, model.min_confidence)


def transfer_classification(texts, labels, groups, train_groups, random_state: int = 0,
                            model: CauseClassifier | None = None) -> ClassificationScore:
    """Train on the answers whose group is in ``train_groups`` (say nynorsk), test on all others
    (bokmål and English): does what was learnt in one language carry over to the others?"""
    texts, labels, groups = list(texts), np.asarray(labels), np.asarray(groups)
    model = model or CauseClassifier(random_state=random_state)
    train = np.flatnonzero(np.isin(groups, list(train_groups)))
    test = np.flatnonzero(~np.isin(groups, list(train_groups)))
    classes = np.unique(labels)
    proba = _held_out_proba(model, texts, labels, classes, train, test)
    return _classification_score(labels[test], proba, classes, model.min_confidence)


def leave_one_group_out(texts, labels, groups, random_state: int = 0, model: CauseClassifier | None = None
                        ) -> tuple[ClassificationScore, dict[str, float]]:
    """Each group (say a sector) predicted by a model trained on the others: the pooled score, and
    macro-F1 per group."""
    texts, labels, groups = list(texts), np.asarray(labels), np.asarray(groups)
    model = model or CauseClassifier(random_state=random_state)
    classes = np.unique(labels)
    proba = np.zeros((len(texts), len(classes)))
    per_group = {}
    for group in np.unique(groups):
        test = np.flatnonzero(groups == group)
        proba[test] = _held_out_proba(model, texts, labels, classes, np.flatnonzero(groups != group), test)
        per_group[str(group)] = float(f1_score(labels[test], classes[proba[test].argmax(axis=1)], average="macro"))
    return _classification_score(labels, proba, classes, model.min_confidence), per_group


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


@dataclass
class NameScore:
    names: int                     # words of person names in the file
    removed: int
    recall: float
    other_altered_share: float     # other words touched by any placeholder
    places_altered_share: float    # words of place names touched
    by_language: dict


def names_in_real_text(path, scrubber: PersonalDataScrubber | None = None) -> NameScore:
    """The full scrubber on each sentence of a CoNLL-U file with names annotated (NorNE), scored by
    word. Note that the shipped name model was trained on NorNE's development split: on that file
    this is an in-sample figure; the cross-validated ones are in ``analysis/data/person_names.yaml``."""
    from analysis.norne import evaluate_on_conllu

    figures = evaluate_on_conllu(path, scrubber)
    return NameScore(names=figures["person_tokens"], removed=figures["person_removed"], recall=figures["recall"],
                     other_altered_share=figures["other_altered"], places_altered_share=figures["place_altered"],
                     by_language={language: {"recall": f["recall"], "other_altered": f["other_altered"],
                                             "place_altered": f["place_altered"]}
                                  for language, f in figures["by_language"].items()})


def read_topic_sentences(path) -> tuple[list[str], list[str]]:
    """A SIB-200 style file (tab-separated, columns ``text`` and ``category``)."""
    _, rows = read_rows(path, "text", "category")
    return [row["text"] for row in rows], [row["category"] for row in rows]


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
