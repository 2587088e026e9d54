"""The attacks of the last review, end to end over HTTP as HR would try them (issue 14).

1. Live figures: import a named leaver, watch the counts move when they answer, read their answers
   from the difference. Figures now cover closed quarters only, so an answer given today changes
   nothing any staff page or export shows until its quarter has ended.
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from survey_app.models import Response, Unit
from survey_app.models._time import today
from survey_app.periods import quarter_label
from survey_app.privacy.periods import last_closed_quarter
from survey_app.services.questionnaires import ensure_version
from survey_app.services.responding import answer_rows, free_text_questions
from tests.conftest import login


def _exit(app, session, org, unit, reason: str, day: date, text: str = "") -> None:
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    response = Response(organisation_id=org.id, questionnaire_version_id=ensure_version(session, questionnaire).id,
                        unit_id=unit.id, language="nn", channel="invitation", submitted_on=day)
    response.answers = list(answer_rows({"main_reason": reason, "recommend": 3, "main_reason_text": text},
                                        free_text_questions(questionnaire)))
    session.add(response)


@pytest.fixture
def hr_with_history(app, session, org, client, make_user):
    unit = session.query(Unit).filter_by(code="HO-1").one()
    closed = last_closed_quarter(today())
    year, quarter = int(closed[:4]), int(closed[-1])
    day = date(year, 3 * quarter - 1, 15)
    for i in range(12):
        _exit(app, session, org, unit, ["lonn", "arbeidstid", "leiing"][i % 3], day, f"Svar nummer {i} om arbeidet")
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    return client, unit


def _everything_hr_can_open(client) -> dict[str, bytes]:
    """The results page and the export of every table, for every period and span HR can choose."""
    page = client.get("/org/testvik/resultat").get_data(as_text=True)
    periods = re.findall(r"<option(?: selected)?>(\d{4}Q\d)</option>", page)
    assert periods, "the page offers no periods"
    seen = {}
    for period in periods + [quarter_label(today())]:  # and the running quarter asked for by hand
        for span in (1, 4, 8):
            query = f"period={period}&span={span}&by=sector"
            html = client.get(f"/org/testvik/resultat?{query}").get_data()
            # The page's CSRF token and the menu differ per request; the figures must not.
            seen[f"page {query}"] = re.sub(rb'name="csrf_token" value="[^"]+"', b"", html)
            for table in ("main_reason", "recommend"):
                seen[f"csv {table} {query}"] = client.get(
                    f"/org/testvik/resultat/eksport.csv?{query}&table={table}").get_data()
    return seen


def test_an_answer_given_today_changes_nothing_staff_can_see(app, session, org, hr_with_history):
    client, unit = hr_with_history
    offered = re.findall(r"<option(?: selected)?>(\d{4}Q\d)</option>",
                         client.get("/org/testvik/resultat").get_data(as_text=True))
    assert offered[0] == last_closed_quarter(today()) and quarter_label(today()) not in offered
    before = _everything_hr_can_open(client)
    _exit(app, session, org, unit, "leiing", today(), "Eg sluttar fordi leiaren min aldri lyttar")
    session.commit()
    after = _everything_hr_can_open(client)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == []
    assert b"leiaren min aldri lyttar" not in b"".join(after.values())
