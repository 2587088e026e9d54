"""The employer strategy's four pillars (leiing, medarbeidarskap, kompetanse, endringskraft), as those
who left experienced them: each pillar's average and favourable share, against a year earlier."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import quarter_name
from survey_app.privacy import share
from survey_app.reports.context import EXIT, ReportContext
from survey_app.reports.layout import table
from survey_app.reports.sections.common import agreement, basis
from survey_app.services.dashboard import TOTAL

PILLARS = ("leiing", "medarbeidarskap", "kompetanse", "endringskraft")


def pillar_names() -> dict[str, str]:
    return {"leiing": _("Leadership"), "medarbeidarskap": _("Employeeship"), "kompetanse": _("Competence"),
            "endringskraft": _("Capacity for change")}


def _pillar(ctx: ReportContext, names: list[str], block) -> dict:
    """A pillar's questions pooled: the favourable share of all its answers and the average of them."""
    answers = agreed = 0
    weighted = 0.0
    for name in names:
        source = ctx.gated_table(EXIT, name, block=block)
        n, yes, _share = agreement(source)
        mean = source.extra.get("mean", {}).get(TOTAL)
        if n is None or yes is None or (n and mean is None):
            return {"n": None, "favourable": None, "mean": None, "base": None}
        answers, agreed, weighted = answers + n, agreed + yes, weighted + (mean or 0) * n
    if not answers:
        return {"n": 0, "favourable": None, "mean": None, "base": None}
    return {"n": answers, "favourable": share(agreed, answers), "mean": weighted / answers, "base": [agreed, answers]}


def build(ctx: ReportContext) -> dict:
    if ctx.exit is None:
        return {}
    by_pillar: dict[str, list[str]] = {}
    for question in ctx.exit.questions:
        if question.type == "likert5" and question.data.get("dimension") in PILLARS:
            by_pillar.setdefault(question.data["dimension"], []).append(question.name)
    if not by_pillar:
        return {}
    now_block = next(b for b in ctx.blocks if b.label == ctx.period)
    before_block = next((b for b in ctx.blocks if b.label == ctx.last_year), None)
    names = pillar_names()
    rows = []
    respondents = ctx.gated_table(EXIT, by_pillar[next(iter(by_pillar))][0], block=now_block).totals.get(TOTAL)
    for pillar in PILLARS:
        if pillar not in by_pillar:
            continue
        now = _pillar(ctx, by_pillar[pillar], now_block)
        before = _pillar(ctx, by_pillar[pillar], before_block) if before_block else {"favourable": None}
        change = (now["favourable"] - before["favourable"]
                  if now["favourable"] is not None and before["favourable"] is not None else None)
        rows.append({"label": names[pillar],
                     "values": [now["mean"], before["favourable"], now["favourable"], change],
                     "bases": [None, before.get("base"), now["base"], None],
                     "status": [None if now["n"] != 0 else "empty", None if before.get("n") != 0 else "empty",
                                None if now["n"] != 0 else "empty", None],
                     "fmts": ["mean", "pct", "pct", "signed"]})
    return {"table": table("pillars", _("The employer strategy's four pillars, as those who left saw them"),
                           [_("Average (1–5), %(quarter)s", quarter=quarter_name(ctx.period)),
                            _("Favourable (4–5), %(quarter)s", quarter=quarter_name(ctx.last_year)),
                            _("Favourable (4–5), %(quarter)s", quarter=quarter_name(ctx.period)),
                            _("Change (percentage points)")], rows),
            "basis": basis(respondents, _("answers to the exit questionnaire"), quarter_name(ctx.period))}
