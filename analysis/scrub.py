"""Personal-data scrubbing of free text: names, phone numbers, e-mail addresses, fødselsnummer-like
numbers and street addresses are replaced by a typed placeholder such as ``[namn]``.

The scrubber runs a list of recognisers (``analysis.recognisers``), one per kind of personal data,
and merges what they find: the more specific ones (e-mail, fødselsnummer, phone, address, found by
regular expressions) claim their characters first, then person names, found by a learned model (a
CRF trained on NorNE, ``analysis.names``) together with cue rules ("hilsen Kari", "leiaren min,
Kari"). Place and organisation names stay: where someone moves, or which employer they go to, is
a cause, not personal data.
"""
from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin

from analysis.recognisers import LANGUAGES, Recogniser, Span, default_recognisers
from analysis.text import detect_language, normalise

PLACEHOLDERS = {
    "name": "[namn]",
    "phone": "[telefon]",
    "email": "[e-post]",
    "fnr": "[fødselsnummer]",
    "address": "[adresse]",
}
KINDS = tuple(PLACEHOLDERS)

__all__ = ["KINDS", "PLACEHOLDERS", "LANGUAGES", "PersonalDataScrubber", "Recogniser", "Span", "scrub"]


class PersonalDataScrubber(BaseEstimator, TransformerMixin):
    """Free text in, the same text with personal data replaced by typed placeholders out.

    Stateless (``fit`` learns nothing). ``find_spans`` gives what would be replaced, for review
    and evaluation. ``kinds`` chooses what is scrubbed; by default everything. ``recognisers`` is
    the list of recognisers to run, in order of precedence (None: ``default_recognisers``, with
    ``max_name_words`` and ``name_threshold`` for the person-name recogniser; None for the
    threshold means the one chosen by cross-validation). ``language`` is "nn", "nb", "en" or
    None to detect it for each text.
    """

    def __init__(self, kinds: tuple = KINDS, max_name_words: int = 4, recognisers: list | None = None,
                 language: str | None = None, name_threshold: float | None = None):
        self.kinds = kinds
        self.max_name_words = max_name_words
        self.recognisers = recognisers
        self.language = language
        self.name_threshold = name_threshold

    def fit(self, X=None, y=None):
        return self

    def transform(self, X):
        return [self.scrub(text) for text in X]

    def scrub(self, text: str, language: str | None = None) -> str:
        text = normalise(text)
        spans = self.find_spans(text, language)
        pieces, last = [], 0
        for span in spans:
            pieces.append(text[last:span.start])
            pieces.append(PLACEHOLDERS[span.kind])
            last = span.end
        pieces.append(text[last:])
        return "".join(pieces)

    def find_spans(self, text: str, language: str | None = None) -> list[Span]:
        """Non-overlapping spans in ``text`` (already normalised), earliest first."""
        if not text:
            return []
        language = language or self.language or detect_language(text)
        kinds = set(self.kinds)
        found: list[Span] = []
        # Order matters: the earlier recogniser claims its characters first.
        for recogniser in self._recognisers():
            if recogniser.kind not in kinds or not recogniser.supports(language):
                continue
            for span in recogniser.find(text, language):
                if span.start < span.end and not any(s.start < span.end and span.start < s.end for s in found):
                    found.append(span)
        return sorted(found, key=lambda s: s.start)

    def _recognisers(self) -> list[Recogniser]:
        if self.recognisers is not None:
            return list(self.recognisers)
        key = (self.max_name_words, self.name_threshold)
        cached = getattr(self, "_default_cache", None)
        if cached is None or cached[0] != key:
            cached = (key, default_recognisers(name_threshold=self.name_threshold, max_name_words=self.max_name_words))
            self._default_cache = cached
        return cached[1]


_DEFAULT = None


def scrub(text: str, language: str | None = None) -> str:
    """Scrub one text with the default settings."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = PersonalDataScrubber()
    return _DEFAULT.scrub(text, language)
