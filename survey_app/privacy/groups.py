"""The group rule: the minimum applies to the people behind a figure, not to each cell.

A *group* is a set of respondents a figure describes: a unit in a quarter, a sector over a year, an
answer value of a background question, a combination of these. A group with at least the minimum
number of respondents shows everything about them (counts, percentages, average, favourable share,
even a cell of 1: "one of the 12 in Heimetenesta chose Leiing" does not say who). A smaller group
shows only that it is too small. And no small group may follow by subtraction from the groups that
are shown, however many tables, periods and breakdowns one role can open.

Groups are sets of *cells*, the finest pieces every offered figure is made of (for example
(unit, quarter) pairs, or (unit, quarter, answer) triples for a breakdown by a background
question). What a reader can work out is exactly the linear span of the shown groups over those
cells: a small group is disclosed when its indicator vector lies in that span (the exact audit,
as in Statistics Norway's and Eurostat's guidance on tabular data, done over groups instead of
cells). Where groups add up to a parent (units to their sector, quarters to their year), the
hidden members of a shown parent must also not add up to a small group.

``release`` picks the groups to show, most important first (the organisation, the latest period,
larger groups before their smaller siblings), adding a group only if that keeps every small group
undetermined. So when a second group must be withheld it is the smallest sibling, never a total
that another choice could save.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

_EPS = 1e-9


def is_small(size: int, minimum: int) -> bool:
    """A group of people too small to show: some, but fewer than the minimum (none is no one)."""
    return 0 < size < minimum


@dataclass(frozen=True)
class Group:
    """A set of respondents a figure describes, as the cells it covers.

    ``rank`` orders the choice when something must be withheld: lower is shown first. A group that
    is not ``offered`` is never shown (those who left a question blank, say) but is protected like
    any other and counts in the sums it belongs to.
    """
    key: Hashable
    cells: frozenset
    rank: tuple = ()
    offered: bool = True


@dataclass(frozen=True)
class Sum:
    """``parent`` is made of the disjoint groups ``members`` (a sector of its units, a year of its
    quarters). With the parent shown, the members not shown together must not be a small group."""
    parent: Hashable
    members: tuple


@dataclass
class Release:
    """What may be shown: ``sizes`` of every group, and which of them are ``shown``."""
    minimum: int
    sizes: dict
    shown: set = field(default_factory=set)
    groups: list = field(default_factory=list, repr=False)  # every group considered, for audits
    sums: list = field(default_factory=list, repr=False)
    # Another count per group that is shown with it (those who answered, next to the people invited).
    counts: dict = field(default_factory=dict, repr=False)

    def audit(self) -> list:
        """Groups that break the rule in this release: shown though small, determined by the shown
        groups though small, or left as a small rest of a shown parent. Empty when all is well."""
        wrong = [key for key in self.shown if self.is_small(key)]
        small = [g.key for g in self.groups if self.is_small(g.key)]
        wrong += determined(self.groups, self.shown, small)
        for s in self.sums:
            if s.parent in self.shown:
                rest = sum(self.sizes[m] for m in s.members if m not in self.shown)
                if is_small(rest, self.minimum):
                    wrong.append(s)
        return wrong

    def is_small(self, key) -> bool:
        return is_small(self.sizes[key], self.minimum)

    def count(self, key) -> int | None:
        """The group's number of respondents, or None where it is not shown."""
        return self.sizes[key] if key in self.shown else None

    def status(self, key) -> str:
        """``shown``; ``small`` (fewer than the minimum); ``withheld`` (large enough, but hidden
        so that a small group cannot be worked out)."""
        if key in self.shown:
            return "shown"
        return "small" if self.is_small(key) else "withheld"


class _Span:
    """The span of the shown groups, worked out on the groups' Gram matrix instead of their cells.

    A group's vector is its indicator over the cells; two vectors' inner product is the number of
    cells they share, so the Gram matrix comes from one sparse product, whatever the number of
    cells. The orthonormal basis of the shown groups is kept as its inner products with the groups
    that matter (``coords``: one row per basis vector, one column per group that may be shown or
    must be protected), which is Gram-Schmidt without the cells; a protected group is determined
    when its residual norm (``left``) falls to zero. Only the columns of the groups that may be
    shown are kept of the Gram matrix, so thousands of protected cells cost memory in proportion.
    """

    def __init__(self, incidence, protected: list[int], candidates: list[int]):
        # Protected rows first, so that every product over them works on a slice, not a copy.
        protected = sorted(set(protected))
        self.rows = protected + sorted(set(candidates) - set(protected))
        self.row_of = {index: row for row, index in enumerate(self.rows)}
        self.column_of = {index: column for column, index in enumerate(candidates)}
        rows = incidence[self.rows]
        # One row per candidate, so that a candidate's inner products are contiguous.
        self.gram = (incidence[candidates] @ rows.T).toarray() if candidates else None  # float already
        self.coords = np.zeros((max(len(candidates), 1), len(self.rows)))
        self.rank = 0
        self.protected = len(protected)
        sizes = np.asarray(rows.multiply(rows).sum(axis=1)).ravel()
        self.left = sizes[:self.protected].astype(float)
        self._last = None   # (group, rank, residual) from ``would_determine``, for ``add``

    def _residual(self, index: int, protected_only: bool = False):
        """Inner products of ``index``'s residual with the kept groups (the protected ones only)."""
        end = self.protected if protected_only else len(self.rows)
        column = self.gram[self.column_of[index], :end]
        if not self.rank:
            return column.copy()
        basis = self.coords[:self.rank]
        own = basis[:, self.row_of[index]]
        return column - own @ basis[:, :end]

    def would_determine(self, index: int) -> bool:
        row = self.row_of[index]
        if not self.protected:
            return False
        column = self.gram[self.column_of[index]]
        basis = self.coords[:self.rank]
        own = basis[:, row]
        norm = float(column[row] - own @ own)
        if norm < _EPS:
            return False  # already in the span: showing it adds nothing
        # The whole residual, kept for ``add`` of the same group at the same rank (the usual next step).
        residual = self._residual(index)
        self._last = (index, self.rank, residual)
        towards = residual[:self.protected]
        return bool((self.left - towards ** 2 / norm < 1e-6).any())

    def add(self, index: int) -> None:
        last = self._last
        column = last[2] if last is not None and last[0] == index and last[1] == self.rank else self._residual(index)
        norm = column[self.row_of[index]]
        if norm < _EPS:
            return
        step = column / np.sqrt(norm)
        self.coords[self.rank] = step
        self.rank += 1
        self.left -= step[:self.protected] ** 2


