"""Cause analysis runs in the app: gather scrubbed free text, run the analysis library, store the
result, and let HR review it (rename, merge, move, clear quotes).

Themes are tracked, not refitted: the run for a quarter learns its themes from the quarters
before it and then places the quarter's own answers, so a theme that appears only now is flagged
as new instead of silently reshaping the old ones.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis import code_version
from analysis.embed import default_embedder
from analysis.pipeline import CauseAnalysis
from analysis.text import is_non_answer
from survey_app.models import (
    AnalysedAnswer, AnalysisRun, Answer, Organisation, QuestionnaireVersion, Response, Theme, Unit,
)
from survey_app.periods import parse_quarter, quarter_label, quarters_up_to
from survey_app.privacy import COMMENT_MINIMUM, CrossTable
from survey_app.services.embeddings import ensure_embeddings
from survey_app.services.released import RUN, remembered, run_family_id, run_release, shown_before

# Quotes are personal even when scrubbed: only answers in a theme this large may be cleared.
MIN_QUOTE_GROUP = COMMENT_MINIMUM  # themes smaller than this give no quotes
DEFAULT_QUARTERS = 8


class ReviewError(Exception):
    """A review action that the rules do not allow; the message is for the HR user."""


@dataclass
class FreeText:
    answer_id: int
    text: str
    period: str
    main_reason: str | None


def free_text_answers(session: Session, organisation_id: int, questionnaire_key: str, question: str,
                      first_period: str, last_period: str, label_question: str | None = "main_reason"
                      ) -> list[FreeText]:
    """Scrubbed answers to ``question`` in the quarters, with the respondent's own main reason."""
    start, _ = parse_quarter(first_period)
    _, end = parse_quarter(last_period)
    rows = session.execute(
        select(Answer.id, Answer.value_scrubbed, Response.submitted_on, Response.id)
        .join(Response, Answer.response_id == Response.id)
        .join(QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id)
        .where(Response.organisation_id == organisation_id, QuestionnaireVersion.questionnaire_key == questionnaire_key,
               Answer.question == question, Answer.value_scrubbed.is_not(None),
               Response.submitted_on >= start, Response.submitted_on <= end)
        .order_by(Response.submitted_on, Answer.id)
    ).all()
    reasons: dict[int, str] = {}
    if label_question and rows:
        reasons = dict(session.execute(
            select(Answer.response_id, Answer.value_text)
            .where(Answer.question == label_question, Answer.response_id.in_([r[3] for r in rows]))
        ).all())
    return [FreeText(answer_id=r[0], text=r[1], period=quarter_label(r[2]), main_reason=reasons.get(r[3]))
            for r in rows if not is_non_answer(r[1] or "")]


def run_analysis(session: Session, organisation: Organisation, period: str, questionnaire_key: str = "sluttsamtale",
                 question: str = "main_reason_text", quarters: int = DEFAULT_QUARTERS, seed: int = 0) -> AnalysisRun:
    """Analyse the free text of ``quarters`` quarters up to ``period`` and store the run."""
    labels = quarters_up_to(period, quarters)
    answers = free_text_answers(session, organisation.id, questionnaire_key, question, labels[0], labels[-1])
    texts = [a.text for a in answers]
    # Respondents who chose a main reason and also wrote a text label their own answer for free.
    known = [(a.text, a.main_reason) for a in answers if a.main_reason and a.main_reason != "anna"]
    ensure_embeddings(session, [(a.answer_id, a.text) for a in answers])
    # The texts were scrubbed when they were submitted (and perhaps by HR since).
    pipeline = CauseAnalysis(scrub=False, random_state=seed)
    result = pipeline.run(texts, [t for t, _ in known], [r for _, r in known],
                          periods=[a.period for a in answers], current=period)
    clusterer = result.clusterer
    run = AnalysisRun(organisation_id=organisation.id, questionnaire_key=questionnaire_key, question=question,
                      period=period, first_period=labels[0], code_version=code_version(),
                      parameters={"quarters": quarters, "seed": seed, "k": clusterer.get_params()["k"],
                                  "embedding_model": default_embedder().model_id,
                                  "k_range": list(clusterer.k_range), "k_chosen": result.k,
                                  "stability": {str(k): round(v, 4) for k, v in result.stability.items()}},
                      trained=result.trained, answer_count=len(answers))
    session.add(run)
    themes = {}
    for theme in result.theme_list:
        themes[theme.id] = Theme(number=theme.id, label=theme.label[:200], suggested_label=theme.label[:200],
                                 top_terms=theme.top_terms, is_new=theme.new)
        run.themes.append(themes[theme.id])
    session.flush()
    chosen = {i for theme in result.theme_list for i in theme.representatives}
    causes = result.labels()
    for i, item in enumerate(answers):
        theme = themes.get(result.themes[i])
        run.rows.append(AnalysedAnswer(answer_id=item.answer_id, theme_id=theme.id if theme else None,
                                       period=item.period, cause=causes[i], confidence=round(result.confidences[i], 4),
                                       representative=i in chosen))
    session.commit()
    return run


