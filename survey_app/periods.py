"""Quarters, the unit of reporting: the administrasjonsutval gets one report per quarter."""
from __future__ import annotations

import re
from datetime import date, timedelta

_LABEL = re.compile(r"^(\d{4})[Qq]([1-4])$")


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: date) -> str:
    """``2026Q3`` for any day in July-September 2026."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def parse_quarter(label: str) -> tuple[date, date]:
    """First and last day of a quarter written ``2026Q3``; ValueError for anything else."""
    match = _LABEL.match(label.strip())
    if not match:
        raise ValueError(f"{label!r} is not a quarter such as 2026Q3")
    year, quarter = int(match.group(1)), int(match.group(2))
    start = date(year, 3 * quarter - 2, 1)
    end = quarter_start(start + timedelta(days=95)) - timedelta(days=1)
    return start, end


def previous_quarters(day: date, count: int) -> list[date]:
    """Start dates of the ``count`` full quarters before the one ``day`` is in, oldest first."""
    starts, current = [], quarter_start(day)
    for _ in range(count):
        current = quarter_start(current - timedelta(days=1))
        starts.append(current)
    return list(reversed(starts))


def quarters_up_to(label: str, count: int) -> list[str]:
    """``count`` quarter labels ending with ``label``, oldest first."""
    start, _ = parse_quarter(label)
    return [quarter_label(d) for d in previous_quarters(start, count - 1)] + [quarter_label(start)]
