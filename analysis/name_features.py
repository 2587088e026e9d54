"""The features of the person-name model (``analysis.names``): tokens, the word lists it reads
(given names, surnames, places, common words; package data written from general knowledge), and
for each token the facts the CRF weighs: the word, its beginning and end, its shape, where it stands
in the sentence, the words around it, which lists it is on, how it ends, and how far a cue such as
"leiaren min" comes before it.

Training and scrubbing must compute the same features: a change here changes what the shipped model
reads, and ``tests/analysis/test_names.py`` checks that the word lists are the ones it was trained
with.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from analysis import resources

DEFAULT_PLACES = ("place_names_no.txt", "place_names.txt")

# Words (letters and digits, with inner hyphens and apostrophes) and single other characters.
_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*|\S")
_SENTENCE_ENDS = frozenset(".!?:;…")
_OPENERS = frozenset("\"'«(-[*•")
# Endings of Norwegian and Nordic surnames (Hansen, Andersson, Solberg, Bjørnstad, Nordheim, Sandvik,
# ...). Many are also endings of places, which is why this is a feature, not a rule.
_SURNAME_ENDING = re.compile(
    r"(?:sen|ssen|son|sson|stad|dal|dahl|vik|heim|land|berg|rud|nes|ness|bakken|haug|haugen|lie|seth|"
    r"strand|eide|moen|holm|lund|aas|aasen|næs|fjeld|fjell|gård|gaard|bø|myr|sæter|seter|li|by|ski|ska|"
    r"wicz|enko|uk|ov|ova|ev|eva|as|ienė|ytė|aitė|quist|qvist|ström|gren)$")
# Endings of Norwegian place names (mountains, valleys, islands, lakes, fjords, farms and villages)
# and of foreign ones, and of organisation names: features that let the model tell "Valldalen" or
# "Tafjordfjella" from a surname it has not seen.
_PLACE_ENDING = re.compile(
    r"(?:fjell|fjella|fjellet|dalen|dal|øya|øy|øyane|øyene|vatnet|vatn|vannet|fjorden|fjord|sjøen|elva|elven|"
    r"heia|heii|heiane|heiene|breen|tind|tinden|toppen|nuten|holmen|neset|sundet|sund|bukta|vika|vågen|våg|"
    r"skogen|marka|myra|åsen|kollen|berget|fossen|hamn|havn|bygda|bygd|grenda|sentrum|byen|torget|plassen|"
    r"parken|brua|brygga|stranda|landet|halvøya|istan|burg|borg|grad|polis|ville|abad|pur|stadt|ton|"
    r"ford|field|shire|hamn|holm|näs|köping|inge)$")
_ORGANISATION_ENDING = re.compile(
    r"(?:forbundet|forbund|banken|bank|kommune|kommunen|departementet|direktoratet|tinget|avisen|avisa|posten|"
    r"bladet|tidende|gruppen|gruppa|senteret|senter|huset|sykehus|sjukehus|sykehuset|sjukehuset|skole|skule|"
    r"skolen|skulen|universitet|universitetet|høgskule|høgskole|høyskole|partiet|laget|klubb|klubben|"
    r"selskap|selskapet|foreningen|foreninga|rådet|nemnda|nemnd|tilsynet|verket|verk|museet|teateret|"
    r"kyrkja|kirken|kirke|kyrkje|firma|asa|as)$")
# Cues written before a person in exit answers and letters, in nynorsk, bokmål and English. They are
# features of the model (and the strong ones rules of the recogniser, analysis.recognisers).
CUE_PHRASES = (
    "hilsen", "helsing", "mvh", "vh", "med vennlig hilsen", "med venleg helsing", "beste hilsen",
    "venleg helsing", "vennlig hilsen", "regards", "best regards", "kind regards", "best wishes", "sincerely",
    "cheers", "thanks to", "thank you to", "takk til", "mitt namn er", "mitt navn er", "my name is",
    "eg heiter", "jeg heter", "i am called", "kontaktperson", "kontakt", "leiaren min", "lederen min",
    "leiaren vår", "lederen vår", "sjefen min", "sjefen vår", "sjefen", "kollegaen min", "kollegaen mi",
    "kollegaen", "kollega", "kollegane mine", "kollegene mine", "saman med", "sammen med", "my manager",
    "my boss", "my colleague", "my supervisor", "my leader", "together with", "nærmaste leiar",
    "nærmeste leder", "avdelingsleiar", "avdelingsleder", "einingsleiar", "enhetsleder", "rektor", "styrar",
    "styrer", "leiar", "leder", "mentor", "verneombod", "verneombud", "tillitsvald", "tillitsvalgt",
    "snakka med", "snakket med", "spurde", "spurte", "talked to", "spoke to", "spoke with", "especially",
    "særleg", "særlig", "spesielt", "ved", "v/",
)
_CUES = frozenset(tuple(phrase.split()) for phrase in CUE_PHRASES)
_CUE_LENGTH = max(len(c) for c in _CUES)


def tokenise(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) for the words and other characters of ``text``."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Gazetteers:
    given: frozenset
    ambiguous: frozenset
    surnames: frozenset
    places: frozenset
    stop: frozenset
    common: frozenset  # common words that are not given names


def place_words(places) -> frozenset[str]:
    """The words of the place lists ``places`` (file names; a multi-word place gives each of its
    words), without function words ("Mo i Rana" gives "mo" and "rana", not "i")."""
    return _place_words(as_files(places))


@lru_cache(maxsize=8)
def _place_words(files: tuple[str, ...]) -> frozenset[str]:
    words = frozenset().union(*(resources.word_set(name) for name in files))
    return words - resources.all_stopwords()


def place_phrases(places) -> frozenset[tuple[str, ...]]:
    """Places of two to five words in the lists (one place a line), as lowercase word tuples:
    ("jan", "mayen"), ("mo", "i", "rana"). A line of a list with more words is a list of places."""
    return _place_phrases(as_files(places))


@lru_cache(maxsize=8)
def _place_phrases(files: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    phrases = set()
    for name in files:
        for line in resources.line_set(name):
            words = tuple(t for _, _, t in tokenise(line))
            if 2 <= len(words) <= 5:
                phrases.add(words)
    return frozenset(phrases)


def as_files(places) -> tuple[str, ...]:
    return (places,) if isinstance(places, str) else tuple(places)


@lru_cache(maxsize=8)
def _gazetteers(files: tuple[str, ...]) -> Gazetteers:
    given = resources.word_set("first_names.txt")
    return Gazetteers(given, resources.word_set("first_names_ambiguous.txt"), resources.word_set("surnames.txt"),
                      _place_words(files), resources.all_stopwords(), resources.word_set("common_words.txt") - given)


def gazetteers(places) -> Gazetteers:
    return _gazetteers(as_files(places))


def _shape(token: str) -> str:
    shape = []
    for char in token:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if not shape or shape[-1] != kind:
            shape.append(kind)
    return "".join(shape)[:6]


def _is_title(token: str) -> bool:
    return token[:1].isupper()


def sentence_starts(tokens: Sequence[str]) -> list[bool]:
    starts = []
    for i, token in enumerate(tokens):
        if i == 0:
            starts.append(True)
        elif tokens[i - 1] in _SENTENCE_ENDS:
            starts.append(True)
        elif tokens[i - 1] in _OPENERS and starts[i - 1]:
            starts.append(True)
        else:
            starts.append(False)
    return starts


def _cue_distance(lowered: Sequence[str], i: int) -> int:
    """How many words back (1 or 2, punctuation such as "," and ":" skipped) a cue phrase ends, 0
    if none: "leiaren min, Kari Nordmann" gives 1 for Kari and 2 for Nordmann."""
    words_back = 0
    j = i - 1
    while j >= 0 and words_back < 2:
        if lowered[j] in (",", ":", "-", "("):
            j -= 1
            continue
        for length in range(1, _CUE_LENGTH + 1):
            if j - length + 1 >= 0 and tuple(lowered[j - length + 1:j + 1]) in _CUES:
                return words_back + 1
        words_back += 1
        j -= 1
    return 0


def _word_facts(token: str, lower: str, g: Gazetteers) -> list[str]:
    facts = _list_facts(lower, g)
    # A genitive ("Norges", "Karis", "Hansens", "Chiles") is what its stem is.
    if len(lower) > 3 and lower.endswith(("s", "'s", "'")):
        stem = lower.rstrip("'").removesuffix("'s")
        stem = stem[:-1] if stem.endswith("s") and not lower.endswith("'s") else stem
        if stem != lower:
            facts += [fact + "_gen" for fact in _list_facts(stem, g) if fact in ("given", "surname", "place")]
    if len(lower) > 4 and _SURNAME_ENDING.search(lower):
        facts.append("sn_end")
    if len(lower) > 4 and _PLACE_ENDING.search(lower):
        facts.append("pl_end")
    if len(lower) > 4 and _ORGANISATION_ENDING.search(lower):
        facts.append("org_end")
    return facts


def _list_facts(lower: str, g: Gazetteers) -> list[str]:
    facts = []
    parts = lower.split("-")
    if lower in g.given or (len(parts) > 1 and all(p in g.given for p in parts)):
        facts.append("given")
    if lower in g.ambiguous:
        facts.append("given_amb")
    if lower in g.surnames or (len(parts) > 1 and parts[-1] in g.surnames):
        facts.append("surname")
    if lower in g.places:
        facts.append("place")
    if lower in g.stop:
        facts.append("stop")
    if lower in g.common:
        facts.append("common")
    return facts


def _in_place_phrase(lowered: Sequence[str], places) -> list[bool]:
    phrases = place_phrases(places)
    result = [False] * len(lowered)
    if not phrases:
        return result
    for i in range(len(lowered)):
        for length in (2, 3, 4, 5):
            if i + length <= len(lowered) and tuple(lowered[i:i + length]) in phrases:
                for j in range(i, i + length):
                    result[j] = True
    return result


def features(tokens: Sequence[str], places=DEFAULT_PLACES) -> list[list[str]]:
    """CRF features of each token (lists of feature names, each with weight 1). ``places`` are the
    place lists (file names in analysis/data) for the "place" features."""
    g = gazetteers(places)
    lowered = [t.lower() for t in tokens]
    in_phrase = _in_place_phrase(lowered, places)
    starts = sentence_starts(tokens)
    titles = [_is_title(t) for t in tokens]
    facts = [_word_facts(t, l, g) for t, l in zip(tokens, lowered)]
    shapes = [_shape(t) for t in tokens]
    result = []
    n = len(tokens)
    for i, (token, lower) in enumerate(zip(tokens, lowered)):
        f = ["b", "w=" + lower, "sh=" + shapes[i]]
        if len(lower) > 2:
            f += ["p2=" + lower[:2], "s2=" + lower[-2:]]
        if len(lower) > 3:
            f += ["p3=" + lower[:3], "s3=" + lower[-3:]]
        if len(lower) > 4:
            f += ["p4=" + lower[:4], "s4=" + lower[-4:]]
        title, start = titles[i], starts[i]
        alpha = any(c.isalpha() for c in token)
        if title:
            f.append("title")
            f.append("title_start" if start else "title_mid")
        if alpha and token.isupper() and len(token) > 1:
            f.append("upper")
        if not alpha:
            f.append("digit" if any(c.isdigit() for c in token) else "punct")
        if start:
            f.append("start")
        if "-" in token:
            f.append("hyphen")
        for fact in facts[i]:
            f.append(fact)
            if title:
                f.append(fact + ("_ts" if start else "_tm"))
        if in_phrase[i]:
            f.append("place_phrase")
        if title and not start:
            run_before = 0
            while i - run_before - 1 >= 0 and titles[i - run_before - 1] and not starts[i - run_before - 1]:
                run_before += 1
            run_after = 0
            while i + run_after + 1 < n and titles[i + run_after + 1]:
                run_after += 1
            f.append(f"run={min(run_before, 2)}.{min(run_after, 2)}")
        if len(lower) <= 2:
            f.append("short")
        cue = _cue_distance(lowered, i)
        if cue:
            f.append(f"cue{cue}")
            if title:
                f.append(f"cue{cue}_t")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if j < 0:
                f.append(f"{offset}:BOS")
                continue
            if j >= n:
                f.append(f"{offset}:EOS")
                continue
            f.append(f"{offset}:w=" + lowered[j])
            if titles[j]:
                f.append(f"{offset}:title")
            for fact in facts[j]:
                f.append(f"{offset}:{fact}")
            if abs(offset) == 1:
                f.append(f"{offset}:sh=" + shapes[j])
                if titles[j] and title:
                    f.append(f"{offset}:title_pair")
        if i > 0:
            f.append("-1|0=" + lowered[i - 1] + "|" + lower)
        if title and len(lower) > 3:
            padded = "<" + lower + ">"
            f.extend(dict.fromkeys("c3=" + padded[k:k + 3] for k in range(len(padded) - 2)))
        result.append(f)
    return result


def in_place_phrase(tokens: Sequence[str], places=DEFAULT_PLACES) -> list[bool]:
    """For each token, whether it is part of a place of several words in the lists ("Jan Mayen")."""
    return _in_place_phrase([t.lower() for t in tokens], places)