def latest_run(session: Session, organisation: Organisation, period: str, question: str = "main_reason_text",
               questionnaire_key: str = "sluttsamtale") -> AnalysisRun | None:
    """The newest run of one free-text question up to ``period``."""
    return session.scalars(select(AnalysisRun).where(
        AnalysisRun.organisation_id == organisation.id, AnalysisRun.questionnaire_key == questionnaire_key,
        AnalysisRun.question == question, AnalysisRun.period == period).order_by(AnalysisRun.id.desc())).first()


def themes_of(session: Session, run: AnalysisRun, label: str | None = None) -> list[Theme]:
    """The run's themes in their order (those named ``label`` where given)."""
    statement = select(Theme).where(Theme.run_id == run.id)
    if label is not None:
        statement = statement.where(Theme.label == label)
    return list(session.scalars(statement.order_by(Theme.number)))


def cleared_quotes(session: Session, run: AnalysisRun) -> list[tuple[int | None, str, str]]:
    """(theme, scrubbed text, language written in) of every answer HR cleared as a quote, newest
    quarter first."""
    return [tuple(row) for row in session.execute(
        select(AnalysedAnswer.theme_id, Answer.value_scrubbed, Response.language)
        .join(Answer, AnalysedAnswer.answer_id == Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .where(AnalysedAnswer.run_id == run.id, AnalysedAnswer.quote_usable.is_(True))
        .order_by(AnalysedAnswer.period.desc(), AnalysedAnswer.id))]


def theme_sizes(session: Session, run: AnalysisRun) -> dict[int, int]:
    return dict(session.execute(
        select(AnalysedAnswer.theme_id, func.count()).where(AnalysedAnswer.run_id == run.id,
                                                             AnalysedAnswer.theme_id.is_not(None))
        .group_by(AnalysedAnswer.theme_id)).all())


def rename_theme(session: Session, theme: Theme, label: str, other: tuple[str, str] | None = None) -> None:
    """Name a theme; ``other`` = (standard, name) names it in the organisation's other written standard
    too (an empty name removes that)."""
    label = " ".join(label.split())
    if not label:
        raise ReviewError("empty_label")
    theme.label = label[:200]
    if other is not None:
        standard, name = other[0], " ".join((other[1] or "").split())[:200]
        translations = {k: v for k, v in (theme.translations or {}).items() if k != standard}
        if name:
            translations[standard] = name
        theme.translations = translations
    session.commit()


def merge_themes(session: Session, keep: Theme, absorb: Theme) -> None:
    """All of ``absorb``'s answers join ``keep``; ``absorb`` is removed."""
    if keep.run_id != absorb.run_id or keep.id == absorb.id:
        raise ReviewError("merge_other_run")
    for row in list(absorb.rows):
        row.theme = keep  # through the relationship, so deleting ``absorb`` cannot orphan the row
    keep.is_new = keep.is_new and absorb.is_new
    session.flush()
    session.delete(absorb)
    session.commit()


def move_answer(session: Session, row: AnalysedAnswer, theme: Theme | None) -> None:
    if theme is not None and theme.run_id != row.run_id:
        raise ReviewError("merge_other_run")
    row.theme = theme
    row.moved_by_hr = True
    session.flush()
    if theme is None or theme_sizes(session, row.run).get(theme.id, 0) < MIN_QUOTE_GROUP:
        row.quote_usable = False
    session.commit()


def set_quote_usable(session: Session, row: AnalysedAnswer, usable: bool) -> None:
    """Clear (or withdraw) an answer as a quote for reports: only scrubbed text from a theme of at
    least ``MIN_QUOTE_GROUP`` answers can be cleared."""
    if usable:
        if row.theme_id is None or theme_sizes(session, row.run).get(row.theme_id, 0) < MIN_QUOTE_GROUP:
            raise ReviewError("quote_group_too_small")
        if session.get(Answer, row.answer_id).value_scrubbed is None:
            raise ReviewError("quote_not_scrubbed")
    row.quote_usable = usable
    session.commit()


CROSS_BY = ("sector", "tenure", "age_band", "wanted_larger", "position_now", "recommend")


def _band(question: str, text: str | None, number: float | None) -> str | None:
    if question == "recommend":
        return None if number is None else ("critic" if number <= 6 else "passive" if number <= 8 else "recommender")
    if question == "position_now":
        if number is None:
            return None
        return "under_50" if number < 50 else "p50_79" if number < 80 else "p80_99" if number < 100 else "p100"
    return text


def _analysed(session: Session, run: AnalysisRun):
    """Every analysed answer of the run as (theme, cause, quarter, the answer to each of CROSS_BY
    with "" for blank)."""
    rows = session.execute(select(AnalysedAnswer.theme_id, AnalysedAnswer.cause, AnalysedAnswer.period,
                                  Answer.response_id, Response.unit_id)
                           .join(Answer, AnalysedAnswer.answer_id == Answer.id)
                           .join(Response, Answer.response_id == Response.id)
                           .where(AnalysedAnswer.run_id == run.id)).all()
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.organisation_id == run.organisation_id))}
    values: dict = {r[3]: {"sector": units[r[4]].sector.name if r[4] in units else None} for r in rows}
    # The run's respondents as a subquery, not a list of thousands of ids bound one by one.
    analysed = (select(Answer.response_id).join(AnalysedAnswer, AnalysedAnswer.answer_id == Answer.id)
                .where(AnalysedAnswer.run_id == run.id))
    for response_id, question, text, number in session.execute(
            select(Answer.response_id, Answer.question, Answer.value_text, Answer.value_num)
            .where(Answer.question.in_([by for by in CROSS_BY if by != "sector"]),
                   Answer.response_id.in_(analysed))):
        values[response_id][question] = _band(question, text, number)
    return [(theme_id, cause, period, tuple(values[response_id].get(by) or "" for by in CROSS_BY))
            for theme_id, cause, period, response_id, _unit in rows]


