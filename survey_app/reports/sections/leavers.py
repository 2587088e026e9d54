"""Who leaves: age, and whether they chose to go or a fixed term or retirement ended the job."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import quarter_name
from survey_app.privacy import share
from survey_app.reports.context import EXIT, ReportContext
from survey_app.reports.layout import partition_chart
from survey_app.reports.sections.common import basis, dashboard_table
from survey_app.services.dashboard import TOTAL

VOLUNTARY = ("resigned",)


def voluntary(ctx: ReportContext) -> dict:
    """Those who resigned themselves among those who said how their job ended."""
    source = ctx.gated_table(EXIT, "voluntary")
    n = source.totals.get(TOTAL) if source is not None else None
    count = source.cells.get(("resigned", TOTAL)) if source is not None else None
    return {"resigned": count, "answered": n, "share": share(count, n) if count is not None and n else None}


def build(ctx: ReportContext) -> dict:
    if ctx.exit is None:
        return {}
    age = ctx.gated_table(EXIT, "age_band")
    ending = ctx.gated_table(EXIT, "voluntary")
    n, _status = ctx.respondents(EXIT, [ctx.period])
    return {"age": dashboard_table("age_band", _("Those who left by age, %(quarter)s",
                                                 quarter=quarter_name(ctx.period)), age),
            "age_chart": partition_chart("age_chart", _("Those who left by age, %(quarter)s (share of answers)",
                                                        quarter=quarter_name(ctx.period)), age, TOTAL,
                                         ordered=True),
            "ending": dashboard_table("ending", _("How the employment ended, %(quarter)s",
                                                  quarter=quarter_name(ctx.period)), ending),
            "voluntary": voluntary(ctx),
            "basis": basis(n, _("answers to the exit questionnaire"), quarter_name(ctx.period))}
