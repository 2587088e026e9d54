"""Theme clustering of free-text answers: what people write about, including what no box covers.

``ThemeFeatures`` turns answers into dense vectors from three views, each a feature step:

- meaning: the sentence embedding, centred per language and whitened, so answers that say the
  same thing in other words or another language fall together;
- words: TF-IDF of canonical stems and character n-grams reduced by truncated SVD (LSA), which
  keeps answers that use the same vocabulary together, whatever the cause list says;
- causes: the answer's affinity to the known causes (a cause model's probabilities, or the
  cause descriptions), weighted per answer by how much it reads like a reason for leaving at
  all. Exit answers get the cause view in full; answers about something else (parking, the
  canteen, or sentences that are not exit answers at all) are grouped by meaning and words, so
  the causes inform the themes without deciding them.

``ThemeClusterer`` runs k-means on those vectors. The number of themes is chosen by stability:
cluster two random subsamples with different seeds and measure how well the two partitions agree
on the shared answers (adjusted Rand index); the k whose partitions agree best is the one the
data supports. The silhouette score cannot choose here: on short texts it is flat across k.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin, clone
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state

from analysis import resources
from analysis.features import CauseAffinityStep, EmbeddingStep, WordStep
from analysis.text import PLACEHOLDER, canonical_token, detect_language, is_non_answer, normalise, stem, tokenise

UNASSIGNED = -1


class ThemeFeatures(BaseEstimator, TransformerMixin):
    """Answers in, L2-normalised dense vectors out: [meaning, words (LSA), causes * relevance],
    each part unit length times its weight. A weight of 0 leaves a view out.

    ``cause_model`` is a classifier with ``predict_proba``: unfitted, it is cloned and fitted on
    the answers (as a ``ColdStartClassifier`` can be); a fitted one is passed as
    ``classify.Prefitted(model)``. By default the causes' descriptions are used.
    ``meaning``, ``words`` are the feature steps (cloned); defaults as described above.
    """

    def __init__(self, meaning=None, words=None, cause_model=None, meaning_weight: float = 1.0,
                 word_weight: float = 0.5, cause_weight: float = 1.0, n_components: int = 100,
                 random_state: int = 0):
        self.meaning = meaning
        self.words = words
        self.cause_model = cause_model
        self.meaning_weight = meaning_weight
        self.word_weight = word_weight
        self.cause_weight = cause_weight
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, X, y=None):
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        X = list(X)
        self.meaning_ = (clone(self.meaning) if self.meaning is not None else
                         EmbeddingStep(by_language=True, whiten=24, random_state=self.random_state))
        meaning = self.meaning_.fit_transform(X)
        self.words_step_ = clone(self.words) if self.words is not None else WordStep(min_df=2)
        text = self.words_step_.fit(X).transform(X)
        components = max(1, min(self.n_components, text.shape[1] - 1, len(X) - 1))
        self.svd_ = TruncatedSVD(components, random_state=self.random_state)
        reduced = self.svd_.fit_transform(text)
        self.affinity_ = CauseAffinityStep().fit(X)
        if self.cause_model is None:
            self.cause_model_ = self.affinity_
        else:
            self.cause_model_ = self.cause_model
            if not hasattr(self.cause_model, "classes_"):
                self.cause_model_ = clone(self.cause_model).fit(X)
        return self._combine(meaning, reduced, self._causes(X))

    def transform(self, X):
        X = list(X)
        return self._combine(self.meaning_.transform(X), self.svd_.transform(self.words_step_.transform(X)),
                             self._causes(X))

    @property
    def words_(self):
        """The stems vectoriser: what theme labels and novelty are read from."""
        return self.words_step_.words_

    def _causes(self, X):
        proba = (self.cause_model_.transform(X) if self.cause_model_ is self.affinity_
                 else self.cause_model_.predict_proba(X))
        return normalize(proba) * self.affinity_.relevance(X)[:, None]

    def _combine(self, meaning, reduced, causes):
        parts = [("meaning", normalize(meaning), self.meaning_weight), ("words", normalize(reduced), self.word_weight),
                 ("causes", causes, self.cause_weight)]
        self.columns_, blocks, start = {}, [], 0
        for name, block, weight in parts:
            if weight:
                blocks.append(block * weight)
                self.columns_[name] = slice(start, start + block.shape[1])
                start += block.shape[1]
        return normalize(np.hstack(blocks)).astype(np.float64)

    def text_part(self, vectors: np.ndarray) -> np.ndarray:
        """The words-only view of transformed vectors, normalised: what novelty is judged on."""
        return normalize(vectors[:, self.columns_["words"]]) if "words" in self.columns_ else normalize(vectors)


_CLAUSES = re.compile(r"[.,;:!?()\[\]\"\n]+|\s[-–]\s")


def _phrases(text: str, stop: frozenset, longest: int = 3) -> dict[tuple, str]:
    """Phrases of one to ``longest`` words from one answer, keyed by their canonical stems:
    within a clause, neither starting nor ending with a stopword, no numbers."""
    english = detect_language(text) == "en"
    found: dict[tuple, str] = {}
    for clause in _CLAUSES.split(PLACEHOLDER.sub(",", normalise(text))):
        words = tokenise(clause)
        for size in range(1, longest + 1):
            for start in range(len(words) - size + 1):
                piece = words[start:start + size]
                if piece[0] in stop or piece[-1] in stop or any(w[:1].isdigit() or len(w) < 2 for w in piece):
                    continue
                key = tuple(stem(canonical_token(w, english), english) for w in piece if w not in stop)
                found.setdefault(key, " ".join(piece))
    return found


def key_phrases(texts, labels, count: int = 8, min_answers: int = 2) -> dict[int, list[str]]:
    """Per theme, the phrases its answers use and the others rarely do (class-based TF-IDF over
    words and word pairs and triples), as people wrote them. A phrase must come from at least
    ``min_answers`` answers in the theme, and one that only repeats part of a better one is left out.
    """
    stop = resources.all_stopwords()
    labels = np.asarray(labels)
    in_theme: dict[int, Counter] = defaultdict(Counter)
    everywhere: Counter = Counter()
    forms: dict[tuple, Counter] = defaultdict(Counter)
    for text, theme in zip(texts, labels):
        for key, form in _phrases(text, stop).items():
            everywhere[key] += 1
            forms[key][form] += 1
            if theme >= 0:
                in_theme[int(theme)][key] += 1
    total = max(1, len(texts))
    result = {}
    for theme, counts in in_theme.items():
        size = int((labels == theme).sum())
        scored = []
        for key, inside in counts.items():
            if inside < min_answers:
                continue
            # Share of the theme using it, times how rare it is overall; a longer phrase says more
            # than the single word it contains, so it gets a small bonus.
            score = (inside / size) * np.log(total / everywhere[key]) * (1 + 0.5 * (len(key) - 1))
            scored.append((score, key))
        chosen: list[tuple] = []
        for _, key in sorted(scored, key=lambda item: (-item[0], item[1])):
            if any(set(key) <= set(other) or set(other) <= set(key) for other in chosen):
                continue
            chosen.append(key)
            if len(chosen) == count:
                break
        result[theme] = [forms[key].most_common(1)[0][0] for key in chosen]
    return result


def theme_label(phrases: list[str], number: int) -> str:
    """A theme's suggested name: its first key phrase, capitalised, or "Tema n" without one."""
    return phrases[0][:1].upper() + phrases[0][1:] if phrases else f"Tema {number + 1}"


