"""Analysis runs stored in the app: real database, real analysis library."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from survey_app.cli import run_analysis_command
from survey_app.models import AnalysedAnswer, AnalysisRun, Answer, Response, Theme
from survey_app.services.analysis_runs import (
    MIN_QUOTE_GROUP, ReviewError, merge_themes, move_answer, rename_theme, run_analysis, set_quote_usable,
    theme_sizes,
)
from survey_app.services.questionnaires import ensure_version
from survey_app.services.responding import answer_rows, free_text_questions
from tests.analysis.conftest import ANSWERS

QUARTER_DAYS = {"2026Q1": date(2026, 2, 10), "2026Q2": date(2026, 5, 10), "2026Q3": date(2026, 8, 10)}
PARKING = ["Parkeringa ved jobben er fjerna.", "Vi må no betale for parkering kvar dag.",
           "Det finst ingen parkering for dei som jobbar kveld.", "Parkering kostar meg mykje no.",
           "Utan parkering må eg bruke ein time på bussen.", "Parkeringsplassen vart seld, ring 41683920."]


def add_response(session, app, org, day, main_reason, text):
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    version = ensure_version(session, questionnaire)
    response = Response(organisation_id=org.id, questionnaire_version_id=version.id, language="nn",
                        channel="invitation", submitted_on=day)
    response.answers = list(answer_rows({"main_reason": main_reason, "main_reason_text": text},
                                        free_text_questions(questionnaire)))
    session.add(response)


@pytest.fixture
def history(app, session, org):
    for period in ("2026Q1", "2026Q2"):
        for cause, texts in ANSWERS.items():
            for text in texts:
                add_response(session, app, org, QUARTER_DAYS[period], cause, f"{text} ({period})")
    for cause, texts in ANSWERS.items():
        add_response(session, app, org, QUARTER_DAYS["2026Q3"], cause, texts[0])
    for text in PARKING:
        add_response(session, app, org, QUARTER_DAYS["2026Q3"], "anna", text)
    session.commit()
    return org


def test_free_text_is_scrubbed_when_it_is_stored(session, history):
    scrubbed = session.scalars(select(Answer.value_scrubbed).where(Answer.value_text.like("%41683920%"))).one()
    assert "41683920" not in scrubbed and "[telefon]" in scrubbed
    assert session.scalar(select(func.count()).where(Answer.question == "main_reason",
                                                     Answer.value_scrubbed.is_not(None))) == 0


def test_a_run_is_stored_with_parameters_version_causes_and_themes(session, history):
    run = run_analysis(session, history, "2026Q3", seed=3)
    assert run.answer_count == 48 + 4 + 6 and run.first_period == "2024Q4" and run.period == "2026Q3"
    assert run.trained  # respondents' own main reasons were enough to train on
    assert run.code_version.startswith("0.1.0+") and run.parameters["seed"] == 3
    assert run.parameters["embedding_model"].startswith("multilingual-e5-small")
    rows = session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.run_id == run.id)).all()
    assert len(rows) == run.answer_count
    by_text = {session.get(Answer, r.answer_id).value_scrubbed: r for r in rows}
    assert by_text[ANSWERS["pensjon"][0]].cause == "pensjon"
    # The quarter's new subject is flagged as a new theme; older themes are not.
    new = [t for t in run.themes if t.is_new]
    assert len(new) == 1 and "parkering" in new[0].label.lower()
    assert sum(1 for r in rows if r.theme_id == new[0].id) >= 5
    assert all(r.period == "2026Q3" for r in rows if r.theme_id == new[0].id)
    assert any(r.representative for r in rows)


def test_embeddings_are_kept_per_answer_and_made_only_for_what_is_new(session, history):
    from survey_app.models import AnswerEmbedding
    from survey_app.services.embeddings import ensure_embeddings

    run = run_analysis(session, history, "2026Q3")
    stored = session.scalars(select(AnswerEmbedding)).all()
    assert len(stored) == run.answer_count and len({e.answer_id for e in stored}) == run.answer_count
    answers = [(r.answer_id, session.get(Answer, r.answer_id).value_scrubbed) for r in run.rows]
    assert ensure_embeddings(session, answers) == {"found": run.answer_count, "made": 0}
    # HR's review changed a text: its vector is stale and made again, the rest are read.
    answer = session.get(Answer, answers[0][0])
    answer.value_scrubbed = "Løna er for låg, og [namn] veit det."
    session.flush()
    answers[0] = (answer.id, answer.value_scrubbed)
    assert ensure_embeddings(session, answers) == {"found": run.answer_count - 1, "made": 1}
    assert session.scalar(select(func.count()).select_from(AnswerEmbedding)) == run.answer_count
    # An answer that is deleted takes its embedding with it.
    session.delete(answer)
    session.commit()
    assert session.scalar(select(func.count()).select_from(AnswerEmbedding)) == run.answer_count - 1


def test_review_rename_merge_move_and_quotes(session, history):
    run = run_analysis(session, history, "2026Q3")
    first, second = run.themes[0], run.themes[1]
    rename_theme(session, first, "  Løn  og   tillegg ")
    assert first.label == "Løn og tillegg" and first.suggested_label != first.label
    with pytest.raises(ReviewError):
        rename_theme(session, first, "   ")
    sizes = theme_sizes(session, run)
    merge_themes(session, first, second)
    assert theme_sizes(session, run)[first.id] == sizes[first.id] + sizes[second.id]
    assert session.get(Theme, second.id) is None

    row = session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.run_id == run.id,
                                                       AnalysedAnswer.theme_id == first.id)).first()
    if theme_sizes(session, run)[first.id] >= MIN_QUOTE_GROUP:
        set_quote_usable(session, row, True)
        assert row.quote_usable
    small = next(t for t in run.themes if theme_sizes(session, run).get(t.id, 0) < MIN_QUOTE_GROUP)
    move_answer(session, row, small)
    assert row.moved_by_hr and row.theme_id == small.id and not row.quote_usable
    with pytest.raises(ReviewError, match="quote_group_too_small"):
        set_quote_usable(session, row, True)
    set_quote_usable(session, row, False)  # withdrawing is always allowed


def test_cli_runs_and_reports(app, session, history):
    result = app.test_cli_runner().invoke(run_analysis_command, ["--org", "testvik", "--period", "2026Q3"])
    assert result.exit_code == 0, result.output
    assert "58 answers 2024Q4-2026Q3" in result.output and "NEW" in result.output
    assert session.scalar(select(func.count()).select_from(AnalysisRun)) == 1


@pytest.mark.parametrize("args, message", [
    (["--org", "nowhere", "--period", "2026Q3"], "no organisation"),
    (["--org", "testvik", "--period", "2026-3"], "not a quarter"),
])
def test_cli_bad_arguments(app, org, args, message):
    result = app.test_cli_runner().invoke(run_analysis_command, args)
    assert result.exit_code != 0 and message in result.output


def test_an_empty_quarter_gives_an_empty_run(session, org):
    run = run_analysis(session, org, "2026Q3")
    assert run.answer_count == 0 and run.themes == []


def test_crosstab_goes_through_the_privacy_gate(session, history, org):
    from survey_app.services.analysis_runs import crosstab
    run = run_analysis(session, history, "2026Q3")
    table = crosstab(session, run, "cause", "sector", org.min_group_size)
    # The fixture's responses have no unit, so there is no sector to count by; the row totals are
    # the run's own distribution, shown because the run's writers are a group large enough.
    assert table.columns == [] and table.total == run.answer_count >= org.min_group_size
    assert sum(table.row_totals.values()) == run.answer_count
    table = crosstab(session, run, "cause", "recommend", org.min_group_size)
    assert table.columns == []  # nobody in the fixture answered the recommend question
