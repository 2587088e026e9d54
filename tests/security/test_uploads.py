"""Oversized uploads are refused early: a 100 MB body is turned away from its Content-Length,
before it is read, with the friendly 413 page; a zip bomb dressed as XLSX gets a clear message."""
from __future__ import annotations

import io
import zipfile

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
    assert "for stor når ho blir pakka ut" in response.get_data(as_text=True) or \
        "too large once unpacked" in response.get_data(as_text=True)