@dataclass
class Theme:
    id: int
    label: str
    top_terms: list[str]
    size: int
    representatives: list[int] = field(default_factory=list)  # indices into the fitted answers
    new: bool = False


def choose_k(features: np.ndarray, k_range: tuple[int, int], n_resamples: int, sample_share: float,
             max_sample: int, random_state) -> tuple[int, dict[int, float]]:
    """The k whose k-means partitions of two random subsamples agree best (mean ARI on the overlap)."""
    rng = check_random_state(random_state)
    n = len(features)
    pool = np.arange(n) if n <= max_sample else rng.choice(n, max_sample, replace=False)
    size = max(2, int(len(pool) * sample_share))
    low, high = k_range
    high = min(high, len(pool) // 5)
    stability: dict[int, float] = {}
    for k in range(max(2, low), max(2, high) + 1):
        scores = []
        for _ in range(n_resamples):
            first, second = rng.choice(pool, size, replace=False), rng.choice(pool, size, replace=False)
            shared = np.intersect1d(first, second)
            a = KMeans(k, n_init=3, random_state=rng.randint(2**31 - 1)).fit(features[first])
            b = KMeans(k, n_init=3, random_state=rng.randint(2**31 - 1)).fit(features[second])
            scores.append(adjusted_rand_score(a.predict(features[shared]), b.predict(features[shared])))
        stability[k] = float(np.mean(scores))
    if not stability:
        return 1, {}
    best = max(stability.values())
    # Among near-equals prefer fewer themes: stability estimates are noisy, and where the curve is
    # flat the largest k within the noise splits topics for no reason the data can confirm.
    chosen = min(k for k, score in stability.items() if score >= best - 0.01)
    return chosen, stability


class ThemeClusterer(BaseEstimator, ClusterMixin):
    """Themes in free-text answers, with labels, top terms, sizes and representative answers.

    After ``fit(X)``: ``labels_`` (theme per answer, -1 unassigned), ``k_``, ``stability_``
    (k -> mean ARI), ``themes_`` (list of ``Theme``), ``cluster_centers_``. ``predict`` assigns new
    answers to the fitted themes (-1 when none fits), which is what tracking over quarters uses.
    """

    def __init__(self, k: int | None = None, k_range: tuple = (4, 20), n_resamples: int = 8,
                 sample_share: float = 0.8, max_stability_sample: int = 1000, min_similarity: float = 0.35,
                 max_unassigned: float = 0.1, fit_quantile: float = 0.05, n_init: int = 20,
                 n_representatives: int = 3,
                 features: ThemeFeatures | None = None, random_state: int = 0):
        self.k = k
        self.k_range = k_range
        self.n_resamples = n_resamples
        self.sample_share = sample_share
        self.max_stability_sample = max_stability_sample
        self.min_similarity = min_similarity
        self.max_unassigned = max_unassigned
        self.fit_quantile = fit_quantile
        self.n_init = n_init
        self.n_representatives = n_representatives
        self.features = features
        self.random_state = random_state

    def fit(self, X, y=None):
        X = list(X)
        rng = check_random_state(self.random_state)
        answered = np.array([not is_non_answer(text) for text in X], dtype=bool)
        texts = [text for text, keep in zip(X, answered) if keep]
        self.labels_ = np.full(len(X), UNASSIGNED)
        self.themes_: list[Theme] = []
        self.stability_: dict[int, float] = {}
        if len(texts) < 2:
            self.k_ = 0
            self.cluster_centers_ = np.zeros((0, 0))
            self.thresholds_ = np.zeros(0)
            self.features_ = self.features
            return self
        self.features_ = (clone(self.features) if self.features is not None
                          else ThemeFeatures(random_state=rng.randint(2**31 - 1)))
        vectors = self.features_.fit_transform(texts)
        if self.k:
            self.k_ = min(self.k, len(texts))
        else:
            self.k_, self.stability_ = choose_k(vectors, tuple(self.k_range), self.n_resamples, self.sample_share,
                                                self.max_stability_sample, rng)
        # Restarts guard against a poor start on a few hundred answers; on thousands every start
        # finds nearly the same partition, and each restart costs a pass over all of them.
        n_init = self.n_init if len(texts) <= 5000 else max(3, self.n_init // 4)
        model = KMeans(self.k_, n_init=n_init, random_state=rng.randint(2**31 - 1)).fit(vectors)
        self.cluster_centers_ = model.cluster_centers_
        labels = self._assign(vectors, model.labels_)
        self.thresholds_ = self._thresholds(vectors, labels)
        self._fit_text_view(vectors, labels)
        self.labels_[np.flatnonzero(answered)] = labels
        self.themes_ = self._describe(texts, vectors, labels, np.flatnonzero(answered))
        return self

    def _similarity(self, vectors, labels):
        centres = normalize(self.cluster_centers_)
        safe = np.where(labels >= 0, labels, 0)
        return np.einsum("ij,ij->i", vectors, centres[safe])

    def _assign(self, vectors, labels):
        """Answers far from their theme's centre are left unassigned, at most ``max_unassigned`` of them."""
        labels = labels.copy()
        similarity = self._similarity(vectors, labels)
        far = np.flatnonzero(similarity < self.min_similarity)
        limit = int(self.max_unassigned * len(labels))
        if len(far) > limit:
            far = far[np.argsort(similarity[far])[:limit]]
        labels[far] = UNASSIGNED
        return labels

    def _thresholds(self, vectors, labels) -> np.ndarray:
        """Per theme, how close a new answer must be to count as "the same": as close as all but
        the farthest ``fit_quantile`` of the theme's own members."""
        similarity = self._similarity(vectors, labels)
        thresholds = np.full(self.k_, self.min_similarity)
        for theme in range(self.k_):
            inside = similarity[labels == theme]
            if len(inside):
                thresholds[theme] = max(self.min_similarity, float(np.quantile(inside, self.fit_quantile)))
        return thresholds

    def _fit_text_view(self, vectors, labels):
        """Cause affinity can place an answer about something new (parking, say) near a known theme
        by accident; its words cannot. So a fit is also judged on the words alone."""
        text = self.features_.text_part(vectors)
        self.text_centers_ = np.zeros((self.k_, text.shape[1]))
        self.text_thresholds_ = np.zeros(self.k_)
        for theme in range(self.k_):
            inside = text[labels == theme]
            if len(inside):
                self.text_centers_[theme] = normalize(inside.mean(axis=0, keepdims=True))[0]
                self.text_thresholds_[theme] = float(np.quantile(inside @ self.text_centers_[theme],
                                                                 self.fit_quantile))

    def fits(self, vectors, themes) -> np.ndarray:
        """Whether each vector is close enough to the given theme, in the combined and the words view."""
        combined = self._similarity(vectors, themes) >= self.thresholds_[themes]
        words = np.einsum("ij,ij->i", self.features_.text_part(vectors), self.text_centers_[themes])
        return combined & (words >= self.text_thresholds_[themes])

    def predict(self, X) -> np.ndarray:
        """Nearest known theme per answer, -1 for non-answers and answers that fit no theme."""
        X = list(X)
        result = np.full(len(X), UNASSIGNED)
        keep = [i for i, text in enumerate(X) if not is_non_answer(text)]
        if not keep or self.k_ == 0:
            return result
        vectors = self.features_.transform([X[i] for i in keep])
        nearest = (vectors @ normalize(self.cluster_centers_).T).argmax(axis=1)
        nearest[~self.fits(vectors, nearest)] = UNASSIGNED
        result[keep] = nearest
        return result

    def _describe(self, texts, vectors, labels, positions) -> list[Theme]:
        phrases = key_phrases(texts, labels)
        themes = []
        for theme in range(self.k_):
            members = np.flatnonzero(labels == theme)
            if not len(members):
                continue
            readable = phrases.get(theme, [])
            centre = normalize(self.cluster_centers_[theme:theme + 1])[0]
            nearest = members[np.argsort(-(vectors[members] @ centre))][:self.n_representatives]
            themes.append(Theme(id=theme, label=theme_label(readable, theme), top_terms=readable, size=len(members),
                                representatives=[int(positions[i]) for i in nearest]))
        return themes
