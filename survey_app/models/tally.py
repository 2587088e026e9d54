from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import db


class AnswerTally(db.Model):
    """How many responses in one quarter and unit gave one answer to one question.

    Kept up to date in the transaction that stores or deletes a response
    (``survey_app.services.tallies``), so a dashboard adds up thousands of rows instead of
    counting millions of answers. ``value`` is the dashboard row the answer falls in (a choice,
    ``yes``, a scale step, a number band); ``value == ""`` counts the respondents who answered the
    question, and ``question == ""`` counts the responses themselves.
    """

    __tablename__ = "answer_tally"
    # by_question before quarter and unit: a results page reads either the plain rows or the rows
    # split by one question, and each is then one narrow range of this index.
    __table_args__ = (UniqueConstraint("organisation_id", "questionnaire_key", "by_question", "quarter", "unit_id",
                                       "by_value", "question", "value", name="uq_answer_tally_cell"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    questionnaire_key: Mapped[str] = mapped_column(String(60))
    quarter: Mapped[str] = mapped_column(String(6))
    # 0 when the response has no unit: a NULL would never collide in the unique key, so the
    # upsert would add rows instead of counting. Not a foreign key, because units are deleted
    # only with their organisation, and that deletes the tallies too.
    unit_id: Mapped[int] = mapped_column(default=0)
    # A breakdown question and its answer ("" for none): such rows count, for the whole
    # organisation (unit 0), the answers of those who gave that answer; a results page broken down
    # by age band reads them instead of joining answers to answers.
    by_question: Mapped[str] = mapped_column(String(60), default="", server_default="")
    by_value: Mapped[str] = mapped_column(String(200), default="", server_default="")
    question: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(default=0)
