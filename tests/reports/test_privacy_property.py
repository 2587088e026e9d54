"""Reports over random small data sets never print a count below the minimum group size.

Hypothesis builds municipalities with a few units and a handful of leavers spread over quarters,
causes, tenures and position sizes, renders the report content (the organisation's and the
regional edition) and looks at every count it holds.
"""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st

from survey_app.models import Headcount, Organisation, Region, Unit
from survey_app.reports import content as org_content, region as region_content
from tests.reports.conftest import add_exits, add_leavers

MINIMUM = 5
CAUSES = ("lonn", "arbeidstid", "leiing", "belastning")
TENURES = ("under_1", "y1_2", "y6_10")
DESTINATIONS = ("other_municipality", "private", "state")


def _kind(table: dict, row: dict, index: int) -> str:
    if row.get("fmts"):
        return row["fmts"][index]
    return row.get("fmt") or table.get("fmt", "count")


def small_counts(node, minimum: int, path: str = "") -> list[str]:
    """Every count in the content between 1 and minimum - 1, with where it was found."""
    found = []
    if isinstance(node, dict):
        if "rows" in node and "columns" in node:
            for row in node["rows"]:
                for i, value in enumerate(row["values"]):
                    if _kind(node, row, i) == "count" and isinstance(value, int) and 0 < value < minimum:
                        found.append(f"{path}/{node['id']}/{row['label']}[{i}]={value}")
            return found
        for key, value in node.items():
            if key in ("answers", "answers_now", "part_time", "wanted_larger", "no", "early", "all", "n") \
                    and isinstance(value, int) and 0 < value < minimum:
                found.append(f"{path}/{key}={value}")
            elif key != "minimum":
                found += small_counts(value, minimum, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += small_counts(value, minimum, f"{path}[{i}]")
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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(first=municipality, second=municipality)
def test_no_report_shows_a_small_count(app, session, first, second):
    registry = app.extensions["questionnaires"]
    one, two = build(session, app, "eittvik", first), build(session, app, "tovik", second)
    region = Region(slug="regionen", name="Regionen", organisations=[one, two])
    session.add(region)
    session.commit()
    try:
        with app.app_context():
            for organisation in (one, two):
                content = org_content.prepare(session, organisation, "2026Q3", "nn", registry)
                assert small_counts(content, MINIMUM) == []
                assert all(t["answers"] >= MINIMUM for t in content["themes"]["themes"])
            regional = region_content.prepare(session, region, "2026Q3", "nb", registry)
            assert small_counts(regional, MINIMUM) == []
    finally:
        for row in (region, one, two):
            session.delete(row)
        session.commit()
