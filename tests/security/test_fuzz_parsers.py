"""The parsers that read files people hand us, fuzzed: questionnaire YAML, and CSV/XLSX imports.

Whatever the bytes, a parser either gives a result or a problem it can explain (file, line and
what is wrong for a questionnaire; a translated reason for an import); never another exception.
Inputs are generated from scratch and by damaging valid files (lines dropped, repeated, swapped,
cut short, bytes flipped), which reaches much deeper than random text alone.
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from survey_app.definitions.loader import DefinitionError, parse_questionnaire
from survey_app.services import imports
from survey_app.services.tables import read_table
from tests.conftest import login

REPO = Path(__file__).resolve().parents[2]
QUESTIONNAIRE = (REPO / "questionnaires" / "onboarding.yaml").read_text(encoding="utf-8")
FUZZ = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
ODD = st.sampled_from(["", " ", "\t", ":", "- ", "{", "}", "[", "]", "&a", "*a", "!!python/object:os.system", "~",
                       "null", "1e309", "-1", "0x10", "'", '"', "\\", "\x00", "\u202e", "😀", "ﬁ", "Å\u0301", "%",
                       "<<: *a", "? ", "|", ">", "#", "---", "...", "yes", "no", "likert5", "sluttsamtale"])
TEXT = st.one_of(st.text(max_size=40), ODD)


@st.composite
def damaged(draw, original: str):
    """A valid file with a few lines dropped, repeated, swapped, altered or cut."""
    lines = original.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "repeat", "swap", "alter", "indent", "cut"]))
        if how == "drop":
            del lines[index]
        elif how == "repeat":
            lines.insert(index, lines[index])
        elif how == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif how == "alter":
            at = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:at] + draw(TEXT) + lines[index][at + draw(st.integers(0, 8)):]
        elif how == "indent":
            lines[index] = draw(st.sampled_from(["", " ", "  ", "\t", "      "])) + lines[index].lstrip()
        else:
            lines = lines[:index]
    return "\n".join(lines)


def _explained(problem) -> bool:
    return problem.file == "onboarding.yaml" and problem.line >= 1 and problem.message.strip() != ""


@FUZZ
@given(st.one_of(damaged(QUESTIONNAIRE), st.text(max_size=400), st.builds("\n".join, st.lists(TEXT, max_size=20))))
def test_questionnaire_files_give_a_questionnaire_or_explained_problems(text):
    try:
        questionnaire = parse_questionnaire(text, "onboarding.yaml", expected_id="onboarding")
    except DefinitionError as error:
        assert error.problems and all(_explained(p) for p in error.problems), error.problems
    else:
        assert questionnaire.key == "onboarding" and questionnaire.sections


LEAVERS_CSV = ("Namn;Privat e-post;Einingskode;Sluttdato;Stillingsprosent;Alder\n"
               "Kari Nordmann;kari@example.no;HO-1;2026-08-31;80;34\n"
               "Ola Nordmann;;HO-1;31.08.2026;100 %;61\n"
               "Per Hansen;per@example.no;OP-9;2026-13-01;abc;-4\n")


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def damaged_bytes(draw, original: bytes):
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        index = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "cut", "insert"]))
        if how == "flip":
            data[index] = draw(st.integers(0, 255))
        elif how == "cut":
            del data[index:]
        else:
            data[index:index] = draw(st.binary(max_size=16))
    return bytes(data)


KINDS = st.sampled_from(["leaver", "new_hire", "units", "headcount"])


@pytest.fixture
def hr_client(client, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    return client


def _upload(client, data: bytes, filename: str, kind: str) -> None:
    """Upload as HR does and open the preview: a preview or a clear reason, never a server error."""
    answer = client.post("/org/testvik/import", data={"kind": kind, "file": (io.BytesIO(data), filename)},
                         content_type="multipart/form-data")
    assert answer.status_code in (302, 400), answer.status_code
    if answer.status_code == 302:
        assert client.get(answer.headers["Location"]).status_code == 200
    else:
        assert 'class="error-summary"' in answer.get_data(as_text=True)


@FUZZ
@given(data=st.one_of(
    damaged(LEAVERS_CSV).map(lambda text: _encoded(text, "utf-8")),
    damaged(LEAVERS_CSV).map(lambda text: _encoded(text, "cp1252")),
    st.binary(max_size=300),
    st.builds("\n".join, st.lists(st.builds(";".join, st.lists(TEXT, max_size=8)), max_size=12)).map(str.encode),
), kind=KINDS)
def test_csv_imports_give_a_preview_or_a_clear_reason(hr_client, data, kind):
    _upload(hr_client, data, "sluttarar.csv", kind)


def _xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Namn", "Privat e-post", "Einingskode", "Sluttdato", "Stillingsprosent", "Alder"])
    sheet.append(["Kari Nordmann", "kari@example.no", "HO-1", date(2026, 8, 31), 80, 34])
    sheet.append(["Ola Nordmann", None, "HO-1", "31.08.2026", "100 %", 61])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = _xlsx()


@FUZZ
@given(data=st.one_of(damaged_bytes(XLSX), st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail)),
       kind=KINDS)
def test_xlsx_imports_give_a_preview_or_a_clear_reason(hr_client, data, kind):
    _upload(hr_client, data, "sluttarar.xlsx", kind)


def test_the_undamaged_files_pass(session, org):
    assert parse_questionnaire(QUESTIONNAIRE, "onboarding.yaml", expected_id="onboarding").sections
    for data, name in ((LEAVERS_CSV.encode(), "a.csv"), (XLSX, "a.xlsx")):
        preview = imports.preview_people(session, org, read_table(name, data), "leaver")
        assert len(preview.new) + len(preview.problems) >= 2


@st.composite
def sheet_xml(draw) -> bytes:
    """A first sheet written from scratch: declared sizes true, false or absurd, rows and cells with
    and without references, some far beyond any HR export."""
    number = st.one_of(st.integers(0, 30), st.integers(0, 2_000_000))
    column = st.sampled_from(["", "A", "B", "Z", "AA", "GR", "GS", "XFD", "ZZZZ", "a", "1"])
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        cells = []
        for _ in range(draw(st.integers(0, 6))):
            ref = draw(st.one_of(st.none(), st.builds(lambda c, n: f"{c}{n}", column, number)))
            text = draw(st.sampled_from(["Namn", "Einingskode", "Sluttdato", "HO-1", "Kari", "=1+1", "&amp;", ""]))
            attribute = f' r="{ref}"' if ref is not None else ""
            cells.append(f'<c{attribute} t="inlineStr"><is><t>{text}</t></is></c>')
        row_number = draw(st.one_of(st.none(), number))
        attribute = f' r="{row_number}"' if row_number is not None else ""
        rows.append(f"<row{attribute}>{''.join(cells)}</row>")
    dimension = draw(st.one_of(st.none(), st.builds(lambda a, b: f"{a}:{b}" if b else a,
                                                    st.builds(lambda c, n: f"{c}{n}", column, number),
                                                    st.one_of(st.just(""), st.builds(lambda c, n: f"{c}{n}",
                                                                                     column, number)))))
    head = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    declared = f'<dimension ref="{dimension}"/>' if dimension is not None else ""
    return f"{head}{declared}<sheetData>{''.join(rows)}</sheetData></worksheet>".encode()


@FUZZ
@given(sheet=sheet_xml(), kind=KINDS)
def test_sheets_of_any_declared_or_real_size_give_a_preview_or_a_clear_reason(hr_client, sheet, kind):
    from tests.security.test_uploads import xlsx_with_sheet
    _upload(hr_client, xlsx_with_sheet(sheet), "sluttarar.xlsx", kind)
