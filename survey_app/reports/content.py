"""Everything a quarterly report shows, as plain data, after the privacy gate.

``prepare`` reads the database and returns a JSON-ready dict: tables (numbers, ``None`` for a
hidden cell), charts (label and share), quotes and findings. Rendering never touches the
database again, which is what makes a stored report reproducible: the same content always gives
the same PDF, and preparing it again tells whether the data has changed since.

Every count comes from the dashboard's builders or from ``privacy`` directly, so the report can
show nothing a dashboard would hide. Periods are whole quarters (disjoint), so two reports can
not be subtracted from each other to reveal a small group; apprentices, who are few, are counted
over the last four quarters as one block.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from analysis import code_version
from survey_app.models import (
    Action, AnalysedAnswer, AnalysisRun, Answer, Organisation, Person, QuestionnaireVersion, Response, Theme,
)
from survey_app.periods import parse_quarter, quarter_label, quarters_up_to
from survey_app.privacy import Line, comment_minimum, share, suppress, suppress_lines, visible
from survey_app.reports import findings as rules
from survey_app.services import dashboard, figures
from survey_app.services.dashboard import TOTAL, Scope

TREND_QUARTERS = 8
QUOTES_PER_THEME = 2
LIKERT_AGREE = (4, 5)
STATUS_ORDER = ("started", "planned", "done", "stopped")


def quarter_name(label: str) -> str:
    start, _end = parse_quarter(label)
    return _("Q%(quarter)s %(year)s", quarter=(start.month - 1) // 3 + 1, year=start.year)


def quarter_short(label: str) -> str:
    """A column heading for tables of eight quarters."""
    start, _end = parse_quarter(label)
    return _("Q%(quarter)s/%(year)s", quarter=(start.month - 1) // 3 + 1, year=start.year)


def latest_run(session: Session, organisation: Organisation, period: str) -> AnalysisRun | None:
    """The newest analysis run for the exit questionnaire's free text up to ``period``."""
    return session.scalars(select(AnalysisRun).where(
        AnalysisRun.organisation_id == organisation.id, AnalysisRun.questionnaire_key == "sluttsamtale",
        AnalysisRun.period == period).order_by(AnalysisRun.id.desc())).first()


def prepare(session: Session, organisation: Organisation, period: str, language: str, registry,
            run: AnalysisRun | None = None, meeting_date: date | None = None) -> dict:
    """The content of the quarterly report for ``organisation`` and the quarter ``period``."""
    parse_quarter(period)
    with force_locale(language):
        builder = _Builder(session, organisation, period, language, registry, run)
        return builder.build(meeting_date)


def table(id: str, title: str, columns: list[str], rows: list[dict], fmt: str = "count", note: str = "") -> dict:
    """A table as data: ``rows`` are {label, values, depth?, fmt?, strong?}; a value of None is hidden."""
    return {"id": id, "title": title, "columns": columns, "rows": rows, "fmt": fmt, "note": note}


def chart(id: str, title: str, items: list[tuple[str, float | None]], unit: str = "%") -> dict:
    return {"id": id, "title": title, "items": [[label, value] for label, value in items], "unit": unit}


def partition_chart(id: str, title: str, source: dashboard.Table, group: str) -> dict:
    """Shares of the answers in one column of a one-answer-per-person table: the shown rows,
    largest first, and the hidden rows together as one bar.

    The privacy gate guarantees that hidden cells in a line with a shown total add up to zero or
    to at least the minimum, so their sum is safe to show and keeps the chart honest about size.
    """
    total = source.totals.get(group)
    if not total:
        return chart(id, title, [])
    shown = [(label, source.cells.get((key, group))) for key, label in source.row_labels]
    present = sorted(((label, n) for label, n in shown if n), key=lambda item: -item[1])
    if not present:
        return chart(id, title, [])
    rest = total - sum(n for _label, n in present)
    items = [(label, share(n, total)) for label, n in present]
    if rest > 0:
        items.append((_("Other answers together"), share(rest, total)))
    return chart(id, title, items)


