from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import db
from survey_app.models._time import utcnow


class AnalysisRun(db.Model):
    """One run of the cause analysis over a question's free-text answers, up to a quarter.

    Keeps its parameters and the analysis code version, so a figure in a report can be traced to
    the exact run that produced it and the run can be repeated.
    """

    __tablename__ = "analysis_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    questionnaire_key: Mapped[str] = mapped_column(String(60))
    question: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(6))        # the quarter the run reports on, e.g. 2026Q3
    first_period: Mapped[str] = mapped_column(String(6))  # the earliest quarter it includes
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    code_version: Mapped[str] = mapped_column(String(40))
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)
    trained: Mapped[bool] = mapped_column(default=False)
    answer_count: Mapped[int] = mapped_column(default=0)

    themes: Mapped[list[Theme]] = relationship(back_populates="run", cascade="all, delete-orphan",
                                               order_by="Theme.number")
    rows: Mapped[list[AnalysedAnswer]] = relationship(back_populates="run", cascade="all, delete-orphan")


class Theme(db.Model):
    """A theme found in a run. HR may rename it; merging moves its answers to another theme."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("run_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_run.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    suggested_label: Mapped[str] = mapped_column(String(200))
    top_terms: Mapped[list] = mapped_column(JSON, default=list)
    is_new: Mapped[bool] = mapped_column(default=False)
    # The name in the organisation's other written standard(s), {"nb": "Lønn"}: ``label`` is in its own.
    translations: Mapped[dict | None] = mapped_column(JSON, default=dict)

    run: Mapped[AnalysisRun] = relationship(back_populates="themes")
    rows: Mapped[list[AnalysedAnswer]] = relationship(back_populates="theme")


class AnalysedAnswer(db.Model):
    """What a run made of one free-text answer: its cause, its theme, and whether HR has cleared
    it as a quote for reports."""

    __tablename__ = "analysed_answer"
    __table_args__ = (UniqueConstraint("run_id", "answer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_run.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), index=True)
    period: Mapped[str] = mapped_column(String(6))
    cause: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    representative: Mapped[bool] = mapped_column(default=False)
    quote_usable: Mapped[bool] = mapped_column(default=False)
    moved_by_hr: Mapped[bool] = mapped_column(default=False)

    run: Mapped[AnalysisRun] = relationship(back_populates="rows")
    theme: Mapped[Theme | None] = relationship(back_populates="rows")


class AnswerEmbedding(db.Model):
    """The sentence embedding of one scrubbed free-text answer under one model, so a quarter's
    analysis embeds only the answers that are new. ``text_hash`` is the hash of the text that was
    embedded: if HR's review changes the scrubbed text, the vector is stale and is made again.
    Deleted with its answer (an embedding says what the answer said)."""

    __tablename__ = "answer_embedding"
    __table_args__ = (UniqueConstraint("answer_id", "model_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[str] = mapped_column(String(100))
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
