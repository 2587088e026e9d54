"""Learned person-name recognition for the scrubber: the trained model and its settings, as they run
when an answer is scrubbed (its features are in ``analysis.name_features``, training in
``analysis.name_training``, NorNE and the scoring on it in ``analysis.norne``).

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

import threading
from collections import OrderedDict
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Sequence

from analysis import resources
from analysis.name_features import DEFAULT_PLACES, as_files, features, tokenise

MODEL_FILE = "person_names.crfsuite"
SETTINGS_FILE = "person_names.yaml"
LABELS = ("PER", "LOC", "ORG", "OTH", "O")
# A word that is seldom a name (lowercase, a common word, a given name that is also a word) is
# only a name above this probability, whatever the threshold (analysis.recognisers).
COMMON_THRESHOLD = 0.5
TRAINING_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}


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
    data["places"] = [name for name in as_files(data["places"]) if _exists(name)]
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
        self.places = as_files(places)
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
