"""Twenty browsers submit at the same moment, through a real threaded HTTP server on the test
database. The same link pressed twenty times stores exactly one response; twenty different links
store twenty, and the answer tallies count each of them once. Every request gets an answer, none
of them a server error."""
from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.serving import make_server

from survey_app.models import Invitation, InvitationStatus, Response
from survey_app.services import tallies
from tests.respond.test_flow import ABOUT, NEXT, REASONS, STRATEGY, post_page

PARALLEL = 20
SUBMIT = urlencode({**STRATEGY, "page": "4", "action": "submit", "org": "testvik", "lang": "nn"})


def _ready_to_submit(client: FlaskClient, token: str) -> str:
    """Answers every page but the last; returns the browser's cookies."""
    assert client.get(f"/s/{token}").status_code == 302
    for page, data, action in ((0, {}, "start"), (1, ABOUT, "next"), (2, REASONS, "next"), (3, NEXT, "next")):
        assert post_page(client, page, data, action).status_code == 302
    return "; ".join(f"{c.key}={c.value}" for c in client._cookies.values())


def _press_together(app, cookies: list[str]) -> list[int]:
    """Sends the last page once per cookie string, all at the same moment; returns the statuses."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    start = threading.Barrier(len(cookies))
    statuses: list[int] = []

    def press(cookie: str):
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        start.wait()
        connection.request("POST", "/svar", body=SUBMIT, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        statuses.append(connection.getresponse().status)
        connection.close()

    threads = [threading.Thread(target=press, args=(cookie,)) for cookie in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    server.shutdown()
    return statuses


def test_twenty_parallel_submits_of_one_link_store_exactly_one(app, client, session, make_invitation):
    cookies = _ready_to_submit(client, make_invitation())

    statuses = _press_together(app, [cookies] * PARALLEL)

    assert len(statuses) == PARALLEL and all(status < 500 for status in statuses), statuses
    assert session.scalar(select(func.count()).select_from(Response)) == 1
    assert session.scalars(select(Invitation)).one().status is InvitationStatus.used
    assert tallies.stored(session.connection())[(session.scalar(select(Response.organisation_id)), "sluttsamtale",
                                                 _quarter_of_response(session), 0, "", "", "", "")] == 1


def test_twenty_parallel_submits_of_different_links_are_all_stored_and_tallied(app, session, make_invitation):
    cookies = [_ready_to_submit(app.test_client(), make_invitation()) for _ in range(PARALLEL)]

    statuses = _press_together(app, cookies)

    assert sorted(statuses) == [302] * PARALLEL, statuses
    assert session.scalar(select(func.count()).select_from(Response)) == PARALLEL
    # Every submit added to the same tally rows at once: none of the additions is lost.
    assert tallies.stored(session.connection())[(session.scalar(select(Response.organisation_id).limit(1)),
                                                 "sluttsamtale", _quarter_of_response(session), 0, "", "", "", "")] == PARALLEL
    assert tallies.compare(session.connection()) == {}


def _quarter_of_response(session) -> str:
    from survey_app.periods import quarter_label
    return quarter_label(session.scalar(select(Response.submitted_on).limit(1)))
