"""The single gate for figures that leave the database for a person.

A count below the organisation's minimum group size is never shown, and neither is anything that
would let it be worked out: when a total is shown and only one cell of a row is hidden, the
next smallest cell is hidden too (complementary suppression), so no hidden cell can be recovered
by subtracting the visible ones from the total.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K")


def suppress(counts: Mapping[K, int], minimum: int, total_shown: bool = True) -> dict[K, int | None]:
    """``counts`` with every cell that must not be shown replaced by None.

    Zero cells stay: "nobody" describes no one. A cell from 1 to ``minimum - 1`` is hidden; if the
    total is shown and the hidden cells together are then recoverable (a single hidden cell, or
    hidden cells that sum below the minimum), more cells are hidden, smallest first.
    """
    shown: dict[K, int | None] = {key: (None if 0 < value < minimum else value) for key, value in counts.items()}
    if not total_shown:
        return shown
    while True:
        hidden = [key for key, value in shown.items() if value is None]
        if not hidden:
            return shown
        hidden_sum = sum(counts[key] for key in hidden)
        # One hidden cell equals total minus the rest; several that sum below the minimum still
        # describe a small group. Both need another cell hidden.
        if len(hidden) >= 2 and hidden_sum >= minimum:
            return shown
        candidates = [key for key, value in shown.items() if value]
        if not candidates:
            return shown
        smallest = min(candidates, key=lambda key: counts[key])
        shown[smallest] = None


def total_or_none(counts: Mapping[object, int], minimum: int) -> int | None:
    """The total of a group, or None when the whole group is too small to describe."""
    total = sum(counts.values())
    return total if total >= minimum else None
