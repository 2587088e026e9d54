"""Themes in a free-text question's answers, with the quotes HR cleared."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _
from survey_app.period_names import quarter_name
from survey_app.privacy import comment_minimum
from survey_app.reports.context import TREND_QUARTERS, WHY_TEXT, ReportContext
from survey_app.reports.layout import table
from survey_app.reports.sections.common import basis
from survey_app.services import analysis_runs, released
from survey_app.written import marked

QUOTES_PER_THEME = 2


def listed(ctx: ReportContext, question: str = WHY_TEXT) -> dict:
    """The run's themes, largest first, with their answers over the run and in the quarter."""
    return ctx.once(("themes", question), lambda: _listed(ctx, question))


def _listed(ctx: ReportContext, question: str) -> dict:
    view = ctx.analysis(question)
    if view.run is None:
        return {"themes": [], "hidden": 0, "total_all": 0, "total_now": None, "all_status": "empty",
                "now_status": "empty", "no_theme": (0, 0)}
    themes = analysis_runs.themes_of(ctx.session, view.run)
    sizes: dict = defaultdict(int)
    now: dict = defaultdict(int)
    for theme_id, _cause, period, _value in view.rows:
        sizes[theme_id] += 1
        if period == ctx.period:
            now[theme_id] += 1
    all_status = view.status((released.RUN,))
    now_status = view.status(("quarter", ctx.period))
    quote_minimum = comment_minimum(ctx.minimum)
    quotes: dict = defaultdict(list)
    seen: set[str] = set()  # the same words from two people are printed once
    for theme_id, text, language in analysis_runs.cleared_quotes(ctx.session, view.run):
        text = (text or "").strip()
        if (text and sizes.get(theme_id, 0) >= quote_minimum and len(quotes[theme_id]) < QUOTES_PER_THEME
                and text not in seen):
            # The language the answer was written in: a screen reader reads an English quote in a
            # nynorsk report with an English voice (the PDF tags it with its /Lang).
            quotes[theme_id].append({"text": text, "lang": language})
            seen.add(text)
    found = []
    total_all, total_now = sum(sizes.values()), sum(now.values())
    standard = ctx.organisation.written_standard
    if all_status == "shown":
        for theme in sorted(themes, key=lambda t: (-sizes.get(t.id, 0), t.number)):
            # Typical words are words from the answers: like quotes, only from a theme of enough writers.
            # A name HR has not changed is the answers' own words: it is in no written standard of HR's.
            reviewed = theme.label != theme.suggested_label
            found.append({"label": marked(theme.label, theme.translations, standard, ctx.language)
                          if reviewed else theme.label, "reviewed": reviewed,
                          "new": theme.is_new,
                          "terms": list(theme.top_terms or [])[:6] if sizes.get(theme.id, 0) >= quote_minimum else [],
                          "answers": sizes.get(theme.id, 0), "of": total_all,
                          "answers_now": now.get(theme.id, 0) if now_status == "shown" else None,
                          "of_now": total_now if now_status == "shown" else None,
                          "quotes": quotes.get(theme.id, [])})
    return {"themes": found, "hidden": 0 if all_status == "shown" else len(themes), "total_all": total_all,
            "total_now": total_now if now_status == "shown" else None, "all_status": all_status,
            "now_status": now_status, "no_theme": (now.get(None, 0), sizes.get(None, 0))}


def build(ctx: ReportContext, question: str = WHY_TEXT) -> dict:
    view = ctx.analysis(question)
    found = listed(ctx, question)
    themes = found["themes"]
    if not themes:
        return {"themes": [], "hidden_themes": found["hidden"], "table": None, "run": view.run is not None,
                "question": ctx.exit.question(question).text(ctx.language) if ctx.exit else ""}
    now_shown = found["now_status"] == "shown"
    rows = [{"label": t["label"] + (" " + _("(new)") if t["new"] else ""),
             "values": [t["answers_now"], t["answers"]]} for t in themes]
    now_none, all_none = found["no_theme"]
    if all_none:
        rows.append({"label": _("No theme"), "values": [now_none if now_shown else None, all_none]})
    rows.append({"label": _("Free-text answers"), "strong": True,
                 "values": [found["total_now"], found["total_all"]]})
    first = quarter_name(view.run.first_period)
    return {"themes": themes, "hidden_themes": found["hidden"], "run": True,
            "question": ctx.exit.question(question).text(ctx.language),
            "table": table(f"themes_{question}", _("Themes in the answers to “%(question)s”",
                                                   question=ctx.exit.question(question).text(ctx.language)),
                           [quarter_name(ctx.period), _("All %(count)s quarters", count=TREND_QUARTERS)], rows,
                           status=[found["now_status"], found["all_status"]]),
            "basis": basis(found["total_all"], _("free-text answers"),
                           _("%(first)s to %(last)s", first=first, last=quarter_name(ctx.period)))}
