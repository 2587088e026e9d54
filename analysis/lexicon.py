"""Cause lexicon scores: how strongly an answer speaks of each cause, by the project's seed terms."""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from analysis import resources
from analysis.text import canonical_token, detect_language, tokenise

LEXICON_FILE = "cause_lexicon.yaml"


@lru_cache(maxsize=4)
def load_lexicon(name: str = LEXICON_FILE) -> dict[str, list[tuple[str, float]]]:
    """Cause code -> [(canonical term, weight)], terms canonicalised like the answers they meet."""
    raw = resources.yaml_data(name)
    lexicon = {}
    for cause, entry in raw.items():
        terms = []
        for weight, key in ((2.0, "strong"), (1.0, "weak")):
            for term in entry.get(key, []):
                words = tokenise(str(term))
                if words:
                    terms.append((" ".join(canonical_token(w) for w in words), weight))
        lexicon[cause] = terms
    return lexicon


def _canonical_words(text: str) -> list[str]:
    english = detect_language(text) == "en"
    return [canonical_token(t, english) for t in tokenise(text)]


# Endings of inflected forms (bokmål, nynorsk, English): a short term matches only its own word
# with one of these, so "syk" finds "syke" and "sykt" but not "sykepleier".
_INFLECTIONS = ("", "e", "en", "et", "er", "ere", "ene", "a", "ar", "ane", "ne", "s", "es", "t", "te", "de", "d",
                "ed", "ing", "inga", "ingen", "ingar", "inger", "ene", "ly", "ig", "ige", "lig", "lige", "leg",
                "lege", "ert", "te", "ast", "est", "r", "n")
# Profession and workplace words that contain a cause word without being about that cause: in
# health and care "sykepleier" is not about illness and "helsefagarbeider" not about health.
_NEUTRAL_PREFIXES = ("sykeplei", "sykehjem", "sykehus", "helsefag", "helsesekret", "helsestasjon", "helsesyk",
                     "helsesøst", "helsetjenest", "helsehus", "helse-", "omsorgs", "kulturskol", "kulturhus",
                     "skolehelse", "barnehagelær", "barnehageansatt", "lederstil", "mellomleder", "rektorstil",
                     "arbeidsmiljøutval", "arbeidsmiljøloven", "teamleder", "lønnskjøring", "lønnsslipp", "lønnsavdeling")


def _term_matches(term: str, word: str) -> bool:
    """A term of six letters or more is a stem: it matches any word it begins and, in compounds,
    any word it sits inside ("bemanning" in "underbemanning"). A shorter term matches its own
    inflected forms only. Neutral workplace words match only exactly."""
    if word == term:
        return True
    if word.startswith(_NEUTRAL_PREFIXES):
        return False
    if len(term) >= 6:
        return term in word
    return word.startswith(term) and word[len(term):] in _INFLECTIONS


class _CompiledLexicon:
    """The lexicon as lookup structures, so scoring costs one cached lookup per distinct word.

    A single-word term matches a word that starts with it, and a term of five letters or more also
    matches inside a compound; a phrase matches at a word start in the canonical text.
    """

    def __init__(self, lexicon: dict[str, list[tuple[str, float]]]):
        self.causes = list(lexicon)
        self.terms: list[tuple[int, float]] = []  # term index -> (cause column, weight)
        words, phrases = [], []
        for column, cause in enumerate(self.causes):
            for term, weight in lexicon[cause]:
                index = len(self.terms)
                self.terms.append((column, weight))
                (phrases if " " in term else words).append((term, index))
        self.word_terms = words
        self.phrase_index = {term: index for term, index in phrases}
        self.phrase_pattern = re.compile(
            r"(?:^| )(" + "|".join(sorted((re.escape(t) for t in self.phrase_index), key=len, reverse=True)) + ")"
        ) if phrases else None
        self.word_cache: dict[str, tuple[int, ...]] = {}

    def word_matches(self, word: str) -> tuple[int, ...]:
        hit = self.word_cache.get(word)
        if hit is None:
            hit = tuple(index for term, index in self.word_terms if _term_matches(term, word))
            if len(self.word_cache) < 500_000:
                self.word_cache[word] = hit
        return hit

    def phrase_matches(self, joined: str) -> set[int]:
        if self.phrase_pattern is None:
            return set()
        found = set()
        # Phrases may overlap ("for mye" inside "alt for mye"), so search from every word start.
        position = 0
        while True:
            match = self.phrase_pattern.search(joined, position)
            if match is None:
                return found
            found.add(self.phrase_index[match.group(1)])
            position = match.start(1) + 1

    def score(self, words: list[str]) -> np.ndarray:
        matched = set(self.phrase_matches(" ".join(words)))
        for word in set(words):
            matched.update(self.word_matches(word))
        row = np.zeros(len(self.causes))
        for index in matched:
            column, weight = self.terms[index]
            row[column] += weight
        return row


@lru_cache(maxsize=4)
def compiled_lexicon(name: str = LEXICON_FILE) -> _CompiledLexicon:
    return _CompiledLexicon(load_lexicon(name))


class LexiconScorer(BaseEstimator, TransformerMixin):
    """Answers in, an (n_answers, n_causes) matrix of summed term weights out.

    Columns follow ``causes_`` (the lexicon's order). Each term counts once per answer, so a
    long answer repeating one word does not outweigh a short answer naming its cause.
    """

    def __init__(self, lexicon: str = LEXICON_FILE):
        self.lexicon = lexicon

    def fit(self, X=None, y=None):
        self.causes_ = list(load_lexicon(self.lexicon))
        return self

    def transform(self, X):
        compiled = compiled_lexicon(self.lexicon)
        scores = np.array([compiled.score(_canonical_words(text)) for text in X]).reshape(len(X), len(compiled.causes))
        causes = getattr(self, "causes_", None) or compiled.causes
        return scores[:, [compiled.causes.index(c) for c in causes]]
