"""What the results pages and reports may show, decided once for everything one person can open.

A results page offers every released period block (quarters, half-years and years of the last eight
closed quarters) broken down by sector, by unit or by the answer to a background question. All of
those figures describe groups of respondents; ``privacy.groups.release`` decides which groups are
shown, over all blocks and breakdowns at once (``respondent_release``), so that no block, unit or
breakdown can be subtracted from another. The cells are (unit, quarter, every background answer):
a shown group shows its whole distribution, its answers to the other background questions
included, so a breakdown by age band and one by position size overlap person by person and are
audited together.

A leader's release holds their own units only, laid over what the organisation's release shows
and what every other leader scope sharing a unit was shown (``respondent_family``): a leader can
read the reports, and their units change. What has been shown is remembered (``remember``) and
counts as shown in every later release; figures of a closed quarter therefore never move (an
erased confidential answer is made anonymous instead, ``subject_requests.erase``). The invitations
(``follow_up_release``), leavers from the HR system (``leavers_release``) and the writers of an
analysis run (``run_release``, all runs over one question together) are released the same way;
invitations and leavers only count people, and are audited within their own scope.
"""
from __future__ import annotations

from collections import defaultdict
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from survey_app.definitions.model import Question, Questionnaire
from survey_app.models import (
    Answer, Organisation, QuestionnaireVersion, ReaderScope, ReleasedGroup, Report, Response, Unit, region_member,
)
from survey_app.models._time import today
from survey_app.privacy.groups import Group, Release, Sum, is_small, release
from survey_app.periods import parse_quarter, quarter_label
from survey_app.privacy.periods import Block, block
from survey_app.services.dashboard import breakdown_choices, row_keys
from survey_app.services.tallies import row_key

ORG = "org"
SEEN = "seen"  # groups shown over another scope: (SEEN, n) + their key


def _period_sums(entity: tuple, blocks: list[Block]) -> list[Sum]:
    """A year is its halves and its quarters, a half its quarters, for every block present."""
    present = {b.label: b for b in blocks}
    sums = []
    for b in blocks:
        if b.kind == "quarter":
            continue
        quarters = [q for q in b.quarters if q in present]
        if len(quarters) == len(b.quarters):
            sums.append(Sum(entity + (b.label,), tuple(entity + (q,) for q in quarters)))
        if b.kind == "year":
            halves = [f"{b.label}H1", f"{b.label}H2"]
            if all(h in present for h in halves):
                sums.append(Sum(entity + (b.label,), tuple(entity + (h,) for h in halves)))
    return sums


def published(session: Session, organisation: Organisation) -> dict[str, set]:
    """The groups the organisation's stored reports have shown, per family (``family_id``).

    A report is a public document that stays out there: what it showed counts as shown for every
    later release of the same family, on the results pages and in later reports, so that nothing
    released later can be combined with it. A page or a report asks for several families; the
    reports are read once per session for as long as no report is added."""
    regions = select(region_member.c.region_id).where(region_member.c.organisation_id == organisation.id)
    mine = (Report.organisation_id == organisation.id) | Report.region_id.in_(regions)
    count = session.scalar(select(func.count(Report.id)).where(mine))
    cached = session.info.setdefault("kvifor_published", {}).get(organisation.id)
    if cached is not None and cached[0] == count:
        return cached[1]
    found: dict[str, set] = defaultdict(set)
    for region_id, content in session.execute(select(Report.region_id, Report.content).where(mine)):
        for family, keys in ((content or {}).get("released") or {}).items():
            if region_id is None:
                found[family].update(tuple(key) for key in keys)
            elif family.startswith("members:"):
                # A regional edition shows a member's exit answers per quarter where they are in the
                # region's total less the others: recorded as "members:<family>" [organisation, block].
                found[family[len("members:"):]].update(("org", label) for member, label in keys
                                                       if member == organisation.id)
    session.info["kvifor_published"][organisation.id] = (count, found)
    return found


