"""Recognisers of personal data, one object per kind of finding (in the manner of Presidio).

Each recogniser has a ``name``, the ``kind`` of personal data it finds (a key of
``analysis.scrub.PLACEHOLDERS``), the ``languages`` it supports and ``find(text, language)``, which
returns the spans it finds in a normalised text. ``PersonalDataScrubber`` holds a list of them
(``default_recognisers()`` unless told otherwise) and lets the earlier, more specific ones claim
their characters first: e-mail, fødselsnummer, phone, address, then names.

E-mail addresses, fødselsnummer, phone numbers and addresses are regular and found by regular
expressions. Person names are found by a learned model (``analysis.names``, a CRF trained on
NorNE) together with rules for the cues of exit answers: a capitalised word right after "hilsen",
"mitt namn er" or "leiaren min" is a person, whatever the model says.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Sequence

from analysis import name_features as _features
from analysis import names as _names
from analysis import resources

LANGUAGES = ("nb", "nn", "en", "mix")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


class Recogniser(ABC):
    """Base class: finds one kind of personal data in normalised text."""

    name = "recogniser"
    kind = ""
    languages: tuple = LANGUAGES

    def supports(self, language: str | None) -> bool:
        """True for a language it supports; "mix" (Norwegian and English in one answer) is
        supported by a recogniser that supports any of the three, and an unknown language by all."""
        if language is None or language in self.languages:
            return True
        if language == "mix":
            return any(code in self.languages for code in ("nb", "nn", "en"))
        return language not in LANGUAGES

    @abstractmethod
    def find(self, text: str, language: str | None = None) -> list[Span]:
        """The spans of its kind in ``text`` (already normalised)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, kind={self.kind!r})"


class PatternRecogniser(Recogniser):
    """Spans matched by one or more regular expressions."""

    def __init__(self, name: str, kind: str, patterns: Sequence[re.Pattern], languages: tuple = LANGUAGES):
        self.name = name
        self.kind = kind
        self.patterns = tuple(patterns)
        self.languages = tuple(languages)

    def find(self, text: str, language: str | None = None) -> list[Span]:
        spans = []
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                spans.append(Span(match.start(), match.end(), self.kind))
        return spans


_EMAIL = re.compile(
    r"[\w.+-]+(?:@|\s?\(at\)\s?|\s?\[at\]\s?)[\w-]+(?:(?:\.|\s?\(dot\)\s?)[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# Eleven digits, optionally split after the date part: a fødselsnummer or D-number (or an account
# number, which is just as personal).
_FNR = re.compile(r"(?<![\d.,])\d{6}[ .-]?\d{5}(?![\d]|[.,]\d)")
_FNR_ACCOUNT = re.compile(r"(?<![\d.,])\d{4}[ .]\d{2}[ .]\d{5}(?![\d]|[.,]\d)")
# Norwegian numbers have eight digits starting with 2-9, written whole or in groups (41683920,
# 416 83 920, 41 68 39 20, 4168 3920), with or without +47 / 0047 in front.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?47[\s.-]?)?(?:[2-9]\d{7}|[2-9]\d{2}[\s.-]\d{2}[\s.-]\d{3}"
    r"|[2-9]\d[\s.-]\d{2}[\s.-]\d{2}[\s.-]\d{2}|[2-9]\d{3}[\s.-]\d{4})(?![\d]|[.,]\d)")
_STREET_SUFFIXES = (
    "vegen veien vei veg gata gaten gate gt bakken bakke lia liane lien stien stig tunet haugen haug jordet åsen "
    "myra myr plassen plass allé alle kroken svingen brekka brekke skogen ringen løkka løkke tråkket kaia kai "
    "bryggen brygga torget torg moen sletta sletten marka hagen enga engen dalen bergen berget høgda høyden "
    "nes neset holmen vika viken strand stranda grenda grend toppen kleiva ura")
