"""Imports from HR-system exports: formats, row errors, all-or-nothing, no duplicates."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from survey_app.models import Headcount, Person, Unit
from survey_app.services import imports
from survey_app.services.tables import TableError, read_table

LEAVERS = """Namn;E-post arbeid;Privat e-post;Mobil;Einingskode;Stillingsprosent;Sluttdato;Alder
Kari Nordmann;kari@testvik.no;kari@example.no;412 34 567;HO-1;80 %;31.10.2026;41
Ola Nordmann;ola@testvik.no;;;HO-1;100;2026-11-15;a25_34
"""


def people(session, org, text, kind="leaver", filename="x.csv", encoding="utf-8"):
    table = read_table(filename, text.encode(encoding) if isinstance(text, str) else text)
    return imports.preview_people(session, org, table, kind)


def test_semicolon_csv_in_utf8(session, org):
    preview = people(session, org, LEAVERS)
    assert preview.ok and len(preview.new) == 2
    kari = preview.new[0]
    assert (kari["email_private"], kari["position_pct"], kari["end_date"], kari["age_band"]) == \
        ("kari@example.no", 80.0, "2026-10-31", "a35_44")
    assert kari["mobile"] == "41234567"


def test_comma_csv_in_windows_1252_with_english_headers(session, org):
    text = "name,email,unit,end date\nBjørn Åsen,bjorn@testvik.no,HO-1,01.12.2026\n"
    preview = people(session, org, text, encoding="cp1252")
    assert preview.ok and preview.new[0]["name"] == "Bjørn Åsen"


def test_xlsx_with_real_dates(session, org):
    from datetime import datetime
    book = Workbook()
    sheet = book.active
    sheet.append(["Navn", "Enhetskode", "Startdato", "Stillingsprosent"])
    sheet.append(["Nina Ny", "HO-1", datetime(2026, 9, 1), 0.5])
    data = io.BytesIO()
    book.save(data)
    preview = people(session, org, data.getvalue(), kind="new_hire", filename="nye.xlsx")
    assert preview.ok and preview.new[0]["start_date"] == "2026-09-01" and preview.new[0]["position_pct"] == 50.0


def test_every_problem_is_reported_by_row_and_column(session, org):
    text = LEAVERS + ("Feil Person;ikkje-epost;;12;XX-9;150;32.13.2026;gammal\n"
                      ";;;;HO-1;;31.12.2026;\n")
    preview = people(session, org, text)
    found = {(p.row, p.column, p.code) for p in preview.problems}
    assert found == {(4, "email_work", "bad_email"), (4, "mobile", "bad_phone"), (4, "unit_code", "unknown_unit"),
                     (4, "position_pct", "bad_percent"), (4, "end_date", "bad_date"), (4, "age_band", "bad_age"),
                     (5, "name", "required")}
    assert not preview.ok


def test_missing_columns_and_unreadable_files():
    with pytest.raises(TableError) as caught:
        imports.preview_people(None, None, read_table("x.csv", b"Namn;Eining\nKari;HO-1\n"), "leaver")
    assert caught.value.code == "missing_columns" and "end_date" in caught.value.params["columns"]
    for data, code in [(b"", "empty_file"), (b"Namn;Eining\n", "no_rows"), (b"PK\x03\x04broken", "not_a_table"),
                       (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx", "old_excel")]:
        with pytest.raises(TableError) as caught:
            read_table("x.csv", data)
        assert caught.value.code == code


def test_zip_bomb_is_refused_before_unpacking():
    import zipfile
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(data.getvalue()) < 1024 * 1024
    with pytest.raises(TableError) as caught:
        read_table("bomb.xlsx", data.getvalue())
    assert caught.value.code == "file_too_large"


def test_reimport_creates_no_duplicates(session, org):
    first = people(session, org, LEAVERS)
    imports.apply_people(session, org, "leaver", first.new)
    session.commit()
    again = people(session, org, LEAVERS)
    assert again.new == [] and again.existing == 2
    assert session.scalar(select(func.count()).select_from(Person)) == 2


def test_a_blank_line_does_not_shift_the_row_numbers(session, org):
    """Row 6 is the sixth row of the file HR has open, blank rows above it included."""
    text = LEAVERS + "\n;;;;;;;\nFeil Person;ikkje-epost;;;HO-1;80;31.10.2026;41\n"
    preview = people(session, org, text)
    assert [(p.row, p.column, p.code) for p in preview.problems] == [(6, "email_work", "bad_email")]
    book = Workbook()
    for line in (LEAVERS + "\n\nFeil Person;ikkje-epost;;;HO-1;80;31.10.2026;41").splitlines():
        book.active.append(line.split(";") if line else [])
    data = io.BytesIO()
    book.save(data)
    preview = people(session, org, data.getvalue(), filename="x.xlsx")
    assert [(p.row, p.code) for p in preview.problems] == [(6, "bad_email")]


def test_same_person_twice_in_one_file_is_an_error(session, org):
    preview = people(session, org, LEAVERS + LEAVERS.splitlines()[1] + "\n")
    assert [(p.row, p.code) for p in preview.problems] == [(4, "duplicate_row")]


def test_units_tree_import_and_update(session, org):
    text = "Kode;Namn;Overordna\nOPP;Oppvekst;\nOPP-B1;Solsida barnehage;OPP\nHO-2;Sjukeheimen;HO\n"
    preview = imports.preview_units(session, org, read_table("u.csv", text.encode()))
    assert preview.ok and len(preview.new) == 3
    imports.apply_units(session, org, preview.new)
    session.commit()
    unit = session.scalars(select(Unit).filter_by(code="OPP-B1")).one()
    assert unit.parent.code == "OPP" and unit.sector.code == "OPP"
    again = imports.preview_units(session, org, read_table("u.csv", text.encode()))
    assert again.new == [] and again.existing == 3
    renamed = imports.preview_units(session, org, read_table("u.csv", text.replace("Sjukeheimen", "Omsorgssenteret").encode()))
    assert [r["code"] for r in renamed.new] == ["HO-2"]


def test_units_errors(session, org):
    text = "Kode;Namn;Overordna\nA;Eining A;B\nB;Eining B;A\nC;Eining C;NONE\nD;;\nE E;Bad;\n"
    preview = imports.preview_units(session, org, read_table("u.csv", text.encode()))
    codes = {(p.row, p.code) for p in preview.problems}
    assert {(2, "cycle"), (3, "cycle"), (4, "unknown_unit"), (5, "required"), (6, "bad_code")} <= codes


def test_headcount_import_upserts(session, org):
    text = "Einingskode;Kvartal;Tilsette\nHO-1;2026Q3;40\nHO;2026-08-01;12\n"
    preview = imports.preview_headcount(session, org, read_table("h.csv", text.encode()))
    assert preview.ok and {r["period"] for r in preview.new} == {"2026Q3"}
    imports.apply_headcount(session, org, preview.new)
    imports.apply_headcount(session, org, [dict(preview.new[0], headcount=41)])
    session.commit()
    assert sorted(session.scalars(select(Headcount.headcount))) == [12, 41]
    bad = imports.preview_headcount(session, org, read_table("h.csv", b"Einingskode;Kvartal;Tilsette\nHO-1;Q9;x\n"))
    assert [(p.row, p.column) for p in bad.problems] == [(2, "period")]


def test_two_addresses_in_one_cell_and_control_characters_in_names_are_row_errors(session, org):
    text = ("Namn;Privat e-post;Einingskode;Sluttdato\n"
            "Kari Nordmann;kari@example.test,bob.no;HO-1;31.10.2026\n"
            "\"Ola\rNordmann\";ola@example.no;HO-1;31.10.2026\n")
    preview = people(session, org, text)
    assert [(p.row, p.column, p.code) for p in preview.problems] == [
        (2, "email_private", "bad_email"), (3, "name", "control_characters")]
    units = imports.preview_units(session, org, read_table("e.csv", "Kode;Namn\nX1;\"Ny\neining\"\n".encode()))
    assert [(p.row, p.column, p.code) for p in units.problems] == [(2, "name", "control_characters")]


@pytest.mark.parametrize("raw, band", [("34", "a25_34"), ("a25_34", "a25_34"), ("1E361", None), ("inf", None),
                                       ("nan", None), ("abc", None), ("-4", None)])
def test_an_age_gives_its_band_and_anything_else_none(raw, band):
    """Found by the fuzz test: "1E361" is a float too large for an integer, and was a 500."""
    assert imports.parse_age_band(raw) == band
