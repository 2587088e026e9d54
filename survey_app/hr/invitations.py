"""HR follow-up of invitations: who has been asked, opened, answered; sending now; letters."""
from __future__ import annotations

from collections import Counter, defaultdict

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app.access import organisation_page
from survey_app.extensions import db
from survey_app.hr.views import bp
from survey_app.invitation_mail import compose
from survey_app.models import Invitation, InvitationStatus, Unit
from survey_app.models._time import utcnow
from survey_app.periods import quarter_label
from survey_app.privacy import suppress_tree
from survey_app.services import audit, invitations
from survey_app.services.mail import Mailer, MailNotConfigured

STATUSES = ("waiting", "sent", "opened", "used", "expired")


def status_of(invitation: Invitation, now) -> str:
    if invitation.status is InvitationStatus.created and (invitation.send_after or now) > now:
        return "waiting"
    if invitation.status is InvitationStatus.created:
        return "sent" if invitation.sent_to == "letter" else "waiting"
    return invitation.status.value


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


def follow_up_tree(by_unit: dict, units: dict, minimum: int) -> list[tuple[str, int, dict]]:
    """Rows (name, depth, status -> count) for sectors and their units. Follow-up counts describe
    people, so they go through the privacy gate like results: units add up to their sector."""
    known = [u for u in by_unit if u is not None]
    parent_of = {u: units[u].sector.id for u in known}
    shown = {status: suppress_tree({u: by_unit[u][status] for u in known}, parent_of, minimum, with_total=False)
             for status in STATUSES}
    rows = []
    for sector_id in sorted(set(parent_of.values()), key=lambda s: units[s].name):
        rows.append((units[sector_id].name, 0, ("parent", sector_id)))
        children = sorted((u for u in known if parent_of[u] == sector_id and u != sector_id),
                          key=lambda u: units[u].name)
        rows.extend((units[child].name, 1, ("leaf", child)) for child in children)
    return [(name, depth, {s: shown[s][key] for s in STATUSES}) for name, depth, key in rows]


@bp.get("/org/<org_slug>/invitasjonar")
@organisation_page("hr")
def invitations_page():
    now = utcnow()
    minimum = g.organisation.min_group_size
    rows = db.session.scalars(select(Invitation).where(Invitation.organisation_id == g.organisation.id)).all()
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.organisation_id == g.organisation.id))}
    by_questionnaire: dict[str, Counter] = defaultdict(Counter)
    by_unit: dict[int | None, Counter] = defaultdict(Counter)
    by_quarter: dict[str, Counter] = defaultdict(Counter)
    for invitation in rows:
        status = status_of(invitation, now)
        by_questionnaire[invitation.questionnaire_key][status] += 1
        by_unit[invitation.unit_id if invitation.unit_id in units else None][status] += 1
        if invitation.sent_at:
            by_quarter[quarter_label(invitation.sent_at.date())]["invited"] += 1
            by_quarter[quarter_label(invitation.sent_at.date())]["answered"] += status == "used"
    tree = follow_up_tree(by_unit, units, minimum)
    quarters = []
    for quarter in sorted(by_quarter):
        counts = by_quarter[quarter]
        answered, invited = counts["answered"], counts["invited"]
        # A rate is two counts in disguise: those who answered and those who did not must both be
        # empty or at least a minimum group.
        safe = invited >= minimum and all(n == 0 or n >= minimum for n in (answered, invited - answered))
        rate = round(100 * answered / invited) if safe else None
        quarters.append((quarter, counts["invited"] if counts["invited"] >= minimum else None, rate))
    letters_due = len([i for i in rows if i.status is InvitationStatus.created and i.person_id
                       and (i.send_after or now) <= now and i.expires_at > now and i.sent_to is None])
    registry = current_app.extensions["questionnaires"]
    return render_template("hr/invitations.html", statuses=STATUSES, by_questionnaire=by_questionnaire,
                           tree=tree, quarters=quarters, letters_due=letters_due, registry=registry,
                           mail_configured=bool(current_app.config.get("MAIL_SERVER")))


@bp.post("/org/<org_slug>/invitasjonar/send")
@organisation_page("hr")
def invitations_send():
    send_now()
    return redirect(url_for("hr.invitations_page", org_slug=g.organisation.slug))


@bp.post("/org/<org_slug>/invitasjonar/brev")
@organisation_page("hr")
def invitations_letters():
    letters = invitations.issue_letter_codes(db.session, g.organisation)
    audit.record(db.session, "letters_print", user_id=g.user.id, organisation_id=g.organisation.id, letters=len(letters))
    if not letters:
        flash(_("Nobody is waiting for a letter."))
        return redirect(url_for("hr.invitations_page", org_slug=g.organisation.slug))
    registry = current_app.extensions["questionnaires"]
    return render_template("hr/letters.html", letters=letters, registry=registry,
                           code_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("respond.letter_code"))