def scope_id(unit_ids: frozenset | None) -> str:
    """Whose view a release is: "" for the whole organisation, else a fingerprint of the units."""
    if unit_ids is None:
        return ""
    return hashlib.sha256(",".join(str(u) for u in sorted(unit_ids)).encode()).hexdigest()[:32]


@dataclass
class Seen:
    """What a reader has been shown of a family before a release.

    ``own`` holds groups of the reader's own scope (their pages; for the organisation also its
    reports). ``foreign`` holds groups shown over other sets of respondents, as (units or None for
    the whole organisation, keys): the leaders' scopes (a leader's units change, two leaders share
    units, and everyone can read the organisation's reports). Families whose groups only count
    people (invitations, leavers) audit their own scope only."""
    own: set = field(default_factory=set)
    foreign: list = field(default_factory=list)


def _memory(session: Session, organisation: Organisation, family: str) -> dict[str, set]:
    found: dict[str, set] = defaultdict(set)
    for scope, key in session.execute(select(ReleasedGroup.scope, ReleasedGroup.key).where(
            ReleasedGroup.organisation_id == organisation.id, ReleasedGroup.family == family)):
        found[scope].add(tuple(json.loads(key)))
    return found


def shown_before(session: Session, organisation: Organisation, family: str, scope: str = "",
                 unit_ids: frozenset | None = None) -> Seen:
    """Every group of ``family`` shown before: by the organisation's reports and by the pages
    (``remember``). For the organisation, every leader scope is foreign; for a leader, every other
    leader scope that shares a unit with ``unit_ids`` (one with none shares no respondent)."""
    memory = _memory(session, organisation, family)
    if scope == "":
        seen = Seen(own=set(published(session, organisation)[family]) | memory.get("", set()))
    else:
        seen = Seen(own=set(memory.get(scope, set())))
    others = [s for s in memory if s not in ("", scope)]
    if others:
        for other, units in session.execute(select(ReaderScope.scope, ReaderScope.units).where(
                ReaderScope.organisation_id == organisation.id, ReaderScope.scope.in_(others))
                .order_by(ReaderScope.scope)):
            units = frozenset(units)
            if unit_ids is None or units & unit_ids:
                seen.foreign.append((units, memory[other]))
    return seen


def remember(session: Session, organisation: Organisation, family: str, scope: str, keys: Iterable,
             unit_ids: frozenset | None = None) -> None:
    """Record that these groups have been shown (idempotent: two requests at once insert once)."""
    rows = [{"organisation_id": organisation.id, "family": family, "scope": scope,
             "key": json.dumps(list(key), ensure_ascii=False), "first_shown": today()} for key in keys]
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    if scope and unit_ids is not None:
        session.execute(upsert(ReaderScope).values(
            organisation_id=organisation.id, scope=scope, units=sorted(unit_ids)).on_conflict_do_nothing(
            index_elements=["organisation_id", "scope"]))
    session.execute(upsert(ReleasedGroup).values(rows).on_conflict_do_nothing(
        index_elements=["organisation_id", "family", "scope", "key"]))
    session.commit()


def remembered(session: Session, organisation: Organisation, family: str, scope: str,
               build: Callable[[Seen], Release], unit_ids: frozenset | None = None) -> Release:
    """``build(what was seen before)``, with what it shows now remembered for the next time."""
    before = shown_before(session, organisation, family, scope, unit_ids)
    result = build(before)
    remember(session, organisation, family, scope,
             {k for k in result.shown - before.own if not (k and k[0] == SEEN)}, unit_ids)
    return result


def family_id(questionnaire: Questionnaire) -> str:
    """The name under which reports record what they showed of a questionnaire's respondents."""
    return f"units:{questionnaire.key}"


