"""NorNE, the Norwegian named-entity corpus, as the scrubber's measure: reading its CoNLL-U files
(word forms, name labels, spacing) and scoring the full scrubber on its sentences, token by token.
Used by ``analysis.name_training`` (cross-validation) and ``python -m analysis evaluate --names``.

NorNE's annotations are CC0 but its texts may not be republished: nothing here writes them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# NorNE's nine entity types folded to the four the scrubber cares about: a person is removed, a
# place stays (GPE_LOC is a place as a place: "flyttar til Bodø"), an organisation stays
# (GPE_ORG is a place as an organisation: "Bergen kommune"), and the rest stay.
NORNE_TYPES = {"PER": "PER", "LOC": "LOC", "GPE_LOC": "LOC", "ORG": "ORG", "GPE_ORG": "ORG",
               "PROD": "OTH", "EVT": "OTH", "DRV": "OTH", "MISC": "OTH"}


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
    result = scores(counts["all"])
    result["by_language"] = {key: scores(value) for key, value in sorted(counts.items()) if key != "all"}
    return result


def scores(c: dict) -> dict:
    def share(a, b):
        return c.get(a, 0) / c[b] if c.get(b) else 0.0

    figures = {key: int(c.get(key, 0)) for key in COUNTED}
    figures.update(recall=share("person_removed", "person_tokens") if c.get("person_tokens") else 1.0,
                   other_altered=share("other_altered_tokens", "other_tokens"),
                   place_altered=share("place_altered_tokens", "place_tokens"),
                   organisation_altered=share("organisation_altered_tokens", "organisation_tokens"))
    return figures


COUNTED = ("sentences", "person_tokens", "person_removed", "other_tokens", "other_altered_tokens", "place_tokens",
           "place_altered_tokens", "organisation_tokens", "organisation_altered_tokens")


def _as_sentences(path_or_sentences) -> list[Sentence]:
    if isinstance(path_or_sentences, (str, Path)):
        return read_conllu(path_or_sentences)
    items = list(path_or_sentences)
    if items and isinstance(items[0], (str, Path)):
        return [s for path in items for s in read_conllu(path)]
    return items
