"""Reports over random small data sets show no small group, and nothing they and the results pages
show together lets a small group be worked out, also across consecutive reports.

Hypothesis builds municipalities with a few units and a handful of leavers spread over quarters,
causes, tenures and position sizes. For each, a report for 2026Q2 is stored, then the report for
2026Q3 is made: every group the two reports show is audited, with everything the results pages
show, by the exact audit (``Release.audit``: linear algebra over the respondents' cells).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from survey_app.models import Headcount, Organisation, Region, Report, Unit
from survey_app.reports import region as region_content
from survey_app.reports.content import build as build_content
from survey_app.reports.context import ReportContext
from survey_app.reports.paper import Paper
from tests.reports.conftest import add_exits, add_leavers

MINIMUM = 5
CAUSES = ("lonn", "arbeidstid", "leiing", "belastning")
TENURES = ("under_1", "y1_2", "y6_10")
DESTINATIONS = ("other_municipality", "private", "state")
# Rows whose values are the sizes of groups, and the facts that are sizes of groups.
GROUP_ROWS = ("Svarte", "Respondents", "Svar i alt", "Fritekstsvar", "Free-text answers")
GROUP_FACTS = ("part_time", "early", "all", "of", "of_now")


def _kind(table: dict, row: dict, index: int) -> str:
    if row.get("fmts"):
        return row["fmts"][index]
    return row.get("fmt") or table.get("fmt", "count")


def small_groups(node, minimum: int, path: str = "") -> list[str]:
    """Every group size in the content between 1 and minimum - 1, with where it was found."""
    found = []
    if isinstance(node, dict):
        if "rows" in node and "columns" in node:
            for row in node["rows"]:
                if row["label"] not in GROUP_ROWS and node["id"] not in ("responses",):
                    continue
                for i, value in enumerate(row["values"]):
                    if _kind(node, row, i) == "count" and isinstance(value, int) and 0 < value < minimum:
                        found.append(f"{path}/{node['id']}/{row['label']}[{i}]={value}")
            return found
        for key, value in node.items():
            if key in GROUP_FACTS and isinstance(value, int) and 0 < value < minimum:
                found.append(f"{path}/{key}={value}")
            elif key not in ("minimum", "released"):
                found += small_groups(value, minimum, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += small_groups(value, minimum, f"{path}[{i}]")
    return found


exit_row = st.tuples(st.sampled_from(CAUSES), st.sampled_from(TENURES), st.sampled_from([50, 80, 100]),
                     st.sampled_from(["yes", "no"]), st.sampled_from(DESTINATIONS))
municipality = st.fixed_dictionaries({
    # per unit: a list of (quarter offset 0..8 back from 2026Q3, exit answers, how many alike)
    "units": st.lists(st.lists(st.tuples(st.integers(0, 8), exit_row, st.integers(1, 6)), max_size=6),
                      min_size=1, max_size=3),
    "leavers": st.lists(st.integers(0, 9), min_size=3, max_size=3),
    "headcount": st.lists(st.integers(1, 40), min_size=3, max_size=3),
})


def build(session, app, slug: str, spec: dict) -> Organisation:
    organisation = Organisation(slug=slug, name=f"{slug.title()} kommune", written_standard="nn",
                                min_group_size=MINIMUM)
    session.add(organisation)
    sectors = [Unit(code=f"S{i}", name=f"Sektor {i}", organisation=organisation) for i in range(2)]
    units = [Unit(code=f"U{i}", name=f"Eining {i}", organisation=organisation, parent=sectors[i % 2])
             for i in range(len(spec["units"]))]
    session.add_all(sectors + units)
    session.flush()
    for unit, groups, leavers, heads in zip(units, spec["units"], spec["leavers"], spec["headcount"]):
        for back, answers, count in groups:
            day = date(2026, 8, 15) - timedelta(days=91 * back)
            add_exits(session, app, organisation, unit, [(answers, count)], day)
        add_leavers(session, organisation, unit, leavers, date(2026, 9, 1), "p")
        session.add(Headcount(organisation_id=organisation.id, unit_id=unit.id, period="2026Q3", headcount=heads))
    session.commit()
    return organisation


def store(session, organisation, content) -> None:
    """A stored report as ``reports.store`` keeps it (without rendering the PDF, which is not
    what this test is about)."""
    session.add(Report(organisation_id=organisation.id, period=content["period"], language="nn",
                       created_at=datetime(2026, 10, 1), created_by="test", code_version="test",
                       content=org_content_json(content), content_sha256="0" * 64, pdf=b"", pdf_sha256="0" * 64,
                       pages=0))
    session.commit()


def org_content_json(content):
    import json
    return json.loads(json.dumps(content, default=str))


def audit_report(session, app, organisation, period: str) -> dict:
    """The report's content, after checking every release it drew on."""
    from flask_babel import force_locale

    registry = app.extensions["questionnaires"]
    with force_locale("nn"):
        builder = ReportContext(session, organisation, period, "nn", registry)
        content = build_content(builder, Paper())
    for name, release in builder.releases.items():
        assert release.audit() == [], name
        for key in content["released"].get(name, []):
            assert tuple(key) in release.shown, (name, key)
    assert builder.follow_up.audit() == []
    return content


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(first=municipality, second=municipality)
def test_no_report_shows_or_gives_away_a_small_group(app, session, first, second):
    registry = app.extensions["questionnaires"]
    one, two = build(session, app, "eittvik", first), build(session, app, "tovik", second)
    region = Region(slug="regionen", name="Regionen", organisations=[one, two])
    session.add(region)
    session.commit()
    try:
        with app.app_context():
            for organisation in (one, two):
                store(session, organisation, audit_report(session, app, organisation, "2026Q2"))
                content = audit_report(session, app, organisation, "2026Q3")
                assert small_groups(content, MINIMUM) == []
                # The earlier report's groups are part of what the later one was audited against.
                assert all(t["answers"] == 0 or t["of"] >= MINIMUM for t in content["themes"]["themes"])
            from flask_babel import force_locale
            with force_locale("nb"):
                builder = region_content._RegionBuilder(session, region, "2026Q3", "nb", registry)
                regional = builder.build(Paper())
            assert builder.responses.audit() == []
            assert small_groups(regional, MINIMUM) == []
    finally:
        for row in (region, one, two):
            session.delete(row)
        session.commit()
