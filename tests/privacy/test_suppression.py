"""Suppression: no small cell is shown, and no hidden cell can be worked out from what is shown.

The property test builds random organisation trees (sectors with units) and random counts per
unit and category, publishes every table the dashboards publish (unit rows, sector subtotals,
organisation totals), and checks with linear algebra that no hidden cell is determined by the
sums that tie the visible cells together.
"""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.privacy import Line, share, suppress, suppress_lines


def test_one_small_cell_takes_a_second_one_with_it():
    assert suppress({"a": 20, "b": 3, "c": 7}, 5) == {"a": 20, "b": None, "c": None}
    assert suppress({"a": 20, "b": 0, "c": 7}, 5) == {"a": 20, "b": 0, "c": 7}
    assert suppress({"a": 2, "b": 1}, 5) == {"a": None, "b": None}
    assert suppress({"a": 3, "b": 9}, 5, total_shown=False) == {"a": None, "b": 9}


def test_hidden_cells_that_sum_to_a_small_group_take_a_third():
    assert suppress({"a": 1, "b": 1, "c": 6, "d": 30}, 5) == {"a": None, "b": None, "c": None, "d": 30}


def test_share_only_from_shown_counts():
    assert share(None, 10) is None and share(3, 0) is None and share(5, 20) == 25.0


def tree_tables(units_per_sector: list[int], counts: list[list[int]]):
    """Cells and lines of the dashboard tables for a tree and counts per (unit, category)."""
    values, lines = {}, []
    categories = range(len(counts[0]))
    unit = 0
    sector_keys = []
    for s, size in enumerate(units_per_sector):
        unit_keys = []
        for _ in range(size):
            row = counts[unit]
            for c in categories:
                values[("u", unit, c)] = row[c]
            values[("u", unit, "T")] = sum(row)
            lines.append(Line(tuple(("u", unit, c) for c in categories), ("u", unit, "T")))
            unit_keys.append(unit)
            unit += 1
        for c in list(categories) + ["T"]:
            values[("s", s, c)] = sum(values[("u", u, c)] for u in unit_keys)
            lines.append(Line(tuple(("u", u, c) for u in unit_keys), ("s", s, c)))
        lines.append(Line(tuple(("s", s, c) for c in categories), ("s", s, "T")))
        sector_keys.append(s)
    for c in list(categories) + ["T"]:
        values[("o", c)] = sum(values[("s", s, c)] for s in sector_keys)
        lines.append(Line(tuple(("s", s, c) for s in sector_keys), ("o", c)))
    lines.append(Line(tuple(("o", c) for c in categories), ("o", "T")))
    return values, lines


def determined_cells(values, lines, shown) -> list:
    """Hidden cells whose value follows from the shown ones through the lines' sums."""
    hidden = [k for k, v in shown.items() if v is None]
    if not hidden:
        return []
    index = {k: i for i, k in enumerate(hidden)}
    rows = []
    for line in lines:
        row = np.zeros(len(hidden))
        for k in line.members:
            if k in index:
                row[index[k]] += 1
        if line.total in index:
            row[index[line.total]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return []
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for key, i in index.items():
        unit_vector = np.zeros(len(hidden))
        unit_vector[i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit_vector])) == rank:
            found.append(key)
    return found


@st.composite
def trees(draw):
    sectors = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    categories = draw(st.integers(2, 5))
    counts = draw(st.lists(st.lists(st.integers(0, 25), min_size=categories, max_size=categories),
                           min_size=sum(sectors), max_size=sum(sectors)))
    minimum = draw(st.integers(3, 7))
    return sectors, counts, minimum


@settings(max_examples=300, deadline=None)
@given(trees())
def test_no_small_group_is_shown_or_derivable(tree):
    sectors, counts, minimum = tree
    values, lines = tree_tables(sectors, counts)
    shown = suppress_lines(values, lines, minimum)
    assert all(v is None or v == 0 or v >= minimum for v in shown.values())
    assert determined_cells(values, lines, shown) == []
    # A filter (a leader's own units) publishes a sub-tree: the same rules hold there.
    sub_values, sub_lines = tree_tables(sectors[:1], counts[:sectors[0]])
    sub_shown = suppress_lines(sub_values, sub_lines, minimum)
    assert determined_cells(sub_values, sub_lines, sub_shown) == []


def test_one_rule_for_a_lone_count_a_rate_and_the_comment_minimum():
    from survey_app.privacy import comment_minimum, response_rate, visible

    assert [visible(n, 5) for n in (0, 3, 5)] == [0, None, 5]
    assert response_rate(12, 20, 5) == (20, 12, 60.0)
    # Those who answered are the group: three of twenty would give "fewer than 5" away.
    assert response_rate(3, 20, 5) == (None, None, None)
    assert response_rate(0, 6, 5) == (6, 0, 0.0) and response_rate(20, 20, 5) == (20, 20, 100.0)
    assert comment_minimum(5) == 10 and comment_minimum(12) == 12
