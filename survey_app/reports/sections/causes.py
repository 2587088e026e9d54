"""Why people leave: the main reason over eight quarters, other reasons, causes read from the free
text, and the main reason by sector."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _

from survey_app.period_names import quarter_name, quarter_short
from survey_app.reports.context import EXIT, ReportContext
from survey_app.reports.layout import partition_chart, table
from survey_app.reports.sections.common import basis, dashboard_table, trend_as_table


def build(ctx: ReportContext) -> dict:
    if ctx.exit is None:
        return {}
    main = ctx.main_reason
    trend = trend_as_table(ctx, "main_reason_trend", _("Main reason for leaving, by quarter"), main)
    main_chart = partition_chart("main_reason_chart", _("Main reason for leaving, %(quarter)s (share of answers)",
                                                        quarter=quarter_name(ctx.period)), main, ctx.period)
    other = trend_as_table(ctx, "other_reasons_trend", _("Other reasons that mattered, by quarter"),
                           ctx.trend(EXIT, "other_reasons"))
    by_sector = dashboard_table("main_reason_sector", _("Main reason for leaving by sector, %(quarter)s",
                                                        quarter=quarter_name(ctx.period)),
                                ctx.gated_table(EXIT, "main_reason", by="sector"))
    n, _status = ctx.respondents(EXIT, [ctx.period])
    return {"trend": trend, "chart": main_chart, "other": other, "free_text": free_text_causes(ctx),
            "by_sector": by_sector,
            "basis": basis(n, _("answers to the exit questionnaire"), quarter_name(ctx.period))}


def free_text_causes(ctx: ReportContext) -> dict | None:
    """Causes the analysis read from the free text, per quarter: each quarter's writers are a group."""
    view = ctx.why
    if view.run is None:
        return None
    counts: dict = defaultdict(int)
    for _theme, cause, period, _value in view.rows:
        counts[(cause, period)] += 1
    status = [view.status(("quarter", q)) for q in ctx.quarters]
    question = ctx.exit.question("main_reason")
    causes = [c for c in question.choice_values if c != "anna"]
    causes += sorted({c for c, _p in counts if c not in causes})
    rows = []
    for cause in causes:
        if not any(counts.get((cause, q)) for q in ctx.quarters):
            continue
        label = question.choice_text(cause, ctx.language) if cause in question.choice_values else _("Unclear")
        rows.append({"label": label, "values": [counts.get((cause, q), 0) if st == "shown" else None
                                                for q, st in zip(ctx.quarters, status)]})
    rows.append({"label": _("Free-text answers"), "strong": True,
                 "values": [sum(counts.get((c, q), 0) for c in causes) if st == "shown" else None
                            for q, st in zip(ctx.quarters, status)]})
    return table("free_text_causes", _("Causes found in the free-text answers, by quarter"),
                 [quarter_short(q) for q in ctx.quarters], rows, status=status)