def _incidence(groups: list[Group], cells: list | None = None):
    """The groups' indicator vectors over all their cells, as a sparse matrix (one row per group);
    ``cells`` (every cell of the groups, in column order) saves finding them again."""
    from scipy.sparse import csr_matrix

    if cells is None:
        column: dict = {}
        columns = [column.setdefault(c, len(column)) for g in groups for c in g.cells]
        width = len(column)
    else:
        column = {c: i for i, c in enumerate(cells)}
        columns = [column[c] for g in groups for c in g.cells]
        width = len(cells)
    rows = np.repeat(np.arange(len(groups)), [len(g.cells) for g in groups])
    return csr_matrix((np.ones(len(columns)), (rows, columns)), shape=(len(groups), max(width, 1)))


def release(groups: Iterable[Group], cell_sizes: Mapping[Hashable, int], minimum: int,
            sums: Iterable[Sum] = (), published: Iterable[Hashable] = ()) -> Release:
    """Decide which groups are shown.

    ``cell_sizes`` gives the respondents in each cell. ``published`` are groups already out (in an
    earlier report, say): they count as shown, so nothing released now may combine with them to
    disclose a small group. Keys that are not among ``groups`` are ignored, and so are published
    groups that are now small (answers erased since): those are protected like any small group.
    """
    groups = list(groups)
    sums = list(sums)
    # A cell is a group too (a combination of every filter on offer: a unit, a quarter and an answer
    # to each background question): a small one must not follow from the groups shown, even when no
    # single page offers it as a column (a unit less an age band inside it).
    named = list({c: None for g in groups for c in g.cells})
    # In the order the groups name them (deterministic, as the groups are): sorting adds nothing.
    groups += [Group(("cell",) + (c if isinstance(c, tuple) else (c,)), frozenset((c,)), (99,), False)
               for c in named if is_small(cell_sizes.get(c, 0), minimum)]
    incidence = _incidence(groups, named)
    # Each group's respondents: its indicator vector times the cells' sizes, in one sparse product.
    counts = incidence @ np.array([cell_sizes.get(c, 0) for c in named] or [0], dtype=float)
    sizes = {g.key: int(round(n)) for g, n in zip(groups, counts)}
    result = Release(minimum=minimum, sizes=sizes, groups=groups, sums=sums)
    index = {g.key: i for i, g in enumerate(groups)}
    small = [index[g.key] for g in groups if result.is_small(g.key)]
    # Two protected groups of the same respondents are one and the same to the span.
    protected = list({groups[i].cells: i for i in small}.values())
    # Shown before and still a group of at least the minimum: a group an erasure has made small, or
    # one another reader's lower minimum let out, is protected like any small group instead.
    published = [key for key in dict.fromkeys(tuple(k) for k in published)
                 if key in sizes and not result.is_small(key)]
    out = set(published)
    order = sorted((g for g in groups if g.offered and g.key not in out and not result.is_small(g.key)),
                   key=lambda g: (g.rank, -sizes[g.key], repr(g.key)))
    span = _Span(incidence, protected, [index[k] for k in published] + [index[g.key] for g in order])
    sums_of: dict = {}
    for s in sums:
        for key in (s.parent,) + tuple(s.members):
            sums_of.setdefault(key, []).append(s)

    def leaves_small_rest(candidate) -> bool:
        shown = result.shown | {candidate}
        for s in sums_of.get(candidate, ()):
            if s.parent not in shown:
                continue
            rest = sum(sizes[m] for m in s.members if m not in shown)
            if is_small(rest, minimum):
                return True
        return False

    for key in published:
        result.shown.add(key)
        span.add(index[key])
    for g in order:
        if span.would_determine(index[g.key]) or leaves_small_rest(g.key):
            continue
        result.shown.add(g.key)
        span.add(index[g.key])
    return result


def determined(groups: Iterable[Group], shown: Iterable[Hashable], targets: Iterable[Hashable]) -> list:
    """The ``targets`` whose cells follow exactly from the ``shown`` groups. This is the audit, done
    independently of ``release``: on the explicit vectors, by a singular value decomposition."""
    groups = list(groups)
    shown = list(shown)
    targets = list(targets)
    if not shown:
        return []
    rows = {g.key: i for i, g in enumerate(groups)}
    incidence = _incidence(groups)
    matrix = incidence[[rows[k] for k in shown]].toarray()
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[singular > 1e-9]
    found = []
    for key in targets:
        v = incidence[rows[key]].toarray()[0]
        if np.linalg.norm(v - basis.T @ (basis @ v)) < 1e-6:
            found.append(key)
    return found
