"""Guessing is slowed down: login, letter codes and personal links answer 429 after a while."""
from datetime import timedelta

from survey_app.models._time import utcnow
from survey_app.services.limits import hit
from tests.conftest import login


def test_login_is_limited_per_email_with_a_friendly_page(app, client, org, make_user):
    make_user("kari@testvik.no", {org: ["hr"]})
    limit = app.config["RATE_LIMITS"]["login_email"][0]
    for _ in range(limit):
        assert login(client, "kari@testvik.no", "wrong password!").status_code == 401
    response = login(client, "kari@testvik.no")  # even the right password waits now
    assert response.status_code == 429
    assert "Vent litt før du prøver igjen" in response.get_data(as_text=True)


def test_letter_codes_and_links_are_limited_per_address(app, client, org):
    for _ in range(app.config["RATE_LIMITS"]["code"][0]):
        assert client.post("/kode", data={"code": "AAAA-BBBB-CCCC"}).status_code == 400
    assert client.post("/kode", data={"code": "AAAA-BBBB-CCCC"}).status_code == 429
    for _ in range(app.config["RATE_LIMITS"]["link"][0]):
        assert client.get("/s/guess").status_code == 404
    assert client.get("/s/guess").status_code == 429


def test_the_window_moves_on(session):
    now = utcnow()
    assert all(hit(session, "s", "t", "v", 2, timedelta(minutes=15), now) for _ in range(2))
    assert not hit(session, "s", "t", "v", 2, timedelta(minutes=15), now)
    assert hit(session, "s", "t", "v", 2, timedelta(minutes=15), now + timedelta(minutes=16))
