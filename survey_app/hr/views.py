"""HR pages. Each view reads the request, calls a service, renders; access is checked by
``organisation_page`` and every view of free text is written to the audit log."""
from __future__ import annotations

from collections import Counter

from babel.numbers import format_decimal
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app.access import get_in_organisation, login_required, organisation_page
from survey_app.extensions import db
from survey_app.hr.forms import MergeThemeForm, MoveAnswerForm, QuoteForm, RenameThemeForm, RunAnalysisForm
from survey_app.i18n import requested_language
from survey_app.models import AnalysedAnswer, AnalysisRun, Answer, Theme
from survey_app.models._time import today
from survey_app.period_names import quarter_name
from survey_app.privacy.periods import released_quarters
from survey_app.privacy import comment_minimum
from survey_app.services import accounts, audit
from survey_app.written import other_standard, standard_name
from survey_app.services import overview as overview_figures
from survey_app.services.analysis_runs import (
    CROSS_BY, MIN_QUOTE_GROUP, ReviewError, crosstab, merge_themes, move_answer, rename_theme, run_analysis,
    RUN, run_gate, set_quote_usable, shown_theme_sizes, theme_sizes,
)

bp = Blueprint("hr", __name__)


@bp.before_app_request
def remember_language():
    # Staff choose a language once, and every page keeps it (error pages too); respondents' pages
    # decide per draft instead, which overrides this.
    chosen = requested_language()
    if chosen:
        session["lang"] = chosen
    if session.get("lang"):
        g.lang = session["lang"]


def review_error_message(code: str) -> str:
    return {
        "empty_label": _("A theme needs a name."),
        "merge_other_run": _("Themes can only be merged within the same analysis."),
        "quote_group_too_small": _("Only answers in a theme of at least %(n)d answers can be used as quotes.",
                                   n=MIN_QUOTE_GROUP),
        "quote_not_scrubbed": _("This answer has not been checked for personal data and cannot be used."),
    }.get(code, _("That could not be done."))


def cause_names() -> dict[str, str]:
    questionnaire = current_app.extensions["questionnaires"].get("sluttsamtale")
    lang = str(g.get("lang") or (g.organisation.written_standard if g.get("organisation") else "nn"))
    names = {c["value"]: c["text"].get(lang, c["value"]) for c in questionnaire.question("main_reason").choices}
    names["uncertain"] = _("Uncertain")
    return names


def cross_labels(by: str) -> dict[str, str]:
    """Readable names for the cross-table's columns and for the choice of breakdown."""
    questionnaire = current_app.extensions["questionnaires"].get("sluttsamtale")
    lang = str(g.get("lang") or g.organisation.written_standard)
    labels = {"sector": _("Sector"), "recommend": _("Would recommend the municipality (0–10)"),
              "critic": _("0–6 (critics)"), "passive": _("7–8"), "recommender": _("9–10 (recommenders)"),
              "under_50": "< 50 %", "p50_79": "50–79 %", "p80_99": "80–99 %", "p100": "100 %"}
    for name in CROSS_BY:
        try:
            question = questionnaire.question(name)
        except KeyError:
            continue
        labels.setdefault(name, question.text(lang))
        for value in question.choice_values:
            labels.setdefault(value, question.choice_text(value, lang) if question.type != "yes_no"
                              else {"yes": _("Yes"), "no": _("No")}[value])
    return labels


@bp.app_template_filter("role_name")
def role_name(role: str) -> str:
    return {"admin": _("administrator"), "hr": _("HR"), "leader": _("leader"), "committee": _("committee member"),
            "host_admin": _("host administrator")}.get(role, role)


@bp.get("/heim")
@login_required
def home():
    memberships = accounts.organisations_of(db.session, g.user)
    if len(memberships) == 1 and not g.user.is_host_admin:
        return redirect(url_for("hr.overview", org_slug=memberships[0][0].slug))
    return render_template("hr/home.html", memberships=memberships)


def readable_units() -> frozenset | None:
    """The units whose figures this reader may see: None for HR and admins (the whole
    organisation), a leader's own units and those under them."""
    if g.access.has("hr", "admin"):
        return None
    return frozenset(accounts.units_below(db.session, g.organisation.id, g.access.leader_units))


@bp.get("/org/<org_slug>/")
@organisation_page("admin", "hr", "leader", "committee")
def overview():
    found = None
    if g.access.has("hr", "leader", "admin"):
        found = overview_figures.build(db.session, g.organisation, current_app.extensions["questionnaires"],
                                       readable_units(), _locale(), today())
    minimum = g.organisation.min_group_size
    return render_template("hr/overview.html", overview=found, describe=_describe, link=_link,
                           hidden_text=_("not shown: fewer than %(n)d answers, or held back to protect a smaller group",
                                         n=minimum),
                           value_text=_value_text, change_text=_change_text, quarter_name=quarter_name)