_STREET = re.compile(
    r"\b(?:[A-ZÆØÅ][\wæøåÆØÅ.-]*\s)*[A-ZÆØÅ][\wæøåÆØÅ-]*?(?:" + "|".join(_STREET_SUFFIXES.split())
    + r")\s\d{1,4}(?:\s?[A-Za-z]\b)?(?:,?\s\d{4}\s[A-ZÆØÅ][\wæøåÆØÅ-]+(?:\s[A-ZÆØÅ][\wæøåÆØÅ-]+)?)?")
# "Storgata 5, 8006 Bodø" is caught above; any capitalised word + house number + postcode + town
# is an address too, whatever the street is called.
_POSTAL_ADDRESS = re.compile(
    r"\b(?:[A-ZÆØÅ][\wæøåÆØÅ.-]*\s){0,3}[A-ZÆØÅ][\wæøåÆØÅ-]+\s\d{1,4}(?:\s?[A-Za-z]\b)?,?\s\d{4}\s[A-ZÆØÅ][\wæøåÆØÅ-]+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


class EmailRecogniser(PatternRecogniser):
    def __init__(self):
        super().__init__("email", "email", (_EMAIL,))


class FnrRecogniser(PatternRecogniser):
    def __init__(self):
        super().__init__("fødselsnummer", "fnr", (_FNR, _FNR_ACCOUNT))


class PhoneRecogniser(PatternRecogniser):
    def __init__(self):
        super().__init__("phone", "phone", (_PHONE,))


class AddressRecogniser(PatternRecogniser):
    """Street addresses with a house number, with or without postcode and town."""

    def __init__(self):
        super().__init__("address", "address", (_STREET, _POSTAL_ADDRESS))

    def find(self, text: str, language: str | None = None) -> list[Span]:
        spans = []
        for span in super().find(text, language):
            start = self._skip_leading_non_street(text, span.start, span.end)
            spans.append(Span(start, span.end, self.kind))
        return spans

    @staticmethod
    def _skip_leading_non_street(text: str, start: int, end: int) -> int:
        """A sentence-initial or function word glued to the front of an address is not part of it."""
        words = list(_WORD.finditer(text, start, end))
        stop = resources.all_stopwords()
        places = _features.place_words(_names.places_files())
        for word in words[:-1]:
            if word.group().lower() in stop or word.group().lower() in places:
                start = word.end() + 1
            else:
                break
        return start


# Cues after which a capitalised word is a person, whatever the model says: greetings, signatures,
# introductions and "my manager" in the three languages.
_STRONG_CUES = re.compile(
    r"\b(?:hilsen|helsing|mvh|vh|med vennlig hilsen|med venleg helsing|beste hilsen|venleg helsing|vennlig hilsen|"
    r"regards|best regards|kind regards|best wishes|sincerely|cheers|thanks to|thank you to|takk til|"
    r"(?:eg|jeg|ho|hun|han) (?:heiter|heter)|mitt namn er|mitt navn er|my name is|i am called|kontaktperson|"
    r"leiaren min|lederen min|leiaren vår|lederen vår|sjefen min|sjefen vår|kollegaen min|kollegaen mi|kollegaen|"
    r"my manager|my boss|my colleague|my supervisor)\b[\s,:.-]*",
    re.IGNORECASE)
# Capitalised words that are not names in answers, whatever their context (English capitalises
# months, days and languages).
_NEVER_NAMES = frozenset(
    "i i'm i've i'd i'll january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday english norwegian norsk engelsk christmas easter "
    "jul påske god gud hr nav mr mrs ms miss dr fru frk herr prof".split())
# Prepositions of place. Right after "i", "på", "ved" or "utanfor" a single capitalised word is a
# place far more often than a person ("jobbar i Ullensvang", "på Finnsnes"); after "til", "frå"
# and "mot" a person is common ("sa det til Kari"), so there only a word of the place lists counts.
_PLACE_ONLY_BEFORE = frozenset("i på pa ved utanfor utenfor innanfor innenfor in at".split())
_PLACE_OR_PERSON_BEFORE = frozenset("til frå fra mot nær naer from to near".split())


class PersonNameRecogniser(Recogniser):
    """Person names, from a learned model and cue rules.

    A token is part of a name when the CRF's marginal probability that it is a person, P(PER), is
    above ``threshold``, above ``place_ratio`` x P(LOC) and above ``organisation_ratio`` x P(ORG):
    a place or employer the model is unsure of stays. A word that is seldom a name needs
    P(PER) above ``common_threshold`` as well: a lowercase word, a common word or function word
    ("Løna", "Ring", "The") and a given name that is also a word ("Per", "Liv"; such a name at the
    start of a sentence with no capitalised word after it is not a name, "Per dag", "Liv og
    helse"). A word of a place of several words in the place lists ("Jan Mayen"), a cue word and
    the capitalised words English always capitalises (months, days, "I") are never names.

    A capitalised word right after a strong cue ("Hilsen", "mitt namn er", "leiaren min") is a name
    whatever the model says, with up to ``max_name_words`` - 1 capitalised words after it.
    Adjacent name tokens make one span.

    ``model`` is an ``analysis.names.NameModel`` (default: the shipped model, loaded once); the
    rule's numbers default to those chosen when the shipped model was trained
    (``analysis/data/person_names.yaml``).
    """

    name = "person_name"
    kind = "name"

    def __init__(self, model: _names.NameModel | None = None, threshold: float | None = None,
                 place_ratio: float | None = None, organisation_ratio: float | None = None,
                 max_name_words: int = 4, cues: bool = True, common_threshold: float | None = None,
                 sentence_start_threshold: float | None = None, place_context: bool = False):
        self.sentence_start_threshold = sentence_start_threshold
        self.place_context = place_context
        self.model = model
        self.threshold = threshold
        self.place_ratio = place_ratio
        self.organisation_ratio = organisation_ratio
        self.max_name_words = max_name_words
        self.cues = cues
        self.common_threshold = common_threshold

    def _setting(self, name: str) -> float:
        value = getattr(self, name)
        return value if value is not None else _names.settings()[name]

    def find(self, text: str, language: str | None = None) -> list[Span]:
        model = self.model if self.model is not None else _names.shipped_model()
        threshold, common_threshold = self._setting("threshold"), self._setting("common_threshold")
        place_ratio, organisation_ratio = self._setting("place_ratio"), self._setting("organisation_ratio")
        tokens = model.probabilities(text)
        if not tokens:
            return []
        words = [t[2] for t in tokens]
        g = _features.gazetteers(model.places)
        in_place = _features.in_place_phrase(words, model.places)
        starts = _features.sentence_starts(words)
        cue_words, after_cue = self._cue_positions(text, tokens)
        marked = []
        for i, (_, _, token, per, loc, org) in enumerate(tokens):
            lower = token.lower()
            if (in_place[i] or i in cue_words or lower in _NEVER_NAMES or not any(c.isalpha() for c in token)
                    or per <= place_ratio * loc or per <= organisation_ratio * org):
                marked.append(False)
                continue
            ambiguous = lower in g.ambiguous
            listed = (lower in g.given and not ambiguous) or lower in g.surnames
            seldom_a_name = not token[:1].isupper() or ambiguous or (
                not listed and (lower in g.common or lower in g.stop))
            # A capital at the start of a sentence says little: with ``sentence_start_threshold``
            # an unlisted word there needs at least that ("Større stilling og fast turnus"). Off by
            # default: cross-validated on NorNE, 0.02 alters 1.2 % of other words instead of 1.6 %
            # but finds 95.8 % / 93.6 % of names (bokmål / nynorsk) instead of 96.7 % / 95.0 %.
            bar = common_threshold if seldom_a_name else (
                self.sentence_start_threshold if starts[i] and not listed and self.sentence_start_threshold
                else 0.0)
            name = per > max(threshold, bar)
            if name and ambiguous and starts[i] and i not in after_cue and not (
                    i + 1 < len(words) and words[i + 1][:1].isupper()):
                name = False
            marked.append(name)
        # Off by default: cross-validated on NorNE with the rule chosen again, it alters 8.9 % of
        # place words instead of 11.2 %, but finds 95.2 % / 95.0 % of names (bokmål / nynorsk)
        # instead of 96.7 % / 95.0 %, and alters 1.9 % of other words instead of 1.6 %.
        if self.place_context:
            self._keep_places_in_context(words, marked, g, after_cue)
        if self.cues:
            self._mark_after_cues(text, tokens, marked, g)
        spans: list[Span] = []
        for index, (start, end, *_) in enumerate(tokens):
            if not marked[index]:
                continue
            if spans and index > 0 and marked[index - 1] and text[spans[-1].end:start] in ("", " ", "-"):
                spans[-1] = Span(spans[-1].start, end, self.kind)
            else:
                spans.append(Span(start, end, self.kind))
        return spans

    @staticmethod
    def _keep_places_in_context(words: Sequence[str], marked: list[bool], g, after_cue: set[int]) -> None:
        """A lone capitalised word after a preposition of place is a place, unless it is a listed
        given name or surname (see ``_PLACE_ONLY_BEFORE``)."""
        for i in range(1, len(words)):
            if not marked[i] or i in after_cue or (i + 1 < len(words) and marked[i + 1]):
                continue
            lower, before = words[i].lower(), words[i - 1].lower()
            named = lower in g.given or lower in g.ambiguous or lower in g.surnames
            if named:
                continue
            if before in _PLACE_ONLY_BEFORE or (before in _PLACE_OR_PERSON_BEFORE and lower in g.places):
                marked[i] = False

    @staticmethod
    def _cue_positions(text: str, tokens) -> tuple[set[int], set[int]]:
        """Indices of the tokens that are cue words, and of the tokens right after a cue."""
        cue_words, after = set(), set()
        if not _STRONG_CUES.search(text):
            return cue_words, after
        for cue in _STRONG_CUES.finditer(text):
            for index, (start, end, *_) in enumerate(tokens):
                if cue.start() <= start and end <= cue.end() and any(c.isalpha() for c in tokens[index][2]):
                    cue_words.add(index)
                elif start == cue.end():
                    after.add(index)
        return cue_words, after

    def _mark_after_cues(self, text: str, tokens, marked: list[bool], g: _features.Gazetteers) -> None:
        starts = {token[0]: index for index, token in enumerate(tokens)}
        for cue in _STRONG_CUES.finditer(text):
            index = starts.get(cue.end())
            if index is None:
                continue
            first = tokens[index][2]
            # "mvh kari": a given name written in lowercase after a signature is a name too.
            lowercase_given = (first.islower() and first in g.given and first not in g.ambiguous
                               and first not in g.stop)
            if not lowercase_given and not self._name_like(first, g):
                continue
            last = index
            while (last + 1 < len(tokens) and last + 1 - index < self.max_name_words
                   and text[tokens[last][1]:tokens[last + 1][0]] in (" ", "-")
                   and self._name_like(tokens[last + 1][2], g)):
                last += 1
            for position in range(index, last + 1):
                marked[position] = True

    @staticmethod
    def _name_like(token: str, g: _features.Gazetteers) -> bool:
        lower = token.lower()
        if not token[:1].isupper() or not any(c.isalpha() for c in token) or lower in g.stop:
            return False
        return lower not in g.places or lower in g.given or lower in g.ambiguous


def default_recognisers(name_model: _names.NameModel | None = None, name_threshold: float | None = None,
                        max_name_words: int = 4) -> list[Recogniser]:
    """The built-in recognisers, most specific first: e-mail, fødselsnummer, phone, address, name
    (``name_model`` and ``name_threshold`` None: the shipped model and its chosen rule)."""
    return [EmailRecogniser(), FnrRecogniser(), PhoneRecogniser(), AddressRecogniser(),
            PersonNameRecogniser(name_model, name_threshold, max_name_words=max_name_words)]
