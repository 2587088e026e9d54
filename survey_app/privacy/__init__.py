"""The single gate for figures that leave the database for a person.

Two kinds of figure pass through here:

- Figures about respondents (answers, response counts, free text) follow the group rule in
  ``privacy.groups``: the minimum applies to the group of people a figure describes, a group large
  enough shows its whole distribution, a smaller one shows that it is too small, and an exact
  audit keeps every small group from following by subtraction from everything one role can see.
  ``privacy.periods`` fixes the blocks (closed quarters, half-years, years) those groups cover.
  ``services.released`` builds the families of groups the pages and reports read.
- Counts of people from the HR system per unit (leavers, employees) are themselves the sizes of
  groups; ``suppress_tree`` hides those below the minimum and, where a unit's count would follow
  from its sector less the others, the smallest sibling as well (complementary suppression over
  the lines of a table, ``suppress_lines``, with the same exact audit, ``determined``).

``visible`` (a lone count), ``response_rate`` (invited as the group) and ``comment_minimum`` (ten
writers for any list of comments) are the one definition of each, used everywhere.
Zero stays visible: "nobody" describes no one.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Line:
    """``members`` add up to ``total`` (a key in the same table, or None when no total is shown)."""
    members: tuple
    total: Hashable | None = None


def suppress_lines(values: Mapping[K, int], lines: Iterable[Line], minimum: int,
                   known: Mapping[K, bool] | None = None) -> dict[K, int | None]:
    """``values`` with every cell that must not be shown replaced by None.

    ``known`` fixes cells that another published table already decided: True for shown there
    (it stays shown, and is never picked to protect another cell), False for hidden there (it
    stays hidden). Two tables that share cells must agree on them, or one would undo the other.
    """
    lines = list(lines)
    known = known or {}
    hidden = {key for key, value in values.items() if 0 < value < minimum or known.get(key) is False}
    fixed = {key for key, shown in known.items() if shown and key not in hidden}
    _apply_line_rules(values, lines, minimum, hidden, fixed)
    # The line rules are local; several lines together can still pin a hidden cell down (two
    # hidden cells in a row may each be the only hidden one in their column). An exact audit
    # finds such cells and hides one more cell next to them until none is left.
    while True:
        pinned = determined(values, lines, hidden)
        if not pinned:
            break
        key = pinned[0]
        around = [k for line in lines if key in line.members or key == line.total
                  for k in list(line.members) + [line.total] if k is not None and k not in hidden and k not in fixed]
        if not around:
            break
        hidden.add(min(around, key=lambda k: (values[k] == 0, values[k], str(k))))
        _apply_line_rules(values, lines, minimum, hidden, fixed)
    return {key: (None if key in hidden else value) for key, value in values.items()}


def suppress_tree(counts: Mapping[Hashable, int], parent_of: Mapping[Hashable, Hashable], minimum: int,
                  with_total: bool = True) -> dict:
    """Counts of leaves (units) that add up to their parents (sectors), and parents to a total.

    Keys of the result: ``("leaf", key)``, ``("parent", parent)`` and, with ``with_total``,
    ``("total",)``; hidden ones are None.
    """
    groups: dict = {}
    for key in counts:
        groups.setdefault(parent_of[key], []).append(key)
    values: dict = {("leaf", key): value for key, value in counts.items()}
    values.update({("parent", parent): sum(counts[k] for k in keys) for parent, keys in groups.items()})
    lines = [Line(tuple(("leaf", k) for k in keys), ("parent", parent)) for parent, keys in groups.items()]
    if with_total:
        values[("total",)] = sum(counts.values())
        lines.append(Line(tuple(("parent", parent) for parent in groups), ("total",)))
    return suppress_lines(values, lines, minimum)


def determined(values: Mapping, lines: list[Line], hidden: set) -> list:
    """Hidden cells whose value follows from the shown cells through the sums of the lines.

    Each line with a hidden member is a linear equation in the hidden cells; a hidden cell is
    determined exactly when its unit vector lies in the row space of those equations, that is,
    when every vector of the equations' null space is zero at that cell.
    """
    order = sorted(hidden, key=str)
    if not order:
        return []
    index = {key: i for i, key in enumerate(order)}
    equations = []
    for line in lines:
        if line.total is None:
            continue
        row = np.zeros(len(order))
        for key in line.members:
            if key in index:
                row[index[key]] += 1.0
        if line.total in index:
            row[index[line.total]] -= 1.0
        if row.any():
            equations.append(row)
    if not equations:
        return []
    _, singular, vt = np.linalg.svd(np.array(equations))
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    if not len(null_space):
        return list(order)
    return [key for key, i in index.items() if np.abs(null_space[:, i]).max() < 1e-9]


def _apply_line_rules(values: Mapping, lines: list[Line], minimum: int, hidden: set, fixed: frozenset | set = frozenset()
                      ) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            keys = list(line.members) + ([line.total] if line.total is not None else [])
            hidden_keys = [k for k in keys if k in hidden]
            if not hidden_keys:
                continue
            hidden_sum = sum(values[k] for k in hidden_keys if k != line.total)
            total_shown = line.total is not None and line.total not in hidden
            if len(hidden_keys) >= 2 and not (total_shown and 0 < hidden_sum < minimum):
                continue
            # Prefer hiding another member; hide the total only when no member is left to hide.
            candidates = [k for k in line.members if k not in hidden and k not in fixed and values[k] > 0]
            if not candidates:
                candidates = [k for k in line.members if k not in hidden and k not in fixed]
            if not candidates and line.total is not None and line.total not in hidden and line.total not in fixed:
                candidates = [line.total]
            if not candidates:
                continue
            hidden.add(min(candidates, key=lambda k: (values[k], str(k))))
            changed = True


def suppress(counts: Mapping[K, int], minimum: int, total_shown: bool = True) -> dict[K, int | None]:
    """One row of counts, with or without its total shown next to it."""
    if not total_shown:
        return suppress_lines(counts, [], minimum)
    key = ("__total__",)
    values = {**counts, key: sum(counts.values())}
    result = suppress_lines(values, [Line(tuple(counts), key)], minimum)
    result.pop(key)
    return result


# Free text is read, not counted: a list of comments, and a theme that can give quotes, needs this
# many writers, or the organisation's minimum where that is higher.
COMMENT_MINIMUM = 10


def comment_minimum(minimum: int) -> int:
    return max(COMMENT_MINIMUM, minimum)


def visible(n: int, minimum: int) -> int | None:
    """A count on its own: shown when it is 0 ("nobody" describes no one) or at least the minimum."""
    return n if n == 0 or n >= minimum else None


def response_rate(answered: int, invited: int, minimum: int) -> tuple[int | None, int | None, float | None]:
    """Invited, answered and the rate, as far as they may be shown. Those who answered are the
    group (the same people the results page counts): with none, or at least the minimum of them,
    the figures show; two who answered out of six would give the results page's "fewer than 5"
    away. The caller has already asked the group gate whether the group is shown."""
    if visible(answered, minimum) is None or not invited:
        return None, None, None
    return invited, answered, share(answered, invited)


def share(part: int | None, whole: int | None) -> float | None:
    """A percentage from shown counts only; None when either is hidden or the whole is empty."""
    if part is None or not whole:
        return None
    return 100.0 * part / whole


@dataclass
class CrossTable:
    """A two-way table as shown: None where a group is not."""
    rows: list
    columns: list
    cells: dict          # (row, column) -> count or None
    row_totals: dict     # row -> count or None
    column_totals: dict  # column -> count or None
    total: int | None
