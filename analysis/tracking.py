"""Themes over time: a new quarter's answers join the themes already known where they fit, and what
fits none of them becomes a new theme, flagged as new, so HR sees what is emerging.

The feature space (vocabulary, SVD, cause model) is the one learnt when the themes were first
found. Refitting from scratch every quarter would renumber and reshape themes, and a trend line
needs the same theme to mean the same thing across quarters.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize

from analysis.text import TextNormaliser, is_non_answer, surface_forms
from analysis.themes import UNASSIGNED, Theme, ThemeClusterer, choose_k, key_phrases, theme_label


class ThemeTracker(BaseEstimator):
    """Keeps a set of themes up to date quarter by quarter.

    ``fit(X)`` finds the first themes (with ``clusterer``, a ``ThemeClusterer`` by default).
    ``update(X)`` labels a new batch: known themes first; the rest, when at least
    ``min_new_theme_size`` answers say something alike, form new themes with ``new=True``.
    """

    def __init__(self, clusterer: ThemeClusterer | None = None, min_new_theme_size: int = 5,
                 max_new_themes: int = 5, burst_ratio: float = 5.0, random_state: int = 0):
        self.clusterer = clusterer
        self.min_new_theme_size = min_new_theme_size
        self.max_new_themes = max_new_themes
        self.burst_ratio = burst_ratio
        self.random_state = random_state

    def fit(self, X, y=None):
        self.clusterer_ = (clone(self.clusterer) if self.clusterer is not None
                           else ThemeClusterer(random_state=self.random_state))
        self.clusterer_.fit(list(X))
        self.themes_: list[Theme] = list(self.clusterer_.themes_)
        self.labels_ = self.clusterer_.labels_
        self.n_updates_ = 0
        self.history_df_: Counter = Counter()
        self.history_n_ = 0
        self.term_themes_: dict[str, int] = {}
        self._remember(list(X))
        return self

    def _stem_sets(self, X) -> list[set[str]]:
        return [set(text.split()) for text in TextNormaliser().transform(X)]

    def _remember(self, X):
        for stems in self._stem_sets(X):
            self.history_df_.update(stems)
        self.history_n_ += len(X)

    def update(self, X) -> np.ndarray:
        """Theme ids for a new batch of answers; may add new themes to ``themes_``."""
        X = list(X)
        self.n_updates_ += 1
        labels = self.clusterer_.predict(X)
        stem_sets = self._stem_sets(X)
        for i, stems in enumerate(stem_sets):
            for stem in sorted(stems & self.term_themes_.keys()):
                labels[i] = self.term_themes_[stem]
                break
        self._add_burst_themes(X, stem_sets, labels)
        leftover = [i for i, label in enumerate(labels) if label == UNASSIGNED and not is_non_answer(X[i])]
        if len(leftover) >= 2 * self.min_new_theme_size:
            self._add_new_themes(X, leftover, labels)
        self._remember(X)
        return labels

    def _add_burst_themes(self, X, stem_sets, labels):
        """Words that were rare or unknown and are suddenly common mark a new theme.

        The fitted vocabulary cannot see a word it never met ("parkering"), so k-means in that
        space would fold such answers into some old theme; counting the words directly cannot.
        """
        batch_df = Counter(stem for stems in stem_sets for stem in stems)
        n = len(X)
        bursts = [stem for stem, count in batch_df.most_common()
                  if count >= self.min_new_theme_size and len(stem) > 2 and stem not in self.term_themes_
                  and count / n >= self.burst_ratio * (self.history_df_[stem] + 1) / (self.history_n_ + 1)]
        claimed: set[int] = set()
        found: list[tuple[str, list[int]]] = []
        for stem in bursts:
            if len(found) >= self.max_new_themes:
                break
            members = [i for i, stems in enumerate(stem_sets) if stem in stems and i not in claimed]
            if len(members) < self.min_new_theme_size:
                continue
            claimed.update(members)
            found.append((stem, members))
        if not found:
            return
        forms = surface_forms(X)
        marked = np.full(n, UNASSIGNED)
        for local, (_, members) in enumerate(found):
            marked[members] = local
        phrases = key_phrases(X, marked)
        for local, (stem, members) in enumerate(found):
            vectors = self.clusterer_.features_.transform([X[i] for i in members])
            terms = phrases.get(local) or [forms.get(stem, stem)]
            theme_id = self._append_theme(vectors, terms, members, members)
            self.term_themes_[stem] = theme_id
            for i in members:
                labels[i] = theme_id

    def _append_theme(self, vectors, terms, members, representatives) -> int:
        clusterer = self.clusterer_
        theme_id = len(clusterer.cluster_centers_)
        centre = normalize(vectors.mean(axis=0, keepdims=True))[0]
        text_view = clusterer.features_.text_part(vectors)
        text_centre = normalize(text_view.mean(axis=0, keepdims=True))[0]
        quantile = clusterer.fit_quantile
        clusterer.cluster_centers_ = np.vstack([clusterer.cluster_centers_, centre])
        clusterer.thresholds_ = np.append(clusterer.thresholds_, max(
            clusterer.min_similarity, float(np.quantile(vectors @ centre, quantile))))
        clusterer.text_centers_ = np.vstack([clusterer.text_centers_, text_centre])
        clusterer.text_thresholds_ = np.append(clusterer.text_thresholds_,
                                               float(np.quantile(text_view @ text_centre, quantile)))
        clusterer.k_ = len(clusterer.cluster_centers_)
        order = np.argsort(-(vectors @ centre))[:clusterer.n_representatives]
        self.themes_.append(Theme(id=theme_id, label=theme_label(terms, theme_id),
                                  top_terms=list(terms), size=len(members),
                                  representatives=[int(representatives[i]) for i in order], new=True))
        return theme_id

    def _add_new_themes(self, X, leftover, labels):
        """Answers that fit no theme but resemble each other form new themes."""
        rng = np.random.RandomState([self.random_state, self.n_updates_])
        features = self.clusterer_.features_
        texts = [X[i] for i in leftover]
        vectors = features.transform(texts)
        high = min(self.max_new_themes, len(leftover) // self.min_new_theme_size)
        k = choose_k(vectors, (2, high), 4, 0.8, self.clusterer_.max_stability_sample, rng)[0] if high >= 2 else 1
        model = KMeans(k, n_init=10, random_state=rng.randint(2**31 - 1)).fit(vectors)
        marked = np.full(len(texts), UNASSIGNED)
        for local in range(model.n_clusters):
            members = np.flatnonzero(model.labels_ == local)
            centre = normalize(model.cluster_centers_[local:local + 1])[0]
            tight = members[vectors[members] @ centre >= self.clusterer_.min_similarity]
            if len(tight) >= self.min_new_theme_size:
                marked[tight] = local
        phrases = key_phrases(texts, marked)
        for local in range(model.n_clusters):
            tight = np.flatnonzero(marked == local)
            if not len(tight):
                continue
            theme_id = self._append_theme(vectors[tight], phrases.get(local, []), tight, [leftover[i] for i in tight])
            for i in tight:
                labels[leftover[i]] = theme_id


def counts_by(themes, periods, groups=None) -> dict[tuple, int]:
    """Answers per (theme, period) or per (theme, period, group); unassigned answers count as -1.

    Raw counts: anything shown to people goes through the privacy rules first.
    """
    counts: dict[tuple, int] = defaultdict(int)
    groups = groups if groups is not None else [None] * len(themes)
    for theme, period, group in zip(themes, periods, groups):
        key = (int(theme), period) if group is None else (int(theme), period, group)
        counts[key] += 1
    return dict(counts)
