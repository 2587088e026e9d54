"""Where leavers go, and what they would say of the municipality as an employer."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import quarter_name
from survey_app.reports.context import EXIT, ReportContext
from survey_app.reports.layout import partition_chart
from survey_app.reports.sections.common import basis, dashboard_table
from survey_app.services.dashboard import TOTAL


def build(ctx: ReportContext) -> dict:
    if ctx.exit is None:
        return {}
    source = ctx.gated_table(EXIT, "destination")
    recommend = ctx.gated_table(EXIT, "recommend")
    come_back = ctx.gated_table(EXIT, "come_back")
    return {"table": dashboard_table("destination", _("What those who left will do next"), source),
            "chart": partition_chart("destination_chart", _("What those who left will do next, %(quarter)s "
                                                            "(share of answers)", quarter=quarter_name(ctx.period)),
                                     source, TOTAL),
            "recommend": {"n": recommend.totals.get(TOTAL), "mean": recommend.extra.get("mean", {}).get(TOTAL),
                          "net": recommend.extra.get("net", {}).get(TOTAL),
                          "status": recommend.status.get(TOTAL, "small")},
            "come_back": dashboard_table("come_back", ctx.exit.question("come_back").text(ctx.language), come_back),
            "basis": basis(source.totals.get(TOTAL), _("answers to the exit questionnaire"),
                           quarter_name(ctx.period))}