def _extend(blocks: list[Block], published: Iterable) -> tuple[list[Block], set]:
    """The blocks on offer and those of published groups outside them that share a quarter with
    them: a published year that has half left the window of eight quarters still ties its quarters,
    so the audit keeps it. A block wholly outside shares no respondent with anything on offer."""
    have = {b.label for b in blocks}
    inside = {q for b in blocks for q in b.quarters}
    extra = []
    for label in sorted({key[-1] for key in published if key and isinstance(key[-1], str)} - have):
        try:
            found = block(label)
        except ValueError:
            continue
        if inside & set(found.quarters):
            extra.append(found)
    return blocks + extra, {b.label for b in extra}


def _release(groups: list[Group], sizes: dict, minimum: int, sums: list[Sum], published: Iterable,
             old: set) -> Release:
    """``release`` with the published groups of this family that still exist and are not small
    (answers deleted under the retention rules can shrink a group a report once showed)."""
    groups = [replace(g, offered=False) if g.key[-1] in old else g for g in groups]
    return release(groups, sizes, minimum, sums, published=published)


def _rank(blocks: list[Block]) -> dict:
    return {b.label: i for i, b in enumerate(blocks)}  # released_blocks: the latest quarter first


def _respondent_cells(session: Session, organisation: Organisation, questionnaire: Questionnaire,
                      units: dict[int, Unit], unit_ids: frozenset | None, quarters: list[str],
                      questions: list[Question]) -> dict:
    """Respondents per cell: (unit, quarter, the answer to each background question or "" for
    blank). One row per response is never read: the database groups them."""
    start, end = parse_quarter(quarters[0])[0], parse_quarter(quarters[-1])[1]
    wanted = set(quarters)
    joined = [aliased(Answer) for _q in questions]
    columns = []
    for answer in joined:
        columns += [answer.value_text, answer.value_num]
    statement = (select(Response.unit_id, Response.submitted_on, *columns, func.count())
                 .select_from(Response)
                 .join(QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id))
    for answer, question in zip(joined, questions):
        statement = statement.outerjoin(answer, and_(answer.response_id == Response.id,
                                                     answer.question == question.name))
    statement = statement.where(Response.organisation_id == organisation.id,
                                QuestionnaireVersion.questionnaire_key == questionnaire.key,
                                Response.submitted_on >= start, Response.submitted_on <= end)
    if unit_ids is not None:
        statement = statement.where(Response.unit_id.in_(unit_ids or {-1}))
    statement = statement.group_by(Response.unit_id, Response.submitted_on, *columns)
    cells: dict = defaultdict(int)
    offered = [_offered_values(question) for question in questions]
    for row in session.execute(statement):
        quarter = quarter_label(row[1])
        if quarter not in wanted:
            continue
        values = []
        for j, question in enumerate(questions):
            text, number = row[2 + 2 * j], row[3 + 2 * j]
            value = row_key(question.type, text, number) if (text is not None or number is not None) else None
            values.append(value if value in offered[j] else "")
        unit_id = row[0] if row[0] in units else None
        cells[(unit_id, quarter, tuple(values))] += row[-1]
    return cells


def _offered_values(question: Question) -> frozenset:
    return frozenset(row_keys(question))


def _place_answers(sizes: dict, cells: list, sector_of: dict, questions: list[Question]) -> tuple[dict, dict]:
    """Each place (unit, sector) met with each answer (or blank) to a background question: its cells
    and its respondents, over ``cells`` (one quarter's: a half-year or a year adds its quarters)."""
    names = [question.name for question in questions]
    found: dict = defaultdict(list)
    total: dict = defaultdict(int)
    for c in cells:
        size, unit, answers = sizes[c], c[0], c[2]
        places = (("unit", unit), ("sector", sector_of[unit])) if unit in sector_of else (("unit", unit),)
        for name, value in zip(names, answers):
            for place in places:
                key = place + (name, value)
                found[key].append(c)
                total[key] += size
    return found, total


