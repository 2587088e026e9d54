"""The unit tree as plain maps, walked so that a loop can never make a walk endless.

Units reach the database through the import and the unit editor, which refuse a loop against the
whole tree; but a loop written around them (an old version, a restored dump, SQL by hand) must
not hang a page for every tenant. Every walk up the tree therefore remembers where it has been.
"""
from __future__ import annotations

from typing import Callable, Hashable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.models import Unit

Key = Hashable


def path_to_root(parent_of: Mapping[Key, Key | None], start: Key) -> tuple[list[Key], bool]:
    """The keys from ``start`` upwards, and whether the walk ended in a loop instead of at a root."""
    path, seen, node = [], set(), start
    while node is not None:
        if node in seen:
            return path, True
        seen.add(node)
        path.append(node)
        node = parent_of.get(node)
    return path, False


def would_loop(parent_of: Mapping[Key, Key | None], child: Key, new_parent: Key | None) -> bool:
    """Whether putting ``child`` under ``new_parent`` closes a loop (or leaves it in one)."""
    if new_parent is None:
        return False
    changed = dict(parent_of)
    changed[child] = new_parent
    return path_to_root(changed, child)[1]


def loops(parent_of: Mapping[Key, Key | None]) -> list[list[Key]]:
    """Every loop in the tree, each as its members in order, starting with the smallest key."""
    found: list[list[Key]] = []
    settled: set = set()
    for start in sorted(parent_of):
        path, looped = path_to_root(parent_of, start)
        if looped:
            entry = parent_of[path[-1]]
            cycle = path[path.index(entry):]
            if not settled.intersection(cycle):
                first = min(range(len(cycle)), key=lambda i: cycle[i])
                found.append(cycle[first:] + cycle[:first])
        settled.update(path)
    return found


def top_of(parent_of: Mapping[Key, Key | None], start: Key, order: Callable | None = None) -> Key:
    """The sector above ``start``. A unit in a loop has none; the loop's smallest member (by
    ``order``) stands in for it until the loop is mended, so its answers are still counted."""
    path, looped = path_to_root(parent_of, start)
    if not looped:
        return path[-1]
    entry = parent_of[path[-1]]
    return min(path[path.index(entry):], key=order)


def parent_map(session: Session, organisation_id: int) -> dict[int, int | None]:
    return dict(session.execute(select(Unit.id, Unit.parent_id).where(Unit.organisation_id == organisation_id)).all())


def find_loops(session: Session, organisation_id: int | None = None) -> list[list[Unit]]:
    """The loops in the database, as units (one organisation, or all)."""
    statement = select(Unit)
    if organisation_id is not None:
        statement = statement.where(Unit.organisation_id == organisation_id)
    units = {u.id: u for u in session.scalars(statement)}
    return [[units[i] for i in cycle] for cycle in loops({u.id: u.parent_id for u in units.values()})]


def break_loop(session: Session, cycle: list[Unit]) -> Unit:
    """Mend a loop by making its first member a sector; returns that unit. Does not commit."""
    cycle[0].parent_id = None
    session.flush()
    return cycle[0]