# Each fixed overview figure's name and one-line definition (called at render time, in the reader's language).
FIGURE_TEXTS = {
    "leavers": lambda: (_("Leavers"), _("People whose employment ended in the quarter, as imported from the HR system.")),
    "turnover": lambda: (_("Turnover"), _("Leavers in the quarter as a share of the headcount imported for it.")),
    "responses:sluttsamtale": lambda: (
        _("Exit questionnaires answered"),
        _("Everyone who answered the exit questionnaire in the quarter, invited or by the open link.")),
    "recommend": lambda: (_("Would recommend us (0–10)"),
                          _("The average answer to whether they would recommend us as an employer, from 0 to 10.")),
    "pillar:leiing": lambda: (_("Leadership (agree)"),
                              _("Share of answers 4 or 5 (agree, strongly agree) to the statements on leadership.")),
    "pillar:medarbeidarskap": lambda: (_("Co-workership (agree)"),
                                       _("Share of answers 4 or 5 to the statements on co-workership.")),
    "pillar:kompetanse": lambda: (_("Competence (agree)"), _("Share of answers 4 or 5 to the statements on competence.")),
    "pillar:endringskraft": lambda: (_("Capacity for change (agree)"),
                                     _("Share of answers 4 or 5 to the statements on change.")),
    "onboarding:under_3": lambda: (
        _("New starters, first months (agree)"),
        _("Share of answers 4 or 5 in the onboarding check-in from those employed under 3 months.")),
    "onboarding:m3_9": lambda: (
        _("New starters, 3–9 months (agree)"),
        _("Share of answers 4 or 5 in the onboarding check-in from those employed 3–9 months.")),
}


def _describe(figure) -> tuple[str, str]:
    """The figure's name and one-line definition."""
    kind, _sep, _detail = figure.id.partition(":")
    if kind == "response_rate":
        return (_("Response rate: %(questionnaire)s", questionnaire=figure.label),
                _("Of those invited in the quarter, the share who answered in the same quarter."))
    if kind == "cause":
        return (_("Main reason: %(cause)s", cause=figure.label),
                _("The share of those who answered who gave this as their main reason for leaving."))
    return FIGURE_TEXTS[figure.id]()


def _link(figure) -> str:
    args = dict(figure.link)
    return url_for(args.pop("endpoint"), org_slug=g.organisation.slug, **args)


def _locale() -> str:
    return str(g.get("lang") or g.organisation.written_standard)


def _value_text(figure, value) -> str:
    if value is None or not value.shown:
        return "–"
    if figure.kind == "percent" and figure.decimals:
        return f"{format_decimal(round(value.value, 1), format='#,##0.0', locale=_locale())}\u00a0%"
    if figure.kind == "percent":
        return f"{format_decimal(round(value.value), locale=_locale())}\u00a0%"
    if figure.kind == "score":
        return format_decimal(round(value.value, 1), format="#,##0.0", locale=_locale())
    return format_decimal(value.value, locale=_locale())


def _change_text(figure, than: str) -> str | None:
    """A signed change ("+3 percentage points", "−0,4", "±0"), or None where either is not shown."""
    change = figure.change(than)
    if change is None:
        return None
    if figure.kind == "score" or figure.decimals:
        change = round(change, 1)
        text = format_decimal(abs(change), format="#,##0.0", locale=_locale())
    else:
        change = round(change)
        text = format_decimal(abs(change), locale=_locale())
    sign = "+" if change > 0 else "\u2212" if change < 0 else "\u00b1"
    if figure.kind == "percent":
        return _("%(change)s percentage points", change=sign + text)
    return sign + text


def _run_or_404(run_id: int) -> AnalysisRun:
    return get_in_organisation(AnalysisRun, run_id, g.organisation.id)


def _theme_or_404(run: AnalysisRun, theme_id: int) -> Theme:
    return get_in_organisation(Theme, theme_id, owner=lambda theme: theme.run_id == run.id)


