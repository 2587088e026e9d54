"""What the method section says about the analysis run the free-text figures come from."""
from __future__ import annotations

from survey_app.period_names import quarter_name
from survey_app.reports.context import ReportContext


def run_summary(ctx: ReportContext) -> dict | None:
    run = ctx.run
    if run is None:
        return None
    return {"id": run.id, "period": run.period, "first_period": run.first_period,
            "first_period_name": quarter_name(run.first_period),
            "created_at": run.created_at.date().isoformat(), "code_version": run.code_version,
            "answers": run.answer_count, "trained": run.trained, "themes": len(run.themes)}
