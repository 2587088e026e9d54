"""Training of the person-name model (``analysis.names``) on NorNE (read and scored by
``analysis.norne``): generated exit-answer sentences, training, and the cross-validation that
chooses the decision rule. Used by ``tools/train_names.py`` (``make names-model``); nothing here
runs when an answer is scrubbed.

NorNE's annotations are CC0 but its texts may not be republished: only the binary model (feature
weights) is written, never sentences or word lists taken from them.
"""
from __future__ import annotations

import hashlib
import random
import re
import tempfile
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from analysis import resources
from analysis.name_features import DEFAULT_PLACES, as_files, features, place_words, tokenise
from analysis.names import TRAINING_PARAMS, NameModel
from analysis.norne import COUNTED, Sentence, detokenise, entity_type, evaluate_on_conllu, scores


# --- Training -------------------------------------------------------------------------------------

def sentence_tokens(sentence: Sentence) -> tuple[list[str], list[str]]:
    """The sentence's tokens as the recogniser tokenises them, and their types (``analysis.norne.entity_type``)."""
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
    result = scores(counts["all"])
    result["by_language"] = {key: scores(value) for key, value in sorted(counts.items()) if key != "all"}
    return result


def _accumulate(counts: dict, figures: dict) -> None:
    for key in COUNTED:
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
    """SHA-256 of the words of the lists the features read (names, common words, ``places``,
    stopwords), comments left out: when it differs from the one in the settings, the model must be
    trained again."""
    digest = hashlib.sha256()
    for name in FEATURE_LISTS + as_files(places) + ("stopwords_nb.txt", "stopwords_nn.txt", "stopwords_en.txt"):
        digest.update(name.encode())
        digest.update("\n".join(sorted(resources.line_set(name))).encode())
    return digest.hexdigest()
