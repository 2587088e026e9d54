"""The actions register: HR records what was decided about a cause or a theme; the quarterly
report follows the cause from the quarter before the action started."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from survey_app.access import get_in_organisation, organisation_page
from survey_app.extensions import db
from survey_app.hr.forms import ActionForm
from survey_app.hr.views import bp, cause_names
from survey_app.models import Action
from survey_app.services import actions as service, audit
from survey_app.written import other_standard, standard_name


def _form(action: Action | None = None) -> ActionForm:
    form = ActionForm(obj=action)
    causes = cause_names()
    questionnaire = current_app.extensions["questionnaires"].get("sluttsamtale")
    choices = [("", _("None chosen"))]
    choices += [(f"cause:{value}", _("Cause: %(name)s", name=causes[value]))
                for value in questionnaire.question("main_reason").choice_values if value != "anna"]
    labels = service.theme_labels(db.session, g.organisation)
    if action is not None and action.theme_label and action.theme_label not in labels:
        labels.append(action.theme_label)  # a theme from an older analysis stays selectable
    choices += [(f"theme:{label}", _("Theme: %(name)s", name=label)) for label in labels]
    form.target.choices = choices
    other = other_standard(g.organisation.written_standard)
    form.other_title.label.text = _("What will be done, in %(standard)s (optional)", standard=standard_name(other))
    form.other_description.label.text = _("More about the action, in %(standard)s (optional)",
                                          standard=standard_name(other))
    form.other_title.description = _("The report in %(standard)s prints this; without it, it prints the text above "
                                     "and says which written standard it is in.", standard=standard_name(other))
    if action is not None and not form.is_submitted():
        form.target.data = service.target_value(action)
        written = (action.translations or {}).get(other) or {}
        form.other_title.data, form.other_description.data = written.get("title", ""), written.get("description", "")
    return form


@bp.route("/org/<org_slug>/tiltak", methods=["GET", "POST"])
@organisation_page("hr")
def actions():
    form = _form()
    if form.validate_on_submit():
        action = service.save(db.session, g.organisation, None, form.data)
        audit.record(db.session, "action_created", user_id=g.user.id, organisation_id=g.organisation.id,
                     action_id=action.id)
        flash(_("The action is registered."))
        return redirect(url_for("hr.actions", org_slug=g.organisation.slug))
    return render_template("hr/actions.html", form=form, actions=service.list_actions(db.session, g.organisation),
                           causes=cause_names()), (400 if form.errors else 200)


@bp.route("/org/<org_slug>/tiltak/<action_id>", methods=["GET", "POST"])
@organisation_page("hr")
def action_edit(action_id):
    action = get_in_organisation(Action, action_id, g.organisation.id)
    form = _form(action)
    if form.validate_on_submit():
        service.save(db.session, g.organisation, action, form.data)
        audit.record(db.session, "action_updated", user_id=g.user.id, organisation_id=g.organisation.id,
                     action_id=action.id)
        flash(_("The action is updated."))
        return redirect(url_for("hr.actions", org_slug=g.organisation.slug))
    return render_template("hr/action_edit.html", form=form, action=action), (400 if form.errors else 200)
