"""HR review of the cause analysis through the web pages."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from survey_app.models import AnalysedAnswer, AnalysisRun, AuditEvent, Theme
from tests.conftest import login
from tests.services.test_analysis_runs import history  # noqa: F401  (fixture)


@pytest.fixture
def hr_client(client, org, make_user, history):  # noqa: F811
    make_user("hr@testvik.no", {org: ["hr"]})
    login(client, "hr@testvik.no")
    return client


def run_via_button(client) -> AnalysisRun:
    response = client.post("/org/testvik/analyse", data={"period": "2026Q3"})
    assert response.status_code == 302
    return int(re.search(r"/analyse/(\d+)$", response.headers["Location"]).group(1))


def test_what_could_have_made_you_stay_is_analysed_on_its_own(hr_client, session):
    response = hr_client.post("/org/testvik/analyse", data={"period": "2026Q3", "question": "stay_text"})
    assert response.status_code == 302
    run = session.scalars(select(AnalysisRun)).one()
    assert run.question == "stay_text"
    listing = hr_client.get("/org/testvik/analyse").get_data(as_text=True)
    assert "«Kva kunne fått deg til å bli?»" in listing


def test_run_from_the_button_and_read_the_result(hr_client, session):
    page = hr_client.get("/org/testvik/analyse")
    assert page.status_code == 200 and "2026Q3" in page.get_data(as_text=True)
    run_id = run_via_button(hr_client)
    html = hr_client.get(f"/org/testvik/analyse/{run_id}").get_data(as_text=True)
    assert "Analyse 2026Q3" in html and "Nytt" in html and "parkering" in html.lower()
    assert "41683920" not in html  # only scrubbed text is ever shown
    assert "<caption>" in html and 'scope="col"' in html
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "analysis_run" in actions and "view_free_text" in actions


def test_rename_merge_move_and_quote_through_forms(hr_client, session):
    run_id = run_via_button(hr_client)
    themes = session.scalars(select(Theme).where(Theme.run_id == run_id).order_by(Theme.number)).all()
    first, second, third_id = themes[0], themes[1], themes[2].id
    second_id = second.id
    page = hr_client.get(f"/org/testvik/analyse/{run_id}/tema/{first.id}")
    assert page.status_code == 200 and "Namn på bokmål (valfritt)" in page.get_data(as_text=True)
    hr_client.post(f"/org/testvik/analyse/{run_id}/tema/{first.id}/namn", data={"label": "Løn", "other_label": "Lønn"})
    session.expire_all()
    assert session.get(Theme, first.id).label == "Løn"
    assert session.get(Theme, first.id).translations == {"nb": "Lønn"}
    hr_client.post(f"/org/testvik/analyse/{run_id}/tema/{first.id}/namn", data={"label": "Løn", "other_label": ""})
    session.expire_all()
    assert session.get(Theme, first.id).translations == {}
    hr_client.post(f"/org/testvik/analyse/{run_id}/tema/{second.id}/slå-saman", data={"other": first.id})
    session.expire_all()
    assert session.get(Theme, second_id) is None
    row = session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.theme_id == first.id)).first()
    hr_client.post(f"/org/testvik/analyse/{run_id}/flytt", data={"row": row.id, "theme": third_id})
    session.expire_all()
    assert session.get(AnalysedAnswer, row.id).theme_id == third_id
    response = hr_client.post(f"/org/testvik/analyse/{run_id}/sitat", data={"row": row.id, "usable": "y"},
                              follow_redirects=True)
    size = len(session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.theme_id == third_id)).all())
    session.expire_all()
    assert session.get(AnalysedAnswer, row.id).quote_usable == (size >= 10)
    if size < 10:
        assert "minst 10 svar" in response.get_data(as_text=True)


def test_rows_of_another_run_cannot_be_touched(hr_client, session):
    first = run_via_button(hr_client)
    second = run_via_button(hr_client)
    row = session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.run_id == first)).first()
    assert hr_client.post(f"/org/testvik/analyse/{second}/sitat", data={"row": row.id, "usable": "y"}).status_code == 404
    assert hr_client.post(f"/org/testvik/analyse/{second}/flytt", data={"row": "x", "theme": "1"}).status_code == 404


def test_leader_and_committee_never_see_free_text(client, session, org, make_user, history):  # noqa: F811
    make_user("leiar@testvik.no", {org: ["leader", "committee"]})
    login(client, "leiar@testvik.no")
    assert client.get("/org/testvik/").status_code == 200
    assert client.get("/org/testvik/analyse").status_code == 404


def test_a_theme_page_shows_its_size_as_the_run_page_does_and_answers_only_from_ten_writers(hr_client, session):
    from survey_app.services.analysis_runs import theme_sizes

    run_id = run_via_button(hr_client)
    run = session.get(AnalysisRun, run_id)
    sizes = theme_sizes(session, run)
    run_page = hr_client.get(f"/org/testvik/analyse/{run_id}").get_data(as_text=True)
    checked = set()
    for theme in run.themes:
        html = hr_client.get(f"/org/testvik/analyse/{run_id}/tema/{theme.id}").get_data(as_text=True)
        size = sizes.get(theme.id, 0)
        rows = session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.theme_id == theme.id)).all()
        listed = html.count("<blockquote>")
        assert listed == (len(rows) if size >= 10 else 0)
        assert "2026Q3 ·" not in html and "2026Q2 ·" not in html  # no quarter on a single answer
        # The run's writers are a group large enough, so every theme's size shows, as on the run page.
        assert f"{size} svar." in html
        # Typical words are words from the answers: like the answers themselves, from ten writers only.
        assert ("Typiske ord:" in html) == (size >= 10)
        checked.add("small" if size < 10 else "large")
    assert run_page.count("<tr") > 0 and checked == {"small", "large"}
    assert "færre enn 10 som har skrive" in run_page


def test_an_example_quote_is_not_repeated(hr_client, session, app, org):
    from datetime import date

    from tests.services.test_analysis_runs import add_response
    for _ in range(12):  # the same words from many people
        add_response(session, app, org, date(2026, 8, 20), "lonn", "Løna er for låg for det ansvaret vi har.")
    session.commit()
    run_id = run_via_button(hr_client)
    page = hr_client.get(f"/org/testvik/analyse/{run_id}").get_data(as_text=True)
    rows = [row for row in page.split("<tr>") if "Løna er for låg for det ansvaret vi har.</blockquote>" in row]
    assert rows and all(row.count("Løna er for låg for det ansvaret vi har.</blockquote>") == 1 for row in rows)
