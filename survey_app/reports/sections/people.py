"""Leavers, employees and turnover from the HR system, and how many answered each questionnaire."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.period_names import quarter_name
from survey_app.privacy import share
from survey_app.reports.context import EXIT, ReportContext
from survey_app.reports.layout import chart, grouped, table
from survey_app.reports.sections.common import basis

QUESTIONNAIRES = ("sluttsamtale", "onboarding", "rekruttering", "laerling")


def yearly_turnover(ctx: ReportContext) -> dict:
    """Leavers over the last four quarters against the average number of employees, per sector and
    for the organisation: a row only where each of the four quarters' leavers is shown (the sum of
    shown figures gives nothing away that they do not)."""
    def compute():
        per_quarter = [ctx.turnover_rows(q) for q in ctx.year]
        labels = [(r["label"], r["depth"]) for r in per_quarter[-1]]
        result = {}
        for label, depth in labels:
            found = [next((r for r in rows if r["label"] == label and r["depth"] == depth), None) for rows in per_quarter]
            leavers = [r["leavers"] if r else None for r in found]
            heads = [r["headcount"] for r in found if r and r["headcount"]]
            if any(v is None for v in leavers) or not heads:
                result[(label, depth)] = {"leavers": None, "rate": None}
                continue
            result[(label, depth)] = {"leavers": sum(leavers), "rate": share(sum(leavers), sum(heads) / len(heads))}
        total = result.get((None, 0), {"leavers": None, "rate": None})
        status = "shown" if total["rate"] is not None else ("empty" if not labels else "small")
        return {"rows": result, "rate": total["rate"], "leavers": total["leavers"], "status": status}
    return ctx.once(("yearly_turnover",), compute)


def build(ctx: ReportContext) -> dict:
    yearly = yearly_turnover(ctx)["rows"]
    rows = []
    for row in ctx.turnover_rows(ctx.period):
        year = yearly.get((row["label"], row["depth"]), {"leavers": None, "rate": None})
        rows.append({"label": row["label"] or _("Whole organisation"), "depth": row["depth"],
                     "strong": row["label"] is None,
                     "values": [row["leavers"], row["headcount"], row["rate"], year["leavers"], year["rate"]],
                     "fmts": ["count", "count", "pct1", "count", "pct1"]})
    turnover_table = table("turnover", _("Leavers and turnover by sector and unit, %(quarter)s",
                                         quarter=quarter_name(ctx.period)),
                           [_("Leavers"), _("Employees"), _("Turnover"), _("Leavers, last four quarters"),
                            _("Turnover, last four quarters")], rows)
    sector_rows = [r for r in rows if r["depth"] == 0 and not r["strong"]]
    total = next((r for r in rows if r["strong"]), None)
    turnover_chart = chart("turnover_chart", _("Turnover by sector, %(quarter)s", quarter=quarter_name(ctx.period)),
                           [(r["label"], r["values"][2]) for r in sector_rows], unit="%",
                           n=total["values"][1] if total else None, n_what=_("employees"))
    return {"turnover": turnover_table, "turnover_chart": turnover_chart,
            "responses": responses(ctx), "rates": rates(ctx),
            "basis": basis(total["values"][0] if total else None, _("people who left (from the HR system)"),
                           quarter_name(ctx.period))}


def responses(ctx: ReportContext) -> dict:
    """Answers per questionnaire over the last five quarters: how much the report rests on."""
    window = ctx.quarters[-5:]
    response_rows = []
    for key in QUESTIONNAIRES:
        questionnaire = ctx.registry.get(key)
        if questionnaire is None:
            continue
        family = ctx.family(key)
        status = [ctx.status(key, ("org", q)) for q in window]
        response_rows.append({"label": questionnaire.title(ctx.language),
                              "values": [family.count(("org", q)) for q in window], "status": status})
    return table("responses", _("Answered questionnaires per quarter"), [quarter_name(q) for q in window],
                 response_rows)


def rates(ctx: ReportContext) -> dict:
    """Each questionnaire's answers in the quarter against those it was meant for: the invited for the
    exit questionnaire, new hires for the hiring questionnaire. A questionnaire few answer says so."""
    return ctx.once(("rates",), lambda: _rates(ctx))


def _rates(ctx: ReportContext) -> dict:
    figures = ctx.quarter_figures(ctx.period)
    rows = []
    exit_n, _exit_status = ctx.respondents(EXIT, [ctx.period])
    if ctx.exit is not None:
        # Answers to the invitations against the invitations: the open link's answers have no one asked.
        rows.append({"label": ctx.exit.title(ctx.language),
                     "values": [figures["answered"], figures["invited"], figures["response_rate"]],
                     "bases": [None, None, [figures["answered"], figures["invited"]]
                               if figures["response_rate"] is not None else None],
                     "status": [figures["rate_status"]] * 3,
                     "fmts": ["count", "count", "pct"], "of": _("invited")})
    hiring = ctx.registry.get("rekruttering")
    hires = figures["new_hires"]
    if hiring is not None:
        n, state = ctx.respondents("rekruttering", [ctx.period])
        rows.append({"label": hiring.title(ctx.language),
                     "values": [n, hires, share(n, hires) if n is not None and hires else None],
                     "bases": [None, None, [n, hires] if n is not None and hires else None],
                     "status": [state, "empty" if not hires else None, "empty" if not hires else state],
                     "fmts": ["count", "count", "pct"], "of": _("new hires")})
    note = (_("The exit questionnaire's row counts answers to invitations; with the open link, %(n)s answered "
              "it in all.", **grouped(n=exit_n)) if exit_n is not None and exit_n != figures["answered"] else "")
    return table("response_rates", _("Answers against those asked, %(quarter)s", quarter=quarter_name(ctx.period)),
                 [_("Answers"), _("Asked (invited or hired)"), _("Response rate")], rows, note=note)


def low_response(ctx: ReportContext) -> list[dict]:
    """Questionnaires answered by fewer than half of those they were meant for, for the text."""
    found = []
    for row in rates(ctx)["rows"]:
        n, base, rate = row["values"]
        if rate is not None and rate < 50:
            found.append({"questionnaire": row["label"], "answers": n, "base": base, "of": row["of"], "rate": rate})
    return found