def _crossings(pieces: list[tuple[dict, dict]], label: str, minimum: int) -> list[Group]:
    """The small groups where a sector or unit meets an answer (or a blank) to a background
    question, in one block made of the quarters' ``pieces`` (``_place_answers``). No page shows one,
    but a unit less the others of its answer group can leave one (those in Heimetenesta who left the
    sector question blank), so each is protected."""
    total: dict = defaultdict(int)
    for _found, sizes in pieces:
        for key, n in sizes.items():
            total[key] += n
    small = sorted((key for key, n in total.items() if is_small(n, minimum)), key=repr)
    return [Group(("crossing",) + key + (label,), frozenset(c for found, _sizes in pieces for c in found.get(key, ())),
                  (99,), False) for key in small]


def _respondent_groups(sizes: dict, units: dict[int, Unit], unit_ids: frozenset | None, blocks: list[Block],
                       questions: list[Question], minimum: int) -> tuple[list[Group], list[Sum]]:
    """The groups of one reader scope (``unit_ids``, None for the whole organisation) over the
    cells: the scope's total, its sectors and units, and every background answer, in every block,
    with the small crossings of a place and an answer protected."""
    visible = [u for u in units if unit_ids is None or u in unit_ids]
    sector_of = {u: units[u].sector.id for u in visible}
    sectors = sorted(set(sector_of.values()))
    rank = _rank(blocks)
    groups, sums = [], []
    in_scope = [c for c in sizes if unit_ids is None or c[0] in unit_ids]
    by_quarter: dict = defaultdict(list)
    for c in in_scope:
        by_quarter[c[1]].append(c)
    # A half-year's or a year's crossings are its quarters' added up: each quarter is counted once.
    quarter_pieces = {q: _place_answers(sizes, cells, sector_of, questions) for q, cells in by_quarter.items()}
    for b in blocks:
        covered = set(b.quarters)
        cells = [c for c in sizes if c[1] in covered and (unit_ids is None or c[0] in unit_ids)]
        # The cells of each place and each answer, sorted once (not once per group).
        of_unit: dict = defaultdict(list)
        of_sector: dict = defaultdict(list)
        of_answer: dict = defaultdict(list)
        for c in cells:
            of_unit[c[0]].append(c)
            if c[0] in sector_of:
                of_sector[sector_of[c[0]]].append(c)
            for j, value in enumerate(c[2]):
                of_answer[(j, value)].append(c)
        age = rank[b.label]
        groups.append(Group((ORG, b.label), frozenset(cells), (0, age)))
        sums.append(Sum((ORG, b.label), tuple(("sector", s, b.label) for s in sectors)
                        + ((("unknown", b.label),) if of_unit.get(None) else ())))
        if of_unit.get(None):  # answers whose unit is gone: in the total, in no sector
            groups.append(Group(("unknown", b.label), frozenset(of_unit[None]), (9,), False))
        for s in sectors:
            members = sorted(u for u in visible if sector_of[u] == s and u != s)
            groups.append(Group(("sector", s, b.label), frozenset(of_sector.get(s, ())), (1, age)))
            groups += [Group(("unit", u, b.label), frozenset(of_unit.get(u, ())), (2, age)) for u in members]
            # Answers given to the sector itself sit in the sector and in no unit below it.
            groups.append(Group(("own", s, b.label), frozenset(of_unit.get(s, ())), (9,), False))
            sums.append(Sum(("sector", s, b.label), tuple(("unit", u, b.label) for u in members)
                            + (("own", s, b.label),)))
        for j, question in enumerate(questions):
            values = sorted(_offered_values(question))
            groups += [Group(("answer", question.name, v, b.label), frozenset(of_answer.get((j, v), ())), (3, age))
                       for v in values]
            groups.append(Group(("blank", question.name, b.label), frozenset(of_answer.get((j, ""), ())),
                                (9,), False))
            sums.append(Sum((ORG, b.label), tuple(("answer", question.name, v, b.label) for v in values)
                            + (("blank", question.name, b.label),)))
        groups += _crossings([quarter_pieces[q] for q in b.quarters if q in quarter_pieces], b.label, minimum)
    entities = [(ORG,)] + [("sector", s) for s in sectors] + [("unit", u) for u in visible if u not in sectors]
    for question in questions:
        entities += [("answer", question.name, v) for v in sorted(_offered_values(question))]
        entities.append(("blank", question.name))
    for entity in entities:
        sums += _period_sums(entity, blocks)
    return groups, sums


