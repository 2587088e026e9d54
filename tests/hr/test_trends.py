"""Trends: every question period by period, each period a group shown whole or said to be small."""
from __future__ import annotations

import re

from survey_app.models import Unit
from survey_app.models._time import today
from survey_app.privacy.periods import released_blocks
from survey_app.services import overview
from tests.conftest import login
from tests.hr.test_overview import _day
from tests.privacy.test_attacks import _person


def test_each_question_by_quarter_with_small_quarters_said_so(app, session, org, client, make_user):
    quarters = overview.compared_quarters(released_blocks(today()))
    unit = session.query(Unit).filter_by(code="HO-1").one()
    for _ in range(6):
        _person(app, session, org, unit, _day(quarters["now"]), main_reason="lonn", leiing_seen=5, recommend=9)
    for _ in range(2):
        _person(app, session, org, unit, _day(quarters["before"]), main_reason="leiing", leiing_seen=1, recommend=0)
    session.commit()
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    page = client.get("/org/testvik/resultat/trendar").get_data(as_text=True)
    section = page.split('id="h-leiing_seen_blocks"')[1].split("</section>")[0]
    assert f'<th scope="col" class="num">{quarters["now"]}</th>' in section
    assert "færre enn 5 svar" in section           # the quarter before: two answers
    assert "Heilt einig (5)" in section and ">6 <" in section
    chart = re.search(r"<desc[^>]*>(.*?)</desc>", section).group(1)
    assert f'{quarters["now"]}: 100 %' in chart  # six of six agree (4 or 5)
    assert f'{quarters["before"]}: ikkje vist' in chart
    halves = client.get("/org/testvik/resultat/trendar?step=half").get_data(as_text=True)
    assert "halvår" in halves
