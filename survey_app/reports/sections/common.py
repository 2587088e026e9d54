"""Tables built the same way in several sections, from gated dashboard tables."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import quarter_short
from survey_app.privacy import share
from survey_app.reports.context import ReportContext
from survey_app.reports.layout import table
from survey_app.services import dashboard
from survey_app.services.dashboard import TOTAL

LIKERT_AGREE = (4, 5)


def dashboard_table(id: str, title: str, source: dashboard.Table | None, with_summary: str | None = None) -> dict | None:
    """A gated dashboard table as report data: its rows, the respondents, and an average or a net
    score where asked for."""
    if source is None:
        return None
    columns = [g.label or _("Total") for g in source.groups]
    rows = [{"label": label, "values": [source.cells.get((key, g.key)) for g in source.groups]}
            for key, label in source.row_labels]
    rows.append({"label": _("Respondents"), "values": [source.totals.get(g.key) for g in source.groups],
                 "strong": True})
    if with_summary and source.extra.get(with_summary):
        rows.append({"label": _("Average") if with_summary == "mean" else _("Recommenders minus critics"),
                     "values": [source.extra[with_summary].get(g.key) for g in source.groups],
                     "fmt": "mean" if with_summary == "mean" else "net"})
    return table(id, title, columns, rows, status=[source.status.get(g.key, "shown") for g in source.groups])


def agreement(source: dashboard.Table, group=TOTAL) -> tuple[int | None, int | None, float | None]:
    """Respondents, those who agree (4–5) and their share, in one column of a 1–5 question."""
    n = source.totals.get(group)
    agree = [source.cells.get((str(v), group)) for v in LIKERT_AGREE]
    if n is None or any(a is None for a in agree):
        return n, None, None
    return n, sum(agree), share(sum(agree), n)


def likert_table(ctx: ReportContext, id: str, title: str, key: str, names: list[str], block=None) -> dict:
    """One row per 1–5 question: respondents, share who agree (4–5) and the average."""
    rows = []
    for name in names:
        source = ctx.gated_table(key, name, block=block)
        question = ctx.registry.get(key).question(name)
        n, agreed, agree_share = agreement(source)
        state = source.status.get(TOTAL, "small") if n != 0 else "empty"
        rows.append({"label": question.text(ctx.language),
                     "values": [n, agree_share, source.extra.get("mean", {}).get(TOTAL)],
                     "bases": [None, [agreed, n] if agree_share is not None else None, None],
                     "status": [state if state != "empty" else None] + [state] * 2,
                     "fmts": ["count", "pct", "mean"]})
    return table(id, title, [_("Respondents"), _("Agree (4–5)"), _("Average (1–5)")], rows)


def trend_as_table(ctx: ReportContext, id: str, title: str, trend: dashboard.Table) -> dict:
    rows = [{"label": label, "values": [trend.cells.get((key, q)) for q in ctx.quarters]}
            for key, label in trend.row_labels]
    rows.append({"label": _("Respondents"), "values": [trend.totals.get(q) for q in ctx.quarters], "strong": True})
    return table(id, title, [quarter_short(q) for q in ctx.quarters], rows,
                 status=[trend.status.get(q, "small") for q in ctx.quarters])


def basis(n: int | None, what: str, period: str) -> dict:
    """What a section rests on, printed under its heading: "Grunnlag: 18 svar på sluttsamtalen, 3. kvartal 2026"."""
    return {"n": n, "what": what, "period": period}
