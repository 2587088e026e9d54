"""Report pages: HR previews and makes the report, the committee opens it, others see nothing."""
from __future__ import annotations

import pytest

import re
from datetime import date

from sqlalchemy import select

from survey_app.models import Action, AuditEvent, Report
from tests.conftest import csrf_from, login


def test_hr_previews_then_makes_the_report_and_the_committee_downloads_it(app, client, session, make_user,
                                                                          report_org):
    make_user("hr@testvik.no", {report_org: ["hr"]})
    make_user("utval@testvik.no", {report_org: ["committee"]})
    login(client, "hr@testvik.no")
    page = client.get("/org/testvik/rapportar")
    assert page.status_code == 200 and "Lag ein rapport" in page.get_data(as_text=True)
    preview = client.get("/org/testvik/rapportar/forehandsvising?period=2026Q3&language=nn")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Meldinga vert teke til orientering." in html and "Lag PDF-en" in html
    made = client.post("/org/testvik/rapportar", data={"csrf_token": csrf_from(html), "period": "2026Q3",
                                                       "language": "nn", "meeting_date": "2026-12-10"})
    assert made.status_code == 302
    report = session.scalars(select(Report)).one()
    assert report.content["meeting_date"] == "2026-12-10" and report.created_by == "hr@testvik.no"
    detail = client.get(made.headers["Location"]).get_data(as_text=True)
    assert report.pdf_sha256 in detail and "ville rapporten hatt nøyaktig same innhald" in detail

    client.post("/logg-ut", data={"csrf_token": csrf_from(client.get("/org/testvik/").get_data(as_text=True))})
    login(client, "utval@testvik.no")
    listing = client.get("/org/testvik/rapportar").get_data(as_text=True)
    assert "Lag ein rapport" not in listing and "3. kvartal 2026" in listing
    download = client.get(f"/org/testvik/rapportar/{report.id}.pdf")
    assert download.status_code == 200 and download.data == report.pdf
    assert download.headers["Content-Type"] == "application/pdf"
    assert client.get("/org/testvik/rapportar/forehandsvising").status_code == 404  # preview is HR's
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert {"report_preview", "report_generated", "report_download"} <= set(actions)


def test_a_bad_quarter_in_the_preview_is_explained(client, make_user, report_org):
    make_user("hr@testvik.no", {report_org: ["hr"]})
    login(client, "hr@testvik.no")
    response = client.get("/org/testvik/rapportar/forehandsvising?period=1999Q9&language=xx")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Det er eit problem" in html or "error-summary" in html


def test_actions_register_and_the_report_follows_the_cause(app, client, session, make_user, report_org):
    make_user("hr@testvik.no", {report_org: ["hr"]})
    login(client, "hr@testvik.no")
    page = client.get("/org/testvik/tiltak").get_data(as_text=True)
    empty = client.post("/org/testvik/tiltak", data={"csrf_token": csrf_from(page), "title": "", "target": "",
                                                     "status": "planned", "started_on": "2026-13-01"})
    assert empty.status_code == 400
    body = empty.get_data(as_text=True)
    assert "Skriv kva som skal gjerast." in body and 'aria-invalid="true"' in body
    made = client.post("/org/testvik/tiltak", data={
        "csrf_token": csrf_from(page), "title": "Fast turnus med fleire heile stillingar",
        "responsible": "Kommunalsjef helse og omsorg", "target": "cause:arbeidstid", "status": "started",
        "started_on": "2026-04-01", "description": ""})
    assert made.status_code == 302
    action = session.scalars(select(Action)).one()
    assert action.cause == "arbeidstid" and action.started_on == date(2026, 4, 1)

    from survey_app.reports.content import prepare
    with app.app_context():
        content = prepare(session, report_org, "2026Q3", "nn", app.extensions["questionnaires"])
    listed = content["actions"][0]
    assert listed["title"] == "Fast turnus med fleire heile stillingar"
    assert listed["target"] == "Arbeidstid, turnus eller for lita stilling"
    # From the quarter before it started (2026Q1, nobody answered) to the report's quarter: each
    # quarter's group shows whole, with its base.
    assert listed["development"] == [["1. kvartal 2026", None, 0, 0], ["2. kvartal 2026", 0.0, 0, 6],
                                     ["3. kvartal 2026", pytest.approx(100 * 7 / 18), 7, 18]]
    effect = listed["effect"]
    assert effect["before"][:3] == ["2. kvartal 2026", 0, 6] and effect["after"][:3] == ["3. kvartal 2026", 7, 18]
    assert effect["uncertain"] and not effect["significant"]  # 6 and 18 answers: fewer than 20

    edit = client.get(f"/org/testvik/tiltak/{action.id}").get_data(as_text=True)
    assert re.search(r'<option (selected )?value="cause:arbeidstid"( selected)?>', edit).group(0).count("selected") == 1
    done = client.post(f"/org/testvik/tiltak/{action.id}", data={
        "csrf_token": csrf_from(edit), "title": action.title, "responsible": action.responsible,
        "target": "cause:arbeidstid", "status": "done", "started_on": "2026-04-01", "due_on": "2026-03-01"})
    assert done.status_code == 400 and "Sluttdatoen må vere etter startdatoen." in done.get_data(as_text=True)


def test_case_fields_and_the_assessment_hr_approved_go_into_the_stored_report(app, client, session, make_user,
                                                                               report_org):
    from survey_app.reports import store

    make_user("hr@testvik.no", {report_org: ["hr"]})
    login(client, "hr@testvik.no")
    preview = client.get("/org/testvik/rapportar/forehandsvising?period=2026Q3&language=nn&case_number=017/26")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    # The draft assessment is in the form, ready to be edited; the case number travels on.
    draft = re.search(r'<textarea[^>]*name="assessment"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "I 3. kvartal 2026 slutta 18 personar etter HR-systemet" in draft
    assert 'name="case_number"' in html and 'value="017/26"' in html

    bad = client.post("/org/testvik/rapportar", data={
        "csrf_token": csrf_from(html), "period": "2026Q3", "language": "nn", "case_number": "017/26; DROP",
        "assessment": "x" * 9000})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Bruk siffer, bokstavar, / og -, til dømes 017/26." in page and "error-summary" in page
    assert session.scalars(select(Report)).first() is None

    written = "Administrasjonen meiner løn er det viktigaste.\r\n\r\nTiltaka held fram."
    made = client.post("/org/testvik/rapportar", data={
        "csrf_token": csrf_from(html), "period": "2026Q3", "language": "nn", "case_number": "017/26",
        "archive_code": "FE-400", "case_officer": "Kari Nordmann", "journal_id": "26/1234-5",
        "meeting_date": "2026-12-10", "assessment": written})
    assert made.status_code == 302
    report = session.scalars(select(Report)).one()
    paper = report.content["paper"]
    assert paper["case_number"] == "017/26" and paper["archive_code"] == "FE-400"
    assert paper["case_officer"] == "Kari Nordmann" and paper["journal_id"] == "26/1234-5"
    assert paper["assessment"] == ["Administrasjonen meiner løn er det viktigaste.", "Tiltaka held fram."]
    assert paper["assessment_approved"] is True and paper["meeting_date"] == "2026-12-10"
    with app.app_context():
        # Prepared again with the same paper, the content is the same: nothing changed in the data.
        assert not store.data_changed(session, report, app.extensions["questionnaires"])
        assert store.rendering_matches(report)
