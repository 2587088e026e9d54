"""HR follow-up of invitations: how many were asked and how many answered, per closed quarter and
group (never who); sending now; letters."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from sqlalchemy import select

from survey_app.access import organisation_page
from survey_app.extensions import db
from survey_app.hr.views import bp
from survey_app.invitation_mail import compose
from survey_app.models import Invitation, InvitationStatus, Unit
from survey_app.models._time import today, utcnow
from survey_app.privacy import response_rate
from survey_app.privacy.groups import Release
from survey_app.privacy.periods import released_blocks, released_quarters
from survey_app.services import audit, invitations
from survey_app.services.released import FOLLOW_UP, follow_up_family, remembered
from survey_app.services.mail import Mailer, MailNotConfigured

def send_now() -> None:
    config = current_app.config
    try:
        with Mailer(config) as mailer:
            report = invitations.send_due(db.session, mailer, compose, config["SECRET_KEY"],
                                          config["PUBLIC_BASE_URL"], config, organisation_id=g.organisation.id)
    except MailNotConfigured:
        flash(_("E-mail is not set up on this server, so nothing was sent. Ask IT to configure it; until then, print letters."))
        return
    except OSError:
        flash(_("The mail server could not be reached. Nothing was sent; try again later."))
        return
    audit.record(db.session, "invitations_send", user_id=g.user.id, organisation_id=g.organisation.id,
                 sent=report.sent, reminders=report.reminders)
    flash(_("Sent %(sent)d invitations and %(reminders)d reminders. %(letters)d people have no e-mail address.",
            sent=report.sent, reminders=report.reminders, letters=report.without_email))
    if report.failed:
        flash(_("%(n)d e-mails could not be sent.", n=report.failed))


def _figure(result: Release, key) -> dict:
    """What one row shows: the counts and rate, or why not."""
    status = result.status(key) if key in result.sizes else "none"
    if status != "shown":
        return {"status": status}
    invited, yes, rate = response_rate(result.counts[key], result.sizes[key], result.minimum)
    if invited is None:  # enough invited, but fewer answered than the minimum: that count stays back
        return {"status": "few_answered"}
    return {"status": status, "invited": invited, "answered": yes, "rate": None if rate is None else round(rate)}


@bp.get("/org/<org_slug>/invitasjonar")
@organisation_page("hr")
def invitations_page():
    now = utcnow()
    minimum = g.organisation.min_group_size
    # Follow-up figures cover closed quarters only, like every other figure: an "answered" count
    # that moved the moment someone answered would tell who had just done so.
    quarters = released_quarters(today(), 8)
    period = request.args.get("period") if request.args.get("period") in quarters else quarters[0]
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.organisation_id == g.organisation.id))}
    result = remembered(db.session, g.organisation, FOLLOW_UP, "",
                        lambda seen: follow_up_family(db.session, g.organisation, units, minimum,
                                                      released_blocks(today(), 8), published=seen.own))
    registry = current_app.extensions["questionnaires"]
    keys = sorted({k[1] for k in result.sizes if k[0] == "questionnaire" and k[2] == period})
    by_questionnaire = [(registry.get(k).title(str(get_locale())) if registry.get(k) else k,
                         _figure(result, ("questionnaire", k, period))) for k in keys]
    tree = []
    sectors = sorted({key[1] for key in result.sizes if key[0] == "sector" and key[2] == period},
                     key=lambda s: (s is None, units[s].name if s is not None else ""))
    for sector in sectors:
        tree.append((units[sector].name if sector is not None else _("Unit not known"), 0,
                     _figure(result, ("sector", sector, period))))
        members = sorted((key[1] for key in result.sizes if key[0] == "unit" and key[2] == period
                          and units[key[1]].sector.id == sector), key=lambda u: units[u].name)
        for unit_id in members:
            label = units[unit_id].name if unit_id != sector else _("%(name)s (the sector itself)",
                                                                     name=units[unit_id].name)
            tree.append((label, 1, _figure(result, ("unit", unit_id, period))))
    by_quarter = [(q, _figure(result, ("org", q))) for q in quarters]
    waiting = len([i for i in db.session.scalars(select(Invitation).where(
        Invitation.organisation_id == g.organisation.id, Invitation.status == InvitationStatus.created,
        Invitation.sent_at.is_(None), Invitation.expires_at > now))])
    email_works = bool(current_app.config.get("MAIL_SERVER"))
    letters_due = len(invitations.letter_invitations(db.session, g.organisation, now=now, email_works=email_works))
    printed = len(invitations.letter_invitations(db.session, g.organisation, printed=True, now=now,
                                                 email_works=email_works))
    return render_template("hr/invitations.html", by_questionnaire=by_questionnaire, tree=tree,
                           total=_figure(result, ("org", period)), by_quarter=by_quarter,
                           quarters=quarters, period=period, waiting=waiting, letters_due=letters_due,
                           printed=printed, letters_error=request.args.get("error"),
                           minimum=minimum, mail_configured=bool(current_app.config.get("MAIL_SERVER")))


@bp.post("/org/<org_slug>/invitasjonar/send")
@organisation_page("hr")
def invitations_send():
    send_now()
    return redirect(url_for("hr.invitations_page", org_slug=g.organisation.slug))


@bp.post("/org/<org_slug>/invitasjonar/brev")
@organisation_page("hr")
def invitations_letters():
    again = request.form.get("again") == "yes"
    if again and request.form.get("confirm") != "yes":
        return redirect(url_for("hr.invitations_page", org_slug=g.organisation.slug, error="confirm") + "#again")
    letters = invitations.issue_letter_codes(db.session, g.organisation, again=again,
                                             email_works=bool(current_app.config.get("MAIL_SERVER")))
    audit.record(db.session, "letters_print", user_id=g.user.id, organisation_id=g.organisation.id, letters=len(letters),
                 again=again)
    if not letters:
        flash(_("Nobody is waiting for a letter."))
        return redirect(url_for("hr.invitations_page", org_slug=g.organisation.slug))
    registry = current_app.extensions["questionnaires"]
    return render_template("hr/letters.html", letters=letters, registry=registry,
                           code_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("respond.letter_code"))
