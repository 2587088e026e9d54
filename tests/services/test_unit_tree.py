"""The unit tree: a loop is refused against the whole tree (import and editor), a loop already in the
database hangs no page, and `units check` finds and mends one."""
from __future__ import annotations

import io
import threading

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from survey_app.models import Unit
from survey_app.services import imports, unit_tree
from survey_app.services.tables import read_table
from tests.conftest import login


def test_walks_end_in_a_loop_and_find_it():
    parent_of = {1: None, 2: 1, 3: 4, 4: 5, 5: 3, 6: 5}
    assert unit_tree.path_to_root(parent_of, 2) == ([2, 1], False)
    assert unit_tree.path_to_root(parent_of, 6) == ([6, 5, 3, 4], True)
    assert unit_tree.loops(parent_of) == [[3, 4, 5]]
    assert unit_tree.top_of(parent_of, 6) == 3 and unit_tree.top_of(parent_of, 2) == 1
    assert unit_tree.would_loop({1: None, 2: 1}, 1, 2)
    assert not unit_tree.would_loop(parent_of, 3, 1)  # moving a loop member under a sector mends it


def test_a_units_file_that_closes_a_loop_through_the_database_is_refused(session, org):
    # In the database HO-1 sits under HO; the file puts HO under HO-1.
    text = "Kode;Namn;Overordna\nHO;Helse og omsorg;HO-1\nOP;Oppvekst;\n"
    preview = imports.preview_units(session, org, read_table("einingar.csv", text.encode()))
    assert [(p.row, p.column, p.code, p.value) for p in preview.problems] == [(2, "parent", "cycle", "HO-1")]


def test_the_import_page_says_where_the_loop_is_and_stores_nothing(client, session, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    data = "Kode;Namn;Overordna\nHO;Helse og omsorg;HO-1\n".encode()
    response = client.post("/org/testvik/import", data={"kind": "units", "file": (io.BytesIO(data), "e.csv")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Einingane dannar ein sirkel gjennom «HO-1»" in html and "Ingenting er lagra" in html
    assert session.scalars(select(Unit).filter_by(code="HO")).one().parent_id is None


def _make_loop(session, org) -> tuple[Unit, Unit]:
    """HO under HO-1 under HO, written around the checks as an old version or a dump could have."""
    sector = session.scalars(select(Unit).filter_by(code="HO")).one()
    unit = session.scalars(select(Unit).filter_by(code="HO-1")).one()
    session.execute(update(Unit).where(Unit.id == sector.id).values(parent_id=unit.id))
    session.commit()
    session.expire_all()
    return sector, unit


def _get_within(client, path: str, seconds: float = 30.0):
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("response", client.get(path)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert "response" in result, f"{path} did not answer within {seconds} s"
    return result["response"]


def test_a_loop_in_the_database_hangs_no_page(client, session, org, make_user):
    sector, unit = _make_loop(session, org)
    make_user("hr@testvik.no", {org: ["hr", "admin"]})
    login(client, "hr@testvik.no")
    for path in ("/org/testvik/resultat", "/org/testvik/resultat?by=unit", "/org/testvik/invitasjonar",
                 "/org/testvik/einingar"):
        assert _get_within(client, path).status_code == 200, path
    units_page = _get_within(client, "/org/testvik/einingar").get_data(as_text=True)
    assert "Einingar i ein sirkel" in units_page and "Heimetenesta" in units_page
    # A unit hanging under the loop is cut off too, and must still be listed to be moved.
    session.add(Unit(code="HO-2", name="Sjukeheimen", organisation_id=org.id, parent_id=unit.id))
    session.commit()
    units_page = _get_within(client, "/org/testvik/einingar").get_data(as_text=True)
    assert "Sjukeheimen" in units_page.split("Einingar i ein sirkel")[1]
    assert sector.sector.id == min(sector.id, unit.id) == unit.sector.id


def test_the_editor_refuses_a_loop_and_mends_one(client, session, org, make_user):
    sector, unit = _make_loop(session, org)
    make_user("admin@testvik.no", {org: ["admin"]})
    login(client, "admin@testvik.no")
    other = Unit(code="OP", name="Oppvekst", organisation_id=org.id)
    session.add(other)
    session.commit()
    # Under a member of the loop: still a loop.
    html = client.post("/org/testvik/einingar", data={"unit_id": str(other.id), "code": "OP", "name": "Oppvekst",
                                                      "parent": "HO"}, follow_redirects=True).get_data(as_text=True)
    assert "kan ikkje plasserast under seg sjølv" in html
    client.post("/org/testvik/einingar", data={"unit_id": str(sector.id), "code": "HO", "name": "Helse og omsorg",
                                               "parent": ""})
    session.expire_all()
    assert unit_tree.find_loops(session, org.id) == []


def test_units_check_reports_and_repairs(app, session, org):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["units", "check"]).exit_code == 0
    _make_loop(session, org)
    found = runner.invoke(args=["units", "check", "--org", "testvik"])
    assert found.exit_code == 1 and "testvik: a loop" in found.output
    repaired = runner.invoke(args=["units", "check", "--repair"])
    assert repaired.exit_code == 0 and "is now a sector" in repaired.output
    assert runner.invoke(args=["units", "check"]).exit_code == 0
    session.expire_all()
    assert unit_tree.find_loops(session) == []


CODES = [f"U{i}" for i in range(6)]


@st.composite
def tree_and_file(draw):
    """A valid tree in the database (each unit under an earlier one or none) and a units file that
    moves some of them anywhere, itself included."""
    existing = {code: draw(st.one_of(st.none(), st.sampled_from(CODES[:i]))) if i else None
                for i, code in enumerate(CODES)}
    rows = draw(st.lists(st.tuples(st.sampled_from(CODES), st.one_of(st.none(), st.sampled_from(CODES))),
                         min_size=1, max_size=6, unique_by=lambda row: row[0]))
    return existing, rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=tree_and_file())
def test_no_import_ever_leaves_a_loop(session, org, case):
    existing, rows = case
    try:
        units = {code: Unit(code=code, name=code, organisation_id=org.id) for code in CODES}
        session.add_all(units.values())
        session.flush()
        for code, parent in existing.items():
            units[code].parent_id = units[parent].id if parent else None
        session.flush()
        text = "Kode;Namn;Overordna\n" + "".join(f"{code};{code};{parent or ''}\n" for code, parent in rows)
        preview = imports.preview_units(session, org, read_table("e.csv", text.encode()))
        combined = {**existing, **{code: parent for code, parent in rows}}
        closes_loop = bool(unit_tree.loops(combined))
        assert preview.ok is not closes_loop or any(p.code == "own_parent" for p in preview.problems)
        if preview.ok:
            imports.apply_units(session, org, preview.new)
            assert unit_tree.find_loops(session, org.id) == []
    finally:
        session.rollback()
