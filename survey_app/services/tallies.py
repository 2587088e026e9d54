"""Answer tallies: the dashboard's counts, kept up to date as responses are stored.

Counting a million answers per page view is too slow, so every response adds one to the tally
rows it falls in (per organisation, questionnaire, quarter, unit, question and dashboard row), in
the same transaction that stores it. A listener on the ORM session does this for every response
added or deleted through the ORM, whoever adds it (the respondent's submit, an interview, the
demo, a test), so the tally cannot drift from the answers. Rows written around the ORM (the
benchmark's COPY) are counted afterwards with ``rebuild``; ``compare`` tells whether the stored
tallies match a fresh count, and ``flask --app wsgi tallies check`` runs it.

Tallies are derived data: ``rebuild`` can always recompute them from the answers.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, delete, event, insert, select
from sqlalchemy.orm import Session

from survey_app.definitions.model import Questionnaire
from survey_app.models import Answer, Organisation, QuestionnaireVersion, Response
from survey_app.models.tally import AnswerTally
from survey_app.periods import quarter_label

ANSWERED = ""   # the value that counts respondents who answered the question
RESPONSES = ""  # the question that counts responses
COUNTED_TYPES = ("single_choice", "multi_choice", "yes_no", "likert5", "scale0_10", "number")
NUMBER_BANDS = ((0, 49.99, "under_50"), (50, 79.99, "p50_79"), (80, 99.99, "p80_99"), (100, 1000, "p100"))
KEY = ("organisation_id", "questionnaire_key", "quarter", "unit_id", "by_question", "by_value", "question", "value")
BATCH = 5000
BREAKDOWN_TYPES = ("single_choice", "yes_no", "number")  # one answer each, so a response is in one group

TallyKey = tuple[int, str, str, int, str, str, str, str]  # in the order of KEY


def row_key(question_type: str, text: str | None, number: float | None) -> str | None:
    """The dashboard row an answer is counted in, or None when it is in none."""
    if question_type == "number":
        if number is None:
            return None
        return next((band for low, high, band in NUMBER_BANDS if low <= number <= high), None)
    if question_type in ("likert5", "scale0_10"):
        return None if number is None else str(int(number))
    if question_type in COUNTED_TYPES:
        return text
    return None


def _answered(text: str | None, scrubbed: str | None, number: float | None) -> bool:
    # Free text counts when something is left after scrubbing: what the dashboard lists.
    if scrubbed is not None:
        return bool(scrubbed.strip())
    return text is not None or number is not None


@dataclass(frozen=True)
class _Version:
    key: str
    types: dict[str, str]       # question -> type
    breakdowns: tuple[str, ...]  # questions the dashboard can break results down by


_VERSIONS: dict[tuple[str, str], _Version] = {}  # (key, content version) -> facts; definitions never change


def _versions(connection: Connection, ids: set[int]) -> dict[int, _Version]:
    found = {}
    rows = connection.execute(select(QuestionnaireVersion.id, QuestionnaireVersion.questionnaire_key,
                                     QuestionnaireVersion.version).where(QuestionnaireVersion.id.in_(ids))).all()
    for version_id, key, version in rows:
        if (key, version) not in _VERSIONS:
            definition = connection.scalar(select(QuestionnaireVersion.definition)
                                           .where(QuestionnaireVersion.id == version_id))
            questions = Questionnaire(definition).questions
            _VERSIONS[(key, version)] = _Version(
                key, {q.name: q.type for q in questions},
                tuple(q.name for q in questions if q.data.get("breakdown") and q.type in BREAKDOWN_TYPES))
        found[version_id] = _VERSIONS[(key, version)]
    return found


def _response_counts(version: _Version, organisation_id: int, submitted_on: date, unit_id: int | None,
                     answers) -> Counter:
    """The tally rows one response adds to; ``answers`` are (question, text, scrubbed, number).

    Besides its own unit's rows, a response counts, for each breakdown question it answered, in
    rows for the whole organisation (unit 0) under that question and its answer: the dashboard's
    breakdown by age or position size reads those."""
    quarter = quarter_label(submitted_on)
    base = (organisation_id, version.key, quarter, unit_id or 0, "", "")
    counts: Counter = Counter({base + (RESPONSES, ANSWERED): 1})
    answered, cells, groups = set(), [], []
    for question, text, scrubbed, number in answers:
        kind = version.types.get(question)
        if kind is None or not _answered(text, scrubbed, number):
            continue
        answered.add(question)
        value = row_key(kind, text, number)
        if value is not None:
            cells.append((question, value[:200]))
            if question in version.breakdowns:
                groups.append((question, value[:200]))
    cells += [(question, ANSWERED) for question in answered]
    for cell in cells:
        counts[base + cell] += 1
    for by_question, by_value in groups:
        group = (organisation_id, version.key, quarter, 0, by_question, by_value)
        for question, value in cells:
            if version.types[question] in COUNTED_TYPES:
                counts[group + (question, value)] += 1
    return counts


def add(connection: Connection, counts: Counter) -> None:
    """Add ``counts`` (tally key -> change) to the stored tallies, creating rows as needed."""
    changes = sorted((key, change) for key, change in counts.items() if change)
    if not changes:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    table = AnswerTally.__table__
    # Sorted, so two transactions touching the same rows lock them in the same order.
    for start in range(0, len(changes), BATCH):
        statement = upsert(table).values([dict(zip(KEY, key), count=change)
                                          for key, change in changes[start:start + BATCH]])
        statement = statement.on_conflict_do_update(index_elements=list(KEY),
                                                    set_={"count": table.c.count + statement.excluded.count})
        connection.execute(statement)


def _count_flushed(session: Session, _flush_context) -> None:
    changed = [(response, 1) for response in session.new if isinstance(response, Response)]
    # An organisation deleted in this flush took its tallies with it (the foreign key cascades).
    gone = {o.id for o in session.deleted if isinstance(o, Organisation)}
    changed += [(response, -1) for response in session.deleted
                if isinstance(response, Response) and response.organisation_id not in gone]
    if not changed:
        return
    connection = session.connection()
    versions = _versions(connection, {response.questionnaire_version_id for response, _ in changed})
    counts: Counter = Counter()
    for response, sign in changed:
        rows = [(a.question, a.value_text, a.value_scrubbed, a.value_num) for a in response.answers]
        for key, count in _response_counts(versions[response.questionnaire_version_id], response.organisation_id,
                                           response.submitted_on, response.unit_id, rows).items():
            counts[key] += sign * count
    add(connection, counts)


def install() -> None:
    """Keep tallies for every ORM session in this process (idempotent)."""
    if not event.contains(Session, "after_flush", _count_flushed):
        event.listen(Session, "after_flush", _count_flushed)


def _organisation_filter(column, organisation_ids):
    return [] if organisation_ids is None else [column.in_(list(organisation_ids) or [-1])]


def count_answers(connection: Connection, organisation_ids=None) -> Counter:
    """The tallies as they should be, counted from the responses and answers."""
    versions = _versions(connection, set(connection.scalars(select(QuestionnaireVersion.id))))
    counts: Counter = Counter()
    answers = (select(Response.id, Response.organisation_id, Response.questionnaire_version_id, Response.submitted_on,
                      Response.unit_id, Answer.question, Answer.value_text, Answer.value_scrubbed, Answer.value_num)
               .join(Answer, Answer.response_id == Response.id, isouter=True)
               .where(*_organisation_filter(Response.organisation_id, organisation_ids))
               .order_by(Response.id))
    current, rows = None, []

    def flush():
        if current is not None:
            counts.update(_response_counts(versions[current[2]], current[1], current[3], current[4], rows))
    # Answers arrive response by response; a response's tallies are counted when the next begins.
    for row in connection.execute(answers.execution_options(stream_results=True, yield_per=BATCH)):
        if current is None or row[0] != current[0]:
            flush()
            current, rows = row, []
        if row[5] is not None:
            rows.append((row[5], row[6], row[7], row[8]))
    flush()
    return counts


def stored(connection: Connection, organisation_ids=None) -> Counter:
    table = AnswerTally.__table__
    statement = (select(*(table.c[name] for name in KEY), table.c.count)
                 .where(*_organisation_filter(table.c.organisation_id, organisation_ids), table.c.count != 0))
    return Counter({tuple(row[:-1]): row[-1] for row in connection.execute(statement)})


def compare(connection: Connection, organisation_ids=None) -> dict[TallyKey, tuple[int, int]]:
    """Tally rows that differ from a fresh count: key -> (stored, counted). Empty when all agree."""
    expected, found = count_answers(connection, organisation_ids), stored(connection, organisation_ids)
    return {key: (found.get(key, 0), expected.get(key, 0))
            for key in set(expected) | set(found) if found.get(key, 0) != expected.get(key, 0)}


def rebuild(connection: Connection, organisation_ids=None) -> int:
    """Replace the tallies of these organisations (all when None) with a fresh count; returns the rows."""
    counts = count_answers(connection, organisation_ids)
    connection.execute(delete(AnswerTally).where(*_organisation_filter(AnswerTally.organisation_id, organisation_ids)))
    rows = [dict(zip(KEY, key), count=count) for key, count in sorted(counts.items())]
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(AnswerTally), rows[start:start + BATCH])
    return len(rows)
