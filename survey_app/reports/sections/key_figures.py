"""The summary's key figures: the quarter beside the one before and the same quarter a year earlier."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import quarter_name
from survey_app.reports.context import ReportContext
from survey_app.reports.layout import table
from survey_app.reports.sections import people


def build(ctx: ReportContext) -> dict:
    wanted = [ctx.last_year, ctx.previous, ctx.period]
    by_quarter = {label: ctx.quarter_figures(label) for label in wanted}
    yearly = people.yearly_turnover(ctx)
    rows = [
        {"label": _("People who left (from the HR system)"), "values": [by_quarter[q]["leavers"] for q in wanted]},
        {"label": _("Exit questionnaires answered"), "values": [by_quarter[q]["responses"] for q in wanted],
         "status": [by_quarter[q]["responses_status"] for q in wanted]},
        {"label": _("Response rate for invitations sent"), "values": [by_quarter[q]["response_rate"] for q in wanted],
         "bases": [[by_quarter[q]["answered"], by_quarter[q]["invited"]] for q in wanted], "fmt": "pct",
         "status": [by_quarter[q]["rate_status"] for q in wanted]},
        {"label": _("Turnover (leavers as a share of employees)"), "values": [by_quarter[q]["turnover"] for q in wanted],
         "fmt": "pct1", "status": [by_quarter[q]["turnover_status"] for q in wanted]},
        {"label": _("Turnover over the last four quarters (yearly rate)"),
         "values": [None, None, yearly["rate"]], "fmt": "pct1", "status": ["empty", "empty", yearly["status"]]},
        {"label": _("New hires (from the HR system)"), "values": [by_quarter[q]["new_hires"] for q in wanted]},
    ]
    return table("key_figures", _("Key figures"), [quarter_name(q) for q in wanted], rows)
