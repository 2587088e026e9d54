"""Respondent pages. No login: a personal link, an open link, or a resumed draft."""
from __future__ import annotations

from flask import (
    Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request, url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from survey_app import limits
from survey_app.definitions.answers import first_incomplete_section, parse_page
from survey_app.extensions import db
from survey_app.i18n import requested_language
from survey_app.models import Organisation, ResponseDraft
from survey_app.respond.messages import error_message
from survey_app.respond.rendering import question_html
from survey_app.services import questionnaires as questionnaire_service
from survey_app.services.embeddings import embed_submitted
from survey_app.services.invitations import find_by_letter_code
from survey_app.services.responding import (
    LinkState, find_draft, save_answers, start_from_invitation, start_invitation, start_open, submit,
)

bp = Blueprint("respond", __name__)

DRAFT_COOKIE = "kvifor_draft"


def registry():
    return current_app.extensions["questionnaires"]


def questionnaire_for_version(version_id: int):
    cache = current_app.extensions.setdefault("questionnaire_versions", {})
    return questionnaire_service.questionnaire_for_version(db.session, version_id, cache)


SENT_COOKIE = "kvifor_sent"  # the organisation of answers just sent from this browser, for a day


def _sent(response, organisation_slug: str):
    """The draft is gone and the answers are in: going back to the questionnaire should say so,
    not that nothing was started. The cookie holds the organisation only, for one day."""
    response.delete_cookie(DRAFT_COOKIE)
    response.set_cookie(SENT_COOKIE, organisation_slug, max_age=86400, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _with_draft_cookie(response, key: str):
    response.set_cookie(
        DRAFT_COOKIE, key, max_age=current_app.config["DRAFT_COOKIE_DAYS"] * 86400,
        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.get("/s/<token>")
def invitation(token: str):
    limits.check("link")
    return _begin(start_from_invitation(db.session, token, registry()))


@bp.route("/kode", methods=["GET", "POST"])
def letter_code():
    """For people who got a letter instead of an e-mail: type the code from the letter."""
    error = None
    if request.method == "POST":
        limits.check("code")
        code = (request.form.get("code") or "")[:40]
        invitation = find_by_letter_code(db.session, code)
        if invitation is not None:
            return _begin(start_invitation(db.session, invitation, registry()))
        error = _("We did not recognise this code. Check that you typed all twelve letters and digits.")
    return render_template("respond/code.html", error=error), 400 if error else 200


def _begin(started):
    g.organisation = started.organisation
    if started.state is not LinkState.ok:
        return _link_problem(started.state)
    if started.draft.page > 0:
        flash(_("Welcome back. Your answers so far are saved; you can carry on where you left off."))
    # Redirect so the token leaves the address bar and the browser history.
    return _with_draft_cookie(redirect(url_for("respond.page")), started.key)


def _link_problem(state: LinkState):
    status = {LinkState.unknown: 404, LinkState.used: 410, LinkState.expired: 410}[state]
    return render_template("respond/link_problem.html", state=state.value), status


@bp.route("/o/<org_slug>/<questionnaire_key>", methods=["GET", "POST"])
def open_link(org_slug: str, questionnaire_key: str):
    organisation = db.session.scalars(select(Organisation).filter_by(slug=org_slug)).first()
    questionnaire = registry().get(questionnaire_key)
    if organisation is None or questionnaire is None:
        abort(404)
    g.organisation = organisation
    existing = find_draft(db.session, request.cookies.get(DRAFT_COOKIE))
    if existing is not None and existing.organisation_id == organisation.id and \
            questionnaire_for_version(existing.questionnaire_version_id).key == questionnaire.key:
        return redirect(url_for("respond.page"))
    language = requested_language() or request.form.get("lang") or organisation.written_standard
    if language not in questionnaire.languages:
        language = organisation.written_standard
    g.lang = language
    if request.method == "POST":
        started = start_open(db.session, organisation, questionnaire, language)
        started.draft.page = 1
        db.session.commit()
        return _with_draft_cookie(redirect(url_for("respond.page")), started.key)
    return render_template(
        "respond/intro.html", questionnaire=questionnaire, organisation=organisation, lang=language,
        form_action=url_for("respond.open_link", org_slug=org_slug, questionnaire_key=questionnaire_key),
    )


@bp.route("/svar", methods=["GET", "POST"])
def page():
    draft = find_draft(db.session, request.cookies.get(DRAFT_COOKIE))
    if draft is None:
        org_slug = request.form.get("org")
        if request.method == "POST" and request.form.get("action") == "submit" and org_slug:
            # A repeated submit of a questionnaire that is already in: show the same receipt.
            return redirect(url_for("respond.thanks", org_slug=org_slug, lang=request.form.get("lang")))
        sent = request.cookies.get(SENT_COOKIE)
        if sent:
            return render_template("respond/link_problem.html", state="sent",
                                   thanks=url_for("respond.thanks", org_slug=sent))
        return render_template("respond/link_problem.html", state="no_draft"), 404

    organisation = draft.organisation
    questionnaire = questionnaire_for_version(draft.questionnaire_version_id)
    g.organisation = organisation

    wanted = requested_language()
    if wanted and wanted in questionnaire.languages and wanted != draft.language:
        draft.language = wanted
        db.session.commit()
    g.lang = draft.language

    if request.method == "GET":
        return _render_page(draft, questionnaire, organisation, draft.page, draft.answers or {})
    try:
        return _handle_post(draft, questionnaire, organisation)
    except (ObjectDeletedError, StaleDataError):
        # Another request (a second press of "send", another tab) submitted this draft while this
        # one was working on it: the questionnaire is in, so this request gets the same receipt.
        db.session.rollback()
        return _sent(redirect(url_for("respond.thanks", org_slug=organisation.slug, lang=g.lang)), organisation.slug)


def _handle_post(draft: ResponseDraft, questionnaire, organisation):
    sections = questionnaire.sections
    action = request.form.get("action", "next")
    try:
        posted = int(request.form.get("page", draft.page))
    except ValueError:
        posted = draft.page
    posted = max(0, min(posted, len(sections)))

    if posted == 0:
        save_answers(db.session, draft, {}, [], 1)
        return redirect(url_for("respond.page"))

    section = sections[posted - 1]
    names = [q.name for q in section.questions]
    result = parse_page(questionnaire, section, request.form, draft.answers or {},
                        limits=_text_limits(), enforce_required=(action != "back"))
    if action == "back":
        save_answers(db.session, draft, result.values, names, posted - 1)
        return redirect(url_for("respond.page"))
    if not result.ok:
        # Keep what was valid, show what was typed, and stay on the page.
        save_answers(db.session, draft, result.values, names, posted)
        return _render_page(draft, questionnaire, organisation, posted, request.form, errors=result.errors)
    if action == "submit" and posted == len(sections):
        save_answers(db.session, draft, result.values, names, posted)
        missing = first_incomplete_section(questionnaire, draft.answers)
        if missing is not None:
            save_answers(db.session, draft, {}, [], missing + 1)
            flash(_("Some required questions are not answered yet. Please answer them before you send."))
            return redirect(url_for("respond.page"))
        lang, draft_id = draft.language, draft.id
        response = submit(db.session, draft_id, questionnaire)
        if response is not None and current_app.config["EMBED_AT_SUBMIT"]:
            embed_submitted(db.session, response)
        return _sent(redirect(url_for("respond.thanks", org_slug=organisation.slug, lang=lang)), organisation.slug)
    save_answers(db.session, draft, result.values, names, min(posted + 1, len(sections)))
    return redirect(url_for("respond.page"))


def _text_limits() -> dict[str, int]:
    return {"text": current_app.config["SHORT_TEXT_MAX_LENGTH"], "long_text": current_app.config["FREE_TEXT_MAX_LENGTH"]}


def _form_values(source) -> dict[str, list[str]]:
    """Both a posted form and stored answers become name -> list of strings for the templates."""
    if hasattr(source, "getlist"):
        return {name: source.getlist(name) for name in source.keys()}
    values = {}
    for name, value in source.items():
        items = value if isinstance(value, list) else [value]
        values[name] = [_as_text(v) for v in items]
    return values


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _render_page(draft, questionnaire, organisation, page_index: int, source, errors=None):
    if page_index == 0:
        return render_template(
            "respond/intro.html", questionnaire=questionnaire, organisation=organisation,
            lang=draft.language, form_action=url_for("respond.page"), personal_link=draft.invitation_id is not None,
        )
    sections = questionnaire.sections
    page_index = min(page_index, len(sections))
    section = sections[page_index - 1]
    lang, values, limits = draft.language, _form_values(source), _text_limits()
    messages = {name: error_message(err) for name, err in (errors or {}).items()}

    def one_question(question):
        return question_html(questionnaire.version, question, lang, values.get(question.name, []),
                             messages.get(question.name), limits)
    html = render_template(
        "respond/page.html", questionnaire=questionnaire, organisation=organisation, section=section,
        page=page_index, page_count=len(sections), lang=lang, errors=messages, question_html=one_question,
        confidential=draft.person_id is not None,
    )
    response = make_response(html)
    # Answers may be personal: never let a shared computer's cache keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/takk/<org_slug>")
def thanks(org_slug: str):
    organisation = db.session.scalars(select(Organisation).filter_by(slug=org_slug)).first()
    if organisation is None:
        abort(404)
    g.organisation = organisation
    return render_template("respond/thanks.html", organisation=organisation)
