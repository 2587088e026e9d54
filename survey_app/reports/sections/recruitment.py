"""Recruitment: how new employees found the job and how the hiring went for them."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import block_name
from survey_app.reports.context import ReportContext
from survey_app.reports.layout import partition_chart
from survey_app.reports.sections.common import basis, dashboard_table, likert_table
from survey_app.services.dashboard import TOTAL

HIRING = "rekruttering"


def build(ctx: ReportContext) -> dict:
    hiring = ctx.registry.get(HIRING)
    if hiring is None:
        return {}
    block = ctx.latest_block(HIRING)
    channel = ctx.gated_table(HIRING, "channel", block=block)
    recommend = ctx.gated_table(HIRING, "recommend", block=block)
    names = [q.name for q in hiring.questions if q.type == "likert5"]
    n, _status = ctx.respondents(HIRING, list(block.quarters))
    return {"block_name": block_name(block),
            "channel": dashboard_table("channel", _("How new employees found the job, %(period)s",
                                                    period=block_name(block)), channel),
            "channel_chart": partition_chart("channel_chart", _("How new employees found the job, %(period)s "
                                                                "(share of answers)", period=block_name(block)),
                                             channel, TOTAL),
            "experience": likert_table(ctx, "hiring_experience", _("The hiring experience, %(period)s",
                                                                   period=block_name(block)), HIRING, names,
                                       block=block),
            "recommend": {"n": recommend.totals.get(TOTAL), "mean": recommend.extra.get("mean", {}).get(TOTAL),
                          "net": recommend.extra.get("net", {}).get(TOTAL)},
            "basis": basis(n, _("answers to the hiring questionnaire"), block_name(block))}
