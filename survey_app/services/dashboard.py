"""Dashboard tables: counts per answer and group, and trends, all through the privacy gate.

Tables are built from the questionnaire definition, so a new question gets its table without new
code. Counts, trends and totals are read from the answer tallies kept at submit time
(``services.tallies``); only a leader's breakdown by another question's answer, limited to their
units, counts the answers themselves. Either way the result goes through the group gate's release
(``services.released``) before anything else sees it: a ``Table`` shows a group whole or not at all.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from survey_app.definitions.model import Questionnaire, Question
from survey_app.definitions.scales import agreement
from survey_app.models import AnswerTally, Organisation, QuestionnaireVersion, Response, Unit
from survey_app.models.response import Answer
from survey_app.periods import parse_quarter, quarters_up_to
from survey_app.privacy import share
from survey_app.privacy.groups import Release
from survey_app.services.tallies import ANSWERED, COUNTED_TYPES, NUMBER_BANDS, row_key

TOTAL = "__total__"
UNKNOWN = "__unknown__"


@dataclass
class Scope:
    organisation: Organisation
    questionnaire: Questionnaire
    periods: list[str]              # quarters included, oldest first
    by: str = "sector"              # "sector", "unit" (the unit tree), "none", or "q:<question>"

    @property
    def by_question(self) -> str | None:
        return self.by[2:] if self.by.startswith("q:") else None
    unit_ids: frozenset | None = None  # a leader's units; None = the whole organisation
    language: str = "nn"
    # Counts of every counted question in this scope, made by the first table that needs them.
    counted: dict | None = field(default=None, repr=False, compare=False)
    block: str | None = None        # the released block shown (2026Q3, 2026H1, 2025), for the group gate

    @property
    def start(self) -> date:
        return parse_quarter(self.periods[0])[0]

    @property
    def end(self) -> date:
        return parse_quarter(self.periods[-1])[1]


@dataclass
class Group:
    key: str
    label: str
    parent: str | None = None


@dataclass
class Table:
    id: str
    title: str
    row_labels: list[tuple[str, str]]          # (key, label)
    groups: list[Group]                         # columns, the total last
    cells: dict[tuple[str, str], int | None]    # (row, group) -> count, None = hidden
    totals: dict[str, int | None]               # group -> respondents who answered
    kind: str = "count"
    note: str = ""
    extra: dict = field(default_factory=dict)   # per group: mean, net score...
    # Per group, where the group gate decided: "shown", "small" (fewer than the minimum) or
    # "withheld" (large enough, but it would give a small group away).
    status: dict = field(default_factory=dict)

    def percent(self, row: str, group: str) -> float | None:
        return share(self.cells.get((row, group)), self.totals.get(group))


def _base_query(scope: Scope):
    conditions = [Response.organisation_id == scope.organisation.id,
                  QuestionnaireVersion.questionnaire_key == scope.questionnaire.key,
                  Response.submitted_on >= scope.start, Response.submitted_on <= scope.end]
    if scope.unit_ids is not None:
        conditions.append(Response.unit_id.in_(scope.unit_ids or {-1}))
    return conditions


def _answers_in(scope: Scope, answer, which, *columns):
    """SELECT ``columns`` from the answers (``answer``, an Answer alias) matching ``which`` in the
    responses of ``scope``: the join every count and list of the dashboard starts from."""
    return (select(*columns)
            .select_from(Response)
            .join(QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id)
            .join(answer, and_(answer.response_id == Response.id, which))
            .where(*_base_query(scope)))


def _tallied(scope: Scope, questions, *columns, by_question: str = ""):
    """SELECT ``columns`` from the tallies of ``questions`` in ``scope`` (same filters as _base_query);
    with ``by_question``, from the rows that split them by the answer to that question."""
    conditions = [AnswerTally.organisation_id == scope.organisation.id,
                  AnswerTally.questionnaire_key == scope.questionnaire.key,
                  AnswerTally.quarter.in_(scope.periods), AnswerTally.by_question == by_question,
                  AnswerTally.question.in_(sorted(questions))]
    if scope.unit_ids is not None:
        conditions.append(AnswerTally.unit_id.in_(scope.unit_ids or {-1}))
    return select(*columns).where(*conditions)


def units_of(session: Session, organisation: Organisation) -> dict[int, Unit]:
    return {u.id: u for u in session.scalars(select(Unit).where(Unit.organisation_id == organisation.id))}


def groups_for(session: Session, scope: Scope, units: dict[int, Unit]) -> tuple[list[Group], dict]:
    """The columns for the breakdown, and a function from a raw group value to a column key."""
    if scope.by == "none":
        return [Group(TOTAL, "")], {}
    if scope.by in ("sector", "unit"):
        visible = [u for u in units.values() if scope.unit_ids is None or u.id in scope.unit_ids]
        groups, mapping = [], {}
        sectors = sorted({u.sector.id: u.sector for u in visible}.values(), key=lambda u: u.name)
        for sector in sectors:
            if scope.by == "unit":
                for unit in sorted((u for u in visible if u.sector.id == sector.id and u.id != sector.id),
                                   key=lambda u: u.name):
                    groups.append(Group(f"u{unit.id}", unit.name, parent=f"s{sector.id}"))
                    mapping[unit.id] = f"u{unit.id}"
            groups.append(Group(f"s{sector.id}", sector.name))
            for unit in visible:
                if unit.sector.id == sector.id:
                    mapping.setdefault(unit.id, f"s{sector.id}")
        return groups + [Group(TOTAL, "")], mapping
    question = scope.questionnaire.question(scope.by_question)
    groups = [Group(f"a{value}", _row_label(question, value, scope.language)) for value in row_keys(question)]
    return groups + [Group(TOTAL, "")], {value: f"a{value}" for value in row_keys(question)}


def row_keys(question: Question) -> list[str]:
    if question.type in ("single_choice", "multi_choice"):
        return list(question.choice_values)
    if question.type == "yes_no":
        return ["yes", "no"]
    if question.type == "likert5":
        return ["1", "2", "3", "4", "5"]
    if question.type == "scale0_10":
        return [str(i) for i in range(11)]
    if question.type == "number":
        return [band for _, _, band in NUMBER_BANDS]
    return []


def raw_counts(session: Session, scope: Scope, question: Question) -> tuple[dict, dict]:
    """(row, raw group) -> answers, and raw group -> respondents who answered.

    A dashboard shows every counted question of a questionnaire for the same scope, so the first
    call counts them all at once (one query) and keeps the result on the scope."""
    cached = scope.counted
    if cached is None or question.name not in cached:
        names = {q.name for q in counted_questions(scope.questionnaire)} | {question.name}
        cached = scope.counted = _count_all(session, scope, names)
    return cached[question.name]


def _count_all(session: Session, scope: Scope, names: set[str]) -> dict[str, tuple[dict, dict]]:
    # The tallies split by an answer are for the whole organisation; a leader's units are counted live.
    if scope.by_question is None or scope.unit_ids is None:
        return _count_tallied(session, scope, names)
    return _count_by_answer(session, scope, names)


def _count_tallied(session: Session, scope: Scope, names: set[str]) -> dict[str, tuple[dict, dict]]:
    if scope.by_question is not None:
        group_column, by_question = AnswerTally.by_value, scope.by_question
    else:
        group_column, by_question = (AnswerTally.unit_id if scope.by != "none" else None), ""
    groups = [group_column] if group_column is not None else []
    found: dict[str, tuple[dict, dict]] = {name: (defaultdict(int), defaultdict(int)) for name in names}
    statement = (_tallied(scope, names, AnswerTally.question, AnswerTally.value, *groups, func.sum(AnswerTally.count),
                          by_question=by_question)
                 .group_by(AnswerTally.question, AnswerTally.value, *groups))
    for row in session.execute(statement):
        name, value, count = row[0], row[1], row[-1]
        group = (row[2] or None) if groups else TOTAL  # unit 0 in a tally is a response without a unit
        if value == ANSWERED:
            found[name][1][group] += count
        else:
            found[name][0][(value, group)] += count
    if scope.by_question is not None:
        # The split rows hold only those who answered the breakdown question; the others are the
        # whole organisation's rows less the split ones, under no group (blank).
        for name, value, count in session.execute(
                _tallied(scope, names, AnswerTally.question, AnswerTally.value, func.sum(AnswerTally.count))
                .group_by(AnswerTally.question, AnswerTally.value)):
            if value == ANSWERED:
                found[name][1][None] += count - sum(found[name][1].values())
            else:
                found[name][0][(value, None)] += count - sum(n for (v, _g), n in list(found[name][0].items())
                                                             if v == value)
    return found


def _count_by_answer(session: Session, scope: Scope, names: set[str]) -> dict[str, tuple[dict, dict]]:
    """Counts grouped by the answer to ``scope.by_question`` within a leader's units, which the
    organisation-wide split tallies cannot give, so the answers themselves are counted. A number is
    grouped by its band, as the tallies are."""
    answer, group_answer = aliased(Answer), aliased(Answer)
    by_question = scope.questionnaire.question(scope.by_question)
    group_column = group_answer.value_num if by_question.type == "number" else group_answer.value_text

    def counting(*columns):
        return (_answers_in(scope, answer, answer.question.in_(sorted(names)), answer.question, *columns)
                .outerjoin(group_answer, and_(group_answer.response_id == Response.id,
                                              group_answer.question == scope.by_question)))

    questions = {name: scope.questionnaire.question(name) for name in names}
    found: dict[str, tuple[dict, dict]] = {name: (defaultdict(int), defaultdict(int)) for name in names}
    # One answer per respondent, so the answers are the respondents; multiple choice is counted apart.
    multiple = sorted(name for name, question in questions.items() if question.type == "multi_choice")
    def band(group):
        return row_key(by_question.type, None, group) if by_question.type == "number" else group

    for name, text, number, group, count in session.execute(
            counting(answer.value_text, answer.value_num, group_column, func.count())
            .group_by(answer.question, answer.value_text, answer.value_num, group_column)):
        group = band(group)
        key = row_key(questions[name].type, text, number)
        if key is not None:
            found[name][0][(key, group)] += count
        if name not in multiple:
            found[name][1][group] += count
    if multiple:
        statement = (counting(group_column, func.count(func.distinct(Response.id))).where(answer.question.in_(multiple))
                     .group_by(answer.question, group_column))
        for name, group, count in session.execute(statement):
            found[name][1][band(group)] += count
    return found


def release_key(scope: Scope, group: str):
    """The group gate's key for a table column in ``scope``'s block."""
    if group == TOTAL:
        return ("org", scope.block)
    if group[0] == "a":
        return ("answer", scope.by_question, group[1:], scope.block)
    return ({"s": "sector", "u": "unit"}[group[0]], int(group[1:]), scope.block)


def build_table(session: Session, scope: Scope, question: Question, units: dict[int, Unit],
                minimum: int, release: Release) -> Table:
    """Answers to ``question`` per row and group. ``release`` is the group gate's decision for
    everything the reader can open (``services.released``): a group shows whole or not at all, and
    a group it does not know is treated as small."""
    groups, mapping = groups_for(session, scope, units)
    raw, raw_respondents = raw_counts(session, scope, question)
    rows = row_keys(question)
    group_keys = [g.key for g in groups]
    parents = {g.key: g.parent for g in groups}

    def column_of(raw_group):
        return TOTAL if scope.by == "none" else mapping.get(raw_group, UNKNOWN)

    # The total is everyone in the block, also those with no unit or a blank background answer: it
    # is the same group ("org", block) under every breakdown, so it must hold the same people.
    values: dict = defaultdict(int)
    for (row, raw_group), count in raw.items():
        column = column_of(raw_group)
        if row not in rows:
            continue
        if column not in (UNKNOWN, TOTAL):
            values[(row, column)] += count
            if parents.get(column):
                values[(row, parents[column])] += count
        values[(row, TOTAL)] += count
    respondents: dict = defaultdict(int)
    for raw_group, count in raw_respondents.items():
        column = column_of(raw_group)
        if column not in (UNKNOWN, TOTAL):
            respondents[column] += count
            if parents.get(column):
                respondents[parents[column]] += count
        respondents[TOTAL] += count
    cells = {(row, g): values.get((row, g), 0) for row in rows for g in group_keys}
    status = {g: (release.status(release_key(scope, g)) if release_key(scope, g) in release.sizes else "small")
              for g in group_keys}
    table = Table(id=question.name, title=question.text(scope.language),
                  row_labels=[(r, _row_label(question, r, scope.language)) for r in rows], groups=groups,
                  cells={k: (v if status[k[1]] == "shown" else None) for k, v in cells.items()},
                  totals={g: (respondents.get(g, 0) if status[g] == "shown" else None) for g in group_keys},
                  kind=question.type, status=status)
    _add_summaries(table, question)
    return table


def _row_label(question: Question, key: str, language: str) -> str:
    if question.type == "likert5":
        return f"{agreement(int(key), language)} ({key})"
    if question.type in ("single_choice", "multi_choice"):
        return question.choice_text(key, language)
    if question.type == "number":
        return {"under_50": "< 50 %", "p50_79": "50–79 %", "p80_99": "80–99 %", "p100": "100 %"}[key]
    if question.type == "yes_no":
        return {"yes": {"nn": "Ja", "nb": "Ja", "en": "Yes"}, "no": {"nn": "Nei", "nb": "Nei", "en": "No"}}[key][language]
    return key


def _add_summaries(table: Table, question: Question) -> None:
    """Means and net scores of the shown groups: a shown group shows everything about it."""
    for group in table.groups:
        n = table.totals.get(group.key)
        counts = [table.cells.get((r, group.key)) for r, _ in table.row_labels]
        if not n or table.status.get(group.key) != "shown" or any(c is None for c in counts):
            continue
        if question.type in ("likert5", "scale0_10"):
            table.extra.setdefault("mean", {})[group.key] = sum(int(r) * c for (r, _), c in zip(table.row_labels, counts)) / n
        if question.type == "scale0_10":
            promoters = sum(c for (r, _), c in zip(table.row_labels, counts) if int(r) >= 9)
            detractors = sum(c for (r, _), c in zip(table.row_labels, counts) if int(r) <= 6)
            table.extra.setdefault("net", {})[group.key] = round(100 * (promoters - detractors) / n)


def trend_table(session: Session, scope: Scope, question: Question, minimum: int, quarters: int,
                release: Release) -> Table:
    """Answers to ``question`` per quarter over the last ``quarters`` quarters that ``release``
    covers, each quarter shown whole or not at all."""
    periods = [p for p in quarters_up_to(scope.periods[-1], quarters) if ("org", p) in release.sizes]
    trend_scope = Scope(scope.organisation, scope.questionnaire, periods, "none", scope.unit_ids, scope.language)
    rows = row_keys(question)
    values: dict = defaultdict(int)
    respondents: dict = defaultdict(int)
    if periods:
        for period, value, count in session.execute(
                _tallied(trend_scope, [question.name], AnswerTally.quarter, AnswerTally.value,
                         func.sum(AnswerTally.count)).group_by(AnswerTally.quarter, AnswerTally.value)):
            if value == ANSWERED:
                respondents[period] += count
            elif value in rows:
                values[(value, period)] += count
    status = {p: release.status(("org", p)) for p in periods}
    return Table(id=f"{question.name}_trend", title=question.text(scope.language),
                 row_labels=[(r, _row_label(question, r, scope.language)) for r in rows],
                 groups=[Group(p, p) for p in periods],
                 cells={(r, p): (values.get((r, p), 0) if status[p] == "shown" else None) for r in rows for p in periods},
                 totals={p: (respondents[p] if status[p] == "shown" else None) for p in periods},
                 kind="trend", status=status)


def block_trend(session: Session, scopes: list[Scope], question: Question, units: dict[int, Unit], minimum: int,
                release: Release) -> Table:
    """Answers to ``question`` in each block of ``scopes`` (one scope per block, oldest first, no
    breakdown): one column per block, each the group gate's ("org", block) shown whole or not at all."""
    columns = [(scope.block, build_table(session, scope, question, units, minimum, release)) for scope in scopes]
    first = columns[0][1] if columns else None
    table = Table(id=f"{question.name}_blocks", title=question.text(scopes[0].language) if scopes else "",
                  row_labels=first.row_labels if first else [],
                  groups=[Group(label, label) for label, _t in columns],
                  cells={(row, label): t.cells.get((row, TOTAL)) for label, t in columns for row, _l in t.row_labels},
                  totals={label: t.totals.get(TOTAL) for label, t in columns},
                  kind=question.type, status={label: t.status.get(TOTAL, "small") for label, t in columns})
    _add_summaries(table, question)
    return table


