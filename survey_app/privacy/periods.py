"""Released periods: figures cover closed periods only, in fixed blocks that never overlap.

A period still running changes the moment someone answers, so a person who knows one leaver has
just answered could read that leaver's answers from the difference. Only quarters that have ended
are released, and only as fixed blocks: a quarter (``2026Q3``), a half-year (``2026H2``) or a
calendar year (``2026``). Windows "the four quarters up to any quarter" overlap one another and let
a hidden quarter follow by subtraction; fixed blocks nest (quarters in halves in years), and the
group gate audits the nesting.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from survey_app.periods import parse_quarter, previous_quarters, quarter_label

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\d{4})H([12])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Block:
    label: str
    kind: str              # "quarter", "half" or "year"
    quarters: tuple        # the quarter labels it covers, oldest first

    @property
    def start(self) -> date:
        return parse_quarter(self.quarters[0])[0]

    @property
    def end(self) -> date:
        return parse_quarter(self.quarters[-1])[1]


def block(label: str) -> Block:
    """The block written ``2026Q3``, ``2026H2`` or ``2026``; ValueError for anything else."""
    label = label.strip().upper()
    if match := _QUARTER.match(label):
        return Block(label, "quarter", (label,))
    if match := _HALF.match(label):
        year, half = int(match.group(1)), int(match.group(2))
        return Block(label, "half", tuple(f"{year}Q{q}" for q in ((1, 2) if half == 1 else (3, 4))))
    if match := _YEAR.match(label):
        year = int(match.group(1))
        return Block(label, "year", tuple(f"{year}Q{q}" for q in range(1, 5)))
    raise ValueError(f"{label!r} is not a quarter (2026Q3), a half-year (2026H2) or a year (2026)")


def last_closed_quarter(today: date) -> str:
    return quarter_label(previous_quarters(today, 1)[0])


def is_released(label: str, today: date) -> bool:
    """Whether every quarter of the block has ended."""
    try:
        covered = block(label)
    except ValueError:
        return False
    return covered.end < parse_quarter(quarter_label(today))[0]


def released_quarters(today: date, count: int = 8) -> list[str]:
    """The last ``count`` closed quarters, newest first."""
    return [quarter_label(d) for d in reversed(previous_quarters(today, count))]


def released_blocks(today: date, quarters: int = 8) -> list[Block]:
    """Every block wholly inside the last ``quarters`` closed quarters, newest first and, for the
    same end, the shortest first: the latest quarter leads."""
    return blocks_ending(last_closed_quarter(today), quarters)


def blocks_ending(last: str, quarters: int = 8) -> list[Block]:
    """What ``released_blocks`` gives on the first day after the quarter ``last``: the blocks a
    report for that quarter may show, the same ones the results pages offered then."""
    start = parse_quarter(last)[1] + timedelta(days=1)
    closed = [quarter_label(d) for d in previous_quarters(start, quarters)]
    inside = set(closed)
    labels = list(closed)
    for year in sorted({int(q[:4]) for q in closed}):
        labels += [f"{year}H1", f"{year}H2", f"{year}"]
    blocks = [block(label) for label in labels]
    blocks = [b for b in blocks if set(b.quarters) <= inside]
    return sorted(blocks, key=lambda b: (-closed.index(b.quarters[-1]), len(b.quarters)))
