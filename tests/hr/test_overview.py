"""The overview: the latest released quarter's key figures, each with its base and its change from
the quarter before and the same quarter a year before, counted by hand here."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from survey_app.models import Headcount, Invitation, Person, Unit
from survey_app.models._time import today
from survey_app.periods import parse_quarter
from survey_app.privacy.periods import last_closed_quarter, released_blocks
from survey_app.services import overview
from tests.conftest import login
from tests.privacy.test_attacks import _person


def _day(quarter: str) -> date:
    return parse_quarter(quarter)[0].replace(day=15)


@pytest.fixture
def history(app, session, org):
    """Exit answers and leavers in three quarters: the latest closed, the one before, a year before."""
    quarters = overview.compared_quarters(released_blocks(today()))
    unit = session.query(Unit).filter_by(code="HO-1").one()
    answers = {"now": [("lonn", 8)] * 6 + [("arbeidstid", 8)] * 4 + [("leiing", 8)] * 2,
               "before": [("lonn", 6)] * 2 + [("arbeidstid", 6)] * 8,
               "year_ago": [("lonn", 5)] * 6}
    for name, given in answers.items():
        for reason, recommend in given:
            _person(app, session, org, unit, _day(quarters[name]), main_reason=reason, recommend=recommend,
                    leiing_seen=5 if name == "now" else 2)
    for name, leavers in (("now", 7), ("before", 5)):
        for i in range(leavers):
            session.add(Person(organisation_id=org.id, kind="leaver", source_key=f"{name}-{i}", unit_id=unit.id,
                               end_date=_day(quarters[name])))
    # Headcount 70 now and 50 before: turnover 7/70 and 5/50, both 10 %.
    session.add_all([Headcount(organisation_id=org.id, unit_id=unit.id, period=quarters["now"], headcount=70),
                     Headcount(organisation_id=org.id, unit_id=unit.id, period=quarters["before"], headcount=50)])
    # Invitations sent in the quarter: 20 now, 12 of them answered in it (60 %); 10 before, 5 answered.
    for name, sent, answered in (("now", 20, 12), ("before", 10, 5)):
        sent_at = datetime.combine(_day(quarters[name]), time(9))
        for i in range(sent):
            session.add(Invitation(organisation_id=org.id, questionnaire_key="sluttsamtale", unit_id=unit.id,
                                   token_hash=f"{name}-{i}".ljust(64, "x"), sent_at=sent_at,
                                   expires_at=sent_at + timedelta(days=30),
                                   answered_quarter=quarters[name] if i < answered else None))
    session.commit()
    return quarters


def _figures(app, session, org, unit_ids=None) -> dict:
    found = overview.build(session, org, app.extensions["questionnaires"], unit_ids, "nn", today())
    return {figure.id: figure for figure in found.figures}


def test_every_figure_and_its_change_as_counted_by_hand(app, session, org, history):
    assert history["now"] == last_closed_quarter(today())
    figures = _figures(app, session, org)

    answered = figures["responses:sluttsamtale"]
    assert answered.values["now"].value == 12
    assert answered.change("before") == 2 and answered.change("year_ago") == 6

    pay = figures["cause:lonn"]
    assert (pay.values["now"].part, pay.values["now"].n, pay.values["now"].value) == (6, 12, 50.0)
    assert pay.change("before") == pytest.approx(30.0)      # 2 of 10 then
    assert pay.change("year_ago") == pytest.approx(-50.0)   # 6 of 6 then
    assert pay.chance("before")  # fewer than 20 answers on each side: it may be chance
    assert [f for f in figures if f.startswith("cause:")] == ["cause:lonn", "cause:arbeidstid", "cause:leiing"]

    recommend = figures["recommend"]
    assert recommend.values["now"].value == pytest.approx(8.0) and recommend.values["now"].n == 12
    assert recommend.change("before") == pytest.approx(2.0) and recommend.change("year_ago") == pytest.approx(3.0)

    leavers = figures["leavers"]
    assert leavers.values["now"].value == 7 and leavers.change("before") == 2

    turnover = figures["turnover"]
    assert (turnover.values["now"].part, turnover.values["now"].n, turnover.values["now"].value) == (7, 70, 10.0)
    assert turnover.change("before") == pytest.approx(0.0)

    rate = figures["response_rate:sluttsamtale"]
    assert (rate.values["now"].part, rate.values["now"].n, rate.values["now"].value) == (12, 20, 60.0)
    assert rate.change("before") == pytest.approx(10.0)  # 5 of 10 then

    # Everyone "now" agreed fully that leadership saw them (5), and no one answered the other statement.
    leadership = figures["pillar:leiing"]
    assert (leadership.values["now"].part, leadership.values["now"].n) == (12, 12)
    assert leadership.values["now"].value == 100.0
    assert leadership.values["before"].value == 0.0 and leadership.change("before") == 100.0  # all said 2 then


def test_a_small_quarter_shows_no_figure_and_no_change(app, session, org, client, make_user):
    quarters = overview.compared_quarters(released_blocks(today()))
    unit = session.query(Unit).filter_by(code="HO-1").one()
    for _ in range(8):
        _person(app, session, org, unit, _day(quarters["now"]), main_reason="lonn", recommend=7)
    for _ in range(3):  # too few to show anything about them, or to compare with
        _person(app, session, org, unit, _day(quarters["before"]), main_reason="helse", recommend=0)
    session.commit()
    figures = _figures(app, session, org)
    answered = figures["responses:sluttsamtale"]
    assert answered.values["now"].value == 8 and not answered.values["before"].shown
    assert answered.change("before") is None
    assert figures["recommend"].change("before") is None
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    page = client.get("/org/testvik/").get_data(as_text=True)
    assert "ikkje noko å samanlikne med" in page and "\u22127,0" not in page and "-7,0" not in page


def test_the_page_shows_the_figures_with_their_base_and_definition(app, session, org, client, make_user, history):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    page = client.get("/org/testvik/").get_data(as_text=True)
    assert "Nøkkeltal for" in page
    assert "Hovudårsak: Løn" in page and "6 av 12" in page and "50\u00a0%" in page
    assert "+30 prosentpoeng" in page and "(kan vere tilfeldig)" in page
    assert "8,0" in page and "+2,0" in page
    assert "Del av dei som svarte, som gav dette som hovudårsaka" in page
    assert 'href="/org/testvik/resultat?' in page


def test_a_leader_sees_their_own_units_and_the_committee_sees_no_figures(app, session, org, client, make_user,
                                                                         history):
    from survey_app.models import Membership

    unit = session.query(Unit).filter_by(code="HO-1").one()
    other = Unit(code="HO-2", name="Sjukeheimen", organisation_id=org.id, parent_id=unit.parent_id)
    session.add(other)
    session.flush()
    for _ in range(9):
        _person(app, session, org, other, _day(history["now"]), main_reason="helse", recommend=2)
    leader = make_user("leiar@testvik.no")
    session.add(Membership(user_id=leader.id, organisation_id=org.id, role="leader", unit_id=other.id))
    make_user("utval@testvik.no", {org: ["committee"]})
    session.commit()
    figures = _figures(app, session, org, frozenset({other.id}))
    assert figures["responses:sluttsamtale"].values["now"].value == 9
    assert figures["cause:helse"].values["now"].value == 100.0
    login(client, "utval@testvik.no")
    page = client.get("/org/testvik/").get_data(as_text=True)
    assert "Nøkkeltal" not in page
