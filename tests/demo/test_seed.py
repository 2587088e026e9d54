"""`flask demo seed`: a realistic, reproducible demo that the respondent flow can use."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from survey_app.periods import previous_quarters, quarter_start
from survey_app.models import Answer, Organisation, Region, Response, Unit
from survey_app.models._time import today


def run_seed(app, *args):
    return app.test_cli_runner().invoke(args=["demo", "seed", *args])


def test_seed_creates_the_demo_and_prints_working_links(app, client, session):
    result = run_seed(app)
    assert result.exit_code == 0, result.output
    assert "HR login: hr@demo.kvifor.no / password: " in result.output
    assert "also the organisation's administrator" in result.output
    assert re.search(r"Cause analysis \d{4}Q\d: \d+ answers, \d+ themes", result.output)
    demo = session.scalars(select(Organisation).filter_by(slug="demo")).one()
    assert session.scalar(select(func.count()).select_from(Response).filter_by(organisation_id=demo.id)) == 500
    assert session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id.is_(None),
                                                                       Unit.organisation_id == demo.id)) == 5
    # Two neighbours and a region, for the regional report.
    region = session.scalars(select(Region).filter_by(slug="demo-region")).one()
    assert [o.slug for o in region.organisations] == ["demo", "nabo", "vesle"]

    links = [line.split()[-1] for line in result.output.splitlines() if "/s/" in line]
    assert len(links) == 4
    path = links[0][links[0].index("/s/"):]
    assert client.get(path).status_code == 302
    assert client.get("/svar").status_code == 200


def test_responses_spread_over_eight_quarters_with_varied_free_text(app, session):
    run_seed(app)
    dates = session.scalars(select(Response.submitted_on)).all()
    quarters = {quarter_start(d) for d in dates}
    assert quarters == set(previous_quarters(today(), 8))
    texts = session.scalars(select(Answer.value_text).where(Answer.question == "main_reason_text")).all()
    assert len(texts) > 100 and len(set(texts)) > 0.5 * len(texts)
    languages = dict(session.execute(select(Response.language, func.count()).group_by(Response.language)).all())
    assert languages["nn"] > languages["nb"] > 0


def test_seeding_again_adds_links_not_duplicates(app, session):
    run_seed(app)
    second = run_seed(app)
    assert second.exit_code == 0 and "Responses created: 0" in second.output
    demo = session.scalars(select(Organisation).filter_by(slug="demo")).one()
    assert session.scalar(select(func.count()).select_from(Response).filter_by(organisation_id=demo.id)) == 500


def test_previous_quarters():
    from datetime import date
    assert previous_quarters(date(2026, 11, 24), 2) == [date(2026, 4, 1), date(2026, 7, 1)]
    assert quarter_start(date(2026, 3, 31) + timedelta(days=1)) == date(2026, 4, 1)
