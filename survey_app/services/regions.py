"""Regions on a host installation: which municipalities compare themselves in a regional report.

A municipality belongs to one region at most. Each regional report suppresses its totals on its
own, so two regions over the same municipalities could be subtracted from each other to give a
small member's hidden figures; refusing the overlap is what keeps the regional edition's audit a
single one. The database holds the same rule (a unique key on ``region_member.organisation_id``).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.models import Organisation, Region, region_member


class RegionConflict(ValueError):
    """Some of the municipalities are already members of another region."""

    def __init__(self, conflicts: list[tuple[Organisation, Region]]):
        super().__init__(", ".join(f"{o.slug} is in region {r.slug}" for o, r in conflicts))
        self.conflicts = conflicts


def conflicts(session: Session, organisations: list[Organisation], region: Region | None = None
              ) -> list[tuple[Organisation, Region]]:
    """The municipalities among ``organisations`` that another region than ``region`` already has."""
    ids = [o.id for o in organisations if o.id is not None]
    if not ids:
        return []
    by_id = {o.id: o for o in organisations}
    found = []
    for organisation_id, region_id in session.execute(
            select(region_member.c.organisation_id, region_member.c.region_id)
            .where(region_member.c.organisation_id.in_(ids))):
        if region is None or region_id != region.id:
            found.append((by_id[organisation_id], session.get(Region, region_id)))
    return sorted(found, key=lambda pair: pair[0].name)


def set_members(session: Session, region: Region, organisations: list[Organisation]) -> None:
    """Give ``region`` exactly these members, or raise RegionConflict and change nothing."""
    found = conflicts(session, organisations, region if region.id is not None else None)
    if found:
        raise RegionConflict(found)
    region.organisations = list(organisations)
