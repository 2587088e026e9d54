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
from survey_app.privacy import Line, suppress_lines
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
    values: dict = {}
    lines = []
    rows = []
    sectors: dict[int, list] = defaultdict(list)
    for unit_id in by_unit:
        if unit_id is not None:
            sectors[units[unit_id].sector.id].append(unit_id)
    for sector_id in sorted(sectors, key=lambda s: units[s].name):
        children = sorted((u for u in sectors[sector_id] if u != sector_id), key=lambda u: units[u].name)
        for status in STATUSES:
            values[(sector_id, status)] = sum(by_unit[u][status] for u in sectors[sector_id])
            for child in children:
                values[(child, status)] = by_unit[child][status]
            if children:
                members = tuple((u, status) for u in sectors[sector_id] if u != sector_id)
                if sector_id in by_unit:  # invitations placed on the sector itself are a member too
                    values[("own", sector_id, status)] = by_unit[sector_id][status]
                    members += (("own", sector_id, status),)
                lines.append(Line(members, (sector_id, status)))
        rows.append((units[sector_id].name, 0, sector_id))
        rows.extend((units[child].name, 1, child) for child in children)
    shown = suppress_lines(values, lines, minimum)
    return [(name, depth, {s: shown[(key, s)] for s in STATUSES}) for name, depth, key in rows]


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
