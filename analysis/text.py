"""Text preparation for short Norwegian (nynorsk, bokmål), English and mixed answers.

The pieces are plain functions (``normalise``, ``tokenise``, ``detect_language``, ``is_non_answer``)
and one scikit-learn transformer, ``TextNormaliser``, that turns raw answers into a canonical
form: lowercase, nynorsk and dialect spellings mapped to bokmål, stopwords removed, stemmed.
Both written standards then share one vocabulary, so "løna er for låg" and "lønnen er for lav"
end up close together.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer
from sklearn.base import BaseEstimator, TransformerMixin

from analysis import resources

# Words, numbers (with decimal comma) and percent signs; no NLTK data needed.
_TOKENISER = RegexpTokenizer(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,]\d+)?|%")
# The scrubber's placeholders (analysis.scrub.PLACEHOLDERS, which imports this module): not words.
PLACEHOLDER = re.compile(r"\[(?:namn|telefon|e-post|fødselsnummer|adresse)\]")

_NN_MARKERS = frozenset("eg ikkje berre frå sjølv utan desse kva korleis kvifor kven ein eit vore vorte vart fekk "
                        "gjekk mykje meir nokon noko heile saman sidan difor då òg vere veit trur me ho dei "
                        "kvar kvart løn leiar leiinga sjukeheim heim skule veke månad ungane born fleire".split())
_NB_MARKERS = frozenset("jeg ikke bare fra selv uten disse hva hvordan hvorfor hvem en et vært blitt ble fikk "
                        "gikk mye mer noen noe hele sammen siden derfor da også være vet tror hun de hver "
                        "lønn leder ledelsen sykehjem hjem skole uke måned barna flere mitt min".split())
# Only words that are not also Norwegian ("i", "to", "for", "in" and "no" are both).
_EN_MARKERS = frozenset("the and is are was were my of not have has had with but they this that it its work "
                        "because colleagues manager pay salary would when there been very which what you our "
                        "we i'm don't can't nobody always never want found take".split())


def normalise(text: str) -> str:
    """Unicode NFC, straight quotes, collapsed white space."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                                         "\u00ab": '"', "\u00bb": '"', "\u00a0": " ", "\u2013": "-", "\u2014": "-"}))
    return re.sub(r"\s+", " ", text).strip()


def tokenise(text: str) -> list[str]:
    return _TOKENISER.tokenize(normalise(text).lower())


@lru_cache(maxsize=200_000)
def detect_language(text: str) -> str:
    """``nn``, ``nb``, ``en`` or ``mix`` (Norwegian and English in one answer), from marker words."""
    tokens = tokenise(text)
    nn = sum(t in _NN_MARKERS for t in tokens)
    nb = sum(t in _NB_MARKERS for t in tokens)
    en = sum(t in _EN_MARKERS for t in tokens)
    norwegian = max(nn, nb)
    # Code-switching is common among colleagues with Norwegian as a second language: a few
    # Norwegian words in an English answer (or the reverse) make it "mix".
    if en and norwegian and (min(en, norwegian) >= 2 or min(en, norwegian) >= 0.1 * max(en, norwegian)):
        return "mix"
    if en > norwegian:
        return "en"
    return "nn" if nn > nb else "nb"


def is_non_answer(text: str) -> bool:
    """True for answers that carry nothing: empty, dashes, "veit ikkje", "ingen kommentar"."""
    stripped = re.sub(r"[^\w\s/']", "", normalise(text).lower()).strip()
    return not stripped or stripped in resources.line_set("non_answers.txt") or len(stripped) < 2


@lru_cache(maxsize=1)
def _stemmers():
    return SnowballStemmer("norwegian"), SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def canonical_token(token: str, english: bool = False) -> str:
    """Map one lowercase token to bokmål spelling (not for English answers)."""
    if english:
        return token
    mapped = resources.pairs("spelling_pairs.tsv").get(token)
    if mapped:
        return mapped
    if len(token) > 6:
        for fragment, replacement in resources.pairs("compound_fragments.tsv").items():
            if fragment in token:
                token = token.replace(fragment, replacement)
    return token


@lru_cache(maxsize=200_000)
def stem(token: str, english: bool = False) -> str:
    norwegian, english_stemmer = _stemmers()
    return (english_stemmer if english else norwegian).stem(token)


def canonical_tokens(text: str, drop_stopwords: bool = True, stemmed: bool = True) -> list[str]:
    return list(_canonical_tokens(text, drop_stopwords, stemmed))


# Every component (lexicon, classifier, themes) prepares the same answers; a run prepares each once.
@lru_cache(maxsize=200_000)
def _canonical_tokens(text: str, drop_stopwords: bool, stemmed: bool) -> tuple[str, ...]:
    language = detect_language(text)
    english = language == "en"
    stop = resources.all_stopwords()
    result = []
    for token in tokenise(PLACEHOLDER.sub(" ", text)):
        if token.isdigit() or token == "%":
            token = "<num>" if token.isdigit() else "prosent"
        word = canonical_token(token, english)
        if drop_stopwords and (word in stop or token in stop):
            continue
        result.append(stem(word, english) if stemmed and word != "<num>" else word)
    return tuple(result)


def search_terms(query: str) -> list[tuple[str, str]]:
    """The words of a search, each as (the word as typed, the start shared by its nynorsk and
    bokmål forms): "leiar" and "leder" both start "led", "løn" and "lønn" both "lønn". Stopwords
    are left out (a search for "ikkje" would find everything)."""
    stop = resources.all_stopwords()
    terms = []
    for token in tokenise(query):
        if token in stop or token.isdigit() or len(token) < 2:
            continue
        canonical = canonical_token(token, False)
        if canonical in stop:
            continue
        terms.append((token, stem(canonical, False)))
    return terms


def find(query: str, texts) -> list[int]:
    """Positions of the texts holding every word of ``query`` in any written standard: a word
    matches a text's word that starts with it as typed, or whose bokmål form starts with its stem
    ("leiar" finds "lederen" and "leiarane"; "lønn" finds "løna")."""
    terms = search_terms(query)
    if not terms:
        return []
    found = []
    for position, text in enumerate(texts):
        raw = tokenise(text or "")
        canonical = canonical_tokens(text or "", False, False)
        if all(any(word.startswith(typed) for word in raw) or any(word.startswith(start) for word in canonical)
               for typed, start in terms):
            found.append(position)
    return found


def surface_forms(texts) -> dict[str, str]:
    """Stem -> the word form people wrote most often for it, so labels read as words, not stems."""
    seen: dict[str, Counter] = {}
    stop = resources.all_stopwords()
    for text in texts:
        english = detect_language(text) == "en"
        for token in tokenise(PLACEHOLDER.sub(" ", text)):
            word = canonical_token(token, english)
            if token.isdigit() or word in stop or token in stop:
                continue
            seen.setdefault(stem(word, english), Counter())[token] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in seen.items()}


class TextNormaliser(BaseEstimator, TransformerMixin):
    """Raw answers in, one canonical string per answer out (tokens joined by spaces).

    Stateless: ``fit`` learns nothing, so the transformer can sit first in any pipeline.
    """

    def __init__(self, drop_stopwords: bool = True, stemmed: bool = True):
        self.drop_stopwords = drop_stopwords
        self.stemmed = stemmed

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [" ".join(canonical_tokens(text, self.drop_stopwords, self.stemmed)) for text in X]
