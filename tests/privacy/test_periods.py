"""Released periods: closed quarters only, in fixed blocks of a quarter, a half-year or a year."""
from __future__ import annotations

from datetime import date

import pytest

from survey_app.privacy.periods import block, is_released, last_closed_quarter, released_blocks


def test_blocks_cover_their_quarters():
    assert block("2026Q3").quarters == ("2026Q3",)
    assert block("2026h2").quarters == ("2026Q3", "2026Q4")
    assert block("2025").quarters == ("2025Q1", "2025Q2", "2025Q3", "2025Q4")
    assert block("2025").start == date(2025, 1, 1) and block("2025").end == date(2025, 12, 31)
    for bad in ("2026Q5", "2026H3", "26", "2026-Q1", ""):
        with pytest.raises(ValueError):
            block(bad)


def test_only_ended_blocks_are_released():
    today = date(2026, 12, 5)
    assert last_closed_quarter(today) == "2026Q3"
    assert is_released("2026Q3", today) and is_released("2026H1", today) and is_released("2025", today)
    assert not is_released("2026Q4", today) and not is_released("2026H2", today) and not is_released("2026", today)
    assert not is_released("nonsense", today)
    assert is_released("2026Q4", date(2027, 1, 1))


def test_released_blocks_are_the_fixed_blocks_of_the_last_eight_closed_quarters():
    labels = [b.label for b in released_blocks(date(2026, 12, 5))]
    assert labels[0] == "2026Q3"  # the latest quarter leads
    assert labels == ["2026Q3", "2026Q2", "2026H1", "2026Q1", "2025Q4", "2025H2", "2025", "2025Q3", "2025Q2",
                      "2025H1", "2025Q1", "2024Q4"]
    assert all(is_released(label, date(2026, 12, 5)) for label in labels)