class _Builder:
    def __init__(self, session, organisation, period, language, registry, run):
        self.session, self.organisation, self.period = session, organisation, period
        self.language, self.registry = language, registry
        self.minimum = organisation.min_group_size
        self.units = dashboard.units_of(session, organisation)
        self.quarters = quarters_up_to(period, TREND_QUARTERS)
        self.previous = self.quarters[-2]
        self.last_year = self.quarters[-5]
        self.run = run if run is not None else latest_run(session, organisation, period)
        self.exit = registry.get("sluttsamtale")
        self.facts: dict = {}
        self._scopes: dict[tuple, Scope] = {}

    def scope(self, key: str, periods: list[str], by: str = "none") -> Scope | None:
        """One Scope per (questionnaire, periods, breakdown), so its tables share one count."""
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None
        wanted = (key, tuple(periods), by)
        if wanted not in self._scopes:
            self._scopes[wanted] = Scope(self.organisation, questionnaire, periods, by, None, self.language)
        return self._scopes[wanted]

    def build(self, meeting_date: date | None) -> dict:
        content = {
            "kind": "organisation",
            "organisation": {"name": self.organisation.name, "slug": self.organisation.slug},
            "period": self.period, "period_name": quarter_name(self.period), "language": self.language,
            "meeting_date": meeting_date.isoformat() if meeting_date else None,
            "minimum": self.minimum, "quote_minimum": comment_minimum(self.minimum),
            "code_version": code_version(),
        }
        content["key_figures"] = self.key_figures()
        content["people"] = self.people_section()
        content["causes"] = self.causes_section()
        content["themes"] = self.themes_section()
        content["heiltid"] = self.heiltid_section()
        content["destination"] = self.destination_section()
        content["early"] = self.early_section()
        content["recruitment"] = self.recruitment_section()
        content["apprentices"] = self.apprentices_section()
        content["actions"] = self.actions_section()
        content["analysis_run"] = self.run_summary()
        content["findings"] = rules.choose(content, self.facts)
        content["hidden_cells"] = count_hidden(content)
        return content

    # -- key figures -------------------------------------------------------------------------
    def quarter_figures(self, label: str) -> dict:
        scope = self.scope("sluttsamtale", [label])
        key = figures.key_figures(self.session, scope, self.minimum)
        start, end = parse_quarter(label)
        hires = self.session.scalar(select(func.count(Person.id)).where(
            Person.organisation_id == self.organisation.id, Person.kind == "new_hire",
            Person.start_date >= start, Person.start_date <= end)) or 0
        turnover = figures.turnover(self.session, scope, self.units, self.minimum)
        total = turnover[-1] if turnover else None
        return {"leavers": key.leavers, "responses": key.responses, "invited": key.invited,
                "answered": key.answered_invitations, "response_rate": key.response_rate,
                "new_hires": hires if hires == 0 or hires >= self.minimum else None,
                "turnover": total["rate"] if total else None, "headcount": total["headcount"] if total else None}

    def key_figures(self) -> dict:
        wanted = [self.last_year, self.previous, self.period]
        by_quarter = {label: self.quarter_figures(label) for label in wanted}
        self.facts.update({"figures": by_quarter, "current": self.period, "previous": self.previous,
                           "last_year": self.last_year})
        rows = [
            {"label": _("People who left (from the HR system)"), "values": [by_quarter[q]["leavers"] for q in wanted]},
            {"label": _("Exit questionnaires answered"), "values": [by_quarter[q]["responses"] for q in wanted]},
            {"label": _("Response rate for invitations sent"), "values": [by_quarter[q]["response_rate"] for q in wanted],
             "fmt": "pct"},
            {"label": _("Turnover (leavers per employee)"), "values": [by_quarter[q]["turnover"] for q in wanted],
             "fmt": "pct1"},
            {"label": _("New hires (from the HR system)"), "values": [by_quarter[q]["new_hires"] for q in wanted]},
        ]
        return table("key_figures", _("Key figures"), [quarter_name(q) for q in wanted], rows)

    # -- leavers, new hires, turnover ----------------------------------------------------------
    def people_section(self) -> dict:
        scope = self.scope("sluttsamtale", [self.period])
        rows = []
        for row in figures.turnover(self.session, scope, self.units, self.minimum):
            rows.append({"label": row["label"] or _("Whole organisation"), "depth": row["depth"],
                         "strong": row["label"] is None, "values": [row["leavers"], row["headcount"], row["rate"]],
                         "fmts": ["count", "count", "pct1"]})
        turnover_table = table("turnover", _("Leavers and turnover by sector and unit, %(quarter)s",
                                             quarter=quarter_name(self.period)),
                               [_("Leavers"), _("Employees"), _("Turnover")], rows)
        sector_rows = [r for r in rows if r["depth"] == 0 and not r["strong"]]
        turnover_chart = chart("turnover_chart", _("Turnover by sector, %(quarter)s", quarter=quarter_name(self.period)),
                               [(r["label"], r["values"][2]) for r in sector_rows], unit="%")
        # Responses per questionnaire over the last quarters: how much the report rests on.
        response_rows = []
        for key in ("sluttsamtale", "onboarding", "rekruttering", "laerling"):
            questionnaire = self.registry.get(key)
            if questionnaire is None:
                continue
            counts = {}
            for label in self.quarters[-5:]:
                counts[label] = figures.key_figures(self.session, self.scope(key, [label]), self.minimum).responses
            response_rows.append({"label": questionnaire.title(self.language),
                                  "values": [counts[q] for q in self.quarters[-5:]]})
        responses_table = table("responses", _("Answered questionnaires per quarter"),
                                [quarter_name(q) for q in self.quarters[-5:]], response_rows)
        return {"turnover": turnover_table, "turnover_chart": turnover_chart, "responses": responses_table}

    # -- causes --------------------------------------------------------------------------------
    def causes_section(self) -> dict:
        if self.exit is None:
            return {}
        scope = self.scope("sluttsamtale", self.quarters)
        main = dashboard.trend_table(self.session, scope, self.exit.question("main_reason"), self.minimum,
                                     TREND_QUARTERS)
        trend = self._trend_as_table("main_reason_trend", _("Main reason for leaving, by quarter"), main)
        self.facts["main_reason"] = {"rows": main.row_labels, "cells": main.cells, "totals": main.totals}
        main_chart = partition_chart("main_reason_chart", _("Main reason for leaving, %(quarter)s (share of answers)",
                                                            quarter=quarter_name(self.period)), main, self.period)
        other = dashboard.trend_table(self.session, scope, self.exit.question("other_reasons"), self.minimum,
                                      TREND_QUARTERS)
        other_table = self._trend_as_table("other_reasons_trend", _("Other reasons that mattered, by quarter"), other)
        text_table = self._free_text_causes()
        return {"trend": trend, "chart": main_chart, "other": other_table, "free_text": text_table}

    def _trend_as_table(self, id: str, title: str, trend: dashboard.Table) -> dict:
        rows = [{"label": label, "values": [trend.cells.get((key, q)) for q in self.quarters]}
                for key, label in trend.row_labels]
        rows.append({"label": _("Respondents"), "values": [trend.totals.get(q) for q in self.quarters], "strong": True})
        return table(id, title, [quarter_short(q) for q in self.quarters], rows)

    def _free_text_causes(self) -> dict | None:
        """Causes the analysis read from the free text, per quarter, suppressed like any table."""
        if self.run is None:
            return None
        counts: dict = defaultdict(int)
        for cause, period, n in self.session.execute(
                select(AnalysedAnswer.cause, AnalysedAnswer.period, func.count())
                .where(AnalysedAnswer.run_id == self.run.id).group_by(AnalysedAnswer.cause, AnalysedAnswer.period)):
            if period in self.quarters:
                counts[(cause, period)] += n
        causes = [c for c in self.exit.question("main_reason").choice_values if c != "anna"]
        causes += sorted({c for c, _p in counts if c not in causes})
        values = {("c", c, q): counts.get((c, q), 0) for c in causes for q in self.quarters}
        values.update({("n", q): sum(counts.get((c, q), 0) for c in causes) for q in self.quarters})
        lines = [Line(tuple(("c", c, q) for c in causes), ("n", q)) for q in self.quarters]
        shown = suppress_lines(values, lines, self.minimum)
        question = self.exit.question("main_reason")
        rows = []
        for cause in causes:
            if not any(values[("c", cause, q)] for q in self.quarters):
                continue
            label = question.choice_text(cause, self.language) if cause in question.choice_values else _("Unclear")
            rows.append({"label": label, "values": [shown[("c", cause, q)] for q in self.quarters]})
        rows.append({"label": _("Free-text answers"), "values": [shown[("n", q)] for q in self.quarters], "strong": True})
        return table("free_text_causes", _("Causes found in the free-text answers, by quarter"),
                     [quarter_short(q) for q in self.quarters], rows)

    # -- themes and quotes ---------------------------------------------------------------------
    def themes_section(self) -> dict:
        if self.run is None:
            return {"themes": [], "table": None}
        themes = list(self.session.scalars(select(Theme).where(Theme.run_id == self.run.id).order_by(Theme.number)))
        sizes = dict(self.session.execute(select(AnalysedAnswer.theme_id, func.count())
                                          .where(AnalysedAnswer.run_id == self.run.id)
                                          .group_by(AnalysedAnswer.theme_id)).all())
        now = dict(self.session.execute(select(AnalysedAnswer.theme_id, func.count())
                                        .where(AnalysedAnswer.run_id == self.run.id,
                                               AnalysedAnswer.period == self.period)
                                        .group_by(AnalysedAnswer.theme_id)).all())
        # Answers without a theme are not shown, so the theme counts have no shown total.
        shown_all = suppress({t.id: sizes.get(t.id, 0) for t in themes}, self.minimum, total_shown=False)
        shown_now = suppress({t.id: now.get(t.id, 0) for t in themes}, self.minimum, total_shown=False)
        quote_minimum = comment_minimum(self.minimum)
        quotes: dict = defaultdict(list)
        seen: set[str] = set()  # the same words from two people are printed once
        for theme_id, text in self.session.execute(
                select(AnalysedAnswer.theme_id, Answer.value_scrubbed)
                .join(Answer, AnalysedAnswer.answer_id == Answer.id)
                .where(AnalysedAnswer.run_id == self.run.id, AnalysedAnswer.quote_usable.is_(True))
                .order_by(AnalysedAnswer.period.desc(), AnalysedAnswer.id)):
            text = (text or "").strip()
            if (text and sizes.get(theme_id, 0) >= quote_minimum and len(quotes[theme_id]) < QUOTES_PER_THEME
                    and text not in seen):
                quotes[theme_id].append(text)
                seen.add(text)
        listed = []
        for theme in sorted(themes, key=lambda t: -sizes.get(t.id, 0)):
            if shown_all[theme.id] is None:
                continue
            listed.append({"label": theme.label, "new": theme.is_new, "terms": list(theme.top_terms or [])[:6],
                           "answers": shown_all[theme.id], "answers_now": shown_now[theme.id],
                           "quotes": quotes.get(theme.id, [])})
        hidden = sum(1 for t in themes if shown_all[t.id] is None)
        rows = [{"label": t["label"] + (" " + _("(new)") if t["new"] else ""),
                 "values": [t["answers_now"], t["answers"]]} for t in listed]
        self.facts["themes"] = listed
        return {"themes": listed, "hidden_themes": hidden,
                "table": table("themes", _("Themes in the free-text answers"),
                               [quarter_name(self.period), _("All %(count)s quarters", count=TREND_QUARTERS)], rows)}

    # -- heiltid -------------------------------------------------------------------------------
    def heiltid_section(self) -> dict:
        if self.exit is None:
            return {}
        scope = self.scope("sluttsamtale", [self.period], by="sector")
        position = dashboard.build_table(self.session, scope, self.exit.question("position_now"), self.units, self.minimum)
        wanted = dashboard.build_table(self.session, scope, self.exit.question("wanted_larger"), self.units, self.minimum)
        part_time = self._part_time_wanting_more()
        self.facts["heiltid"] = part_time
        return {"position": self._dashboard_table("position", _("Position size of those who left, by sector"), position),
                "wanted": self._dashboard_table("wanted_larger", _("Wanted a larger position, by sector"), wanted),
                "part_time": part_time}

    def _part_time_wanting_more(self) -> dict:
        return part_time_shown(part_time_counts(self.session, self.organisation.id, self.period), self.minimum)

    def _dashboard_table(self, id: str, title: str, source: dashboard.Table, with_summary: str | None = None) -> dict:
        columns = [g.label or _("Total") for g in source.groups]
        rows = [{"label": label, "values": [source.cells.get((key, g.key)) for g in source.groups]}
                for key, label in source.row_labels]
        rows.append({"label": _("Respondents"), "values": [source.totals.get(g.key) for g in source.groups],
                     "strong": True})
        if with_summary and source.extra.get(with_summary):
            rows.append({"label": _("Average") if with_summary == "mean" else _("Recommenders minus critics"),
                         "values": [source.extra[with_summary].get(g.key) for g in source.groups],
                         "fmt": "mean" if with_summary == "mean" else "net"})
        return table(id, title, columns, rows)

    # -- where leavers go ----------------------------------------------------------------------
    def destination_section(self) -> dict:
        if self.exit is None:
            return {}
        scope = self.scope("sluttsamtale", [self.period])
        source = dashboard.build_table(self.session, scope, self.exit.question("destination"), self.units, self.minimum)
        self.facts["destination"] = {"rows": source.row_labels, "cells": source.cells, "total": source.totals.get(TOTAL)}
        return {"table": self._dashboard_table("destination", _("What those who left will do next"), source),
                "chart": partition_chart("destination_chart", _("What those who left will do next (share of answers)"),
                                         source, TOTAL)}

    # -- early leavers and onboarding ----------------------------------------------------------
    def early_section(self) -> dict:
        result = {}
        if self.exit is not None:
            result["tenure"], result["reasons"] = self._early_reasons()
            self.facts["early"] = result["tenure"]
        onboarding = self.registry.get("onboarding")
        if onboarding is not None:
            scope = self.scope("onboarding", [self.period])
            names = [q.name for q in onboarding.questions if q.type == "likert5" and q.section in ("start",)]
            result["onboarding"] = self._likert_table("onboarding", _("Onboarding check-ins: how the start went"),
                                                      scope, names)
            stay = onboarding.question("intent_stay")
            source = dashboard.build_table(self.session, scope, stay, self.units, self.minimum)
            result["intent_stay"] = self._dashboard_table("intent_stay", stay.text(self.language), source)
        return result

    def _early_reasons(self) -> tuple[dict, dict]:
        """Main reasons of those who left within a year, of the rest, and of everyone.

        "Everyone" is the quarter's column of the causes trend and keeps exactly the cells hidden
        there; "the rest" is shown too, since it is everyone minus the early leavers anyway.
        """
        start, end = parse_quarter(self.period)
        reason, tenure = aliased(Answer), aliased(Answer)
        rows = self.session.execute(
            select(reason.value_text, tenure.value_text, func.count())
            .select_from(Response)
            .join(QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id)
            .join(reason, and_(reason.response_id == Response.id, reason.question == "main_reason"))
            .outerjoin(tenure, and_(tenure.response_id == Response.id, tenure.question == "tenure"))
            .where(Response.organisation_id == self.organisation.id,
                   QuestionnaireVersion.questionnaire_key == "sluttsamtale",
                   Response.submitted_on >= start, Response.submitted_on <= end)
            .group_by(reason.value_text, tenure.value_text)).all()
        question = self.exit.question("main_reason")
        causes = question.choice_values
        values = {(part, c): 0 for part in ("e", "r", "t") for c in causes}
        for cause, years, n in rows:
            if cause in causes:
                values[("e" if years == "under_1" else "r", cause)] += n
                values[("t", cause)] += n
        for part in ("e", "r", "t"):
            values[("n", part)] = sum(values[(part, c)] for c in causes)
        lines = [Line((("e", c), ("r", c)), ("t", c)) for c in causes]
        lines += [Line(tuple((part, c) for c in causes), ("n", part)) for part in ("e", "r", "t")]
        lines.append(Line((("n", "e"), ("n", "r")), ("n", "t")))
        main = self.facts["main_reason"]
        known = {("t", c): main["cells"].get((c, self.period)) is not None for c in causes}
        known[("n", "t")] = main["totals"].get(self.period) is not None
        shown = suppress_lines(values, lines, self.minimum, known)
        table_rows = [{"label": question.choice_text(c, self.language),
                       "values": [shown[("e", c)], shown[("r", c)], shown[("t", c)]]} for c in causes]
        table_rows.append({"label": _("Respondents"), "strong": True,
                           "values": [shown[("n", "e")], shown[("n", "r")], shown[("n", "t")]]})
        tenure_facts = {"early": shown[("n", "e")], "all": shown[("n", "t")],
                        "share": share(shown[("n", "e")], shown[("n", "t")])}
        return tenure_facts, table("early_reasons", _("Main reason: those who left within a year, and the rest"),
                                   [_("Under 1 year"), _("1 year or more, or not given"), _("Everyone")], table_rows)

    def _likert_table(self, id: str, title: str, scope: Scope, names: list[str]) -> dict:
        """One row per 1–5 question: respondents, share who agree (4–5) and the average."""
        rows = []
        for name in names:
            question = scope.questionnaire.question(name)
            source = dashboard.build_table(self.session, scope, question, self.units, self.minimum)
            n = source.totals.get(TOTAL)
            agree = [source.cells.get((str(v), TOTAL)) for v in LIKERT_AGREE]
            agree_share = None if any(a is None for a in agree) else share(sum(agree), n)
            rows.append({"label": question.text(self.language),
                         "values": [n, agree_share, source.extra.get("mean", {}).get(TOTAL)],
                         "fmts": ["count", "pct", "mean"]})
        return table(id, title, [_("Respondents"), _("Agree (4–5)"), _("Average (1–5)")], rows)

    # -- recruitment ---------------------------------------------------------------------------
    def recruitment_section(self) -> dict:
        hiring = self.registry.get("rekruttering")
        if hiring is None:
            return {}
        scope = self.scope("rekruttering", [self.period])
        channel = dashboard.build_table(self.session, scope, hiring.question("channel"), self.units, self.minimum)
        names = [q.name for q in hiring.questions if q.type == "likert5"]
        recommend = dashboard.build_table(self.session, scope, hiring.question("recommend"), self.units, self.minimum)
        self.facts["recruitment"] = {"n": channel.totals.get(TOTAL)}
        return {"channel": self._dashboard_table("channel", _("How new employees found the job"), channel),
                "channel_chart": partition_chart("channel_chart", _("How new employees found the job (share of answers)"),
                                                 channel, TOTAL),
                "experience": self._likert_table("hiring_experience", _("The hiring experience"), scope, names),
                "recommend": {"n": recommend.totals.get(TOTAL), "mean": recommend.extra.get("mean", {}).get(TOTAL),
                              "net": recommend.extra.get("net", {}).get(TOTAL)}}

    # -- apprentices ---------------------------------------------------------------------------
    def apprentices_section(self) -> dict:
        questionnaire = self.registry.get("laerling")
        if questionnaire is None:
            return {}
        periods = self.quarters[-4:]
        scope = self.scope("laerling", periods)
        names = [q.name for q in questionnaire.questions if q.type == "likert5"]
        offered = dashboard.build_table(self.session, scope, questionnaire.question("offered_job"), self.units,
                                        self.minimum)
        wants = dashboard.build_table(self.session, scope, questionnaire.question("wants_job"), self.units, self.minimum)
        return {"periods": [quarter_name(periods[0]), quarter_name(periods[-1])],
                "experience": self._likert_table("apprentice_experience", _("Apprentices: training and belonging"),
                                                 scope, names),
                "offered": self._dashboard_table("offered_job", questionnaire.question("offered_job").text(self.language),
                                                 offered),
                "wants": self._dashboard_table("wants_job", questionnaire.question("wants_job").text(self.language),
                                               wants)}

    # -- actions -------------------------------------------------------------------------------
    def actions_section(self) -> list[dict]:
        _start, end = parse_quarter(self.period)
        actions = self.session.scalars(select(Action).where(Action.organisation_id == self.organisation.id,
                                                            Action.started_on <= end)).all()
        main = self.facts.get("main_reason")
        question = self.exit.question("main_reason") if self.exit else None
        listed = []
        for action in sorted(actions, key=lambda a: (STATUS_ORDER.index(a.status), a.started_on)):
            target = ""
            development = []
            start_quarter = quarter_label(action.started_on)
            # From the quarter before the action started, so there is a baseline.
            window = [q for q in self.quarters if q >= quarters_up_to(start_quarter, 2)[0]]
            if action.cause and question is not None and action.cause in question.choice_values:
                target = question.choice_text(action.cause, self.language)
                for q in window:
                    development.append([quarter_name(q), share(main["cells"].get((action.cause, q)),
                                                               main["totals"].get(q))])
            elif action.theme_label:
                target = action.theme_label
                development = self._theme_development(action.theme_label, window)
            listed.append({"title": action.title, "description": action.description, "responsible": action.responsible,
                           "started_on": action.started_on.isoformat(),
                           "due_on": action.due_on.isoformat() if action.due_on else None,
                           "status": action.status, "target": target, "development": development})
        return listed

    def _theme_development(self, label: str, window: list[str]) -> list:
        if self.run is None:
            return []
        theme_ids = [t for t in self.session.scalars(select(Theme.id).where(Theme.run_id == self.run.id,
                                                                           Theme.label == label))]
        counts = dict(self.session.execute(
            select(AnalysedAnswer.period, func.count()).where(AnalysedAnswer.run_id == self.run.id,
                                                              AnalysedAnswer.theme_id.in_(theme_ids or [-1]))
            .group_by(AnalysedAnswer.period)).all())
        totals = dict(self.session.execute(
            select(AnalysedAnswer.period, func.count()).where(AnalysedAnswer.run_id == self.run.id)
            .group_by(AnalysedAnswer.period)).all())
        development = []
        for q in window:
            values = {"theme": counts.get(q, 0), "rest": totals.get(q, 0) - counts.get(q, 0)}
            shown = suppress(values, self.minimum)
            total = totals.get(q, 0)
            development.append([quarter_name(q), share(shown["theme"], total if total >= self.minimum else None)])
        return development

    def run_summary(self) -> dict | None:
        if self.run is None:
            return None
        return {"id": self.run.id, "period": self.run.period, "first_period": self.run.first_period,
                "first_period_name": quarter_name(self.run.first_period),
                "created_at": self.run.created_at.date().isoformat(), "code_version": self.run.code_version,
                "answers": self.run.answer_count, "trained": self.run.trained,
                "themes": len(self.run.themes)}