def respondent_release(session: Session, organisation: Organisation, questionnaire: Questionnaire,
                       units: dict[int, Unit], unit_ids: frozenset | None, blocks: list[Block], minimum: int,
                       published: Iterable = (), foreign: Iterable = ()) -> Release:
    """Everything one reader can open about the respondents of a questionnaire, released together:
    the organisation, its sectors and units, and the answer groups of every background question, in
    every block. Cells are (unit, quarter, every background answer), so a breakdown by age band can
    not be subtracted from one by position size, nor from a unit (the whole distribution of a shown
    group includes its answers to the other background questions).

    ``foreign`` are groups shown over other scopes (``Seen.foreign``): they are laid over the same
    cells and count as shown, so a leader's page less the organisation's report, or less what the
    leader saw when their units were others, cannot leave a small group."""
    published = list(published)
    foreign = [(scope_units, set(keys)) for scope_units, keys in foreign if keys]
    blocks, old = _extend(blocks, published + [k for _u, keys in foreign for k in keys])
    quarters = sorted({q for b in blocks for q in b.quarters})
    questions = breakdown_choices(questionnaire)
    # Other scopes' groups need the cells they cover: then the whole organisation is read.
    sizes = _respondent_cells(session, organisation, questionnaire, units, None if foreign else unit_ids,
                              quarters, questions)
    groups, sums = _respondent_groups(sizes, units, unit_ids, blocks, questions, minimum)
    for n, (scope_units, keys) in enumerate(foreign):
        theirs, _sums = _respondent_groups(sizes, units, scope_units, blocks, questions, minimum)
        for g in theirs:
            if g.key in keys:
                groups.append(Group((SEEN, n) + g.key, g.cells, (99,), False))
                published.append((SEEN, n) + g.key)
    return _release(groups, sizes, minimum, sums, published, old)


def respondent_family(session: Session, organisation: Organisation, questionnaire: Questionnaire,
                      units: dict[int, Unit], unit_ids: frozenset | None, blocks: list[Block],
                      minimum: int) -> Release:
    """The respondent release one reader opens, remembered. A leader's release also counts what
    the organisation's release shows (HR's pages and the reports, which leaders can read): the
    organisation's figures are decided first, so a leader's page never makes a total hidden."""
    name = family_id(questionnaire)

    def build(scope_units, extra):
        return lambda seen: respondent_release(session, organisation, questionnaire, units, scope_units, blocks,
                                               minimum, seen.own, seen.foreign + extra)

    whole = remembered(session, organisation, name, "", build(None, []))
    if unit_ids is None:
        return whole
    decided = {k for k in whole.shown if k[0] != SEEN}
    return remembered(session, organisation, name, scope_id(unit_ids), build(unit_ids, [(None, decided)]), unit_ids)


LEAVERS = "leavers"


