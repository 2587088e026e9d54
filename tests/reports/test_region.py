"""The regional edition: each municipality next to the region where groups are large enough.

2026Q3, main reason. Testvik: pay 9, working hours 7, leadership 2 (its own report shows pay 9 and
hides the other two). Nabovik: pay 3, working hours 4 (its own report hides both).
The region: pay 12 = 9 + 3 would give Nabovik's 3 away next to Testvik's published 9, so it is
hidden; working hours 11 hides two small groups of 7 and 4 and is shown; leadership 2 is hidden.
"""
from __future__ import annotations

from sqlalchemy import select

from survey_app.models import Region, Report
from survey_app.reports.region import prepare
from tests.conftest import csrf_from, login


def row(table, label):
    return next(r["values"] for r in table["rows"] if r["label"] == label)


def region_of(session, *members):
    region = Region(slug="salten", name="Saltenregionen", written_standard="nb", organisations=list(members))
    session.add(region)
    session.commit()
    return region


def test_regional_figures_agree_with_each_municipalitys_own_report(app, session, report_org, neighbour):
    region = region_of(session, neighbour, report_org)
    with app.app_context():
        content = prepare(session, region, "2026Q3", "nb", app.extensions["questionnaires"])
    causes = content["causes"]["table"]
    assert causes["columns"] == ["Nabovik kommune", "Testvik kommune", "Regionen"]
    assert row(causes, "Lønn") == [None, 9, None]
    assert row(causes, "Arbeidstid, turnus eller for liten stilling") == [None, None, 11]
    assert row(causes, "Ledelse") == [0, None, None]
    assert row(causes, "Svarte") == [7, 18, 25]
    figures = content["key_figures"]
    assert row(figures, "Nabovik kommune")[0] == 7 and row(figures, "Testvik kommune")[0] == 18
    assert row(figures, "Regionen")[0] == 25
    # The region's trend shows this quarter exactly as the table by municipality does.
    trend = content["trend"]
    assert row(trend, "Lønn")[-1] is None and row(trend, "Arbeidstid, turnus eller for liten stilling")[-1] == 11


def test_member_committees_see_the_regional_report_others_do_not(app, client, session, make_user, report_org,
                                                               neighbour):
    region = region_of(session, neighbour, report_org)
    host = make_user("vert@region.no", host_admin=True)
    assert host.is_host_admin
    login(client, "vert@region.no")
    page = client.get("/vert/regionar").get_data(as_text=True)
    assert "Saltenregionen" in page
    made = client.post(f"/vert/regionar/{region.id}/rapport", data={"csrf_token": csrf_from(page),
                                                                    "period": "2026Q3", "language": "nb"})
    assert made.status_code == 302
    report = session.scalars(select(Report)).one()
    assert report.region_id == region.id and report.organisation_id is None
    assert client.get(f"/vert/rapportar/{report.id}.pdf").data == report.pdf

    make_user("utval@testvik.no", {report_org: ["committee"]})
    client.post("/logg-ut", data={"csrf_token": csrf_from(page)})
    login(client, "utval@testvik.no")
    listing = client.get("/org/testvik/rapportar").get_data(as_text=True)
    assert "Regional rapport, Saltenregionen" in listing
    assert client.get(f"/org/testvik/rapportar/{report.id}.pdf").data == report.pdf

    report_id = report.id
    session.delete(session.get(Region, region.id))  # Testvik leaves: the report goes with the region
    session.commit()
    assert client.get(f"/org/testvik/rapportar/{report_id}.pdf").status_code == 404


def test_creating_a_region_needs_two_members(client, session, make_user, report_org, neighbour):
    make_user("vert@region.no", host_admin=True)
    login(client, "vert@region.no")
    page = client.get("/vert/regionar").get_data(as_text=True)
    one = client.post("/vert/regionar", data={"csrf_token": csrf_from(page), "slug": "salten", "name": "Salten",
                                              "written_standard": "nb", "members": [str(report_org.id)]})
    assert one.status_code == 400 and "Vel minst to kommunar." in one.get_data(as_text=True)
    two = client.post("/vert/regionar", data={"csrf_token": csrf_from(page), "slug": "salten", "name": "Salten",
                                              "written_standard": "nb",
                                              "members": [str(report_org.id), str(neighbour.id)]})
    assert two.status_code == 302
    assert [o.slug for o in session.scalars(select(Region)).one().organisations] == ["nabovik", "testvik"]
