"""The scanner script's re-check of wapiti's multipart CSRF findings: it reads the request from
wapiti's report, sends it as a browser would, with the page's token and with a wrong one, and
only clears the finding if the app tells them apart. Against a real server with CSRF on, and
with CSRF off (where the finding must stand)."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tests.security.run_scanners import Staff, _multipart_parts, csrf_is_checked

# As wapiti 3.0.4 writes a finding on the import form (Request.http_repr without margin).
WAPITI_REQUEST = """POST /org/testvik/import?lang=nb HTTP/1.1
Host: 127.0.0.1:8000
Referer: http://127.0.0.1:8000/org/testvik/import?lang=nb
Content-Type: multipart/form-data; boundary=------------------------boundarystring

------------------------boundarystring
Content-Disposition: form-data; name="csrf_token"

IjFhYmMi.aGVsbG8.c2lnbmF0dXJl
------------------------boundarystring
Content-Disposition: form-data; name="kind"

leaver
------------------------boundarystring
Content-Disposition: form-data; name="file"; filename="pix.gif"

GIF89a
------------------------boundarystring--"""


def test_the_report_request_is_read_back_into_fields_and_files():
    path, fields, files = _multipart_parts(WAPITI_REQUEST)
    assert path == "/org/testvik/import?lang=nb"
    assert fields == [("csrf_token", "IjFhYmMi.aGVsbG8.c2lnbmF0dXJl"), ("kind", "leaver")]
    assert files == [("file", "pix.gif", "GIF89a")]


@pytest.fixture
def hr_on_a_server(app, org, make_user):
    make_user("hr@testvik.no", {org: ["hr"]})

    def start(csrf: bool):
        app.config["WTF_CSRF_ENABLED"] = csrf
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return Staff(f"http://127.0.0.1:{server.server_port}", "hr@testvik.no", PASSWORD)
    servers: list = []
    yield start
    for server in servers:
        server.shutdown()


def test_a_form_that_checks_its_token_is_cleared(hr_on_a_server):
    assert csrf_is_checked(hr_on_a_server(csrf=True), WAPITI_REQUEST) is True


def test_a_form_that_does_not_check_its_token_is_not_cleared(hr_on_a_server):
    assert csrf_is_checked(hr_on_a_server(csrf=False), WAPITI_REQUEST) is False
