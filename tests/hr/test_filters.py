"""Filters that travel: a unit (with the units below it), the period, the breakdown and the
questionnaire chosen on one results page hold on the others and in exports, and a unit filter is
released like a reader scope of its own."""
from __future__ import annotations

import csv
import io
from datetime import date

from survey_app.models import Membership
from survey_app.models._time import today
from survey_app.privacy.periods import last_closed_quarter
from tests.conftest import login
from tests.privacy.test_attacks import _person, _second_unit


def _quarter_day() -> tuple[str, date]:
    closed = last_closed_quarter(today())
    return closed, date(int(closed[:4]), 3 * int(closed[-1]) - 1, 15)


def _two_units_as_hr(app, session, org, client, make_user, in_first: int, in_second: int):
    """Heimetenesta's answers (pay) and Sjukeheimen's (leadership) in the last closed quarter; HR logged in."""
    first, second = _second_unit(session, org)
    closed, day = _quarter_day()
    for unit, count, reason in ((first, in_first, "lonn"), (second, in_second, "leiing")):
        for _ in range(count):
            _person(app, session, org, unit, day, main_reason=reason, recommend=5)
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    return first, second, closed


def _export(client, **args) -> dict:
    from urllib.parse import urlencode

    text = client.get("/org/testvik/resultat/eksport.csv?" + urlencode(args)).get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return {row[0]: dict(zip(rows[0][1:], row[1:])) for row in rows[1:]}


def test_a_unit_chosen_once_holds_on_every_results_page_and_export(app, session, org, client, make_user):
    first, second, closed = _two_units_as_hr(app, session, org, client, make_user, 6, 7)

    page = client.get(f"/org/testvik/resultat?period={closed}&by=unit&unit={second.id}").get_data(as_text=True)
    assert f'<option value="{second.id}" selected>' in page and "Only the unit" not in page
    assert "Berre eininga du har valt" in page
    assert f"unit={second.id}" in page  # the export links carry the filter
    # Opened again without arguments, and as an export without the filter named: the same unit.
    again = client.get("/org/testvik/resultat").get_data(as_text=True)
    assert f'<option value="{second.id}" selected>' in again and f'<option value="{closed}" selected>' in again
    download = client.get("/org/testvik/resultat/eksport.csv?table=main_reason")
    assert f"kvifor-testvik-{second.code}-main_reason-{closed}.csv" in download.headers["Content-Disposition"]
    table = _export(client, table="main_reason")
    assert table["Svar i alt"].get("I alt") == "7" and "Heimetenesta" not in table["Svar i alt"]
    trends = client.get("/org/testvik/resultat/trendar").get_data(as_text=True)
    assert f'<option value="{second.id}" selected>' in trends
    # Back to the whole organisation.
    whole = _export(client, table="main_reason", unit="")
    assert whole["Svar i alt"].get("I alt") == "13"


def test_a_unit_filter_cannot_be_subtracted_from_the_whole(app, session, org, client, make_user):
    first, second, closed = _two_units_as_hr(app, session, org, client, make_user, 9, 3)
    whole = _export(client, table="main_reason", period=closed, by="sector", unit="")["Svar i alt"]
    one = _export(client, table="main_reason", period=closed, by="sector", unit=first.id)["Svar i alt"]
    assert whole["Helse og omsorg"] == "12"
    assert not one["I alt"].isdigit()  # 12 - 9 would be Sjukeheimen's three


def test_a_leader_cannot_filter_outside_their_units(app, session, org, client, make_user):
    first, second = _second_unit(session, org)
    leader = make_user("leiar@testvik.no")
    session.add(Membership(user_id=leader.id, organisation_id=org.id, role="leader", unit_id=first.id))
    session.commit()
    login(client, "leiar@testvik.no")
    page = client.get(f"/org/testvik/resultat?unit={second.id}").get_data(as_text=True)
    assert f'<option value="{second.id}"' not in page and "Sjukeheimen" not in page
