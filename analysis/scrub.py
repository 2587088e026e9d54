"""Personal-data scrubbing of free text: names, phone numbers, e-mail addresses, fødselsnummer-like
numbers and street addresses are replaced by a typed placeholder such as ``[namn]``.

Rules rather than a trained model: the kinds of personal data in exit answers are few and
regular, a rule can be explained to a data protection officer, and it needs no training data
that would itself be personal. Names are the hard part; they are found from a list of given
names (package data), extended to the capitalised words that follow (surnames), and from cue
words such as "hilsen" or "mitt namn er". Place names stay: where someone moves is a cause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sklearn.base import BaseEstimator, TransformerMixin

from analysis import resources
from analysis.text import normalise

PLACEHOLDERS = {
    "name": "[namn]",
    "phone": "[telefon]",
    "email": "[e-post]",
    "fnr": "[fødselsnummer]",
    "address": "[adresse]",
}
KINDS = tuple(PLACEHOLDERS)

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
# Words after which a capitalised word is a person, whatever it is: greetings, signatures and
# introductions in the three languages.
_CUES = re.compile(
    r"\b(?:hilsen|helsing|mvh|vh|med vennlig hilsen|med venleg helsing|beste hilsen|venleg helsing|vennlig hilsen|"
    r"regards|best regards|kind regards|best wishes|sincerely|cheers|thanks to|thank you to|takk til|"
    r"heiter|heter|mitt namn er|mitt navn er|my name is|i am called|kontakt meg|kontaktperson|"
    r"leiaren min|lederen min|sjefen min|kollegaen min|kollegaen mi|kollegaen|my manager|my boss)\b[\s,:.-]*",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")
# Common endings of Norwegian and Nordic surnames: a capitalised word ending so, next to another
# capitalised word or in the middle of a sentence, is a person.
_SURNAME_ENDING = re.compile(
    r"(?:sen|ssen|son|sson|stad|dal|dahl|vik|heim|land|berg|rud|nes|ness|bakken|haug|haugen|lie|seth|strand|"
    r"eide|moen|holm|lund|aas|aasen|næs|fjeld|fjell|gård|gaard|bø|myr|sæter|seter|li|by)$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


class PersonalDataScrubber(BaseEstimator, TransformerMixin):
    """Free text in, the same text with personal data replaced by typed placeholders out.

    Stateless (``fit`` learns nothing). ``find_spans`` gives what would be replaced, for review
    and evaluation. ``kinds`` chooses what is scrubbed; by default everything.
    """

    def __init__(self, kinds: tuple = KINDS, max_name_words: int = 4):
        self.kinds = kinds
        self.max_name_words = max_name_words

    def fit(self, X=None, y=None):
        return self

    def transform(self, X):
        return [self.scrub(text) for text in X]

    def scrub(self, text: str) -> str:
        text = normalise(text)
        spans = self.find_spans(text)
        pieces, last = [], 0
        for span in spans:
            pieces.append(text[last:span.start])
            pieces.append(PLACEHOLDERS[span.kind])
            last = span.end
        pieces.append(text[last:])
        return "".join(pieces)

    def find_spans(self, text: str) -> list[Span]:
        """Non-overlapping spans in ``text`` (already normalised), earliest first."""
        found: list[Span] = []
        kinds = set(self.kinds)

        def add(start: int, end: int, kind: str) -> None:
            if kind in kinds and not any(s.start < end and start < s.end for s in found):
                found.append(Span(start, end, kind))

        # Order matters: the more specific pattern claims its characters first.
        for match in _EMAIL.finditer(text):
            add(match.start(), match.end(), "email")
        for pattern in (_FNR, _FNR_ACCOUNT):
            for match in pattern.finditer(text):
                add(match.start(), match.end(), "fnr")
        for match in _PHONE.finditer(text):
            add(match.start(), match.end(), "phone")
        for pattern in (_STREET, _POSTAL_ADDRESS):
            for match in pattern.finditer(text):
                start = self._skip_leading_non_street(text, match.start(), match.end())
                add(start, match.end(), "address")
        for start, end in self._names(text):
            add(start, end, "name")
        return sorted(found, key=lambda s: s.start)

    @staticmethod
    def _skip_leading_non_street(text: str, start: int, end: int) -> int:
        """A sentence-initial or function word glued to the front of an address is not part of it."""
        words = list(_WORD.finditer(text, start, end))
        stop = resources.all_stopwords()
        for word in words[:-1]:
            if word.group().lower() in stop or word.group() in resources.word_set("place_names.txt"):
                start = word.end() + 1
            else:
                break
        return start

    def _names(self, text: str) -> list[tuple[int, int]]:
        given = resources.word_set("first_names.txt")
        ambiguous = resources.word_set("first_names_ambiguous.txt")
        places = resources.word_set("place_names.txt")
        stop = resources.all_stopwords()
        words = list(_WORD.finditer(text))
        cue_ends = {m.end() for m in _CUES.finditer(text)}
        spans: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            word = words[i]
            token = word.group()
            lower = token.lower()
            parts = lower.split("-")
            capitalised = token[:1].isupper()
            sentence_start = word.start() == 0 or _SENTENCE_END.search(text[:word.start()]) is not None
            after_cue = word.start() in cue_ends
            next_word = words[i + 1] if i + 1 < len(words) else None
            next_is_surname = (next_word is not None and text[word.end():next_word.start()] in (" ", "-")
                               and self._surname_like(next_word.group(), stop, places))
            is_given = capitalised and all(p in given or p in ambiguous for p in parts) and lower not in places
            starts_name = False
            if is_given:
                if not any(p in ambiguous for p in parts):
                    starts_name = not (sentence_start and lower in stop)
                else:
                    starts_name = after_cue or next_is_surname or not sentence_start
                    # "Per dag", "Ola" at a sentence start stay words unless something says person.
                    if not after_cue and not next_is_surname and lower in stop:
                        starts_name = False
            elif capitalised and lower not in places and lower not in stop:
                starts_name = after_cue or (
                    not sentence_start and _SURNAME_ENDING.search(lower) is not None and len(lower) > 4)
            if not starts_name:
                i += 1
                continue
            end_index = i
            while (end_index + 1 < len(words) and end_index - i + 1 < self.max_name_words
                   and text[words[end_index].end():words[end_index + 1].start()] in (" ", "-")
                   and self._surname_like(words[end_index + 1].group(), stop, places, given | ambiguous)):
                end_index += 1
            spans.append((word.start(), words[end_index].end()))
            i = end_index + 1
        return spans

    @staticmethod
    def _surname_like(token: str, stop, places, given=frozenset()) -> bool:
        lower = token.lower()
        if not token[:1].isupper() or lower in stop:
            return False
        if lower in places and lower not in given:
            return False
        return True


def scrub(text: str) -> str:
    """Scrub one text with the default settings."""
    return PersonalDataScrubber().scrub(text)