def headline(table: Table, question: Question) -> tuple[str, str | None, dict]:
    """The one measure a trend chart shows per column: ("favourable" | "mean" | "share", the answer
    it is the share of, {column: value or None})."""
    columns = [g.key for g in table.groups]
    if question.type == "scale0_10":
        return "mean", None, {c: table.extra.get("mean", {}).get(c) for c in columns}
    if question.type == "likert5":
        def favourable(c):
            if table.totals.get(c) is None or not table.totals[c]:
                return None
            return 100.0 * sum(table.cells.get((row, c)) or 0 for row in ("4", "5")) / table.totals[c]
        return "favourable", None, {c: favourable(c) for c in columns}
    counts = defaultdict(int)
    for (row, _column), count in table.cells.items():
        counts[row] += count or 0
    order = [key for key, _label in table.row_labels]
    leading = "yes" if question.type == "yes_no" else max(order, key=lambda row: (counts[row], -order.index(row)),
                                                           default=None)
    return "share", leading, {c: table.percent(leading, c) if leading else None for c in columns}


def counted_questions(questionnaire: Questionnaire) -> list[Question]:
    return [q for q in questionnaire.questions if q.type in COUNTED_TYPES]


def breakdown_choices(questionnaire: Questionnaire) -> list[Question]:
    return [q for q in questionnaire.questions if q.data.get("breakdown") and q.type in
            ("single_choice", "yes_no", "number")]


def writers(session: Session, scope: Scope, question: Question) -> int:
    """How many in ``scope`` wrote an answer to a free-text question."""
    return session.scalar(_tallied(scope, [question.name], func.sum(AnswerTally.count))
                          .where(AnswerTally.value == ANSWERED)) or 0


def free_texts(session: Session, scope: Scope, question: Question, minimum: int,
               limit: int | None = None) -> tuple[int, list[str]] | None:
    """How many wrote an answer to a free-text question, and ``limit`` of them (scrubbed) in the
    order of their text, or None when fewer than ``minimum`` people wrote one."""
    total = writers(session, scope, question)
    if total < minimum:
        return None
    # In the order of the text, never of time: "the newest answer" would point at whoever a reader
    # knows answered last. The form never stores a blank answer, so blanks (only ever from a bulk
    # load) are dropped here rather than in SQL.
    written = and_(Answer.question == question.name, Answer.value_scrubbed.is_not(None))
    statement = (_answers_in(scope, Answer, written, Answer.value_scrubbed)
                 .order_by(Answer.value_scrubbed, Answer.id).limit(limit))
    return total, [text for text in session.scalars(statement) if text.strip()]