@bp.route("/org/<org_slug>/analyse", methods=["GET", "POST"])
@organisation_page("hr")
def analysis_runs():
    form = RunAnalysisForm()
    quarters = released_quarters(today(), 8)
    form.period.choices = [(q, q) for q in quarters]
    if request.method == "GET":
        form.period.data = quarters[0]
    if form.validate_on_submit():
        run = run_analysis(db.session, g.organisation, form.period.data, question=form.question.data)
        audit.record(db.session, "analysis_run", user_id=g.user.id, organisation_id=g.organisation.id, run=run.id)
        flash(_("The analysis is done: %(n)d answers, %(k)d themes.", n=run.answer_count, k=len(run.themes)))
        return redirect(url_for("hr.analysis_run", org_slug=g.organisation.slug, run_id=run.id))
    runs = db.session.scalars(select(AnalysisRun).where(AnalysisRun.organisation_id == g.organisation.id)
                              .order_by(AnalysisRun.created_at.desc(), AnalysisRun.id.desc())).all()
    return render_template("hr/analysis_runs.html", form=form, runs=runs, questions=dict(form.question.choices),
                           minimum=g.organisation.min_group_size), 400 if form.errors else 200


@bp.get("/org/<org_slug>/analyse/<int:run_id>")
@organisation_page("hr")
def analysis_run(run_id: int):
    run = _run_or_404(run_id)
    minimum = g.organisation.min_group_size
    sizes = theme_sizes(db.session, run)
    rows = db.session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.run_id == run.id)).all()
    in_period = [r for r in rows if r.period == run.period]
    # One release for the run's writers: all of them, and each quarter's; a shown group shows its
    # whole distribution over causes and themes.
    gated = run_gate(db.session, run, minimum)
    gate = gated[1]
    causes = Counter(r.cause for r in rows) if gate.status((RUN,)) == "shown" else {}
    causes_period = (Counter(r.cause for r in in_period) if gate.status(("quarter", run.period)) == "shown"
                     else None)
    themes = [(theme, sizes.get(theme.id, 0)) for theme in run.themes]
    theme_counts = shown_theme_sizes(db.session, run, minimum, gate)
    quotes = {}
    if run.answer_count >= MIN_QUOTE_GROUP:
        # Quotes only from themes that are lists of comments in their own right.
        representative = [r for r in rows if r.representative and r.theme_id
                          and sizes.get(r.theme_id, 0) >= comment_minimum(minimum)]
        texts = dict(db.session.execute(select(Answer.id, Answer.value_scrubbed)
                                        .where(Answer.id.in_([r.answer_id for r in representative]))).all())
        for r in representative:
            text = texts.get(r.answer_id)
            # The same words from two people (or one person twice) are one example, not two.
            if text and text not in quotes.setdefault(r.theme_id, []):
                quotes[r.theme_id].append(text)
        audit.record(db.session, "view_free_text", user_id=g.user.id, organisation_id=g.organisation.id,
                     run=run.id, answers=len(representative))
    what = request.args.get("what") if request.args.get("what") in ("theme", "cause") else "cause"
    by = request.args.get("by") if request.args.get("by") in CROSS_BY else "sector"
    names = cause_names()  # the questionnaire's cause codes, in its order, then "uncertain"
    cross = crosstab(db.session, run, what, by, minimum, gated)
    labels = cross_labels(by)
    order = list(labels)  # the questionnaire's own order of choices, then the bands
    cross.columns.sort(key=lambda c: order.index(c) if c in order else len(order))
    return render_template("hr/analysis_run.html", run=run, themes=themes, theme_counts=theme_counts,
                           cross=cross, cross_what=what, cross_by=by, cross_options=CROSS_BY,
                           cross_labels=labels,
                           causes=causes, causes_period=causes_period, cause_names=names,
                           cause_order=list(names), quotes=quotes,
                           unassigned=sum(1 for r in rows if not r.theme_id) if causes else 0,
                           run_total=len(rows) if gate.status((RUN,)) == "shown" else None,
                           run_state=gate.status((RUN,)),
                           period_total=len(in_period) if causes_period is not None else None,
                           minimum=minimum, min_quote=comment_minimum(minimum))


