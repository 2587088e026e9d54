"""Theme clustering of free-text answers: what people write about, including what no box covers.

``AnswerFeatures`` turns answers into dense vectors that combine two views:

- the words themselves (TF-IDF of canonical stems and character n-grams, reduced by truncated SVD),
  which groups answers that use the same vocabulary, whatever the cause list says;
- the answer's affinity to each known cause (a cause model's probabilities), which groups answers
  that say the same thing in different words ("løna er for låg" and "I earn more elsewhere").
  On a few hundred short texts words alone barely overlap, and this view is what makes themes
  stable.

``ThemeClusterer`` runs k-means on those vectors. The number of themes is chosen by stability:
cluster two random subsamples with different seeds and measure how well the two partitions agree
on the shared answers (adjusted Rand index); the k whose partitions agree best is the one the
data supports. The silhouette score cannot choose here: on short texts it is flat across k.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state

from analysis.classify import ColdStartClassifier
from analysis.text import TextNormaliser, is_non_answer, surface_forms

UNASSIGNED = -1


class AnswerFeatures(BaseEstimator, TransformerMixin):
    """Answers in, L2-normalised dense vectors out: [cause affinity * cause_weight, text LSA * text_weight].

    ``cause_model`` is any fitted-or-unfitted classifier with ``predict_proba``; by default a
    ``ColdStartClassifier`` fitted on the answers themselves, so no labels are needed.
    """

    def __init__(self, n_components: int = 100, text_weight: float = 0.5, cause_weight: float = 1.0,
                 cause_model=None, random_state: int = 0):
        self.n_components = n_components
        self.text_weight = text_weight
        self.cause_weight = cause_weight
        self.cause_model = cause_model
        self.random_state = random_state

    def _text_matrix(self, X, fit: bool):
        stems = TextNormaliser().transform(X)
        canonical = TextNormaliser(drop_stopwords=False, stemmed=False).transform(X)
        if fit:
            min_df = 2 if len(X) >= 50 else 1
            self.words_ = TfidfVectorizer(sublinear_tf=True, min_df=min_df, dtype=np.float32).fit(stems)
            self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                          min_df=min_df, max_features=50_000, dtype=np.float32).fit(canonical)
        return sp.hstack([self.words_.transform(stems), self.chars_.transform(canonical) * 0.7]).tocsr()

    def fit(self, X, y=None):
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        X = list(X)
        text = self._text_matrix(X, fit=True)
        components = max(1, min(self.n_components, text.shape[1] - 1, len(X) - 1))
        self.svd_ = TruncatedSVD(components, random_state=self.random_state)
        reduced = self.svd_.fit_transform(text)
        if self.cause_model is None:
            self.cause_model_ = ColdStartClassifier(min_confidence=0.0, random_state=self.random_state).fit(X)
        else:
            self.cause_model_ = self.cause_model
            if not hasattr(self.cause_model, "classes_"):
                self.cause_model_.fit(X)
        return self._combine(reduced, self.cause_model_.predict_proba(X))

    def transform(self, X):
        X = list(X)
        reduced = self.svd_.transform(self._text_matrix(X, fit=False))
        return self._combine(reduced, self.cause_model_.predict_proba(X))

    def text_part(self, vectors: np.ndarray) -> np.ndarray:
        """The words-only view of transformed vectors, normalised: what novelty is judged on."""
        return normalize(vectors[:, self.n_cause_columns_:])

    def _combine(self, reduced, proba):
        self.n_cause_columns_ = proba.shape[1]
        return normalize(np.hstack([normalize(proba) * self.cause_weight,
                                    normalize(reduced) * self.text_weight])).astype(np.float64)


def top_terms(weights: np.ndarray, vocabulary: np.ndarray, forms: dict[str, str], count: int = 8) -> list[str]:
    """The highest-weighted stems as the words people wrote. Stems of numbers and placeholders
    have no surface form and make poor labels, so they are skipped."""
    return [forms[vocabulary[i]] for i in np.argsort(-weights)[:count * 3]
            if weights[i] > 0 and vocabulary[i] in forms][:count]


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
    # Among near-equals prefer more themes: a finer split that is just as stable tells HR more.
    chosen = max(k for k, score in stability.items() if score >= best - 0.01)
    return chosen, stability


class ThemeClusterer(BaseEstimator, ClusterMixin):
    """Themes in free-text answers, with labels, top terms, sizes and representative answers.

    After ``fit(X)``: ``labels_`` (theme per answer, -1 unassigned), ``k_``, ``stability_``
    (k -> mean ARI), ``themes_`` (list of ``Theme``), ``cluster_centers_``. ``predict`` assigns new
    answers to the fitted themes (-1 when none fits), which is what tracking over quarters uses.
    """

    def __init__(self, k: int | None = None, k_range: tuple = (4, 20), n_resamples: int = 8,
                 sample_share: float = 0.8, max_stability_sample: int = 2000, min_similarity: float = 0.35,
                 max_unassigned: float = 0.1, fit_quantile: float = 0.05, n_init: int = 20,
                 n_representatives: int = 3,
                 features: AnswerFeatures | None = None, random_state: int = 0):
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
        self.features_ = self.features or AnswerFeatures(random_state=rng.randint(2**31 - 1))
        vectors = self.features_.fit_transform(texts)
        if self.k:
            self.k_ = min(self.k, len(texts))
        else:
            self.k_, self.stability_ = choose_k(vectors, tuple(self.k_range), self.n_resamples, self.sample_share,
                                                self.max_stability_sample, rng)
        model = KMeans(self.k_, n_init=self.n_init, random_state=rng.randint(2**31 - 1)).fit(vectors)
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
        words = self.features_.words_
        stems = words.transform(TextNormaliser().transform(texts))
        vocabulary = np.array(words.get_feature_names_out())
        forms = surface_forms(texts)
        overall = np.asarray(stems.mean(axis=0)).ravel() + 1e-9
        themes = []
        for theme in range(self.k_):
            members = np.flatnonzero(labels == theme)
            if not len(members):
                continue
            # Terms frequent in this theme and rarer elsewhere (a class-based TF-IDF).
            inside = np.asarray(stems[members].mean(axis=0)).ravel()
            score = inside * np.log1p(inside / overall)
            readable = top_terms(score, vocabulary, forms)
            centre = normalize(self.cluster_centers_[theme:theme + 1])[0]
            nearest = members[np.argsort(-(vectors[members] @ centre))][:self.n_representatives]
            themes.append(Theme(id=theme, label=", ".join(readable[:3]) or f"tema {theme + 1}", top_terms=readable,
                                size=len(members), representatives=[int(positions[i]) for i in nearest]))
        return themes
