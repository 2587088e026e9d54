from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.models._time import utcnow


class Organisation(db.Model):
    """A municipality. One installation may serve several (the host-municipality model)."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("written_standard IN ('nn', 'nb')", name="written_standard"),
        CheckConstraint("min_group_size >= 3", name="min_group_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    written_standard: Mapped[str] = mapped_column(String(2), default="nn")
    min_group_size: Mapped[int] = mapped_column(default=5)
    # Retention: raw free text (the scrubbed copy stays) and identity data of invited people.
    raw_text_days: Mapped[int] = mapped_column(default=365, server_default="365")
    identity_days: Mapped[int] = mapped_column(default=30, server_default="30")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    units: Mapped[list[Unit]] = relationship(back_populates="organisation", cascade="all, delete-orphan")


class Unit(db.Model):
    """A node in the organisation tree: a sector (no parent) or a unit under a sector."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    @property
    def is_sector(self) -> bool:
        return self.parent_id is None

    @property
    def sector(self) -> Unit:
        node, seen = self, {self}
        while node.parent is not None:
            node = node.parent
            if node in seen:  # a loop written around the checks: walk it the careful way
                return self._sector_in_loop()
            seen.add(node)
        return node

    def _sector_in_loop(self) -> Unit:
        from survey_app.services.unit_tree import top_of

        # Keyed by the objects themselves: units not yet flushed have no id.
        parent_of: dict[Unit, Unit | None] = {}
        node = self
        while node is not None and node not in parent_of:
            parent_of[node] = node.parent
            node = node.parent
        return top_of(parent_of, self, order=lambda unit: (unit.id is None, unit.id or 0, unit.code))