@bp.get("/org/<org_slug>/analyse/<int:run_id>/tema/<int:theme_id>")
@organisation_page("hr")
def theme(run_id: int, theme_id: int):
    run = _run_or_404(run_id)
    current = _theme_or_404(run, theme_id)
    rows = db.session.scalars(select(AnalysedAnswer).where(AnalysedAnswer.theme_id == current.id)
                              .order_by(AnalysedAnswer.representative.desc(), AnalysedAnswer.id)).all()
    texts = {}
    minimum = g.organisation.min_group_size
    shown_size = shown_theme_sizes(db.session, run, minimum)[current.id]
    # A theme's answers are a list of comments: they need as many writers as any other such list.
    if len(rows) >= comment_minimum(minimum):
        texts = dict(db.session.execute(select(Answer.id, Answer.value_scrubbed)
                                        .where(Answer.id.in_([r.answer_id for r in rows]))).all())
        audit.record(db.session, "view_free_text", user_id=g.user.id, organisation_id=g.organisation.id,
                     run=run.id, theme=current.id, answers=len(rows))
    others = [(t.id, t.label) for t in run.themes if t.id != current.id]
    other = other_standard(g.organisation.written_standard)
    rename = RenameThemeForm(label=current.label, other_label=(current.translations or {}).get(other, ""))
    rename.other_label.label.text = _("Name in %(standard)s (optional)", standard=standard_name(other))
    merge = MergeThemeForm()
    merge.other.choices = others
    move_choices = [(t.id, t.label) for t in run.themes] + [(0, _("No theme"))]
    return render_template("hr/theme.html", run=run, theme=current, rows=rows, texts=texts, rename=rename,
                           merge=merge, move_choices=move_choices, size=shown_size, minimum=minimum,
                           min_quote=comment_minimum(minimum),
                           cause_names=cause_names())


def _back_to_theme(run: AnalysisRun, theme: Theme | None):
    if theme is None:
        return redirect(url_for("hr.analysis_run", org_slug=g.organisation.slug, run_id=run.id))
    return redirect(url_for("hr.theme", org_slug=g.organisation.slug, run_id=run.id, theme_id=theme.id))


@bp.post("/org/<org_slug>/analyse/<int:run_id>/tema/<int:theme_id>/namn")
@organisation_page("hr")
def rename(run_id: int, theme_id: int):
    run = _run_or_404(run_id)
    current = _theme_or_404(run, theme_id)
    form = RenameThemeForm()
    try:
        if not form.validate():
            raise ReviewError("empty_label")
        rename_theme(db.session, current, form.label.data,
                     (other_standard(g.organisation.written_standard), form.other_label.data or ""))
        audit.record(db.session, "theme_rename", user_id=g.user.id, organisation_id=g.organisation.id, theme=current.id)
        flash(_("The theme is renamed."))
    except ReviewError as error:
        flash(review_error_message(str(error)))
    return _back_to_theme(run, current)


@bp.post("/org/<org_slug>/analyse/<int:run_id>/tema/<int:theme_id>/slå-saman")
@organisation_page("hr")
def merge(run_id: int, theme_id: int):
    run = _run_or_404(run_id)
    absorbed = _theme_or_404(run, theme_id)
    form = MergeThemeForm()
    form.other.choices = [(t.id, t.label) for t in run.themes if t.id != absorbed.id]
    if not form.validate():
        flash(review_error_message("merge_other_run"))
        return _back_to_theme(run, absorbed)
    keep = _theme_or_404(run, form.other.data)
    merge_themes(db.session, keep, absorbed)
    audit.record(db.session, "theme_merge", user_id=g.user.id, organisation_id=g.organisation.id,
                 theme=keep.id, merged=theme_id)
    flash(_("The themes are merged."))
    return _back_to_theme(run, keep)


def _row_or_404(run: AnalysisRun, value) -> AnalysedAnswer:
    return get_in_organisation(AnalysedAnswer, value, owner=lambda row: row.run_id == run.id)


@bp.post("/org/<org_slug>/analyse/<int:run_id>/flytt")
@organisation_page("hr")
def move(run_id: int):
    run = _run_or_404(run_id)
    form = MoveAnswerForm()
    form.theme.choices = [(t.id, t.label) for t in run.themes] + [(0, "")]
    row = _row_or_404(run, form.row.data)
    origin = row.theme
    if form.validate():
        target = _theme_or_404(run, form.theme.data) if form.theme.data else None
        move_answer(db.session, row, target)
        audit.record(db.session, "answer_move", user_id=g.user.id, organisation_id=g.organisation.id, row=row.id)
        flash(_("The answer is moved."))
    return _back_to_theme(run, origin)


@bp.post("/org/<org_slug>/analyse/<int:run_id>/sitat")
@organisation_page("hr")
def quote(run_id: int):
    run = _run_or_404(run_id)
    form = QuoteForm()
    row = _row_or_404(run, form.row.data)
    try:
        set_quote_usable(db.session, row, bool(form.usable.data))
        audit.record(db.session, "quote_mark", user_id=g.user.id, organisation_id=g.organisation.id, row=row.id,
                     usable=bool(form.usable.data))
        flash(_("Marked as usable in reports.") if form.usable.data else _("No longer marked as usable."))
    except ReviewError as error:
        flash(review_error_message(str(error)))
    return _back_to_theme(run, row.theme)