def leavers_release(session: Session, organisation: Organisation, unit_ids: frozenset | None, blocks: list[Block],
                    minimum: int, published: Iterable = ()) -> Release:
    """Leavers from the HR system in the reader's units, per block. People are a group whether they
    answered or not, and a year less its quarters must not give a small quarter away."""
    from survey_app.models import Person

    blocks, old = _extend(blocks, published)
    quarters = sorted({q for b in blocks for q in b.quarters})
    start, end = parse_quarter(quarters[0])[0], parse_quarter(quarters[-1])[1]
    conditions = [Person.organisation_id == organisation.id, Person.kind == "leaver",
                  Person.end_date >= start, Person.end_date <= end]
    if unit_ids is not None:
        conditions.append(Person.unit_id.in_(unit_ids or {-1}))
    sizes: dict = defaultdict(int)
    for day, count in session.execute(select(Person.end_date, func.count()).where(*conditions)
                                      .group_by(Person.end_date)):
        sizes[quarter_label(day)] += count
    rank = _rank(blocks)
    groups = [Group((ORG, b.label), frozenset(b.quarters), (0, rank[b.label])) for b in blocks]
    return _release(groups, sizes, minimum, _period_sums((ORG,), blocks), published, old)


FOLLOW_UP = "follow_up"


def follow_up_family(session: Session, organisation: Organisation, units: dict[int, Unit], minimum: int,
                     blocks: list[Block], unit_ids: frozenset | None = None,
                     published: Iterable = ()) -> Release:
    """``follow_up_release`` over the invitations of ``blocks`` and of any published groups."""
    from survey_app.services.invitations import follow_up_counts  # invitations imports the tallies too

    published = list(published)
    every, _old = _extend(blocks, published)
    counts = follow_up_counts(session, [organisation.id], sorted({q for b in every for q in b.quarters}),
                              unit_ids=unit_ids)
    return follow_up_release(counts, units, minimum, blocks, published)


def follow_up_release(counts: dict, units: dict[int, Unit], minimum: int, blocks: list[Block],
                      published: Iterable = ()) -> Release:
    """Invitations: the organisation, each questionnaire, each sector and unit, in every block,
    released together. The group is the people invited (a group of fewer than the minimum says
    nothing, not even that none of them answered, and the leavers' counts of the results page cannot
    be read off it); ``sizes`` are how many were invited and ``counts`` how many of them answered,
    the group's distribution. ``privacy.response_rate`` also keeps back an answered count below the
    minimum. Counts come from ``services.invitations.follow_up_counts``. The invitations page shows
    the quarters and the results page the key figures of any block: one release serves both, so
    neither can be subtracted from the other. Cells are (unit, questionnaire, quarter)."""
    blocks, old = _extend(blocks, published)
    sizes: dict = defaultdict(int)
    answered: dict = defaultdict(int)
    for (_org, unit_id, key, quarter), (asked, yes) in counts.items():
        cell = (unit_id if unit_id in units else None, key, quarter)
        sizes[cell] += asked
        answered[cell] += yes
    keys = sorted({cell[1] for cell in sizes})
    sector_of = {u: units[u].sector.id for u in units}
    sectors = sorted({sector_of.get(c[0]) for c in sizes}, key=lambda s: (s is None, s or 0))
    members = {s: sorted({c[0] for c in sizes if c[0] is not None and sector_of.get(c[0]) == s}) for s in sectors}
    rank = _rank(blocks)
    groups, sums = [], []
    for b in blocks:
        covered = set(b.quarters)
        cells = [c for c in sizes if c[2] in covered]
        age = rank[b.label]
        groups.append(Group((ORG, b.label), frozenset(cells), (0, age)))
        groups += [Group(("questionnaire", k, b.label), frozenset(c for c in cells if c[1] == k), (1, age))
                   for k in keys]
        sums.append(Sum((ORG, b.label), tuple(("questionnaire", k, b.label) for k in keys)))
        sums.append(Sum((ORG, b.label), tuple(("sector", s, b.label) for s in sectors)))
        for sector in sectors:
            groups.append(Group(("sector", sector, b.label),
                                frozenset(c for c in cells if sector_of.get(c[0]) == sector), (1, age)))
            groups += [Group(("unit", u, b.label), frozenset(c for c in cells if c[0] == u), (2, age))
                       for u in members[sector]]
            if sector is not None:
                sums.append(Sum(("sector", sector, b.label), tuple(("unit", u, b.label) for u in members[sector])))
    entities = [(ORG,)] + [("questionnaire", k) for k in keys] + [("sector", s) for s in sectors] + \
        [("unit", u) for s in sectors for u in members[s]]
    for entity in entities:
        sums += _period_sums(entity, blocks)
    result = _release(groups, sizes, minimum, sums, published, old)
    result.counts = {g.key: sum(answered.get(c, 0) for c in g.cells) for g in groups}
    return result