def run_gate(session: Session, run: AnalysisRun, minimum: int):
    """The run's analysed answers and the group gate's one release for them and every breakdown of
    them (``released.run_release``), counting what the organisation's reports and pages have shown
    of this run before, and remembering what it shows now."""
    rows = _analysed(session, run)
    writers = _writers(rows)
    organisation = session.get(Organisation, run.organisation_id)
    # Runs over the same question overlap (eight quarters up to different quarters): what another
    # run has shown is laid over the same writers, so one run less another gives no quarter away.
    others = []
    for other in session.scalars(select(AnalysisRun).where(
            AnalysisRun.organisation_id == run.organisation_id, AnalysisRun.id != run.id,
            AnalysisRun.questionnaire_key == run.questionnaire_key, AnalysisRun.question == run.question,
            AnalysisRun.first_period <= run.period, AnalysisRun.period >= run.first_period)
            .order_by(AnalysisRun.id)):
        seen = shown_before(session, organisation, run_family_id(other.id))
        if seen.own:
            others.append((_writers(_analysed(session, other)), seen.own))
    gate = remembered(session, organisation, run_family_id(run.id), "",
                      lambda seen: run_release(writers, minimum, seen.own, CROSS_BY, others))
    return rows, gate


def _writers(rows) -> dict:
    """Writers per cell (the answers to the breakdowns, the quarter)."""
    writers: dict = {}
    for _theme, _cause, period, values in rows:
        writers[(values, period)] = writers.get((values, period), 0) + 1
    return writers


def shown_theme_sizes(session: Session, run: AnalysisRun, minimum: int, gate=None) -> dict:
    """Each theme's size as every page shows it (None while the run's writers are too few); ``gate``
    is the run's release where the caller already has it."""
    if gate is None:
        _rows, gate = run_gate(session, run, minimum)
    shown = gate.status((RUN,)) == "shown"
    sizes = theme_sizes(session, run)
    return {theme.id: (sizes.get(theme.id, 0) if shown else None) for theme in run.themes}


def crosstab(session: Session, run: AnalysisRun, what: str, by: str, minimum: int, gated=None):
    """Themes or causes of a run against a structured answer (or the sector), through the group gate:
    a column whose writers are a shown group shows whole, the others not at all. Row totals are the
    run's own distribution (with those who left the breakdown blank)."""
    rows, gate = gated if gated is not None else run_gate(session, run, minimum)  # (rows, release) if known
    column = CROSS_BY.index(by)
    rows = [(theme_id, cause, period, values[column]) for theme_id, cause, period, values in rows]
    counts: dict = {}
    row_totals: dict = {}
    for theme_id, cause, _period, value in rows:
        key = theme_id if what == "theme" else cause
        if key is None:
            continue
        row_totals[key] = row_totals.get(key, 0) + 1
        if value:
            counts[(key, value)] = counts.get((key, value), 0) + 1
    row_keys = sorted(row_totals, key=str)
    columns = sorted({v for *_rest, v in rows if v}, key=str)
    shown = {c: gate.status(("value", by, c)) == "shown" for c in columns}
    everyone = gate.status((RUN,)) == "shown"
    return CrossTable(rows=row_keys, columns=columns,
                      cells={(r, c): (counts.get((r, c), 0) if shown[c] else None) for r in row_keys for c in columns},
                      row_totals={r: (row_totals[r] if everyone else None) for r in row_keys},
                      column_totals={c: (gate.sizes[("value", by, c)] if shown[c] else None) for c in columns},
                      total=len(rows) if everyone else None)
