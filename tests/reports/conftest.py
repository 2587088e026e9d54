"""A small municipality whose report can be computed by hand (see the numbers in test_content.py)."""
from __future__ import annotations

import html
import re
from datetime import date

import pytest

from survey_app.models import Headcount, Organisation, Person, Response, Unit
from survey_app.services.questionnaires import ensure_version
from survey_app.services.responding import answer_rows, free_text_questions

# 2026Q3, the quarter reported on: (main reason, tenure, position %, wanted larger, destination) × count
HOME_CARE_Q3 = [(("lonn", "y3_5", 100, "no", "other_municipality"), 6),
                (("arbeidstid", "under_1", 50, "yes", "private"), 4),
                (("leiing", "under_1", 80, "yes", "private"), 2)]
SCHOOL_Q3 = [(("lonn", "y6_10", 100, "no", "other_municipality"), 3),
             (("arbeidstid", "under_1", 60, "yes", "state"), 3)]
# The quarter before, and the same quarter a year earlier, for the comparisons.
HOME_CARE_Q2 = [(("lonn", "y3_5", 100, "no", "private"), 6)]
HOME_CARE_LAST_YEAR = [(("lonn", "y3_5", 100, "no", "private"), 5), (("arbeidstid", "y1_2", 50, "yes", "private"), 5)]


def add_exits(session, app, organisation, unit, rows, day: date) -> None:
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    version = ensure_version(session, questionnaire)
    for (reason, tenure, position, wanted, destination), count in rows:
        for _ in range(count):
            response = Response(organisation_id=organisation.id, questionnaire_version_id=version.id,
                                unit_id=unit.id, language="nn", channel="invitation", submitted_on=day)
            response.answers = list(answer_rows(
                {"sector": "helse_omsorg", "main_reason": reason, "tenure": tenure, "position_now": position,
                 "wanted_larger": wanted, "destination": destination,
                 "main_reason_text": f"Eg sluttar på grunn av {reason}, ring meg på 41683920"},
                free_text_questions(questionnaire)))
            session.add(response)


def add_leavers(session, organisation, unit, count: int, day: date, prefix: str) -> None:
    for i in range(count):
        session.add(Person(organisation_id=organisation.id, kind="leaver", source_key=f"{prefix}-{unit.code}-{i}",
                           unit_id=unit.id, end_date=day))


@pytest.fixture
def report_org(app, session, org):
    school_sector = Unit(code="OP", name="Oppvekst", organisation=org)
    school = Unit(code="OP-1", name="Skule", organisation=org, parent=school_sector)
    session.add_all([school_sector, school])
    session.flush()
    home_care = session.query(Unit).filter_by(code="HO-1").one()
    add_exits(session, app, org, home_care, HOME_CARE_Q3, date(2026, 8, 15))
    add_exits(session, app, org, school, SCHOOL_Q3, date(2026, 9, 1))
    add_exits(session, app, org, home_care, HOME_CARE_Q2, date(2026, 5, 10))
    add_exits(session, app, org, home_care, HOME_CARE_LAST_YEAR, date(2025, 8, 10))
    add_leavers(session, org, home_care, 12, date(2026, 8, 31), "q3")
    add_leavers(session, org, school, 6, date(2026, 8, 31), "q3")
    add_leavers(session, org, home_care, 12, date(2025, 8, 31), "ly")
    session.add_all([Headcount(organisation_id=org.id, unit_id=home_care.id, period="2026Q3", headcount=120),
                     Headcount(organisation_id=org.id, unit_id=school.id, period="2026Q3", headcount=60)])
    session.commit()
    return org


@pytest.fixture
def neighbour(app, session):
    """A small neighbour: 3 give pay and 4 give working hours as their main reason in 2026Q3."""
    other = Organisation(slug="nabovik", name="Nabovik kommune", written_standard="nb")
    sector = Unit(code="HO", name="Helse og omsorg", organisation=other)
    unit = Unit(code="HO-1", name="Heimetenesta", organisation=other, parent=sector)
    session.add_all([other, sector, unit])
    session.flush()
    add_exits(session, app, other, unit, [(("lonn", "y3_5", 100, "no", "private"), 3),
                                          (("arbeidstid", "y1_2", 100, "no", "private"), 4)], date(2026, 8, 20))
    add_leavers(session, other, unit, 7, date(2026, 8, 31), "q3")
    session.commit()
    return other


def visible_text(page: str) -> str:
    """What a reader sees of an HTML page: the text without tags, styles and scripts, spaces collapsed."""
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
