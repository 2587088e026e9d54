"""Route × role × organisation: no staff page leaks another organisation's data or admits a role
it should not. Built from ``app.url_map``, so a new route is covered the day it is added."""
from __future__ import annotations

from datetime import date

import pytest

from survey_app.models import (
    Action, AnalysedAnswer, AnalysisRun, Answer, ImportPreview, Membership, Organisation, Person, Region, Report, Response,
    Theme, User,
)
from survey_app.services.questionnaires import ensure_version
from tests.conftest import login

ROLES = ("admin", "hr", "leader", "committee")
PUBLIC_PREFIXES = ("/s/", "/o/", "/svar", "/takk", "/static", "/personvern", "/logg-inn", "/logg-ut", "/helse",
                   "/kode", "/tilgjengelegheit", "/healthz", "/favicon.ico")


def staff_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule == "/" or rule.rule.startswith(PUBLIC_PREFIXES):
            continue
        rules.append(rule)
    return rules


@pytest.fixture
def other_org(app, session):
    """A second municipality with an analysis run, a theme and an answer of its own."""
    other = Organisation(slug="annanvik", name="Annanvik kommune", written_standard="nb")
    session.add(other)
    session.flush()
    version = ensure_version(session, app.extensions["questionnaires"].get("sluttsamtale"))
    response = Response(organisation_id=other.id, questionnaire_version_id=version.id, language="nb",
                        channel="invitation", submitted_on=date(2026, 8, 1))
    answer = Answer(question="main_reason_text", value_text="Hemmelig svar", value_scrubbed="Hemmelig svar")
    response.answers = [answer]
    session.add(response)
    run = AnalysisRun(organisation_id=other.id, questionnaire_key="sluttsamtale", question="main_reason_text",
                      period="2026Q3", first_period="2024Q4", code_version="test", parameters={})
    session.add(run)
    session.flush()
    theme = Theme(run_id=run.id, number=0, label="Hemmelig tema", suggested_label="Hemmelig tema", top_terms=[])
    session.add(theme)
    session.flush()
    session.add(AnalysedAnswer(run_id=run.id, answer_id=answer.id, theme_id=theme.id, period="2026Q3",
                               cause="lonn", confidence=0.9))
    owner = User(email="hr@annanvik.no", name="Hemmelig HR", password_hash="x")
    session.add(owner)
    session.flush()
    preview = ImportPreview(organisation_id=other.id, user_id=owner.id, kind="leaver", filename="hemmelig.csv",
                            rows={"new": [{"name": "Hemmelig Person"}], "existing": 0, "problems": []})
    session.add(preview)
    membership = Membership(user_id=owner.id, organisation_id=other.id, role="admin")
    session.add(membership)
    action = Action(organisation_id=other.id, title="Hemmelig tiltak", responsible="Hemmelig leiar",
                    started_on=date(2026, 7, 1))
    region = Region(slug="hemmelig-region", name="Hemmelig region", organisations=[other])
    person = Person(organisation_id=other.id, kind="leaver", source_key="hemmelig", name="Hemmelig Person")
    session.add_all([action, region, person])
    session.flush()
    report = Report(organisation_id=other.id, period="2026Q3", language="nb", created_by="Hemmelig",
                    code_version="test", content={"period_name": "Hemmelig"}, content_sha256="0" * 64,
                    pdf=b"%PDF-1.7 Hemmelig", pdf_sha256="0" * 64, pages=1)
    session.add(report)
    session.commit()
    return {"slug": other.slug, "run_id": run.id, "theme_id": theme.id, "preview_id": preview.id, "fmt": "csv",
            "membership_id": membership.id, "action_id": action.id, "report_id": report.id, "region_id": region.id,
            "person_id": person.id, "cause": "lonn"}


def url_for_rule(rule, values: dict) -> str:
    missing = [arg for arg in rule.arguments if arg not in values]
    assert not missing, f"{rule.rule}: the access matrix needs a value for {missing}; add it to other_org"
    url = rule.rule
    for arg in rule.arguments:
        url = url.replace(f"<{arg}>", str(values[arg])).replace(f"<int:{arg}>", str(values[arg]))
    return url


def test_every_staff_route_declares_its_roles(app):
    """A page that is not public must be behind login_required, organisation_page or host_admin_page."""
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        assert hasattr(view, "required_roles"), \
            f"{rule.rule} ({rule.endpoint}) is not behind organisation_page/host_admin_page"


@pytest.mark.parametrize("role", ROLES + ("host_admin", None))
def test_no_route_shows_another_organisations_data(app, client, org, make_user, other_org, role):
    if role == "host_admin":
        make_user("user@testvik.no", host_admin=True)
    elif role:
        make_user("user@testvik.no", {org: [role]})
    if role:
        assert login(client, "user@testvik.no").status_code == 302
    for rule in staff_rules(app):
        if "org_slug" not in rule.arguments:
            continue
        # The other organisation's own URL, and this organisation's URL with the other's ids.
        for values in ({**other_org}, {**other_org, "slug": "testvik"}):
            url = url_for_rule(rule, {"org_slug": values["slug"], **values})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method, data={"row": "1", "theme": "1", "other": "1",
                                                                 "label": "x", "period": "2026Q3"})
                body = response.get_data()  # bytes: some pages are files (PDF, XLSX)
                assert b"Hemmelig" not in body and b"Annanvik" not in body, (role, method, url)
                if role is None:
                    assert response.status_code == 302 and "/logg-inn" in response.headers["Location"], (method, url)
                elif values["slug"] == "annanvik" or rule.arguments - {"org_slug"}:
                    assert response.status_code == 404, (role, method, url, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_roles_get_exactly_their_pages(app, client, org, make_user, role):
    make_user("user@testvik.no", {org: [role]})
    login(client, "user@testvik.no")
    for rule in staff_rules(app):
        if "org_slug" not in rule.arguments or rule.arguments - {"org_slug"} or "GET" not in rule.methods:
            continue
        allowed = role in app.view_functions[rule.endpoint].required_roles
        status = client.get(url_for_rule(rule, {"org_slug": "testvik"})).status_code
        assert (status == 200) if allowed else (status == 404), (role, rule.rule, status)
