"""Honest small numbers: how sure a share is, and whether a change in a share is more than chance.

The report states one method and keeps to it: a share comes with its base ("12 of 43"), a share
resting on fewer than ``UNCERTAIN_BELOW`` answers is marked uncertain, and a change between two
shares counts as a finding only when a two-sided two-proportion z-test (pooled) gives p < ``ALPHA``.
The Wilson interval is printed where a reader wants the range a share could plausibly lie in.
Both are textbook methods (Agresti & Coull 1998; Wilson 1927) chosen because they can be explained
to a committee in two sentences.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

ALPHA = 0.05
UNCERTAIN_BELOW = 20
_Z95 = 1.959963984540054


def uncertain(n: int | None) -> bool:
    """A share resting on fewer than ``UNCERTAIN_BELOW`` answers."""
    return n is not None and n < UNCERTAIN_BELOW


def wilson(count: int, n: int, z: float = _Z95) -> tuple[float, float]:
    """The Wilson score interval for ``count`` of ``n``, as proportions (0–1)."""
    if n <= 0:
        raise ValueError("a share needs at least one answer")
    if not 0 <= count <= n:
        raise ValueError("count must lie between 0 and n")
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Change:
    before: tuple[int, int]      # (count, n)
    after: tuple[int, int]
    difference: float            # in percentage points, after minus before
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA and not uncertain(self.before[1]) and not uncertain(self.after[1])


def two_proportions(before: tuple[int, int], after: tuple[int, int]) -> Change:
    """The two-sided pooled z-test of whether two shares differ."""
    (k1, n1), (k2, n2) = before, after
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both shares need at least one answer")
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        p_value = 1.0  # both 0 % or both 100 %: nothing changed
    else:
        z = (p2 - p1) / math.sqrt(variance)
        p_value = math.erfc(abs(z) / math.sqrt(2))
    return Change(before=(k1, n1), after=(k2, n2), difference=100 * (p2 - p1), p_value=p_value)
