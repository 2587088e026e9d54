"""Key figures and turnover for the dashboard: counts of people (invited, answered, leavers) rather
than of answers, through the same privacy gate."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.models import Headcount, Person, Unit
from survey_app.periods import parse_quarter
from survey_app.privacy import share, suppress_tree
from survey_app.services.dashboard import Scope


@dataclass
class KeyFigures:
    responses: int | None
    invited: int | None
    answered_invitations: int | None
    leavers: int | None
    response_rate: float | None


def leavers_in(session: Session, organisation_id: int, period: str) -> int:
    """People who left in a quarter, from the HR system (not a figure to show by itself)."""
    start, end = parse_quarter(period)
    return session.scalar(select(func.count(Person.id)).where(
        Person.organisation_id == organisation_id, Person.kind == "leaver", Person.end_date >= start,
        Person.end_date <= end)) or 0


def new_hires_in(session: Session, organisation_id: int, period: str) -> int:
    """People who started in a quarter, from the HR system (not a figure to show by itself)."""
    start, end = parse_quarter(period)
    return session.scalar(select(func.count(Person.id)).where(
        Person.organisation_id == organisation_id, Person.kind == "new_hire", Person.start_date >= start,
        Person.start_date <= end)) or 0


def employees_in(session: Session, organisation_id: int, period: str) -> int | None:
    """Employees in a quarter, as imported (None when no headcount was imported for it)."""
    rows = session.execute(select(func.count(Headcount.id), func.sum(Headcount.headcount)).where(
        Headcount.organisation_id == organisation_id, Headcount.period == period)).one()
    return (rows[1] or 0) if rows[0] else None


def turnover(session: Session, scope: Scope, units: dict[int, Unit], minimum: int, released: bool = True) -> list[dict]:
    """Leavers in the period over headcount, per sector and per unit, from imported leavers and
    headcount. ``released`` says whether the quarter's leavers (in the reader's units) are a group
    the leavers release shows (``services.released.leavers_release``, which ties quarters to their
    half-years and years): where not, no leaver count of the quarter is shown here either. Within
    the quarter, leaver counts are suppressed as one tree: units add up to their sector, sectors to
    the organisation; a rate is shown only where its leaver count is."""
    period = scope.periods[-1]
    start, end = parse_quarter(period)

    def in_scope(unit_id) -> bool:
        return unit_id in units and (scope.unit_ids is None or unit_id in scope.unit_ids)
    leavers: dict = defaultdict(int)
    for unit_id, count in session.execute(
            select(Person.unit_id, func.count()).where(Person.organisation_id == scope.organisation.id,
                                                       Person.kind == "leaver", Person.end_date >= start,
                                                       Person.end_date <= end).group_by(Person.unit_id)):
        if in_scope(unit_id):
            leavers[unit_id] += count
    heads: dict = defaultdict(int)
    for unit_id, count in session.execute(select(Headcount.unit_id, Headcount.headcount).where(
            Headcount.organisation_id == scope.organisation.id, Headcount.period == period)):
        if in_scope(unit_id):
            heads[unit_id] += count
    members: dict[int, list[int]] = defaultdict(list)
    for unit_id in set(leavers) | set(heads):
        members[units[unit_id].sector.id].append(unit_id)
    parent_of = {u: s for s, ids in members.items() for u in ids}
    shown = suppress_tree({u: leavers.get(u, 0) for u in parent_of}, parent_of, minimum)
    if not released:
        shown = {key: None for key in shown}
    # Employees are people too: a unit of fewer than the minimum shows no headcount, and nor does
    # a sibling that would give it away by subtraction from the sector.
    shown_heads = suppress_tree({u: heads.get(u, 0) for u in parent_of}, parent_of, minimum)
    rows = []
    for sector_id in sorted(members, key=lambda s: units[s].name):
        ids = members[sector_id]
        sector_heads = shown_heads[("parent", sector_id)] or None
        rows.append({"label": units[sector_id].name, "depth": 0, "leavers": shown[("parent", sector_id)],
                     "headcount": sector_heads, "rate": share(shown[("parent", sector_id)], sector_heads)})
        for unit_id in sorted((u for u in ids if u != sector_id), key=lambda u: units[u].name):
            unit_heads = shown_heads[("leaf", unit_id)] or None
            rows.append({"label": units[unit_id].name, "depth": 1, "leavers": shown[("leaf", unit_id)],
                         "headcount": unit_heads, "rate": share(shown[("leaf", unit_id)], unit_heads)})
    if members:
        total_heads = shown_heads[("total",)] or None
        rows.append({"label": None, "depth": 0, "leavers": shown[("total",)], "headcount": total_heads,
                     "rate": share(shown[("total",)], total_heads)})
    return rows
