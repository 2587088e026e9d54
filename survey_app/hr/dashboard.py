"""Results: the dashboard for HR and leaders, and every table as CSV or XLSX."""
from __future__ import annotations

from flask import Response, abort, current_app, g, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from survey_app.access import organisation_page
from survey_app.charts import bar_chart
from survey_app.extensions import db
from survey_app.hr.views import bp
from survey_app.models._time import today
from survey_app.periods import quarters_up_to
from survey_app.privacy import comment_minimum
from survey_app.privacy.periods import released_quarters
from survey_app.services import accounts, audit, dashboard, figures as people_figures, spreadsheets

SPANS = (1, 4, 8)
# The newest answers per free-text question on the page; the cause analysis reads them all.
FREE_TEXTS_SHOWN = 200


def _scope() -> dashboard.Scope:
    registry = current_app.extensions["questionnaires"]
    questionnaire = registry.get(request.args.get("q", "sluttsamtale")) or registry.get("sluttsamtale")
    # Closed quarters only: a running quarter would change the moment someone answers.
    choices = released_quarters(today(), 12)
    period = request.args.get("period") if request.args.get("period") in choices else choices[0]
    try:
        span = int(request.args.get("span", 4))
    except ValueError:
        span = 4
    span = span if span in SPANS else 4
    by_options = ["sector", "unit", "none"] + [f"q:{q.name}" for q in dashboard.breakdown_choices(questionnaire)]
    by = request.args.get("by") if request.args.get("by") in by_options else "sector"
    unit_ids = None
    if not g.access.has("hr", "admin"):  # a leader sees their own units and those under them
        unit_ids = frozenset(accounts.units_below(db.session, g.organisation.id, g.access.leader_units))
    language = str(g.get("lang") or g.organisation.written_standard)
    scope = dashboard.Scope(g.organisation, questionnaire, quarters_up_to(period, span), by, unit_ids, language)
    scope.choices = {"periods": choices, "by": by_options, "span": span}
    return scope


def _tables(scope: dashboard.Scope):
    minimum = g.organisation.min_group_size
    units = dashboard.units_of(db.session, g.organisation)
    tables = [dashboard.build_table(db.session, scope, q, units, minimum)
              for q in dashboard.counted_questions(scope.questionnaire) if q.name != scope.by_question]
    trends = [dashboard.trend_table(db.session, scope, q, minimum) for q in scope.questionnaire.questions
              if q.name in ("main_reason", "other_reasons")]
    return tables, trends, units


@bp.get("/org/<org_slug>/resultat")
@organisation_page("hr", "leader", "admin")
def results():
    scope = _scope()
    minimum = g.organisation.min_group_size
    tables, trends, units = _tables(scope)
    figures = people_figures.key_figures(db.session, scope, minimum)
    turnover = people_figures.turnover(db.session, scope, units, minimum)
    charts = {}
    for table in tables:
        items = [(label, table.percent(key, dashboard.TOTAL)) for key, label in table.row_labels]
        charts[table.id] = bar_chart(f"chart-{table.id}", table.title, items, _("hidden"))
    texts = {}
    if g.access.has("hr"):  # free text is for HR only, never for leaders
        for question in scope.questionnaire.questions:
            if question.type == "long_text":
                texts[question.name] = (question.text(scope.language),
                                        dashboard.free_texts(db.session, scope, question, comment_minimum(minimum),
                                                             limit=FREE_TEXTS_SHOWN))
        audit.record(db.session, "view_free_text", user_id=g.user.id, organisation_id=g.organisation.id,
                     answers=sum(len(t[1]) for _, t in texts.values() if t))
    registry = current_app.extensions["questionnaires"]
    by_labels = {"sector": _("Sector"), "unit": _("Unit"), "none": _("No breakdown")}
    for question in dashboard.breakdown_choices(scope.questionnaire):
        by_labels[f"q:{question.name}"] = question.text(scope.language)
    hidden = Markup('<span class="hidden-value">%s</span>') % _("hidden")
    return render_template("hr/results.html", scope=scope, tables=tables, trends=trends, figures=figures,
                           n=lambda value: hidden if value is None else value,
                           pct=lambda value: "–" if value is None else f"{value:.0f} %",
                           turnover=turnover, charts=charts, texts=texts, registry=registry, by_labels=by_labels,
                           total=dashboard.TOTAL, minimum=minimum, spans=SPANS,
                           export_args={k: v for k, v in request.args.items() if k in ("q", "period", "span", "by")})


@bp.get("/org/<org_slug>/resultat/eksport.<fmt>")
@organisation_page("hr", "leader", "admin")
def results_export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    scope = _scope()
    tables, trends, units = _tables(scope)
    wanted = request.args.get("table")
    hidden = _("hidden")
    if wanted == "turnover":
        table_id = "turnover"
        rows = [[_("Sector"), _("Leavers"), _("Headcount"), _("Turnover")]]
        for row in people_figures.turnover(db.session, scope, units, g.organisation.min_group_size):
            rows.append([("  " * row["depth"]) + (row["label"] or _("Total")),
                         hidden if row["leavers"] is None else row["leavers"], row["headcount"] or "",
                         "" if row["rate"] is None else round(row["rate"], 1)])
    else:
        table = next((t for t in tables + trends if t.id == wanted), None)
        if table is None:
            abort(404)
        table_id = table.id
        rows = [[table.title] + [group.label or _("Total") for group in table.groups]]
        for key, label in table.row_labels:
            rows.append([label] + [hidden if table.cells.get((key, group.key)) is None
                                   else table.cells[(key, group.key)] for group in table.groups])
        rows.append([_("Respondents")] + [hidden if table.totals.get(group.key) is None else table.totals[group.key]
                                          for group in table.groups])
    audit.record(db.session, "export", user_id=g.user.id, organisation_id=g.organisation.id, table=table_id[:40],
                 format=fmt)
    filename = f"kvifor-{g.organisation.slug}-{table_id}-{scope.periods[-1]}.{fmt}"
    if fmt == "csv":
        return Response(spreadsheets.to_csv(rows), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    return Response(spreadsheets.to_xlsx(rows, table_id),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
