"""Learned person-name recognition for the scrubber, and its evaluation on NorNE.

A linear-chain CRF (CRFsuite, through python-crfsuite) labels every token of an answer as part of a
person (PER), a place (LOC), an organisation (ORG), another name (OTH) or none (O), from features
that can be read and explained: the word, its beginning and end, its shape and capitalisation,
where it stands in the sentence, the words around it, whether it is a known given name, surname,
place or common word (package data lists written from general knowledge), whether it ends like a
Norwegian surname or place, and whether a cue such as "leiaren min" or "hilsen" comes just before
it. ``analysis.recognisers.PersonNameRecogniser`` replaces a token when the model's marginal
probability of PER passes a rule chosen by cross-validation for recall (``cross_validate``).

Why a CRF: the model is under a MB, tags an answer in well under a millisecond, trains in a
minute on a CPU, and every decision is a sum of feature weights (``NameModel.explain``). It is
trained on NorNE dev (bokmål and nynorsk) plus generated exit-answer sentences
(``synthetic_examples``) by ``tools/train_names.py``. NorNE's annotations are CC0 but its texts
may not be republished: only the binary model (feature weights) is shipped, never sentences or
word lists taken from them.

The model file and its settings (``data/person_names.yaml``: the rule, the place lists its
features were computed with, the cross-validated figures and the model's SHA-256, so that
``analysis.code_version`` changes when the model does) are package data.
"""
from __future__ import annotations

import hashlib
import random
import re
import tempfile
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Iterable, Sequence

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


@dataclass
class Sentence:
    """One CoNLL-U sentence: word forms, NorNE name labels (``B-PER``, ``O``) and SpaceAfter."""
    sent_id: str
    language: str
    forms: list[str]
    labels: list[str]
    space_after: list[bool] = field(default_factory=list)


# --- Reading NorNE --------------------------------------------------------------------------------

