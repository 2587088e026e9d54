"""Results: the dashboard for HR and leaders, and every table as CSV or XLSX."""
from __future__ import annotations

import re

from flask import Response, abort, current_app, g, render_template, request, session, url_for
from babel.numbers import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from survey_app.access import organisation_page
from survey_app.charts import bar_chart
from survey_app.extensions import db
from survey_app.hr.views import bp, readable_units
from survey_app.models._time import today
from survey_app.privacy import comment_minimum, response_rate
from survey_app.period_names import block_name
from survey_app.privacy.periods import released_blocks
from survey_app.services import accounts, audit, dashboard, figures as people_figures, released, spreadsheets

# Free-text answers listed per question on the page; the cause analysis reads them all.
FREE_TEXTS_SHOWN = 200


FILTERS = ("q", "period", "by", "unit")


def filters() -> dict:
    """The filters chosen on any results page (questionnaire, period, breakdown, unit), kept for
    the organisation in the session: they travel to the other results pages and into exports."""
    kept = session.setdefault("filters", {})
    stored = dict(kept.get(str(g.organisation.id), {}))
    chosen = {key: request.args[key] for key in FILTERS if key in request.args}
    if chosen:
        stored.update(chosen)
        kept[str(g.organisation.id)] = stored
        session.modified = True
    return stored


def reader_units(chosen: dict) -> tuple[frozenset | None, list, str]:
    """The units this reader sees (None: the whole organisation), the units they may filter on
    (id, name, depth) and the unit chosen ("" for all). A unit stands for itself and every unit
    below it; a leader's choice stays within their own units."""
    allowed = readable_units()
    units = dashboard.units_of(db.session, g.organisation)
    options = []
    for sector in sorted({u.sector for u in units.values()}, key=lambda u: u.name):
        members = sorted((u for u in units.values() if u.sector.id == sector.id and u.id != sector.id),
                         key=lambda u: u.name)
        options += [(u.id, u.name, depth) for u, depth in [(sector, 0)] + [(m, 1) for m in members]
                    if allowed is None or u.id in allowed]
    unit = str(chosen.get("unit") or "")
    if not unit.isdigit() or int(unit) not in {o[0] for o in options}:
        return allowed, options, ""
    below = frozenset(accounts.units_below(db.session, g.organisation.id, frozenset({int(unit)})))
    return (below if allowed is None else below & allowed), options, unit


def _scope() -> dashboard.Scope:
    registry = current_app.extensions["questionnaires"]
    chosen_filters = filters()
    questionnaire = registry.get(chosen_filters.get("q", "sluttsamtale")) or registry.get("sluttsamtale")
    # Closed quarters only, in fixed blocks: a running quarter would change the moment someone
    # answers, and windows ending at any quarter would overlap and give hidden quarters away.
    blocks = released_blocks(today(), 8)
    chosen = next((b for b in blocks if b.label == chosen_filters.get("period")), blocks[0])
    by_options = ["sector", "unit", "none"] + [f"q:{q.name}" for q in dashboard.breakdown_choices(questionnaire)]
    by = chosen_filters.get("by") if chosen_filters.get("by") in by_options else "sector"
    # A unit filter is a reader scope of its own, released like a leader's (laid over the
    # organisation's release), so a unit's figures cannot be subtracted from the whole's.
    unit_ids, unit_options, unit = reader_units(chosen_filters)
    language = str(g.get("lang") or g.organisation.written_standard)
    scope = dashboard.Scope(g.organisation, questionnaire, list(chosen.quarters), by, unit_ids, language,
                            block=chosen.label)
    scope.choices = {"periods": [(b.label, block_name(b, quarter_label=True)) for b in blocks], "by": by_options,
                     "blocks": blocks, "units": unit_options, "unit": unit}
    return scope


def _leavers(scope: dashboard.Scope, units, minimum: int):
    """Leavers from the HR system per block, released for this reader (and remembered)."""
    if getattr(scope, "leavers", None) is None:
        scope.leavers = released.leavers_for(db.session, g.organisation, scope.unit_ids, scope.choices["blocks"],
                                             minimum)
    return scope.leavers


def _tables(scope: dashboard.Scope):
    """Every table of the page, through the group gate: one release for the unit tree (and the
    trends), one for the background question broken down by, each over every block on offer."""
    minimum = g.organisation.min_group_size
    units = dashboard.units_of(db.session, g.organisation)
    blocks = scope.choices["blocks"]
    family = released.respondent_family(db.session, g.organisation, scope.questionnaire, units, scope.unit_ids,
                                        blocks, minimum)
    unit_family = family
    # A question is never crossed with itself, nor one that mirrors the unit tree with that tree
    # (the sector the respondent names, broken down by sector, is a diagonal of 100 %).
    tables = [dashboard.build_table(db.session, scope, q, units, minimum, release=family)
              for q in dashboard.counted_questions(scope.questionnaire)
              if q.name != scope.by_question and not (q.data.get("mirrors") == "unit_tree"
                                                      and scope.by in ("sector", "unit"))]
    trends = [dashboard.trend_table(db.session, scope, q, minimum, 8, release=unit_family)
              for q in scope.questionnaire.questions if q.name in ("main_reason", "other_reasons")]
    scope.release = unit_family
    return tables, trends, units


