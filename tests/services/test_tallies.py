"""Answer tallies: every response stored or deleted through the ORM is counted once, in its own
transaction, and a fresh count from the answers agrees with what is stored."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, insert, select

from survey_app.demo import seed as demo_seed
from survey_app.models import Answer, AnswerTally, Organisation, Response, Unit
from survey_app.services import tallies
from survey_app.services.questionnaires import ensure_version
from survey_app.services.responding import answer_rows, free_text_questions
from survey_app.services.retention import delete_organisation


def _add_response(session, app, org, answers: dict, unit_id=None, day=date(2026, 8, 15)) -> Response:
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    version = ensure_version(session, questionnaire)
    response = Response(organisation_id=org.id, questionnaire_version_id=version.id, unit_id=unit_id,
                        language="nn", channel="invitation", submitted_on=day)
    response.answers = list(answer_rows(answers, free_text_questions(questionnaire)))
    session.add(response)
    session.commit()
    return response


def _tally(session, org, question, value, unit_id=0, quarter="2026Q3") -> int:
    return tallies.stored(session.connection(), [org.id]).get(
        (org.id, "sluttsamtale", quarter, unit_id, "", "", question, value), 0)


@pytest.mark.parametrize(("kind", "text", "number", "expected"), [
    ("single_choice", "lonn", None, "lonn"), ("multi_choice", "utvikling", None, "utvikling"),
    ("yes_no", "yes", None, "yes"), ("likert5", None, 4.0, "4"), ("scale0_10", None, 10.0, "10"),
    ("number", None, 49.99, "under_50"), ("number", None, 50.0, "p50_79"), ("number", None, 100.0, "p100"),
    ("number", None, 1500.0, None), ("number", None, None, None), ("long_text", "Kvifor?", None, None),
    ("text", "Ola", None, None),
])
def test_each_answer_is_counted_in_its_dashboard_row(kind, text, number, expected):
    assert tallies.row_key(kind, text, number) == expected


def test_a_response_adds_one_to_each_of_its_rows_and_its_respondent_counts(app, session, org):
    unit = session.scalars(select(Unit).filter_by(code="HO-1")).one()
    _add_response(session, app, org, {"main_reason": "lonn", "other_reasons": ["belastning", "utvikling"],
                                      "recommend": 7, "main_reason_text": "For lite løn"}, unit_id=unit.id)
    _add_response(session, app, org, {"main_reason": "lonn", "main_reason_text": "   "}, unit_id=unit.id)

    assert _tally(session, org, "", "", unit.id) == 2  # responses
    assert _tally(session, org, "main_reason", "lonn", unit.id) == 2
    assert _tally(session, org, "main_reason", "", unit.id) == 2
    assert _tally(session, org, "other_reasons", "belastning", unit.id) == 1
    assert _tally(session, org, "other_reasons", "", unit.id) == 1  # one respondent, two choices
    assert _tally(session, org, "recommend", "7", unit.id) == 1
    assert _tally(session, org, "main_reason_text", "", unit.id) == 1  # the blank text is not written
    assert session.scalar(select(func.count()).select_from(AnswerTally)
                          .where(AnswerTally.question == "main_reason_text")) == 1  # no row per text
    assert tallies.compare(session.connection()) == {}


def test_deleting_a_response_takes_it_out_again(app, session, org):
    kept = _add_response(session, app, org, {"main_reason": "lonn"})
    gone = _add_response(session, app, org, {"main_reason": "leiing"})

    session.delete(gone)
    session.commit()

    assert _tally(session, org, "main_reason", "leiing") == 0
    assert _tally(session, org, "main_reason", "lonn") == 1
    assert _tally(session, org, "", "") == 1
    assert kept.id and tallies.compare(session.connection()) == {}


def test_a_failed_transaction_leaves_the_tallies_as_they_were(app, session, org):
    _add_response(session, app, org, {"main_reason": "lonn"})
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    response = Response(organisation_id=org.id, questionnaire_version_id=ensure_version(session, questionnaire).id,
                        language="nn", channel="invitation", submitted_on=date(2026, 8, 15))
    response.answers = list(answer_rows({"main_reason": "lonn"}))
    session.add(response)
    session.flush()
    assert _tally(session, org, "main_reason", "lonn") == 2
    session.rollback()

    assert _tally(session, org, "main_reason", "lonn") == 1


def test_deleting_an_organisation_deletes_its_tallies(app, session, org):
    _add_response(session, app, org, {"main_reason": "lonn"})

    delete_organisation(session, session.get(Organisation, org.id))

    assert session.scalar(select(func.count()).select_from(AnswerTally)) == 0


def test_the_demo_is_tallied_exactly_across_all_questionnaires(app, session):
    demo_seed.run(session, app.extensions["questionnaires"], responses=120)
    session.commit()

    stored = tallies.stored(session.connection())
    assert {key[1] for key in stored} == {q.key for q in app.extensions["questionnaires"]}
    assert sum(count for key, count in stored.items() if key[4] == key[6] == "") == session.scalar(
        select(func.count()).select_from(Response))
    assert tallies.compare(session.connection()) == {}


def test_answers_written_around_the_orm_are_found_by_compare_and_counted_by_rebuild(app, session, org):
    response = _add_response(session, app, org, {"main_reason": "lonn"})
    # As a bulk load would (the benchmark writes with COPY): no ORM, so no tally.
    session.execute(insert(Answer).values(response_id=response.id, question="age_band", value_text="a25_34"))
    session.execute(delete(Answer).where(Answer.question == "main_reason"))
    session.commit()
    key = (org.id, "sluttsamtale", "2026Q3", 0, "", "")
    by_age = (org.id, "sluttsamtale", "2026Q3", 0, "age_band", "a25_34")

    assert tallies.compare(session.connection()) == {key + ("main_reason", "lonn"): (1, 0),
                                                     key + ("main_reason", ""): (1, 0),
                                                     key + ("age_band", "a25_34"): (0, 1),
                                                     key + ("age_band", ""): (0, 1),
                                                     # age band is a breakdown: the split rows
                                                     by_age + ("age_band", "a25_34"): (0, 1),
                                                     by_age + ("age_band", ""): (0, 1)}
    assert tallies.rebuild(session.connection(), [org.id]) == 5
    session.commit()
    assert tallies.compare(session.connection()) == {}


def test_the_cli_checks_and_rebuilds(app, session, org):
    _add_response(session, app, org, {"main_reason": "lonn"})
    runner = app.test_cli_runner()

    checked = runner.invoke(args=["tallies", "check"])
    assert checked.exit_code == 0 and "agree" in checked.output

    session.execute(delete(AnswerTally))
    session.commit()
    checked = runner.invoke(args=["tallies", "check"])
    assert checked.exit_code == 1 and "3 tally rows differ" in checked.output

    rebuilt = runner.invoke(args=["tallies", "rebuild"])
    assert rebuilt.exit_code == 0 and "3 rows" in rebuilt.output
    assert runner.invoke(args=["tallies", "check"]).exit_code == 0


def test_a_breakdown_answer_splits_the_organisations_counts(app, session, org):
    unit = session.scalars(select(Unit).filter_by(code="HO-1")).one()
    _add_response(session, app, org, {"age_band": "a25_34", "main_reason": "lonn", "position_now": 60,
                                      "main_reason_text": "Løna"}, unit_id=unit.id)
    _add_response(session, app, org, {"age_band": "a35_44", "main_reason": "lonn", "position_now": 100})
    stored = tallies.stored(session.connection(), [org.id])

    def split(by_question, by_value, question, value):
        return stored.get((org.id, "sluttsamtale", "2026Q3", 0, by_question, by_value, question, value), 0)
    assert split("age_band", "a25_34", "main_reason", "lonn") == 1  # unit 0: the whole organisation
    assert split("age_band", "a35_44", "main_reason", "lonn") == 1
    assert split("position_now", "p50_79", "main_reason", "") == 1  # a number splits by its band
    assert split("position_now", "p100", "age_band", "a35_44") == 1
    assert not any(key[4] and key[6] == "main_reason_text" for key in stored)  # free text is not split