def read_conllu(path, language: str | None = None) -> list[Sentence]:
    """Sentences of a CoNLL-U file whose MISC column holds ``name=B-PER`` and the like (NorNE).
    ``language`` defaults to ``nn`` for a file name with "nno" and ``nb`` otherwise."""
    path = Path(path)
    if language is None:
        language = "nn" if "nno" in path.name or "nynorsk" in path.name.lower() else "nb"
    sentences, forms, labels, spaces, sent_id = [], [], [], [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if forms:
                sentences.append(Sentence(sent_id, language, forms, labels, spaces))
            forms, labels, spaces, sent_id = [], [], [], ""
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition("=")
            if key.strip() == "sent_id":
                sent_id = value.strip()
            continue
        columns = line.split("\t")
        if len(columns) < 10 or not columns[0].isdigit():  # multi-word tokens and empty nodes
            continue
        misc = dict(item.split("=", 1) for item in columns[9].split("|") if "=" in item)
        forms.append(columns[1])
        labels.append(misc.get("name", "O"))
        spaces.append(misc.get("SpaceAfter") != "No")
    if forms:
        sentences.append(Sentence(sent_id, language, forms, labels, spaces))
    return sentences


def detokenise(sentence: Sentence) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as text (SpaceAfter=No respected) and each token's character offsets. The text
    is already in the scrubber's normal form (NFC, single spaces), so offsets hold after scrubbing."""
    from analysis.text import normalise

    pieces, offsets, position = [], [], 0
    spaces = sentence.space_after or [True] * len(sentence.forms)
    for index, form in enumerate(sentence.forms):
        form = normalise(form) or "_"
        offsets.append((position, position + len(form)))
        pieces.append(form)
        position += len(form)
        if spaces[index] and index < len(sentence.forms) - 1:
            pieces.append(" ")
            position += 1
    return "".join(pieces), offsets


def entity_type(label: str) -> str:
    """``B-GPE_LOC`` -> ``LOC``; ``O`` -> ``O``."""
    if label in ("O", "_", "") or "-" not in label:
        return "O"
    return NORNE_TYPES.get(label.split("-", 1)[1], "OTH")


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


# --- Training -------------------------------------------------------------------------------------

def sentence_example(sentence: Sentence, places=DEFAULT_PLACES) -> tuple[list[list[str]], list[str]]:
    """Features and labels of a NorNE sentence, tokenised as the recogniser tokenises answers: the
    sentence is detokenised and re-tokenised, and each token takes the type of the NorNE token
    its first character belongs to."""
    tokens, labels = sentence_tokens(sentence)
    return features(tokens, places), labels


def sentence_tokens(sentence: Sentence) -> tuple[list[str], list[str]]:
    """The sentence's tokens as the recogniser tokenises them, and their types (see above)."""
    text, offsets = detokenise(sentence)
    owner = [None] * len(text)
    for index, (start, end) in enumerate(offsets):
        for position in range(start, end):
            owner[position] = index
    tokens = tokenise(text)
    labels = []
    for start, _, _ in tokens:
        index = owner[start]
        labels.append(entity_type(sentence.labels[index]) if index is not None else "O")
    return [t for _, _, t in tokens], labels


def replaced_mentions(tokens: Sequence[str], labels: Sequence[str], rng: random.Random,
                      invented: float = 0.5) -> list[str]:
    """A copy of ``tokens`` in which every capitalised person word is replaced by a given name or
    surname (from the lists, or invented) and every capitalised place word by a place (from the
    list, or invented): the model then has to learn from the context and the form of a word, not
    remember the names of one corpus."""
    given = _sorted_words("first_names.txt")
    surnames = _sorted_words("surnames.txt")
    places = _sorted_places()
    result = list(tokens)
    for i, (token, label) in enumerate(zip(tokens, labels)):
        if not token[:1].isupper() or label not in ("PER", "LOC"):
            continue
        first = i == 0 or labels[i - 1] != label
        if label == "PER":
            if rng.random() < invented:
                word = _invented_name(rng, given=first)
            else:
                word = rng.choice(given if first else surnames)
        else:
            word = _invented_place(rng) if rng.random() < invented else rng.choice(places)
        word = "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
        if token.isupper() and len(token) > 1:
            word = word.upper()
        if token.endswith("s") and not word.endswith("s") and rng.random() < 0.5:
            word += "s"
        result[i] = word
    return result


@lru_cache(maxsize=4)
def _sorted_words(name: str) -> tuple[str, ...]:
    return tuple(sorted(resources.word_set(name)))


@lru_cache(maxsize=1)
def _sorted_places() -> tuple[str, ...]:
    return tuple(sorted(w for w in place_words(DEFAULT_PLACES) if len(w) > 2))


_ONSETS = ("b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "br", "dr", "gr", "kr", "st",
           "sv", "tr", "sh", "ch", "kh", "z", "y", "w", "")
_VOWELS = ("a", "e", "i", "o", "u", "y", "æ", "ø", "å", "aa", "ei", "ia", "ie", "ou", "au")
_CODAS = ("", "", "n", "r", "l", "s", "m", "t", "k", "nd", "rt", "st")


def _syllables(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(count))


def _invented_name(rng: random.Random, given: bool) -> str:
    """A made-up name: a stem of two or three syllables, sometimes with a name ending."""
    stem = _syllables(rng, rng.choice((2, 2, 3)))
    if not given and rng.random() < 0.5:
        stem += rng.choice(("sen", "son", "stad", "heim", "land", "berg", "ski", "enko", "ovic", "ian", "i", "a"))
    return stem


def _invented_place(rng: random.Random) -> str:
    stem = _syllables(rng, rng.choice((1, 2, 2)))
    if rng.random() < 0.6:
        stem += rng.choice(("vik", "dal", "dalen", "fjorden", "øya", "vatnet", "fjellet", "nes", "stad", "by",
                            "heia", "sund", "holmen", "berg", "åsen", "bu", "ia", "burg", "grad", "istan"))
    return stem


def train(sentences: Iterable[Sentence], model_path, places=DEFAULT_PLACES,
          params: dict | None = None, synthetic: int = 0, seed: int = 0, verbose: bool = False,
          replaced_copies: int = 0) -> Path:
    """Train a CRF on ``sentences`` (plus ``replaced_copies`` copies of each sentence with persons or
    places, their names replaced by others, ``replaced_mentions``, and ``synthetic`` generated
    exit-answer sentences) and write it to ``model_path``."""
    import pycrfsuite

    rng = random.Random(seed)
    trainer = pycrfsuite.Trainer(verbose=verbose)
    for sentence in sentences:
        tokens, labels = sentence_tokens(sentence)
        if not tokens:
            continue
        trainer.append(features(tokens, places), labels)
        if any(label in ("PER", "LOC") for label in labels):
            for _ in range(replaced_copies):
                trainer.append(features(replaced_mentions(tokens, labels, rng), places), labels)
    for tokens, labels in synthetic_examples(synthetic, seed=seed):
        trainer.append(features(tokens, places), labels)
    trainer.set_params({**TRAINING_PARAMS, **(params or {})})
    trainer.train(str(model_path))
    return Path(model_path)


# Synthetic exit-answer sentences, written for this module (not from any corpus): they teach the
# model the cues of exit answers ("leiaren min, X", "Hilsen X", "flyttar til X") that news text
# seldom has. {P} is a person, {G} a given name alone, {L} a place, {O} an organisation.
_TEMPLATES = (
    "Leiaren min, {P}, høyrer aldri etter.", "Lederen min, {P}, har ikke tid til oss.",
    "Eg har snakka med {P} om dette.", "Jeg har snakket med {P} i HR, men ingenting skjedde.",
    "Takk til {G} og {G} for gode år.", "Takk til {P} for alt.", "Hilsen {P}", "Mvh {P}", "Helsing {G}",
    "Med vennlig hilsen {P}", "Venleg helsing {P}", "Best regards, {P}", "Regards, {G}", "Kind regards {P}",
    "Kollegaen min {P} har også slutta.", "Sjefen min {G} svarer aldri på e-post.",
    "Eg jobba saman med {G} på natt.", "Jeg jobbet sammen med {P} i mange år.",
    "My manager {P} never listens.", "I worked together with {G} and {G}.", "Thanks to {P} for everything.",
    "{P} var ein god kollega.", "{P} har vært en god leder.", "{G} på natta og eg har spurt om innleige.",
    "Ein kollega, {P}, har snakka nedlatande til meg.", "Den nye leiaren, {P}, har endra alt.",
    "Mitt namn er {P}.", "Mitt navn er {P}.", "My name is {P}.", "Eg heiter {G} og har jobba her i ti år.",
    "Vi flyttar til {L} til sommaren.", "Vi flytter til {L} i august.", "Eg har fått jobb i {L}.",
    "Jeg har fått fast stilling i {L} kommune.", "Reisevegen frå {L} vart for lang.",
    "We are moving to {L} in June.", "Eg byrjar i {O} etter jul.", "Jeg går til {O} fra januar.",
    "Eg har fått tilbod frå {O} med betre løn.", "{O} betaler betre.", "I got a job at {O}.",
    "Rektor {P} kom for to år sidan.", "Avdelingsleder {P} sa at det var slik.",
    "Eg spurde {G} på personalkontoret, men fekk aldri svar.", "Spør {P} om du lurer på noko.",
    "Lederen vår {P} har endret alle rutiner.", "Einingsleiaren {P} har vore sjukmeld lenge.",
    "Mentoren min, {G}, slutta etter to veker.", "I want to thank my colleagues, especially {P}.",
    "Kontaktperson: {P}", "Kontakt {P} på personalavdelinga.", "Jeg bor i {L} og pendler til {L}.",
    "Lønna er for låg.", "Arbeidsmiljøet er dårleg.", "Leiinga lyttar ikkje.", "Ledelsen hører ikke på oss.",
    "Turnusen passar ikkje med familielivet.", "Bemanninga er for låg.", "Vaktene er for lange.",
    "Sykefraværet er høyt.", "The workload is too high.", "Nobody listens to us.",
)
_ORGANISATIONS = ("Helse Bergen", "Helse Nord", "Helse Fonna", "NAV", "Fagforbundet", "Sykepleierforbundet",
                  "Bergen kommune", "Alver kommune", "Bodø kommune", "Oslo kommune", "Haukeland",
                  "Nordlandssykehuset", "Statsforvaltaren", "Statsforvalteren", "Coop", "Rema", "Equinor",
                  "Universitetet i Bergen", "Høgskulen på Vestlandet", "Norlandia", "Espira", "Kiwi")


def synthetic_examples(count: int, seed: int = 0) -> list[tuple[list[str], list[str]]]:
    """``count`` generated sentences as (tokens, labels)."""
    if count <= 0:
        return []
    rng = random.Random(seed)
    given = sorted(resources.word_set("first_names.txt"))
    surnames = sorted(resources.word_set("surnames.txt"))
    places = sorted(w for w in place_words(DEFAULT_PLACES) if w not in resources.word_set("first_names.txt")
                    and w not in resources.word_set("surnames.txt") and len(w) > 2)

    def cap(word: str) -> str:
        return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))

    def first_name() -> str:
        # A third are made up, so that the model learns the cues, not only the list.
        return cap(rng.choice(given) if rng.random() < 0.67 else _invented_name(rng, given=True))

    def person() -> str:
        words = [first_name()]
        if rng.random() < 0.25:
            words.append(first_name())
        if rng.random() < 0.8:
            words.append(cap(rng.choice(surnames)) if rng.random() < 0.6 else _invented_surname(rng))
        return " ".join(words)

    fillers = {"P": person, "G": first_name, "L": lambda: cap(rng.choice(places)),
               "O": lambda: rng.choice(_ORGANISATIONS)}
    kinds = {"P": "PER", "G": "PER", "L": "LOC", "O": "ORG"}
    examples = []
    for _ in range(count):
        template = rng.choice(_TEMPLATES)
        text, spans, last = "", [], 0
        for match in re.finditer(r"\{([PGLO])\}", template):
            text += template[last:match.start()]
            value = fillers[match.group(1)]()
            spans.append((len(text), len(text) + len(value), kinds[match.group(1)]))
            text += value
            last = match.end()
        text += template[last:]
        tokens = tokenise(text)
        labels = [next((kind for s, e, kind in spans if s <= start < e), "O") for start, _, _ in tokens]
        examples.append(([t for _, _, t in tokens], labels))
    return examples


