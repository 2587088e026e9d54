"""Twenty browsers (or twenty presses of the same button) submit the same link at the same moment,
through a real threaded HTTP server on the test database: exactly one response is stored, and
every request gets an answer, none of them a server error."""
from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

from sqlalchemy import func, select
from werkzeug.serving import make_server

from survey_app.models import Invitation, InvitationStatus, Response
from tests.respond.test_flow import ABOUT, NEXT, REASONS, STRATEGY, post_page

PARALLEL = 20


def test_twenty_parallel_submits_of_one_link_store_exactly_one(app, client, session, make_invitation):
    token = make_invitation()
    assert client.get(f"/s/{token}").status_code == 302
    for page, data, action in ((0, {}, "start"), (1, ABOUT, "next"), (2, REASONS, "next"), (3, NEXT, "next")):
        assert post_page(client, page, data, action).status_code == 302
    cookies = "; ".join(f"{c.key}={c.value}" for c in client._cookies.values())
    body = urlencode({**STRATEGY, "page": "4", "action": "submit", "org": "testvik", "lang": "nn"})

    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    start = threading.Barrier(PARALLEL)
    statuses: list[int] = []

    def press():
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        start.wait()
        connection.request("POST", "/svar", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies})
        statuses.append(connection.getresponse().status)
        connection.close()

    threads = [threading.Thread(target=press) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.shutdown()

    assert len(statuses) == PARALLEL and all(status < 500 for status in statuses), statuses
    assert session.scalar(select(func.count()).select_from(Response)) == 1
    assert session.scalars(select(Invitation)).one().status is InvitationStatus.used
