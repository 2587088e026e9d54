"""Full-time culture (heiltidskultur): position sizes of those who left and who wanted a larger one."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import quarter_name
from survey_app.privacy import share
from survey_app.reports.context import EXIT, ReportContext
from survey_app.reports.sections.common import basis, dashboard_table
from survey_app.services.dashboard import TOTAL

PART_TIME_BANDS = ("under_50", "p50_79", "p80_99")
NOTHING = {"part_time": None, "wanted_larger": None, "no": None, "share": None}


def build(ctx: ReportContext) -> dict:
    if ctx.exit is None:
        return {}
    position = ctx.gated_table(EXIT, "position_now", by="sector")
    wanted = ctx.gated_table(EXIT, "wanted_larger", by="sector")
    part_time = part_time_wanting_more(ctx)
    return {"position": dashboard_table("position", _("Position size of those who left, by sector"), position),
            "wanted": dashboard_table("wanted_larger", _("Wanted a larger position, by sector"), wanted),
            "part_time": part_time,
            "basis": basis(position.totals.get(TOTAL), _("answers to the exit questionnaire"),
                           quarter_name(ctx.period))}


def part_time_wanting_more(ctx: ReportContext) -> dict:
    """Those who left a part-time position, as the sum of the position-size groups below 100 %: it is
    shown when each of them is (a group of its own is never made up for it)."""
    return ctx.once(("part_time",), lambda: _part_time(ctx)) if ctx.exit is not None else dict(NOTHING)


def _part_time(ctx: ReportContext) -> dict:
    wanted = ctx.gated_table(EXIT, "wanted_larger", by="q:position_now")
    bands = [f"a{band}" for band in PART_TIME_BANDS]
    if all(wanted.status.get(b) == "shown" for b in bands):
        columns, sign = bands, [1] * len(bands)
    else:
        # Everyone less the full-time: the same figure, shown where it follows from shown groups.
        family = ctx.family(EXIT)
        if (wanted.status.get(TOTAL) != "shown" or wanted.status.get("ap100") != "shown"
                or family.sizes.get(("blank", "position_now", ctx.period), 0) != 0):
            return dict(NOTHING)
        columns, sign = [TOTAL, "ap100"], [1, -1]
    yes = sum(s * (wanted.cells.get(("yes", c)) or 0) for c, s in zip(columns, sign))
    no = sum(s * (wanted.cells.get(("no", c)) or 0) for c, s in zip(columns, sign))
    answered = sum(s * (wanted.totals.get(c) or 0) for c, s in zip(columns, sign))
    if 0 < answered < ctx.minimum:  # cannot happen through the release; kept as a last guard
        return dict(NOTHING)
    return {"part_time": answered, "wanted_larger": yes, "no": no, "share": share(yes, answered)}
