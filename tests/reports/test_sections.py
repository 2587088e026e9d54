"""The sections the strategies ask for, against hand counts (minimum group size 5).

2026Q3, twelve who left Heimetenesta:
  6 aged 25–34 resigned, pay; pillars leiing 4/5, medarbeidarskap 2/3, kompetanse 4/4, endringskraft 1/2;
    would recommend 9, would come back yes
  4 aged 45–54 whose temporary post ended, working hours; pillars 2/2, 4/4, 2/2, 3/3; recommend 3, no
  2 aged 62 or older who retired; every pillar 5/5; recommend 10, maybe
2025Q3: ten who left, every pillar 3/3.
Leavers from the HR system 5, 6, 5 and 6 in the four quarters to 2026Q3, 100 employees each quarter:
22 over the year, 22.0 %. 20 new hires in 2026Q3, 5 of whom answered the hiring questionnaire.

Leiing: 16 favourable of 24 answers (6×2 + 2×2), average 90/24 = 3.75; medarbeidarskap 12 of 24,
82/24; kompetanse 16 of 24, 84/24; endringskraft 4 of 24, 62/24. A year earlier every pillar 0 of 20.
"""
from __future__ import annotations

from datetime import date

import pytest

from survey_app.models import Headcount, Person, Response, Unit
from survey_app.reports.content import prepare
from survey_app.services.questionnaires import ensure_version
from survey_app.services.responding import answer_rows, free_text_questions

PILLARS = ("leiing_expectations", "leiing_seen", "medarbeidarskap_speak_up", "medarbeidarskap_team",
           "kompetanse_training", "kompetanse_growth", "endringskraft_informed", "endringskraft_influence")


def add(session, app, organisation, unit, key: str, answers: dict, count: int, day: date) -> None:
    questionnaire = app.extensions["questionnaires"].get(key)
    version = ensure_version(session, questionnaire)
    for _ in range(count):
        response = Response(organisation_id=organisation.id, questionnaire_version_id=version.id, unit_id=unit.id,
                            language="nn", channel="invitation", submitted_on=day)
        response.answers = list(answer_rows(answers, free_text_questions(questionnaire)))
        session.add(response)


def exit_answers(age, ending, reason, pillars, recommend, come_back) -> dict:
    answers = {"sector": "helse_omsorg", "age_band": age, "voluntary": ending, "main_reason": reason,
               "recommend": recommend, "come_back": come_back}
    answers.update(dict(zip(PILLARS, pillars)))
    return answers


@pytest.fixture
def content(app, session, org):
    unit = session.query(Unit).filter_by(code="HO-1").one()
    q3 = date(2026, 8, 15)
    add(session, app, org, unit, "sluttsamtale",
        exit_answers("a25_34", "resigned", "lonn", (4, 5, 2, 3, 4, 4, 1, 2), 9, "yes"), 6, q3)
    add(session, app, org, unit, "sluttsamtale",
        exit_answers("a45_54", "fixed_term", "arbeidstid", (2, 2, 4, 4, 2, 2, 3, 3), 3, "no"), 4, q3)
    add(session, app, org, unit, "sluttsamtale",
        exit_answers("a62_plus", "retirement", "pensjon", (5,) * 8, 10, "maybe"), 2, q3)
    add(session, app, org, unit, "sluttsamtale",
        exit_answers("a35_44", "resigned", "lonn", (3,) * 8, 5, "maybe"), 10, date(2025, 8, 15))
    add(session, app, org, unit, "rekruttering", {"channel": "nav"}, 5, q3)
    for quarter, (leavers, day) in enumerate(((5, date(2025, 11, 1)), (6, date(2026, 2, 1)), (5, date(2026, 5, 1)),
                                              (6, date(2026, 8, 1)))):
        for i in range(leavers):
            session.add(Person(organisation_id=org.id, kind="leaver", source_key=f"l{quarter}-{i}", unit_id=unit.id,
                               end_date=day))
    for label in ("2025Q4", "2026Q1", "2026Q2", "2026Q3"):
        session.add(Headcount(organisation_id=org.id, unit_id=unit.id, period=label, headcount=100))
    for i in range(20):
        session.add(Person(organisation_id=org.id, kind="new_hire", source_key=f"h{i}", unit_id=unit.id,
                           start_date=date(2026, 7, 1)))
    session.commit()
    with app.app_context():
        return prepare(session, org, "2026Q3", "nn", app.extensions["questionnaires"])


