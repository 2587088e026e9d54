"""Stored reports: reproducible byte for byte, never changed, and the CLI that makes them."""
from __future__ import annotations

import hashlib
import re
from datetime import date

from sqlalchemy import select

from survey_app.models import AuditEvent, Report, Unit
from survey_app.reports import store as reports
from tests.reports.conftest import add_exits


def test_a_stored_report_renders_to_the_same_bytes_and_knows_its_sources(app, session, report_org):
    with app.app_context():
        report = reports.generate(session, report_org, "2026Q3", "nn", app.extensions["questionnaires"])
        assert report.pdf_sha256 == hashlib.sha256(report.pdf).hexdigest()
        assert report.period == "2026Q3" and report.created_by == "cli" and report.pages >= 6
        assert reports.rendering_matches(report)
        assert not reports.data_changed(session, report, app.extensions["questionnaires"])
    event = session.scalars(select(AuditEvent).filter_by(action="report_generated")).one()
    assert event.detail["report"] == report.id


def test_new_answers_are_noticed_but_the_stored_report_stays(app, session, report_org):
    with app.app_context():
        report = reports.generate(session, report_org, "2026Q3", "nn", app.extensions["questionnaires"])
    stored_pdf, stored_hash = report.pdf, report.content_sha256
    unit = session.scalars(select(Unit).filter_by(code="HO-1")).one()
    add_exits(session, app, report_org, unit, [(("leiing", "y1_2", 100, "no", "private"), 5)], date(2026, 9, 10))
    session.commit()
    with app.app_context():
        assert reports.data_changed(session, report, app.extensions["questionnaires"])
        again = reports.generate(session, report_org, "2026Q3", "nn", app.extensions["questionnaires"])
    session.expire_all()
    first = session.get(Report, report.id)
    assert first.pdf == stored_pdf and first.content_sha256 == stored_hash
    assert again.id != first.id and again.content_sha256 != stored_hash


def test_cli_writes_the_pdf_and_verifies_it(app, session, report_org, tmp_path):
    out = tmp_path / "r.pdf"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report", "quarterly", "--org", "testvik", "--quarter", "2026Q3", "--lang", "nb",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-1.7")
    assert "note: no analysis of main_reason_text for 2026Q3" in result.output
    assert "note: no analysis of stay_text for 2026Q3" in result.output
    report_id = int(re.search(r"report (\d+):", result.output).group(1))
    verified = runner.invoke(args=["report", "verify", str(report_id)])
    assert verified.exit_code == 0 and "rendering matches; data unchanged" in verified.output
    listed = runner.invoke(args=["report", "list", "--org", "testvik"])
    assert "2026Q3 nb" in listed.output


def test_cli_explains_bad_input(app, report_org):
    runner = app.test_cli_runner()
    bad_quarter = runner.invoke(args=["report", "quarterly", "--org", "testvik", "--quarter", "2026Q5"])
    assert bad_quarter.exit_code == 2 and "is not a quarter such as 2026Q3" in bad_quarter.output
    from survey_app.models._time import today
    from survey_app.periods import quarter_label
    running = runner.invoke(args=["report", "quarterly", "--org", "testvik", "--quarter", quarter_label(today())])
    assert running.exit_code == 2 and "has not ended yet" in running.output
    bad_org = runner.invoke(args=["report", "quarterly", "--org", "nowhere"])
    assert bad_org.exit_code == 2 and "no organisation with slug 'nowhere'" in bad_org.output
    bad_lang = runner.invoke(args=["report", "quarterly", "--org", "testvik", "--lang", "sv"])
    assert bad_lang.exit_code == 2 and "'sv' is not one of" in bad_lang.output
    bad_case = runner.invoke(args=["report", "quarterly", "--org", "testvik", "--case-number", "017/26; x"])
    assert bad_case.exit_code == 2 and "--case-number" in bad_case.output and "017/23" in bad_case.output
    bad_date = runner.invoke(args=["report", "quarterly", "--org", "testvik", "--meeting-date", "31.02.2026"])
    assert bad_date.exit_code == 2 and "--meeting-date" in bad_date.output


def test_deleting_the_organisation_deletes_its_reports_and_actions(app, session, report_org):
    from survey_app.models import Action
    from survey_app.services.retention import delete_organisation

    with app.app_context():
        reports.generate(session, report_org, "2026Q3", "nn", app.extensions["questionnaires"])
    session.add(Action(organisation_id=report_org.id, title="Fleire heile stillingar", responsible="Kommunalsjef",
                       cause="arbeidstid", started_on=date(2026, 4, 1)))
    session.commit()
    delete_organisation(session, report_org)
    assert session.scalars(select(Report)).all() == [] and session.scalars(select(Action)).all() == []