def part_time_counts(session: Session, organisation_id: int, period: str) -> dict[str, int]:
    """Leavers in a part-time position (under 100 %) who did and did not want a larger one."""
    start, end = parse_quarter(period)
    position, wanted = aliased(Answer), aliased(Answer)
    rows = session.execute(
        select(wanted.value_text, func.count())
        .select_from(Response)
        .join(QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id)
        .join(position, and_(position.response_id == Response.id, position.question == "position_now"))
        .join(wanted, and_(wanted.response_id == Response.id, wanted.question == "wanted_larger"))
        .where(Response.organisation_id == organisation_id, QuestionnaireVersion.questionnaire_key == "sluttsamtale",
               Response.submitted_on >= start, Response.submitted_on <= end, position.value_num < 100)
        .group_by(wanted.value_text)).all()
    counts = {"yes": 0, "no": 0}
    for value, n in rows:
        if value in counts:
            counts[value] += n
    return counts


def part_time_shown(counts: dict[str, int], minimum: int) -> dict:
    """The part-time figures as an organisation's report shows them."""
    shown = suppress(counts, minimum)
    total = sum(counts.values())
    total_shown = visible(total, minimum)
    return {"part_time": total_shown, "wanted_larger": shown["yes"], "no": shown["no"],
            "share": share(shown["yes"], total_shown)}


def count_hidden(content) -> int:
    """Hidden cells in all tables of the content: the method section reports this number."""
    found = 0
    if isinstance(content, dict):
        if "rows" in content and "columns" in content:
            return sum(1 for row in content["rows"] for v in row["values"] if v is None)
        return sum(count_hidden(v) for v in content.values())
    if isinstance(content, list):
        return sum(count_hidden(v) for v in content)
    return found