def _invented_surname(rng: random.Random) -> str:
    """A Norwegian-looking farm or patronymic surname made of two parts ("Brekkestad")."""
    first = rng.choice("Bakke Berg Bjørk Brekke Dal Eik Fjell Foss Haug Hol Kval Li Lyng Moe Myr Nord Rogn "
                       "Sand Skog Stein Strand Sol Tveit Vatn Vik Øy Aas Grøn Hov Kvam Lund Ask Hegg".split())
    last = rng.choice("stad heim land dal vik nes rud set bø berg li haug eide voll mo sæter".split())
    return first + last


# --- Evaluation -----------------------------------------------------------------------------------

def _word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def evaluate_on_conllu(path_or_sentences, scrubber=None, language: str | None = None) -> dict:
    """Run the full scrubber on each detokenised NorNE sentence and score it by token, aligned by
    character offsets:

    - ``recall``: share of person tokens (B-PER/I-PER) that lie inside a ``name`` span;
    - ``other_altered``: share of other word tokens that any span touches;
    - ``place_altered``: share of place tokens (LOC, GPE_LOC) that any span touches;
    - ``organisation_altered``: the same for ORG and GPE_ORG.

    ``path_or_sentences`` is a CoNLL-U path, a list of paths or a list of ``Sentence``. Figures
    are given for all sentences and per language (``by_language``). ``language`` is passed to
    the scrubber (None: the scrubber detects it, as it does for answers).
    """
    from analysis.scrub import PersonalDataScrubber

    sentences = _as_sentences(path_or_sentences)
    scrubber = scrubber if scrubber is not None else PersonalDataScrubber()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sentence in sentences:
        text, offsets = detokenise(sentence)
        spans = scrubber.find_spans(text, language=language)
        names = [(s.start, s.end) for s in spans if s.kind == "name"]
        every = [(s.start, s.end) for s in spans]
        for key in ("all", sentence.language):
            counts[key]["sentences"] += 1
        for (start, end), form, label in zip(offsets, sentence.forms, sentence.labels):
            if not _word(form):
                continue
            kind = entity_type(label)
            inside = any(a <= start and end <= b for a, b in names)
            touched = any(a < end and start < b for a, b in every)
            for key in ("all", sentence.language):
                c = counts[key]
                if kind == "PER":
                    c["person_tokens"] += 1
                    c["person_removed"] += inside
                else:
                    c["other_tokens"] += 1
                    c["other_altered_tokens"] += touched
                    if kind == "LOC":
                        c["place_tokens"] += 1
                        c["place_altered_tokens"] += touched
                    elif kind == "ORG":
                        c["organisation_tokens"] += 1
                        c["organisation_altered_tokens"] += touched
    result = _figures(counts["all"])
    result["by_language"] = {key: _figures(value) for key, value in sorted(counts.items()) if key != "all"}
    return result