@bp.get("/org/<org_slug>/resultat")
@organisation_page("hr", "leader", "admin")
def results():
    scope = _scope()
    minimum = g.organisation.min_group_size
    tables, trends, units = _tables(scope)
    turnover = people_figures.turnover(db.session, scope, units, minimum, _leavers(scope, units, minimum)
                                       .status(("org", scope.periods[-1])) == "shown")
    charts = {}
    for table in tables:
        items = [(label, table.percent(key, dashboard.TOTAL)) for key, label in table.row_labels]
        charts[table.id] = bar_chart(f"chart-{table.id}", table.title, items, _("hidden"))
    texts = {}
    if g.access.has("hr"):  # free text is for HR only, never for leaders
        for question in scope.questionnaire.questions:
            if question.type == "long_text":
                found = dashboard.free_texts(db.session, scope, question, comment_minimum(minimum),
                                             limit=FREE_TEXTS_SHOWN)
                # A half-year's or year's list less the lists of its quarters would leave the answers
                # of a quarter too small to list: such a list waits until every quarter can be listed.
                if found and len(scope.periods) > 1 and any(
                        0 < dashboard.writers(db.session, dashboard.Scope(
                            scope.organisation, scope.questionnaire, [q], "none", scope.unit_ids), question)
                        < comment_minimum(minimum) for q in scope.periods):
                    found = None
                texts[question.name] = (question.text(scope.language), found)
        audit.record(db.session, "view_free_text", user_id=g.user.id, organisation_id=g.organisation.id,
                     answers=sum(len(t[1]) for _, t in texts.values() if t))
    registry = current_app.extensions["questionnaires"]
    by_labels = {"sector": _("Sector"), "unit": _("Unit"), "none": _("No breakdown")}
    for question in dashboard.breakdown_choices(scope.questionnaire):
        by_labels[f"q:{question.name}"] = question.text(scope.language)
    hidden = Markup('<span class="hidden-value">%s</span>') % _("hidden")
    # Invited and answered through the same release as the invitations page, so that a year here
    # less the quarters there gives nothing away.
    blocks = scope.choices["blocks"]
    follow_up = released.follow_up_for(db.session, g.organisation, units, scope.unit_ids, blocks, minimum)
    leavers = _leavers(scope, units, minimum)
    key = ("questionnaire", scope.questionnaire.key, scope.block)
    if key not in follow_up.sizes:  # nobody was invited to this questionnaire in the block
        invited = (0, 0, None)
    elif follow_up.status(key) == "shown":
        invited = response_rate(follow_up.counts[key], follow_up.sizes[key], minimum)
    else:
        invited = (None, None, None)
    figures = people_figures.KeyFigures(
        responses=scope.release.count(("org", scope.block)), invited=invited[0], answered_invitations=invited[1],
        leavers=leavers.count(("org", scope.block)),
        response_rate=invited[2])

    cause_links = _cause_links(scope) if g.access.has("hr") and scope.questionnaire.key == "sluttsamtale" else {}
    return render_template("hr/results.html", scope=scope, tables=tables, trends=trends, figures=figures,
                           cause_links=cause_links,
                           **_table_formatters(minimum, hidden),
                           turnover=turnover, charts=charts, texts=texts, registry=registry, by_labels=by_labels,
                           total=dashboard.TOTAL, minimum=minimum,
                           export_args={"q": scope.questionnaire.key, "period": scope.block, "by": scope.by,
                                        "unit": scope.choices["unit"]})


def _cause_links(scope: dashboard.Scope) -> dict:
    """Each main reason to its page in the newest analysis run up to the period shown (drill-down
    from a figure to the words behind it)."""
    from sqlalchemy import select

    from survey_app.models import AnalysisRun
    run_id = db.session.scalar(select(AnalysisRun.id).where(
        AnalysisRun.organisation_id == g.organisation.id, AnalysisRun.questionnaire_key == "sluttsamtale",
        AnalysisRun.question == "main_reason_text", AnalysisRun.period <= scope.periods[-1]).order_by(AnalysisRun.period.desc(), AnalysisRun.id.desc()))
    if run_id is None:
        return {}
    question = scope.questionnaire.question("main_reason")
    return {value: url_for("hr.cause", org_slug=g.organisation.slug, run_id=run_id, cause=value)
            for value in question.choice_values}


