"""Synthetic exit answers at any scale, for benchmarks: the demo's phrase banks recombined, with
typos, personal details and English mixed in, so vocabulary grows with size as real text does."""
from __future__ import annotations

import random

from survey_app.demo.texts import PERSONAL_TAILS, REASON_PHRASES

FILLERS = {
    "nn": ["Eg har trivst mykje her.", "Det er trist å gå.", "Takk for meg.", "Det har vore ei tung avgjerd.",
           "Eg har tenkt lenge på dette.", "Kollegaene mine er fantastiske."],
    "nb": ["Jeg har trivdes godt her.", "Det er trist å gå.", "Takk for meg.", "Det har vært en tung avgjørelse.",
           "Jeg har tenkt lenge på dette.", "Kollegene mine er fantastiske."],
    "en": ["I liked working here.", "It was a hard decision.", "Thank you for everything."],
}


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def answers(n: int, seed: int = 0) -> list[str]:
    return [text for text, _ in labelled_answers(n, seed)]


def labelled_answers(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """``(text, cause)`` pairs: the cause is the one whose phrases the text was built from."""
    rng = random.Random(seed)
    causes = [c for c in REASON_PHRASES if c != "anna"]
    result = []
    for _ in range(n):
        cause = rng.choice(causes)
        lang = rng.choices(["nn", "nb", "en"], weights=[45, 45, 10])[0]
        bank = REASON_PHRASES[cause][lang]
        parts = rng.sample(bank, k=min(len(bank), rng.choice([1, 1, 2])))
        if rng.random() < 0.3:
            parts.append(rng.choice(FILLERS[lang]))
        text = " ".join(parts)
        if rng.random() < 0.15:
            text = " ".join(_typo(rng, w) if rng.random() < 0.15 else w for w in text.split())
        if rng.random() < 0.04:
            text += rng.choice(PERSONAL_TAILS[lang])
        if rng.random() < 0.2:
            text += f" ({rng.randint(1, 40)} år i kommunen)"
        result.append((text, cause))
    return result