def _figures(c: dict) -> dict:
    def share(a, b):
        return c.get(a, 0) / c[b] if c.get(b) else 0.0

    figures = {key: int(c.get(key, 0)) for key in _COUNTS}
    figures.update(recall=share("person_removed", "person_tokens") if c.get("person_tokens") else 1.0,
                   other_altered=share("other_altered_tokens", "other_tokens"),
                   place_altered=share("place_altered_tokens", "place_tokens"),
                   organisation_altered=share("organisation_altered_tokens", "organisation_tokens"))
    return figures


_COUNTS = ("sentences", "person_tokens", "person_removed", "other_tokens", "other_altered_tokens", "place_tokens",
           "place_altered_tokens", "organisation_tokens", "organisation_altered_tokens")


def _as_sentences(path_or_sentences) -> list[Sentence]:
    if isinstance(path_or_sentences, (str, Path)):
        return read_conllu(path_or_sentences)
    items = list(path_or_sentences)
    if items and isinstance(items[0], (str, Path)):
        return [s for path in items for s in read_conllu(path)]
    return items


def scrubber_with(model: NameModel, threshold: float | None = None, place_ratio: float | None = None,
                  organisation_ratio: float | None = None):
    """The full scrubber (every default recogniser) with ``model`` and this rule for person names."""
    from analysis.recognisers import PersonNameRecogniser, default_recognisers
    from analysis.scrub import PersonalDataScrubber

    recognisers = [r for r in default_recognisers() if r.kind != "name"]
    recognisers.append(PersonNameRecogniser(model, threshold, place_ratio, organisation_ratio))
    return PersonalDataScrubber(recognisers=recognisers)


