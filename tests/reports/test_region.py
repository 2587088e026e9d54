"""The regional edition: each municipality next to the region where groups are large enough.

2026Q3, main reason. Testvik: pay 9, working hours 7, leadership 2 (18, a group its own report shows
whole). Nabovik: pay 3, working hours 4 (7, shown whole in its own report too). The region: 25.
A third member with 3 answers is a small group: the region's total less the two others would be
exactly those 3, so the regional total is held back and the two others still show.
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
    assert row(causes, "Lønn") == [3, 9, 12]
    assert row(causes, "Arbeidstid, turnus eller for liten stilling") == [4, 7, 11]
    assert row(causes, "Ledelse") == [0, 2, 2]
    assert row(causes, "Svar i alt") == [7, 18, 25]
    assert causes["status"] is None
    figures = content["key_figures"]
    assert row(figures, "Nabovik kommune")[0] == 7 and row(figures, "Testvik kommune")[0] == 18
    assert row(figures, "Regionen")[0] == 25
    # The region's trend shows this quarter exactly as the table by municipality does.
    trend = content["trend"]
    assert row(trend, "Lønn")[-1] == 12 and row(trend, "Arbeidstid, turnus eller for liten stilling")[-1] == 11
    assert ["region", "2026Q3"] in content["released"]["region:sluttsamtale"]


def test_a_small_member_holds_back_the_regional_total(app, session, report_org, neighbour):
    from datetime import date

    from survey_app.models import Organisation, Unit
    from tests.reports.conftest import add_exits

    tiny = Organisation(slug="vesle", name="Vesle kommune", written_standard="nb")
    unit = Unit(code="HO", name="Helse", organisation=tiny)
    session.add_all([tiny, unit])
    session.flush()
    add_exits(session, app, tiny, unit, [(("leiing", "y1_2", 100, "no", "private"), 3)], date(2026, 8, 20))
    session.commit()
    region = region_of(session, neighbour, report_org, tiny)
    with app.app_context():
        content = prepare(session, region, "2026Q3", "nb", app.extensions["questionnaires"])
    causes = content["causes"]["table"]
    assert causes["columns"] == ["Nabovik kommune", "Testvik kommune", "Vesle kommune", "Regionen"]
    assert row(causes, "Svar i alt") == [7, 18, None, None]
    assert causes["status"] == [None, None, "small", "withheld"]
    assert row(causes, "Ledelse") == [0, 2, None, None]
    assert row(content["trend"], "Svar i alt")[-1] is None


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


def test_a_municipality_can_be_in_one_region_only(app, client, session, make_user, report_org, neighbour):
    """The third attack of issue 14: three regions over the same municipalities, each suppressed on
    its own, gave every member's hidden count by subtraction. Now the second region is refused, in
    the host's form, on the command line and in the database."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from survey_app.reports.cli import regions_cli

    region_of(session, neighbour, report_org)
    make_user("vert@region.no", host_admin=True)
    login(client, "vert@region.no")
    page = client.get("/vert/regionar").get_data(as_text=True)
    again = client.post("/vert/regionar", data={"csrf_token": csrf_from(page), "slug": "salten-2", "name": "Salten 2",
                                                "written_standard": "nb",
                                                "members": [str(report_org.id), str(neighbour.id)]})
    text = again.get_data(as_text=True)
    assert again.status_code == 400
    assert "Testvik kommune er allereie med i regionen Saltenregionen." in text
    assert len(session.scalars(select(Region)).all()) == 1

    result = app.test_cli_runner().invoke(regions_cli, ["create", "salten-3", "Salten 3",
                                                        "--members", "testvik,nabovik"])
    assert result.exit_code != 0 and "one region only" in result.output

    other = Region(slug="salten-4", name="Salten 4", organisations=[report_org])
    session.add(other)
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_the_regional_edition_is_written_for_each_members_committee(app, session, report_org, neighbour):
    """Not one chief executive's proposal for three municipalities: the executives put it forward
    together, and each member's committee takes it for information."""
    from survey_app.reports.paper import Paper
    from survey_app.reports.render import render_html
    from tests.reports.conftest import visible_text

    region = region_of(session, neighbour, report_org)
    with app.app_context():
        content = prepare(session, region, "2026Q3", "nb", app.extensions["questionnaires"],
                          paper=Paper(case_number="004/26", archive_code="FE-400"))
        text = visible_text(render_html(content))
    assert "Administrasjonsutvalgene i medlemskommunene" in text and "004/26" in text and "FE-400" in text
    assert ("Meldingen legges fram for administrasjonsutvalget i hver medlemskommune (Nabovik kommune, Testvik "
            "kommune) til orientering.") in text
    assert "Kommunedirektørenes forslag til vedtak i hvert utvalg" in text and "Kommunedirektørens forslag" not in text
    assert "Meldingen tas til orientering." in text