def leavers_for(session: Session, organisation: Organisation, unit_ids: frozenset | None, blocks: list[Block],
                minimum: int) -> Release:
    """The leavers release one reader opens (remembered)."""
    return remembered(session, organisation, LEAVERS, scope_id(unit_ids),
                      lambda seen: leavers_release(session, organisation, unit_ids, blocks, minimum, seen.own), unit_ids)


def follow_up_for(session: Session, organisation: Organisation, units: dict[int, Unit], unit_ids: frozenset | None,
                  blocks: list[Block], minimum: int) -> Release:
    """The follow-up release one reader opens (remembered)."""
    return remembered(session, organisation, FOLLOW_UP, scope_id(unit_ids),
                      lambda seen: follow_up_family(session, organisation, units, minimum, blocks, unit_ids,
                                                    seen.own), unit_ids)


RUN = "run"


def run_family_id(run_id: int) -> str:
    return f"run:{run_id}"


def _run_groups(writers: dict, breakdowns: tuple) -> tuple[list[Group], list[Sum]]:
    quarters = sorted({q for _g, q in writers})
    everyone = frozenset(writers)
    groups = [Group((RUN,), everyone, (0,))]
    groups += [Group(("quarter", q), frozenset(c for c in writers if c[1] == q), (1, -i))
               for i, q in enumerate(quarters)]
    sums = [Sum((RUN,), tuple(("quarter", q) for q in quarters))]
    for j, by in enumerate(breakdowns):
        values = sorted({c[0][j] for c in writers if c[0][j]})
        groups += [Group(("value", by, v), frozenset(c for c in writers if c[0][j] == v), (2,)) for v in values]
        groups.append(Group(("blank", by), frozenset(c for c in writers if not c[0][j]), (9,), False))
        sums.append(Sum((RUN,), tuple(("value", by, v) for v in values) + (("blank", by),)))
    return groups, sums


def run_release(writers: dict, minimum: int, published: Iterable = (), breakdowns: tuple = (),
                others: Iterable = ()) -> Release:
    """The writers of an analysis run's free text: all of them, those of each quarter, and those
    with each answer to every breakdown, released together.

    ``writers`` is {(values, quarter): answers}, where values holds the answer to each of
    ``breakdowns`` ("" for blank). A shown group shows its whole distribution over causes and
    themes (a theme of two answers among forty says nothing about who); the run page, its cross
    tables, the theme pages and the report all read this one release, so a theme's size is shown
    the same way everywhere, the run less its latest quarter can never be a small group, and one
    breakdown cannot be subtracted from another.

    ``others`` are earlier runs over the same question, as (their writers, the groups they have
    shown): runs cover eight quarters up to different quarters, so their groups are laid over the
    same cells and count as shown, and one run's total less another's cannot give a quarter away."""
    groups, sums = _run_groups(writers, breakdowns)
    published = list(published)
    sizes: dict = {}
    for n, (their_writers, keys) in enumerate(others):
        sizes.update(their_writers)
        theirs, _sums = _run_groups(their_writers, breakdowns)
        for g in theirs:
            if g.key in keys:
                groups.append(Group((SEEN, n) + g.key, g.cells, (99,), False))
                published.append((SEEN, n) + g.key)
    sizes.update(writers)
    return release(groups, sizes, minimum, sums, published=published)