def folds_by_block(sentences: Sequence[Sentence], folds: int) -> list[list[int]]:
    """Indices of ``folds`` folds: each language's sentences, in file order, cut into ``folds``
    contiguous blocks (NorNE has no document ids; neighbouring sentences share a document, so
    blocks keep a document on one side), block k of every language in fold k."""
    by_language: dict[str, list[int]] = defaultdict(list)
    for index, sentence in enumerate(sentences):
        by_language[sentence.language].append(index)
    result = [[] for _ in range(folds)]
    for indices in by_language.values():
        size = len(indices)
        for k in range(folds):
            result[k].extend(indices[k * size // folds:(k + 1) * size // folds])
    return result


DEFAULT_THRESHOLDS = (0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5)
DEFAULT_PLACE_RATIOS = (0.0, 0.25, 0.5, 1.0)
DEFAULT_ORGANISATION_RATIOS = (0.0, 0.05, 0.1, 0.25)


def cross_validate(sentences: Sequence[Sentence], folds: int = 5, thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
                   place_ratios: Sequence[float] = DEFAULT_PLACE_RATIOS,
                   organisation_ratios: Sequence[float] = DEFAULT_ORGANISATION_RATIOS, places=DEFAULT_PLACES,
                   params: dict | None = None, synthetic: int = 0, recall_target: float = 0.95,
                   other_limit: float = 0.02, progress=None) -> dict:
    """Cross-validated figures of the full scrubber, and the decision rule they choose.

    The sentences of each language are cut into ``folds`` contiguous blocks (``folds_by_block``);
    for each fold a model is trained on the other folds, and the full scrubber with it is scored
    on the fold (``evaluate_on_conllu``) for every rule of the grid: a token is a name when
    P(PER) > threshold, P(PER) > place_ratio * P(LOC) and P(PER) > organisation_ratio * P(ORG).
    Counts are pooled over folds.

    Returns ``{"folds", "grid": [{"threshold", "place_ratio", "organisation_ratio", **figures}],
    "chosen": grid row}`` (``choose_rule``).
    """
    sentences = list(sentences)
    fold_indices = folds_by_block(sentences, folds)
    grid = []
    with tempfile.TemporaryDirectory() as folder:
        models = []
        for k, held_out in enumerate(fold_indices):
            held = set(held_out)
            path = Path(folder) / f"fold{k}.crfsuite"
            train((s for i, s in enumerate(sentences) if i not in held), path, places, params, synthetic, seed=k)
            models.append((NameModel(path.read_bytes(), places, cache_size=len(held_out) + 1),
                           [sentences[i] for i in held_out]))
            if progress:
                progress(f"fold {k + 1}/{folds} trained")
        for threshold in thresholds:
            for place_ratio in place_ratios:
                for organisation_ratio in organisation_ratios:
                    rule = {"threshold": threshold, "place_ratio": place_ratio,
                            "organisation_ratio": organisation_ratio}
                    grid.append({**rule, **_pooled_evaluation(models, rule)})
    return {"folds": folds, "grid": grid, "chosen": choose_rule(grid, recall_target, other_limit)}


def choose_rule(grid: Sequence[dict], recall_target: float = 0.95, other_limit: float = 0.02) -> dict:
    """The grid row that reaches the recall target in every language and alters at most
    ``other_limit`` of other words, and among those alters the smallest share of place and
    organisation words (which must stay); if no row reaches the target, the one closest to it."""
    def lowest_recall(row):
        return min(f["recall"] for f in row["by_language"].values()) if row["by_language"] else row["recall"]

    def names_kept_altered(row):
        total = row["place_tokens"] + row["organisation_tokens"]
        return (row["place_altered_tokens"] + row["organisation_altered_tokens"]) / total if total else 0.0

    def key(row):
        recall_ok = lowest_recall(row) >= recall_target
        return (not recall_ok, 0 if recall_ok else -lowest_recall(row), row["other_altered"] > other_limit,
                names_kept_altered(row), row["other_altered"], -row["threshold"])

    return min(grid, key=key)


def _pooled_evaluation(models_and_tests, rule: dict) -> dict:
    """Evaluate each (model, held-out sentences) pair with ``rule`` and pool the token counts."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for model, test in models_and_tests:
        result = evaluate_on_conllu(test, scrubber_with(model, **rule))
        for key, figures in [("all", result)] + list(result["by_language"].items()):
            _accumulate(counts[key], figures)
    result = _figures(counts["all"])
    result["by_language"] = {key: _figures(value) for key, value in sorted(counts.items()) if key != "all"}
    return result


def _accumulate(counts: dict, figures: dict) -> None:
    for key in _COUNTS:
        counts[key] += figures[key]


def cross_language(sentences: Sequence[Sentence], rule: dict | None = None, places=DEFAULT_PLACES,
                   params: dict | None = None, synthetic: int = 0) -> dict:
    """Train on one written standard, test on the other, with the decision ``rule`` (keys
    ``threshold``, ``place_ratio``, ``organisation_ratio``; None: the shipped settings):
    ``{"nb->nn": figures, "nn->nb": figures}``."""
    rule = {key: (rule or {}).get(key) for key in ("threshold", "place_ratio", "organisation_ratio")}
    sentences = list(sentences)
    result = {}
    with tempfile.TemporaryDirectory() as folder:
        for source, target in (("nb", "nn"), ("nn", "nb")):
            path = Path(folder) / f"{source}.crfsuite"
            train((s for s in sentences if s.language == source), path, places, params, synthetic)
            model = NameModel(path.read_bytes(), places)
            result[f"{source}->{target}"] = evaluate_on_conllu([s for s in sentences if s.language == target],
                                                               scrubber_with(model, **rule))
    return result


def model_digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


FEATURE_LISTS = ("first_names.txt", "first_names_ambiguous.txt", "surnames.txt", "common_words.txt")


def feature_lists_digest(places=DEFAULT_PLACES) -> str:
    """SHA-256 of the word lists the features read (names, common words, ``places``, stopwords):
    when it differs from the one in the settings, the model must be trained again."""
    digest = hashlib.sha256()
    for name in FEATURE_LISTS + _as_files(places) + ("stopwords_nb.txt", "stopwords_nn.txt", "stopwords_en.txt"):
        digest.update(name.encode())
        digest.update(package_files.files("analysis").joinpath("data", name).read_bytes())
    return digest.hexdigest()

