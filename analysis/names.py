"""Learned person-name recognition for the scrubber: the features and the trained model, as they run
when an answer is scrubbed (training is in ``analysis.name_training``, NorNE and the scoring on it
in ``analysis.norne``).

A linear-chain CRF (CRFsuite, through python-crfsuite) labels every token of an answer as part of a
person (PER), a place (LOC), an organisation (ORG), another name (OTH) or none (O), from features
that can be read and explained: the word, its beginning and end, its shape and capitalisation,
where it stands in the sentence, the words around it, whether it is a known given name, surname,
place or common word (package data lists written from general knowledge), whether it ends like a
Norwegian surname or place, and whether a cue such as "leiaren min" or "hilsen" comes just before
it. ``analysis.recognisers.PersonNameRecogniser`` replaces a token when the model's marginal
probability of PER passes a rule chosen by cross-validation for recall
(``name_training.cross_validate``).

Why a CRF: the model is under a MB, tags an answer in well under a millisecond, trains in a
minute on a CPU, and every decision is a sum of feature weights (``NameModel.explain``). It is
trained on NorNE dev (bokmål and nynorsk) plus generated exit-answer sentences
(``name_training.synthetic_examples``) by ``tools/train_names.py``. NorNE's annotations are CC0 but its texts
may not be republished: only the binary model (feature weights) is shipped, never sentences or
word lists taken from them.

The model file and its settings (``data/person_names.yaml``: the rule, the place lists its
features were computed with, the cross-validated figures and the model's SHA-256, so that
``analysis.code_version`` changes when the model does) are package data.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Sequence

from analysis import resources

MODEL_FILE = "person_names.crfsuite"
SETTINGS_FILE = "person_names.yaml"
LABELS = ("PER", "LOC", "ORG", "OTH", "O")
# NorNE's nine entity types folded to the four the scrubber cares about: a person is removed, a
# place stays (GPE_LOC is a place as a place: "flyttar til Bodø"), an organisation stays
# (GPE_ORG is a place as an organisation: "Bergen kommune"), and the rest stay.
NORNE_TYPES = {"PER": "PER", "LOC": "LOC", "GPE_LOC": "LOC", "ORG": "ORG", "GPE_ORG": "ORG",
               "PROD": "OTH", "EVT": "OTH", "DRV": "OTH", "MISC": "OTH"}
DEFAULT_PLACES = ("place_names_no.txt", "place_names.txt")
# A word that is seldom a name (lowercase, a common word, a given name that is also a word) is
# only a name above this probability, whatever the threshold (analysis.recognisers).
COMMON_THRESHOLD = 0.5
TRAINING_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}

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


# --- Tokens and features --------------------------------------------------------------------------

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
    return _place_words(_as_files(places))


@lru_cache(maxsize=8)
def _place_words(files: tuple[str, ...]) -> frozenset[str]:
    words = frozenset().union(*(resources.word_set(name) for name in files))
    return words - resources.all_stopwords()


def place_phrases(places) -> frozenset[tuple[str, ...]]:
    """Places of two to five words in the lists (one place a line), as lowercase word tuples:
    ("jan", "mayen"), ("mo", "i", "rana"). A line of a list with more words is a list of places."""
    return _place_phrases(_as_files(places))


@lru_cache(maxsize=8)
def _place_phrases(files: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    phrases = set()
    for name in files:
        for line in resources.line_set(name):
            words = tuple(t for _, _, t in tokenise(line))
            if 2 <= len(words) <= 5:
                phrases.add(words)
    return frozenset(phrases)


def _as_files(places) -> tuple[str, ...]:
    return (places,) if isinstance(places, str) else tuple(places)


@lru_cache(maxsize=8)
def _gazetteers(files: tuple[str, ...]) -> Gazetteers:
    given = resources.word_set("first_names.txt")
    return Gazetteers(given, resources.word_set("first_names_ambiguous.txt"), resources.word_set("surnames.txt"),
                      _place_words(files), resources.all_stopwords(), resources.word_set("common_words.txt") - given)


def gazetteers(places) -> Gazetteers:
    return _gazetteers(_as_files(places))


def _shape(token: str) -> str:
    shape = []
    for char in token:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if not shape or shape[-1] != kind:
            shape.append(kind)
    return "".join(shape)[:6]


def _is_title(token: str) -> bool:
    return token[:1].isupper()


def _sentence_starts(tokens: Sequence[str]) -> list[bool]:
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
    starts = _sentence_starts(tokens)
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


# --- The model ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def settings() -> dict:
    """The shipped model's settings (``data/person_names.yaml``): ``threshold``, ``place_ratio``,
    ``organisation_ratio`` and ``common_threshold`` of the decision rule
    (``analysis.recognisers.PersonNameRecogniser``), the place lists (``places``) its features
    were computed with, and how it was trained and how well it did. Defaults without the file."""
    try:
        data = resources.yaml_data(SETTINGS_FILE) or {}
    except FileNotFoundError:
        data = {}
    data = {"threshold": 0.05, "place_ratio": 0.0, "organisation_ratio": 0.0, "common_threshold": COMMON_THRESHOLD,
            "places": list(DEFAULT_PLACES), **data}
    data["places"] = [name for name in _as_files(data["places"]) if _exists(name)]
    return data


def _exists(name: str) -> bool:
    return package_files.files("analysis").joinpath("data", name).is_file()


class NameModel:
    """A trained CRF, loaded once (``shipped_model()``), safe to share between threads. ``places``
    must be the place lists the model was trained with."""

    def __init__(self, model: bytes | str | Path, places=DEFAULT_PLACES, cache_size: int = 2048):
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        if isinstance(model, (bytes, bytearray)):
            # CRFsuite reads the model from this buffer without copying it: keep it alive.
            self._data = bytes(model)
            self._tagger.open_inmemory(self._data)
        else:
            self._tagger.open(str(model))
        self.places = _as_files(places)
        self.labels = tuple(self._tagger.labels())
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, list] = OrderedDict()
        self._cache_size = cache_size

    def marginals(self, tokens: Sequence[str]) -> list[dict[str, float]]:
        """For each token, the probability of each label."""
        if not tokens:
            return []
        xseq = features(tokens, self.places)
        with self._lock:
            self._tagger.set(xseq)
            return [{label: self._tagger.marginal(label, i) for label in self.labels} for i in range(len(tokens))]

    def probabilities(self, text: str) -> list[tuple[int, int, str, float, float, float]]:
        """(start, end, token, P(PER), P(LOC), P(ORG)) for the tokens of ``text``. The last
        ``cache_size`` texts are remembered (evaluation tries many decision rules on one text)."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        tokens = tokenise(text)
        result = []
        if tokens:
            xseq = features([t for _, _, t in tokens], self.places)
            labels = [label if label in self.labels else None for label in ("PER", "LOC", "ORG")]
            with self._lock:
                self._tagger.set(xseq)
                result = [(s, e, t, *(self._tagger.marginal(label, i) if label else 0.0 for label in labels))
                          for i, (s, e, t) in enumerate(tokens)]
        with self._lock:
            self._cache[text] = result
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def explain(self, label: str = "PER", top: int = 20) -> list[tuple[str, float]]:
        """The ``top`` heaviest features towards ``label``: (feature, weight)."""
        info = self._tagger.info()
        weights = sorted(((f, w) for (f, name), w in info.state_features.items() if name == label),
                         key=lambda item: -item[1])
        return weights[:top]


@lru_cache(maxsize=1)
def shipped_model() -> NameModel:
    """The model shipped as package data, loaded once."""
    data = package_files.files("analysis").joinpath("data", MODEL_FILE).read_bytes()
    return NameModel(data, places=settings()["places"])


def places_files() -> tuple[str, ...]:
    """The place lists the shipped model's features were computed with."""
    return tuple(settings()["places"])


def in_place_phrase(tokens: Sequence[str], places=DEFAULT_PLACES) -> list[bool]:
    """For each token, whether it is part of a place of several words in the lists ("Jan Mayen")."""
    return _in_place_phrase([t.lower() for t in tokens], places)
