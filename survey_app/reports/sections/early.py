"""Early leavers, and how new employees' first months go (check-ins at about one and six months)."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import block_name, quarter_name
from survey_app.privacy import share
from survey_app.reports.context import EXIT, ReportContext
from survey_app.reports.layout import table
from survey_app.reports.sections.common import agreement, basis, dashboard_table, likert_table
from survey_app.services.dashboard import TOTAL

ONBOARDING = "onboarding"


def tenure(ctx: ReportContext) -> dict:
    """Those who answered and had worked here for less than a year, and everyone who answered."""
    source = ctx.gated_table(EXIT, "main_reason", by="q:tenure")
    n_early, n_all = source.totals.get("aunder_1"), source.totals.get(TOTAL)
    shown_early = source.status.get("aunder_1") == "shown"
    return {"early": n_early, "all": n_all, "share": share(n_early, n_all) if shown_early else None}


def early_reasons(ctx: ReportContext) -> dict:
    """Main reasons of those who left within a year, of the rest, and of everyone: the answer group
    "under 1 year" of the tenure family; the rest is everyone less that group, shown where both are
    (the release never lets the rest be a small group)."""
    source = ctx.gated_table(EXIT, "main_reason", by="q:tenure")
    early, everyone = "aunder_1", TOTAL
    shown_early = source.status.get(early) == "shown"
    shown_all = source.status.get(everyone) == "shown"
    rows = []
    for key, label in source.row_labels:
        e, t = source.cells.get((key, early)), source.cells.get((key, everyone))
        rows.append({"label": label, "values": [e, t - e if shown_early and shown_all else None, t]})
    n_early, n_all = source.totals.get(early), source.totals.get(everyone)
    rows.append({"label": _("Respondents"), "strong": True,
                 "values": [n_early, n_all - n_early if shown_early and shown_all else None, n_all]})
    rest_status = "shown" if shown_early and shown_all else source.status.get(early if not shown_early else everyone)
    return table("early_reasons", _("Main reason: those who left within a year, and the rest"),
                 [_("Under 1 year"), _("1 year or more, or not given"), _("Everyone")], rows,
                 status=[source.status.get(early, "small"), rest_status, source.status.get(everyone, "small")])


CHECK_INS = ("under_3", "m3_9")   # the check-ins after about one and about six months


def by_month(ctx: ReportContext, onboarding, names: list[str], block) -> dict:
    """The favourable share (4–5) of each start question at the one-month and the six-month check-in."""
    rows, status = [], None
    for name in names:
        source = ctx.gated_table(ONBOARDING, name, by="q:months_employed", block=block)
        values, bases = [], []
        for check_in in CHECK_INS:
            n, agreed, agree_share = agreement(source, "a" + check_in)
            values.append(agree_share)
            bases.append([agreed, n] if agree_share is not None else None)
        status = [source.status.get("a" + c, "small") for c in CHECK_INS]
        rows.append({"label": onboarding.question(name).text(ctx.language), "values": values, "bases": bases,
                     "fmt": "pct"})
    question = onboarding.question("months_employed")
    return table("onboarding_months", _("Agree (4–5) at the check-ins, %(period)s", period=block_name(block)),
                 [question.choice_text(c, ctx.language) for c in CHECK_INS], rows, status=status)


def build(ctx: ReportContext) -> dict:
    result: dict = {}
    if ctx.exit is not None:
        result["tenure"], result["reasons"] = tenure(ctx), early_reasons(ctx)
    onboarding = ctx.registry.get(ONBOARDING)
    if onboarding is not None:
        # Few start each quarter: the quarter where enough answered, else the fixed half-year or year.
        block = ctx.latest_block(ONBOARDING)
        names = [q.name for q in onboarding.questions if q.type == "likert5" and q.section in ("start",)]
        result["block"] = block.label
        result["block_name"] = block_name(block)
        result["onboarding"] = likert_table(ctx, "onboarding", _("Onboarding check-ins: how the start went, "
                                                                 "%(period)s", period=block_name(block)),
                                            ONBOARDING, names, block=block)
        result["by_month"] = by_month(ctx, onboarding, names, block)
        stay = onboarding.question("intent_stay")
        result["intent_stay"] = dashboard_table("intent_stay", stay.text(ctx.language),
                                                ctx.gated_table(ONBOARDING, "intent_stay", block=block))
        n, _status = ctx.respondents(ONBOARDING, list(block.quarters))
        result["basis"] = basis(n, _("answers to the onboarding check-ins"), block_name(block))
        result["exit_basis"] = basis(tenure(ctx)["all"], _("answers to the exit questionnaire"),
                                     quarter_name(ctx.period)) if ctx.exit is not None else None
    return result
