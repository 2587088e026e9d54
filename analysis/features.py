"""Feature steps for answers, each a scikit-learn transformer, composed with ``FeatureUnion``:

- ``EmbeddingStep``: what the answer means (a sentence embedding, centred on the answers at hand);
- ``WordStep``: the words it uses (TF-IDF of canonical stems and character n-grams, which catch
  typos, compounds and dialect spellings the embedding model has rarely seen);
- ``CauseAffinityStep``: how close it is to each cause's short descriptions (``cause_descriptions.yaml``)
  and, optionally, the seed lexicon's scores: the project's knowledge of the causes, usable with
  no labelled answer at all.

Classifiers and the theme clusterer take a union of these rather than building features inside
``fit``, so a step can be swapped, weighted or left out.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.decomposition import PCA
from sklearn.preprocessing import normalize

from analysis import resources
from analysis.embed import Embedder, cached
from analysis.lexicon import LexiconScorer
from analysis.text import TextNormaliser, detect_language

DESCRIPTIONS_FILE = "cause_descriptions.yaml"


def cause_descriptions(name: str = DESCRIPTIONS_FILE) -> dict[str, list[str]]:
    """Cause code -> its descriptions in all languages."""
    return {cause: [line for lines in by_language.values() for line in lines]
            for cause, by_language in resources.yaml_data(name).items()}


class EmbeddingStep(BaseEstimator, TransformerMixin):
    """Answers -> unit sentence embeddings, centred on the mean of the answers seen in ``fit``.

    Centring matters: every answer to "why did you leave" is about work, so raw embeddings of
    them are all close (cosine ~0.8) and what tells them apart is the small remainder.
    """

    def __init__(self, embedder: Embedder | None = None, center: bool = True, by_language: bool = False,
                 whiten: int | None = None, random_state: int = 0):
        self.embedder = embedder
        self.center = center
        self.by_language = by_language
        self.whiten = whiten
        self.random_state = random_state

    def _vectors(self, X) -> np.ndarray:
        return cached(self.embedder).encode(list(X))

    def _languages(self, X) -> np.ndarray:
        return np.array([language if language in ("nn", "nb", "en") else "nb"
                         for language in map(detect_language, X)])

    def fit(self, X, y=None):
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        X = list(X)
        vectors = self._vectors(X)
        dim = vectors.shape[1]
        self.mean_ = vectors.mean(axis=0) if self.center and len(vectors) else np.zeros(dim)
        # With ``by_language``, each language is centred on its own mean: the model places a
        # nynorsk and an English answer about pay further apart than two nynorsk answers about
        # different things, and for themes the language must not be what groups answers.
        self.language_means_ = {}
        languages = self._languages(X) if self.by_language else None
        if self.by_language and self.center:
            self.language_means_ = {lang: vectors[languages == lang].mean(axis=0)
                                    for lang in np.unique(languages) if (languages == lang).sum() >= 5}
        centred = self._centre(vectors, languages)
        self.pca_ = None
        components = min(self.whiten or 0, len(X) - 1, dim)
        if self.whiten and components >= 2:
            # Whitening the main directions evens out the few that every answer shares, which
            # otherwise decide the clusters (k-means on sentence embeddings).
            self.pca_ = PCA(components, whiten=True, random_state=self.random_state).fit(centred)
            centred = self.pca_.transform(centred)
        return normalize(centred)

    def _centre(self, vectors, languages):
        if not self.language_means_:
            return vectors - self.mean_
        means = np.vstack([self.language_means_.get(lang, self.mean_) for lang in languages])
        return vectors - means

    def transform(self, X):
        X = list(X)
        centred = self._centre(self._vectors(X), self._languages(X) if self.language_means_ else None)
        if self.pca_ is not None:
            centred = self.pca_.transform(centred)
        return normalize(centred)


class WordStep(BaseEstimator, TransformerMixin):
    """Answers -> sparse TF-IDF of canonical stems (word pairs too) and of character n-grams."""

    def __init__(self, char_ngrams: tuple = (2, 5), word_ngrams: tuple = (1, 2), char_weight: float = 1.0,
                 word_weight: float = 1.0, min_df: int = 1, max_features: int | None = 100_000):
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.char_weight = char_weight
        self.word_weight = word_weight
        self.min_df = min_df
        self.max_features = max_features

    @staticmethod
    def _prepare(X):
        X = list(X)
        return TextNormaliser().transform(X), TextNormaliser(drop_stopwords=False, stemmed=False).transform(X)

    def fit(self, X, y=None):
        stems, canonical = self._prepare(X)
        min_df = self.min_df if len(stems) >= 5 * self.min_df else 1
        self.words_ = TfidfVectorizer(sublinear_tf=True, ngram_range=tuple(self.word_ngrams), min_df=min_df,
                                      max_features=self.max_features, dtype=np.float32).fit(stems)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams), sublinear_tf=True,
                                      min_df=min_df, max_features=self.max_features, dtype=np.float32).fit(canonical)
        return self

    def transform(self, X):
        stems, canonical = self._prepare(X)
        return sp.hstack([self.words_.transform(stems) * self.word_weight,
                          self.chars_.transform(canonical) * self.char_weight]).tocsr()


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class CauseAffinityStep(BaseEstimator, TransformerMixin):
    """Answers -> a distribution over causes from meaning (similarity to the causes' descriptions)
    and, with ``lexicon_weight`` > 0, from the seed lexicon's terms.

    Needs no labels: ``fit`` only embeds the descriptions and takes the answers' mean, so the
    similarity is measured on what sets answers apart (see ``EmbeddingStep``).
    """

    def __init__(self, embedder: Embedder | None = None, temperature: float = 0.05, lexicon_weight: float = 0.3,
                 descriptions: str = DESCRIPTIONS_FILE):
        self.embedder = embedder
        self.temperature = temperature
        self.lexicon_weight = lexicon_weight
        self.descriptions = descriptions

    def fit(self, X, y=None):
        encoder = cached(self.embedder)
        described = cause_descriptions(self.descriptions)
        self.classes_ = np.array(sorted(described))
        answers = encoder.encode(list(X))
        self.mean_ = answers.mean(axis=0) if len(answers) else np.zeros(encoder.dim)
        prototypes = []
        for cause in self.classes_:
            vectors = normalize(encoder.encode(described[cause]) - self.mean_)
            prototypes.append(normalize(vectors.mean(axis=0, keepdims=True))[0])
        self.prototypes_ = np.vstack(prototypes)
        self.description_vectors_ = encoder.encode([line for cause in self.classes_ for line in described[cause]])
        self.lexicon_ = LexiconScorer().fit() if self.lexicon_weight else None
        return self

    def similarity(self, X) -> np.ndarray:
        vectors = normalize(cached(self.embedder).encode(list(X)) - self.mean_)
        return vectors @ self.prototypes_.T

    def relevance(self, X, low: float = 0.86, high: float = 0.89) -> np.ndarray:
        """0..1: how much each answer reads like a reason for leaving a job at all, from its
        (uncentred) similarity to the nearest cause description. Exit answers lie mostly above
        ``high`` and sentences on other subjects (news, science, sport) below ``low``; the range
        was set between the two on the development set and SIB-200's training sentences."""
        nearest = (cached(self.embedder).encode(list(X)) @ self.description_vectors_.T).max(axis=1)
        return np.clip((nearest - low) / (high - low), 0.0, 1.0)

    def transform(self, X):
        X = list(X)
        proba = _softmax(self.similarity(X) / self.temperature)
        if self.lexicon_ is not None:
            scores = self.lexicon_.transform(X)
            columns = [self.lexicon_.causes_.index(c) for c in self.classes_]
            scores = scores[:, columns]
            hit = scores.sum(axis=1) > 0
            lexicon = np.where(hit[:, None], _softmax(scores), proba)
            proba = (1 - self.lexicon_weight) * proba + self.lexicon_weight * lexicon
        return proba


def answer_features(embedding_weight: float = 1.0, word_weight: float = 1.0, cause_weight: float = 0.0,
                    embedder: Embedder | None = None) -> FeatureUnion:
    """The standard union; a weight of 0 leaves the step out."""
    steps, weights = [], {}
    for name, step, weight in (("embedding", EmbeddingStep(embedder=embedder), embedding_weight),
                               ("words", WordStep(), word_weight),
                               ("causes", CauseAffinityStep(embedder=embedder), cause_weight)):
        if weight:
            steps.append((name, step))
            weights[name] = weight
    return FeatureUnion(steps, transformer_weights=weights)