def _table_formatters(minimum: int, hidden) -> dict:
    """What the answer tables need to print a cell: a count, a share, an average, whether a group
    is shown and why not; plain functions, as a page by unit has thousands of cells."""
    language = str(g.get("lang") or g.organisation.written_standard)

    def shown(table, key) -> bool:
        return table.status.get(key, "shown") == "shown"

    def reason(table, key):
        return group_reasons(minimum)[table.status[key]]
    return {"n": lambda value: hidden if value is None else value,
            "pct": lambda value: "–" if value is None else f"{format_decimal(round(value), locale=language)}\u00a0%",
            "number": lambda value: format_decimal(round(value, 1), format="#,##0.0", locale=language),
            "shown": shown, "reason": reason}


TREND_STEPS = ("quarter", "half")


@bp.get("/org/<org_slug>/resultat/trendar")
@organisation_page("hr", "leader", "admin")
def trends():
    """Every question's answers period by period (eight quarters or the half-years in them), each
    period a group shown whole or not at all, with a chart of the question's one headline measure."""
    registry = current_app.extensions["questionnaires"]
    chosen_filters = filters()
    questionnaire = registry.get(chosen_filters.get("q", "sluttsamtale")) or registry.get("sluttsamtale")
    step = request.args.get("step") if request.args.get("step") in TREND_STEPS else "quarter"
    unit_ids, unit_options, unit = reader_units(chosen_filters)
    language = str(g.get("lang") or g.organisation.written_standard)
    minimum = g.organisation.min_group_size
    blocks = released_blocks(today(), 8)
    chosen = sorted((b for b in blocks if b.kind == step), key=lambda b: b.quarters[0])
    units = dashboard.units_of(db.session, g.organisation)
    release = released.respondent_family(db.session, g.organisation, questionnaire, units, unit_ids, blocks, minimum)
    scopes = [dashboard.Scope(g.organisation, questionnaire, list(b.quarters), "none", unit_ids, language,
                              block=b.label) for b in chosen]
    names = {b.label: block_name(b, quarter_label=True) for b in chosen}
    hidden = Markup('<span class="hidden-value">%s</span>') % _("hidden")
    questions = []
    for number, question in enumerate(dashboard.counted_questions(questionnaire)):
        table = dashboard.block_trend(db.session, scopes, question, units, minimum, release)
        for group in table.groups:
            group.label = names[group.key]
        measure, answer, values = dashboard.headline(table, question)
        if measure == "mean":
            title = _("Average, %(question)s", question=table.title)
            fmt = lambda value: format_decimal(round(value, 1), format="#,##0.0", locale=language)  # noqa: E731
        elif measure == "favourable":
            title = _("Agree (4 or 5): %(question)s", question=table.title)
            fmt = None
        else:
            label = dict(table.row_labels).get(answer, "")
            title = _("Share who answered “%(answer)s”: %(question)s", answer=label, question=table.title)
            fmt = None
        chart = bar_chart(f"trend-{number}", title, [(names[c], v) for c, v in values.items()],
                          _("not shown"), format_value=fmt)
        questions.append((table, chart, title))
    return render_template("hr/trends.html", questionnaire=questionnaire, registry=registry, step=step,
                           questions=questions, language=language, minimum=minimum,
                           unit_options=unit_options, unit=unit, leader=not g.access.has("hr", "admin"),
                           **_table_formatters(minimum, hidden))


def group_reasons(minimum: int) -> dict:
    return {"small": _("fewer than %(n)d answers", n=minimum), "withheld": _("held back to protect a smaller group")}


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
        # The page indents units under their sector; a sheet names the sector in a column of its own.
        rows = [[_("Unit"), _("Sector"), _("Leavers"), _("Headcount"), _("Turnover (%)")]]
        minimum = g.organisation.min_group_size
        sector = ""
        for row in people_figures.turnover(db.session, scope, units, minimum, _leavers(scope, units, minimum)
                                           .status(("org", scope.periods[-1])) == "shown"):
            if row["depth"] == 0:
                sector = row["label"] or ""
            rows.append([row["label"] or _("Total"), sector if row["depth"] else "",
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
        reasons = group_reasons(g.organisation.min_group_size)
        rows.append([_("Respondents")] + [reasons[table.status[group.key]] if table.status.get(group.key, "shown") != "shown"
                                          else hidden if table.totals.get(group.key) is None else table.totals[group.key]
                                          for group in table.groups])
    audit.record(db.session, "export", user_id=g.user.id, organisation_id=g.organisation.id, table=table_id[:40],
                 format=fmt)
    # A file of one unit says so in its name: two downloads must never look like the same table.
    unit = scope.choices["unit"]
    part = "-" + re.sub(r"[^A-Za-z0-9_-]", "", units[int(unit)].code) if unit and int(unit) in units else ""
    filename = f"kvifor-{g.organisation.slug}{part}-{table_id}-{scope.block}.{fmt}"
    if fmt == "csv":
        return Response(spreadsheets.to_csv(rows), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    return Response(spreadsheets.to_xlsx(rows, table_id),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
