"""Apprentices: few a quarter, so their answers are pooled over the latest fixed block with enough."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import block_name, quarter_name
from survey_app.reports.context import ReportContext
from survey_app.reports.sections.common import basis, dashboard_table, likert_table

APPRENTICES = "laerling"


def build(ctx: ReportContext) -> dict:
    questionnaire = ctx.registry.get(APPRENTICES)
    if questionnaire is None:
        return {}
    chosen = ctx.latest_block(APPRENTICES)
    names = [q.name for q in questionnaire.questions if q.type == "likert5"]
    n, _status = ctx.respondents(APPRENTICES, list(chosen.quarters))
    return {"periods": [quarter_name(chosen.quarters[0]), quarter_name(chosen.quarters[-1])],
            "block": chosen.label, "block_name": block_name(chosen),
            "experience": likert_table(ctx, "apprentice_experience", _("Apprentices: training and belonging"),
                                       APPRENTICES, names, block=chosen),
            "offered": dashboard_table("offered_job", questionnaire.question("offered_job").text(ctx.language),
                                       ctx.gated_table(APPRENTICES, "offered_job", block=chosen)),
            "wants": dashboard_table("wants_job", questionnaire.question("wants_job").text(ctx.language),
                                     ctx.gated_table(APPRENTICES, "wants_job", block=chosen)),
            "basis": basis(n, _("answers to the apprentice questionnaire"), block_name(chosen))}
