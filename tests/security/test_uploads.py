"""Oversized uploads are refused early: a 100 MB body is turned away from its Content-Length,
before it is read, with the friendly 413 page; a zip bomb dressed as XLSX gets a clear message."""
from __future__ import annotations

import io
import zipfile

import pytest

from tests.conftest import login

HUNDRED_MB = 100 * 1024 * 1024


class CountingStream(io.RawIOBase):
    """A request body that says it is 100 MB and counts how much of it the server reads."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def seekable(self):  # the test client asks; a real socket would not be rewound either
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        return 0

    def readinto(self, buffer):
        size = min(len(buffer), 64 * 1024)
        buffer[:size] = b"a" * size
        self.read_bytes += size
        return size


def test_a_100_mb_upload_is_refused_before_it_is_read(client, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    body = CountingStream()
    response = client.post("/org/testvik/import", input_stream=body,
                           headers={"Content-Type": "multipart/form-data; boundary=x"},
                           environ_overrides={"CONTENT_LENGTH": str(HUNDRED_MB)})
    assert response.status_code == 413
    assert "større enn vi tek imot" in response.get_data(as_text=True) or \
        "larger than we accept" in response.get_data(as_text=True)
    assert body.read_bytes < 1024 * 1024


def test_a_zip_bomb_upload_gets_a_clear_message(client, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (200 * 1024 * 1024))
    assert len(data.getvalue()) < 1024 * 1024
    response = client.post("/org/testvik/import", data={"kind": "leaver", "file": (io.BytesIO(data.getvalue()),
                                                                                   "sluttarar.xlsx")})
    assert response.status_code in (200, 400)
    assert "for stor når ho vert pakka ut" in response.get_data(as_text=True) or \
        "too large once unpacked" in response.get_data(as_text=True)


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook from openpyxl whose first sheet is replaced by ``sheet_xml``."""
    from openpyxl import Workbook

    book, out = Workbook(), io.BytesIO()
    book.active.append(["Namn", "Einingskode", "Sluttdato"])
    book.save(out)
    source, target = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = sheet_xml if entry.filename == "xl/worksheets/sheet1.xml" else source.read(entry)
            archive.writestr(entry.filename, data)
    return target.getvalue()


def _sheet(dimension: str, rows: bytes) -> bytes:
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return head + dim + b"<sheetData>" + rows + b"</sheetData></worksheet>"


TWO_MILLION_CELLS = b'<row r="1">' + b'<c t="n"><v>1</v></c>' * 2_000_000 + b"</row>"


@pytest.mark.parametrize("sheet_xml, code", [
    (_sheet("A1:CXO1", TWO_MILLION_CELLS), "too_many_columns"),   # declared honestly
    (_sheet("A1:C1", TWO_MILLION_CELLS), "too_many_columns"),     # declared falsely
    (_sheet("", TWO_MILLION_CELLS), "too_many_columns"),          # not declared
    (_sheet("", b'<row r="1"><c r="XFD1" t="n"><v>1</v></c></row>'), "too_many_columns"),
    (_sheet("", b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'), "too_many_rows"),
])
def test_oversized_sheets_are_refused_before_their_cells_are_read(sheet_xml, code):
    from survey_app.services.tables import TableError, read_table

    data = xlsx_with_sheet(sheet_xml)
    assert len(data) < 200 * 1024
    with pytest.raises(TableError) as raised:
        read_table("sluttarar.xlsx", data)
    assert raised.value.code == code


def test_a_sheet_with_two_million_cells_gets_a_clear_message(client, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    data = xlsx_with_sheet(_sheet("", TWO_MILLION_CELLS))
    response = client.post("/org/testvik/import", data={"kind": "leaver", "file": (io.BytesIO(data),
                                                                                   "sluttarar.xlsx")})
    assert response.status_code == 400
    assert "meir enn 200 kolonnar" in response.get_data(as_text=True)
