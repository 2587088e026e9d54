"""Every figure any role can get passes the exact audit.

All figures about respondents are decided by ``privacy.groups.release``. This test watches every
release made while HR, a leader and the host open what they can on the demo data (results pages
for each questionnaire, breakdown and period block, their exports, the invitations page, the
analysis run with each cross table, theme pages, the report preview, a stored report and the next
quarter's pages after it, the regional edition), and then runs ``Release.audit`` on each: no small
group shown, none determined by linear algebra over the groups shown with it, none left as the
small rest of a shown total. It also checks every dashboard table against its release: a column
shows figures exactly when its group is shown.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from survey_app.models import AnalysisRun, Membership, Region, Unit
from survey_app.models._time import today
from survey_app.privacy import groups
from survey_app.privacy.periods import last_closed_quarter
from survey_app.reports import region as region_module
from survey_app.services import dashboard, released as released_module
from tests.conftest import csrf_from, login


@pytest.fixture
def demo(app, session):
    from survey_app.demo import seed
    from survey_app.services.analysis_runs import run_analysis

    registry = app.extensions["questionnaires"]
    result = seed.run(session, registry, responses=300)
    run = run_analysis(session, result.organisation, last_closed_quarter(today()))
    seed.review(session, registry, result.organisation, run)
    return result.organisation


@pytest.fixture
def watched(monkeypatch):
    """Every release made, and every dashboard table with the release it was built from."""
    releases, tables = [], []
    real_release, real_build = groups.release, dashboard.build_table

    def release(*args, **kwargs):
        made = real_release(*args, **kwargs)
        releases.append(made)
        return made

    def build_table(session, scope, question, units, minimum, release):
        table = real_build(session, scope, question, units, minimum, release)
        tables.append((scope, table, release))
        return table
    monkeypatch.setattr(released_module, "release", release)
    monkeypatch.setattr(region_module, "release", release)
    monkeypatch.setattr(dashboard, "build_table", build_table)
    return releases, tables


def _results(client, registry, with_exports: bool) -> int:
    """Open the results page for every questionnaire, breakdown and period block; return how many."""
    opened = 0
    for key in ("sluttsamtale", "onboarding", "rekruttering", "laerling"):
        page = client.get(f"/org/demo/resultat?q={key}").get_data(as_text=True)
        periods = re.findall(r'<option value="(\d{4}(?:Q\d|H\d)?)"', page)
        options = ["sector", "unit", "none"] + [f"q:{q.name}"
                                                 for q in dashboard.breakdown_choices(registry.get(key))]
        for by in options:
            for period in (periods if by in ("unit", "q:tenure") else periods[:1] + [p for p in periods if
                                                                                    len(p) == 4][:1]):
                response = client.get(f"/org/demo/resultat?q={key}&period={period}&by={by}")
                assert response.status_code == 200
                opened += 1
                if with_exports and key == "sluttsamtale":
                    for table in ("main_reason", "recommend", "main_reason_trend"):
                        assert client.get(f"/org/demo/resultat/eksport.csv?q={key}&period={period}&by={by}"
                                          f"&table={table}").status_code == 200
    return opened


def _audit(releases, tables) -> None:
    assert releases, "nothing was released"
    for made in releases:
        assert made.audit() == [], made.audit()[:3]
    for scope, table, release in tables:
        for group in table.groups:
            key = dashboard.release_key(scope, group.key)
            shown = table.status.get(group.key) == "shown"
            assert shown == (key in release.shown), (table.id, key)
            values = [table.cells.get((row, group.key)) for row, _label in table.row_labels]
            assert all(v is not None for v in values) if shown else all(v is None for v in values)


def test_everything_hr_and_a_leader_can_open_passes_the_audit(app, client, session, make_user, demo, watched):
    releases, tables = watched
    registry = app.extensions["questionnaires"]
    make_user("hr@demo.no", {demo: ["hr", "admin"]})
    login(client, "hr@demo.no")
    opened = _results(client, registry, with_exports=True)
    assert client.get("/org/demo/invitasjonar").status_code == 200
    run = session.scalars(select(AnalysisRun).where(AnalysisRun.organisation_id == demo.id)).first()
    for by in ("sector", "age_band", "tenure", "position_now"):
        for what in ("cause", "theme"):
            assert client.get(f"/org/demo/analyse/{run.id}?by={by}&what={what}").status_code == 200
    for theme in run.themes[:3]:
        assert client.get(f"/org/demo/analyse/{run.id}/tema/{theme.id}").status_code == 200
    period = last_closed_quarter(today())
    assert client.get(f"/org/demo/rapportar/forehandsvising?period={period}&language=nn").status_code == 200
    page = client.get("/org/demo/rapportar").get_data(as_text=True)
    made = client.post("/org/demo/rapportar", data={"csrf_token": csrf_from(page), "period": period,
                                                    "language": "nn"})
    assert made.status_code == 302
    # After the report is stored, the pages are released again with what it showed counted as shown.
    _results(client, registry, with_exports=False)

    # A leader of one sector: their own units, audited as what they see.
    sector = session.scalars(select(Unit).where(Unit.organisation_id == demo.id, Unit.parent_id.is_(None))).first()
    leader = make_user("leiar@demo.no")
    session.add(Membership(user_id=leader.id, organisation_id=demo.id, role="leader", unit_id=sector.id))
    session.commit()
    client.post("/logg-ut", data={"csrf_token": csrf_from(page)})
    login(client, "leiar@demo.no")
    opened += _results(client, registry, with_exports=True)

    # The host: the regional edition over the demo and its neighbours.
    region = session.scalars(select(Region)).one()
    from survey_app.reports.region import prepare
    with app.app_context():
        prepare(session, region, period, "nb", registry)

    assert opened > 100 and len(releases) > opened
    _audit(releases, tables)
