"""The respondent journey through real HTTP requests on a real database."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, inspect, select

from survey_app.extensions import db
from survey_app.models import Answer, Invitation, InvitationStatus, Response, ResponseDraft, hash_token
from survey_app.respond.views import DRAFT_COOKIE

ABOUT = {"sector": "helse_omsorg", "tenure": "y3_5", "age_band": "a35_44", "position_now": "60",
         "wanted_larger": "yes", "position_wanted": "100", "voluntary": "resigned"}
REASONS = {"main_reason": "arbeidstid", "other_reasons": ["lonn", "belastning"],
           "main_reason_text": "For lita stilling og for mange helgar.", "stay_text": "Fast 100 prosent."}
NEXT = {"destination": "other_municipality", "recommend": "6", "come_back": "maybe"}
STRATEGY = {"leiing_expectations": "4", "kompetanse_training": "2", "final_comment": ""}


def post_page(client, page: int, data: dict, action: str = "next"):
    return client.post("/svar", data={**data, "page": str(page), "action": action, "org": "testvik", "lang": "nn"})


def answer_sluttsamtale(client, token: str):
    assert client.get(f"/s/{token}").status_code == 302
    assert post_page(client, 0, {}, "start").status_code == 302
    assert post_page(client, 1, ABOUT).status_code == 302
    assert post_page(client, 2, REASONS).status_code == 302
    assert post_page(client, 3, NEXT).status_code == 302
    return post_page(client, 4, STRATEGY, "submit")


def stored_answers(session) -> dict:
    rows = session.execute(select(Answer.question, Answer.value_text, Answer.value_num)).all()
    found: dict = {}
    for question, text_value, num in rows:
        found.setdefault(question, []).append(text_value if text_value is not None else num)
    return found


def test_invitation_link_redirects_and_hides_the_token(client, make_invitation):
    token = make_invitation()
    response = client.get(f"/s/{token}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/svar")
    assert token not in response.headers["Location"]
    cookie = client.get_cookie(DRAFT_COOKIE)
    assert cookie is not None and cookie.http_only


def test_whole_questionnaire_is_stored_once_with_its_version(client, session, make_invitation, app):
    token = make_invitation()
    response = answer_sluttsamtale(client, token)
    assert response.status_code == 302 and "/takk/testvik" in response.headers["Location"]
    thanks = client.get(response.headers["Location"])
    assert "Takk for svara dine" in thanks.get_data(as_text=True)

    stored = session.scalars(select(Response)).one()
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    assert stored.questionnaire_version_id is not None
    from survey_app.models import QuestionnaireVersion
    assert session.get(QuestionnaireVersion, stored.questionnaire_version_id).version == questionnaire.version
    answers = stored_answers(session)
    assert answers["main_reason"] == ["arbeidstid"]
    assert sorted(answers["other_reasons"]) == ["belastning", "lonn"]
    assert answers["position_now"] == [60.0] and answers["position_wanted"] == [100.0]
    assert answers["recommend"] == [6.0] and answers["leiing_expectations"] == [4.0]
    assert "final_comment" not in answers  # empty fields are not stored
    assert session.scalar(select(func.count()).select_from(ResponseDraft)) == 0
    assert session.scalars(select(Invitation)).one().status is InvitationStatus.used


def test_free_text_is_embedded_when_it_is_submitted(client, session, make_invitation):
    from analysis.embed import default_embedder, text_key
    from survey_app.models import AnswerEmbedding

    answer_sluttsamtale(client, make_invitation())
    texts = dict(session.execute(select(Answer.id, Answer.value_scrubbed).where(Answer.value_scrubbed.is_not(None))).all())
    stored = session.scalars(select(AnswerEmbedding)).all()
    assert sorted(e.answer_id for e in stored) == sorted(texts) and len(texts) == 2
    assert all(e.model_id == default_embedder().model_id and e.text_hash == text_key(texts[e.answer_id])
               for e in stored)


def test_an_answer_is_kept_when_embedding_it_fails(app, client, session, make_invitation, monkeypatch):
    """The embedding engine failing (here: it cannot be loaded) costs the answer nothing."""
    import analysis.embed
    from survey_app.models import AnswerEmbedding

    def engine_missing():
        raise OSError("the embedding engine cannot be loaded on this CPU")

    monkeypatch.setattr(analysis.embed, "default_embedder", engine_missing)
    monkeypatch.setattr("survey_app.services.embeddings.default_embedder", engine_missing)
    response = answer_sluttsamtale(client, make_invitation())
    assert response.status_code == 302 and "/takk/testvik" in response.headers["Location"]
    assert session.scalar(select(func.count()).select_from(Response)) == 1
    assert session.scalar(select(func.count()).select_from(AnswerEmbedding)) == 0


def test_resume_after_closing_the_browser(app, client, session, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    post_page(client, 0, {}, "start")
    post_page(client, 1, ABOUT)
    post_page(client, 2, {"main_reason": "leiing"})

    fresh_browser = app.test_client()  # no cookies: the browser was closed and its session lost
    assert fresh_browser.get("/svar").status_code == 404
    fresh_browser.get(f"/s/{token}")
    page = fresh_browser.get("/svar").get_data(as_text=True)
    assert "Vegen vidare" in page  # section 3, where the respondent left off
    assert "Velkomen tilbake" in page
    back = post_page(fresh_browser, 3, NEXT, "back")
    assert back.status_code == 302
    page = fresh_browser.get("/svar").get_data(as_text=True)
    assert 'value="leiing"\n                 checked' in page or 'value="leiing" checked' in " ".join(page.split())


def test_double_submit_stores_one_response(client, session, make_invitation):
    token = make_invitation()
    first = answer_sluttsamtale(client, token)
    second = post_page(client, 4, STRATEGY, "submit")  # the same button pressed again
    assert first.status_code == second.status_code == 302
    assert "/takk/" in second.headers["Location"]
    assert session.scalar(select(func.count()).select_from(Response)) == 1


def test_going_back_after_sending_says_the_answers_are_in(client, session, make_invitation):
    answer_sluttsamtale(client, make_invitation())
    back = client.get("/svar")  # the browser's back button, after the receipt
    page = back.get_data(as_text=True)
    assert back.status_code == 200 and "Svara dine er sende" in page and "Inga spørjeundersøking" not in page
    assert "/takk/testvik" in page


def test_open_and_personal_links_say_what_is_true_of_them(client, org, make_invitation):
    open_intro = client.get("/o/testvik/rekruttering").get_data(as_text=True)
    assert "berre brukast éin gong" not in open_intro and "kva svar som kom frå kva lenkje" not in open_intro
    assert "kven som gav kva svar" in open_intro
    client.get(f"/s/{make_invitation()}")
    personal = client.get("/svar").get_data(as_text=True)
    assert "Lenkja du fekk, er di: opne ho igjen" in personal


def test_submit_race_only_one_wins(app, session, make_invitation, client):
    token = make_invitation()
    client.get(f"/s/{token}")
    draft = session.scalars(select(ResponseDraft)).one()
    questionnaire = app.extensions["questionnaires"].get("sluttsamtale")
    draft.answers = {"main_reason": "lonn"}
    session.commit()
    from survey_app.services.responding import submit
    assert submit(session, draft.id, questionnaire) is not None
    assert submit(session, draft.id, questionnaire) is None
    assert session.scalar(select(func.count()).select_from(Response)) == 1


def test_used_link_says_so(client, make_invitation):
    token = make_invitation()
    answer_sluttsamtale(client, token)
    response = client.get(f"/s/{token}")
    assert response.status_code == 410
    assert "allereie brukt" in response.get_data(as_text=True)


def test_expired_link_says_so_and_drops_the_draft(client, session, make_invitation):
    token = make_invitation(days=-1)
    response = client.get(f"/s/{token}")
    assert response.status_code == 410
    assert "har gått ut" in response.get_data(as_text=True)
    assert session.scalars(select(Invitation)).one().status is InvitationStatus.expired


def test_unknown_link_is_a_friendly_404(client):
    response = client.get("/s/not-a-real-token")
    assert response.status_code == 404
    assert "kjende ikkje att" in response.get_data(as_text=True) or "recognise" in response.get_data(as_text=True)


def test_required_question_error_is_shown_next_to_the_field(client, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    post_page(client, 0, {}, "start")
    post_page(client, 1, ABOUT)
    response = post_page(client, 2, {"main_reason_text": "Noko"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="q-main_reason-error"' in html and "Svar på dette spørsmålet" in html
    assert 'aria-describedby="q-main_reason-error"' in html or "q-main_reason-error" in html.split("<fieldset")[1]
    assert 'role="alert"' in html and 'href="#q-main_reason-0"' in html
    assert "Noko" in html  # what was typed is kept
    # correcting the error moves on
    fixed = post_page(client, 2, {"main_reason": "lonn", "main_reason_text": "Noko"})
    assert fixed.status_code == 302


def test_invalid_values_are_rejected_per_type(client, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    post_page(client, 0, {}, "start")
    html = post_page(client, 1, {**ABOUT, "position_now": "mykje", "sector": "mars"}).get_data(as_text=True)
    assert "Skriv eit tal" in html and "Vel eitt av alternativa" in html
    html = post_page(client, 1, {**ABOUT, "position_now": "140"}).get_data(as_text=True)
    assert "høgst 100" in html


def test_oversized_text_gets_a_clear_error(app, client, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    post_page(client, 0, {}, "start")
    post_page(client, 1, ABOUT)
    limit = app.config["FREE_TEXT_MAX_LENGTH"]
    html = post_page(client, 2, {"main_reason": "lonn", "main_reason_text": "x" * (limit + 1)}).get_data(as_text=True)
    assert f"grensa er {limit}" in html
    assert f'maxlength="{limit}"' in html


def test_conditional_question_is_ignored_when_its_condition_fails(client, session, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    post_page(client, 0, {}, "start")
    post_page(client, 1, {**ABOUT, "wanted_larger": "no", "position_wanted": "100"})
    post_page(client, 2, REASONS)
    post_page(client, 3, NEXT)
    post_page(client, 4, STRATEGY, "submit")
    answers = stored_answers(session)
    assert answers["wanted_larger"] == ["no"]
    assert "position_wanted" not in answers


def test_changing_an_earlier_answer_drops_answers_that_no_longer_apply(client, session, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    post_page(client, 0, {}, "start")
    post_page(client, 1, ABOUT)
    post_page(client, 2, {**REASONS, "main_reason": "anna", "main_reason_other": "Anna grunn"})
    post_page(client, 3, NEXT, "back")
    post_page(client, 2, REASONS)  # main reason changed away from "anna"
    post_page(client, 3, NEXT)
    post_page(client, 4, STRATEGY, "submit")
    assert "main_reason_other" not in stored_answers(session)


def test_cannot_submit_with_required_answers_missing(client, session, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    post_page(client, 0, {}, "start")
    post_page(client, 1, ABOUT)
    post_page(client, 2, REASONS, "back")  # back skips the required check on page 2 ...
    post_page(client, 1, ABOUT)
    draft = session.scalars(select(ResponseDraft)).one()
    draft.page = 4
    answers = dict(draft.answers)
    answers.pop("main_reason", None)
    draft.answers = answers
    session.commit()
    response = post_page(client, 4, STRATEGY, "submit")  # ... so submit sends them back to it
    assert response.status_code == 302 and response.headers["Location"].endswith("/svar")
    assert "Kvifor du sluttar" in client.get("/svar").get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_language_can_be_switched_and_is_recorded(client, session, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    assert "Før du byrjar" in client.get("/svar").get_data(as_text=True)
    client.get("/svar?lang=en")
    html = client.get("/svar").get_data(as_text=True)
    assert '<html lang="en">' in html and "Before you start" in html and "Exit questionnaire" in html
    post_page(client, 0, {}, "start")
    post_page(client, 1, ABOUT)
    post_page(client, 2, REASONS)
    post_page(client, 3, NEXT)
    post_page(client, 4, STRATEGY, "submit")
    assert session.scalars(select(Response)).one().language == "en"


def test_bokmal_is_available(client, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    client.get("/svar?lang=nb")
    post_page(client, 0, {}, "start")
    html = client.get("/svar").get_data(as_text=True)
    assert '<html lang="nb">' in html and "Om deg og stillingen din" in html and "Neste" in html


def test_open_link_gives_an_anonymous_response(client, session, org):
    intro = client.get("/o/testvik/rekruttering")
    assert intro.status_code == 200 and "Korleis opplevde du tilsetjinga?" in intro.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(ResponseDraft)) == 0  # GET creates nothing
    assert client.post("/o/testvik/rekruttering", data={"lang": "nn"}).status_code == 302
    post_page(client, 1, {"channel": "nav", "ad_clarity": "5", "weeks_to_offer": "3"})
    response = post_page(client, 2, {"start_date": "01.09.2026", "recommend": "9"}, "submit")
    assert "/takk/testvik" in response.headers["Location"]
    stored = session.scalars(select(Response)).one()
    assert stored.channel.value == "open_link" and stored.unit_id is None
    assert stored_answers(session)["start_date"] == ["2026-09-01"]


def test_open_link_resumes_in_the_same_browser(client, org):
    client.post("/o/testvik/laerling", data={"lang": "nn"})
    post_page(client, 1, {"trade": "kontor"})
    again = client.get("/o/testvik/laerling")
    assert again.status_code == 302 and again.headers["Location"].endswith("/svar")
    assert "Opplæringa" in client.get("/svar").get_data(as_text=True)


def test_open_link_for_unknown_organisation_or_questionnaire_is_404(client, org):
    assert client.get("/o/nowhere/sluttsamtale").status_code == 404
    assert client.get("/o/testvik/nothing").status_code == 404


def test_response_row_cannot_be_linked_to_the_invitation(client, session, make_invitation):
    token = make_invitation()
    answer_sluttsamtale(client, token)
    columns = {c["name"] for c in inspect(session.get_bind()).get_columns("response")}
    assert columns == {"id", "organisation_id", "questionnaire_version_id", "unit_id", "language", "channel",
                       "submitted_on"}
    response = session.scalars(select(Response)).one()
    invitation = session.scalars(select(Invitation)).one()
    row_values = [str(getattr(response, c)) for c in columns]
    assert hash_token(token) not in row_values and token not in row_values
    assert type(response.submitted_on).__name__ == "date"  # a date, not a time of day
    assert {c["name"] for c in inspect(session.get_bind()).get_columns("invitation")}.isdisjoint({"response_id", "used_at"})
    assert invitation.status is InvitationStatus.used


def test_csrf_is_enforced(app, database_url, tmp_path, org):
    from config import TestingConfig
    from survey_app import create_app
    strict = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True},
                        instance_path=str(tmp_path / "strict"))
    client = strict.test_client()
    response = client.post("/o/testvik/laerling", data={"lang": "nn"})
    assert response.status_code == 400
    assert "Sida var gått ut på tid" in response.get_data(as_text=True)
    from tests.conftest import csrf_from
    token = csrf_from(client.get("/o/testvik/laerling").get_data(as_text=True))
    assert client.post("/o/testvik/laerling", data={"lang": "nn", "csrf_token": token}).status_code == 302
    with strict.app_context():
        db.engine.dispose()


def test_pages_are_not_cached(client, make_invitation):
    token = make_invitation()
    client.get(f"/s/{token}")
    post_page(client, 0, {}, "start")
    assert client.get("/svar").headers["Cache-Control"] == "no-store"


def test_expiry_is_checked_at_the_moment_of_use(client, session, make_invitation):
    token = make_invitation(days=1)
    invitation = session.scalars(select(Invitation)).one()
    invitation.expires_at = invitation.expires_at - timedelta(days=2)
    session.commit()
    assert client.get(f"/s/{token}").status_code == 410
