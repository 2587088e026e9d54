"""Actions (tiltak) and whether the cause or theme they answer has moved since they started."""
from __future__ import annotations

from survey_app.models import Theme
from survey_app.period_names import quarter_name
from survey_app.periods import parse_quarter, quarter_label, quarters_up_to
from survey_app.privacy import share
from survey_app.reports.context import ReportContext
from survey_app.reports.layout import before_after
from survey_app.services import actions as action_service, analysis_runs
from survey_app.written import marked

STATUS_ORDER = ("started", "planned", "done", "stopped")


def build(ctx: ReportContext) -> list[dict]:
    """Actions started by the end of the quarter, those under way first."""
    return ctx.once(("actions",), lambda: _build(ctx))


def _build(ctx: ReportContext) -> list[dict]:
    _start, end = parse_quarter(ctx.period)
    actions = action_service.started_by(ctx.session, ctx.organisation, end)
    main = ctx.main_reason
    question = ctx.exit.question("main_reason") if ctx.exit else None
    standard = ctx.organisation.written_standard
    listed = []
    for action in sorted(actions, key=lambda a: (STATUS_ORDER.index(a.status), a.started_on, a.id)):
        target = ""
        development = []
        start_quarter = quarter_label(action.started_on)
        # From the quarter before the action started, so there is a baseline.
        window = [q for q in ctx.quarters if q >= quarters_up_to(start_quarter, 2)[0]]
        if action.cause and question is not None and action.cause in question.choice_values:
            target = question.choice_text(action.cause, ctx.language)
            development = [[quarter_name(q), main.cells.get((action.cause, q)), main.totals.get(q)] for q in window]
        elif action.theme_label:
            theme = _theme(ctx, action.theme_label)
            target = (marked(theme.label, theme.translations, standard, ctx.language) if theme is not None
                      else marked(action.theme_label, None, standard, ctx.language))
            development = _theme_development(ctx, action.theme_label, window)
        listed.append({"title": marked(action.title, action.translations, standard, ctx.language, "title"),
                       "description": marked(action.description, action.translations, standard, ctx.language,
                                             "description"),
                       "responsible": action.responsible,
                       "cause": action.cause, "started_on": action.started_on.isoformat(),
                       "due_on": action.due_on.isoformat() if action.due_on else None,
                       "status": action.status, "target": target,
                       "development": [[name, share(k, n), k, n] for name, k, n in development],
                       "effect": before_after(development)})
    return listed


def _theme(ctx: ReportContext, label: str) -> Theme | None:
    """The theme of the report's run an action names (actions name themes by their label)."""
    if ctx.why.run is None:
        return None
    return next(iter(analysis_runs.themes_of(ctx.session, ctx.why.run, label)), None)


def _theme_development(ctx: ReportContext, label: str, window: list[str]) -> list:
    """A theme's answers among each quarter's writers, where those writers are a shown group."""
    view = ctx.why
    if view.run is None:
        return []
    theme_ids = {theme.id for theme in analysis_runs.themes_of(ctx.session, view.run, label)}
    development = []
    for q in window:
        if view.status(("quarter", q)) != "shown":
            development.append([quarter_name(q), None, None])
            continue
        writers = [r for r in view.rows if r[2] == q]
        development.append([quarter_name(q), sum(1 for r in writers if r[0] in theme_ids), len(writers)])
    return development
