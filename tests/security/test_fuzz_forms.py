"""Hostile input: every form endpoint gets hundreds of generated bodies (huge, empty, wrong types,
Unicode edge cases, repeated fields) and never answers with a server error."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkzeug.datastructures import MultiDict

from tests.conftest import login

FIELD_NAMES = ["email", "password", "name", "role", "unit", "code", "label", "other", "row", "theme", "usable",
               "period", "kind", "slug", "written_standard", "min_group_size", "raw_text_days", "identity_days",
               "parent", "unit_id", "current", "new", "again", "admin_email", "admin_name", "lang", "page",
               "action", "org", "main_reason", "sector", "recommend", "position_now", "main_reason_text", "csrf_token",
               "title", "description", "responsible", "target", "started_on", "due_on", "status", "language",
               "meeting_date", "members", "confirm", "person"]
VALUES = st.one_of(
    st.text(max_size=50), st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "null", "[]", "{}", "../../etc/passwd", "\x00", "😀" * 50,
                     "a" * 5000, "2026Q9", "99999999999999999999", "<script>alert(1)</script>", "' OR 1=1 --",
                     "ﬁ", "Å\u0301", "\u202e", "yes", "no", "lonn", "hr", "leader", "nn", "submit", "next",
                     "2026-04-01", "2026-02-30", "cause:lonn", "theme:x", "started", "1"]),
)
BODIES = st.lists(st.tuples(st.sampled_from(FIELD_NAMES), VALUES), max_size=12)


def post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint != "static":
            yield rule


def url_for_rule(rule, ids: dict | None = None) -> str:
    values = {"org_slug": "testvik", "questionnaire_key": "sluttsamtale", "run_id": 1, "theme_id": 1,
              "preview_id": 1, "membership_id": 1, "fmt": "csv", "token": "x", "action_id": 1, "region_id": 1,
              "report_id": 1, **(ids or {})}
    url = rule.rule
    for arg in rule.arguments:
        url = url.replace(f"<int:{arg}>", str(values[arg])).replace(f"<{arg}>", str(values[arg]))
    return url


def test_every_post_route_is_fuzzed(app):
    assert len(list(post_routes(app))) >= 20


@pytest.fixture
def ids(session, org):
    """Rows the routes with ids can find, so their forms are reached and not only their 404."""
    from datetime import date

    from survey_app.models import Action, Person, Region
    action = Action(organisation_id=org.id, title="Tiltak", responsible="Leiar", started_on=date(2026, 4, 1))
    region = Region(slug="fuzz", name="Fuzz", organisations=[org])
    person = Person(organisation_id=org.id, kind="leaver", source_key="fuzz", name="Fuzz Person")
    session.add_all([action, region, person])
    session.commit()
    return {"action_id": action.id, "region_id": region.id, "person_id": person.id}


@pytest.fixture
def staff_client(app, client, org, make_user):
    make_user("admin@testvik.no", {org: ["admin", "hr"]}, host_admin=True)
    login(client, "admin@testvik.no")
    app.config["RATE_LIMITS"] = {k: (10**9, 15) for k in app.config["RATE_LIMITS"]}
    app.config["LOGIN_THROTTLE"] = {"free_failures": 10**9, "account_ceiling": 10**9}
    return client


@pytest.mark.parametrize("rule_index", range(40))
def test_no_server_error_for_generated_bodies(app, staff_client, ids, rule_index):
    rules = sorted(post_routes(app), key=lambda r: r.rule)
    if rule_index >= len(rules):
        pytest.skip("fewer POST routes than slots")
    url = url_for_rule(rules[rule_index], ids)

    @settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(BODIES)
    def post(body):
        response = staff_client.post(url, data=MultiDict(body))
        assert response.status_code < 500, (url, body, response.status_code)
    post()


def test_huge_or_odd_ids_in_urls_are_404(staff_client):
    for path in ["/org/testvik/analyse/99999999999999999999999", "/org/testvik/analyse/1/tema/9223372036854775808",
                 "/org/testvik/import/18446744073709551616"]:
        assert staff_client.get(path).status_code == 404, path