def row(table: dict, label: str) -> list:
    return next(r["values"] for r in table["rows"] if r["label"] == label)


def test_who_leaves_by_age_and_how_the_job_ended(content):
    leavers = content["leavers"]
    assert row(leavers["age"], "25–34 år") == [6] and row(leavers["age"], "45–54 år") == [4]
    assert row(leavers["age"], "62 år eller eldre") == [2] and row(leavers["age"], "Svar i alt") == [12]
    assert row(leavers["ending"], "Eg har sagt opp sjølv") == [6]
    assert row(leavers["ending"], "Mellombels stilling eller vikariat tek slutt") == [4]
    assert leavers["voluntary"] == {"resigned": 6, "answered": 12, "share": 50.0}
    assert leavers["basis"] == {"n": 12, "what": "svar på sluttsamtalen", "period": "3. kvartal 2026"}


def test_the_four_pillars_with_their_change_since_a_year_ago(content):
    pillars = content["strategy"]["table"]
    # Columns: average now, favourable a year ago, favourable now, change in points.
    leiing = row(pillars, "Leiing")
    assert leiing[0] == pytest.approx(3.75) and leiing[2] == pytest.approx(100 * 16 / 24)
    assert leiing[1] == 0 and leiing[3] == pytest.approx(100 * 16 / 24)
    assert row(pillars, "Medarbeidarskap")[0] == pytest.approx(82 / 24) and row(pillars, "Medarbeidarskap")[2] == 50.0
    assert row(pillars, "Kompetanse")[2] == pytest.approx(100 * 16 / 24)
    assert row(pillars, "Endringskraft")[0] == pytest.approx(62 / 24)
    assert row(pillars, "Endringskraft")[2] == pytest.approx(100 * 4 / 24)
    base = next(r for r in pillars["rows"] if r["label"] == "Leiing")["bases"]
    assert base[2] == [16, 24] and base[1] == [0, 20]


def test_yearly_turnover_beside_the_quarter(content):
    figures = content["key_figures"]
    assert row(figures, "Turnover (avgangar i prosent av tilsette)")[2] == pytest.approx(6.0)
    assert row(figures, "Turnover dei siste fire kvartala (årleg)")[2] == pytest.approx(22.0)
    assert row(content["people"]["turnover"], "Heile organisasjonen") == [6, 100, 6.0, 22, 22.0]


def test_answers_against_those_asked_and_the_assessment_says_so(content):
    rates = content["people"]["rates"]
    hiring = next(r for r in rates["rows"] if r["label"] != "Sluttsamtale")
    assert hiring["values"] == [5, 20, 25.0] and hiring["bases"][2] == [5, 20]
    assessment = " ".join(content["paper"]["assessment"])
    assert "fekk 5 svar mot 20 nytilsette (25\u00a0%): for få til å seie mykje om gruppa." in assessment
    assert content["paper"]["assessment_approved"] is False


def test_would_recommend_and_come_back(content):
    destination = content["destination"]
    assert destination["recommend"]["n"] == 12
    assert destination["recommend"]["mean"] == pytest.approx(86 / 12)
    assert destination["recommend"]["net"] == round(100 * (8 - 4) / 12)
    assert row(destination["come_back"], "Ja") == [6] and row(destination["come_back"], "Nei") == [4]


def test_causes_by_sector(content):
    by_sector = content["causes"]["by_sector"]
    assert by_sector["columns"] == ["Helse og omsorg", "I alt"]
    assert row(by_sector, "Løn") == [6, 6] and row(by_sector, "Pensjon") == [2, 2]
