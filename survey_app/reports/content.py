"""Everything a quarterly report shows, as plain data, after the privacy gate.

``prepare`` reads the database and returns a JSON-ready dict: tables (numbers, ``None`` for a
hidden figure, and why a column or a figure is hidden), charts (label and share), quotes and
findings. Rendering never touches the database again, which is what makes a stored report
reproducible: the same content always gives the same PDF, and preparing it again tells whether the
data has changed since.

Every figure goes through the group gate (``privacy.groups`` via ``services.released``) with the
same families the results pages use, over the same fixed blocks they offered when the quarter
closed, and with what earlier reports showed counted as shown (``content["released"]`` records
what this one shows). A group of respondents large enough shows its whole distribution, average
and share; a smaller one is one line saying so. The report can therefore show nothing a results
page would hide, and no two reports or pages can be subtracted from each other.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis import code_version
from analysis.stats import UNCERTAIN_BELOW
from survey_app.models import (
    Action, AnalysedAnswer, AnalysisRun, Answer, Headcount, Organisation, Person, Theme,
)
from survey_app.period_names import block_name, quarter_name, quarter_short
from survey_app.periods import parse_quarter, quarter_label, quarters_up_to
from survey_app.privacy import comment_minimum, response_rate, share, visible
from survey_app.privacy.groups import Release
from survey_app.privacy.periods import blocks_ending
from survey_app.reports import findings as rules
from survey_app.reports.layout import before_after, chart, count_hidden, count_values, partition_chart, table
from survey_app.services import dashboard, figures, released
from survey_app.services.analysis_runs import run_gate
from survey_app.services.dashboard import TOTAL, Scope

TREND_QUARTERS = 8
QUOTES_PER_THEME = 2
LIKERT_AGREE = (4, 5)
STATUS_ORDER = ("started", "planned", "done", "stopped")
PART_TIME_BANDS = ("under_50", "p50_79", "p80_99")


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
        # The blocks the results pages offered when this quarter closed, and what earlier reports
        # showed: the report is one more reader of the same releases.
        self.blocks = blocks_ending(period, TREND_QUARTERS)
        self._releases: dict[str, Release] = {}
        self.shown: dict[str, set] = defaultdict(set)   # the groups this report shows, per family
        # Each release counts what the organisation's reports and HR's pages have shown before.
        self.follow_up = released.remembered(
            session, organisation, released.FOLLOW_UP, "",
            lambda seen: released.follow_up_family(session, organisation, self.units, self.minimum, self.blocks,
                                                   None, seen.own))
        self.invited = self.follow_up.sizes
        # Leavers from the HR system, released over the same blocks as the results pages show them.
        self.leavers = released.remembered(
            session, organisation, released.LEAVERS, "",
            lambda seen: released.leavers_release(session, organisation, None, self.blocks, self.minimum, seen.own))
        self.run_rows, self.run_release = (run_gate(session, self.run, self.minimum) if self.run is not None
                                           else ([], None))

    # -- the gate ------------------------------------------------------------------------------
    def family(self, key: str) -> Release | None:
        """The release of a questionnaire's respondents: units and every background answer together."""
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None
        name = released.family_id(questionnaire)
        if name not in self._releases:
            self._releases[name] = released.respondent_family(self.session, self.organisation, questionnaire,
                                                              self.units, None, self.blocks, self.minimum)
        return self._releases[name]

    def status(self, name: str, release: Release, key) -> str:
        """Whether group ``key`` of a family is shown (and if so, remember that this report shows it)."""
        if key not in release.sizes:
            return "small"
        status = release.status(key)
        if status == "shown":
            self.shown[name].add(key)
        return status

    def scope(self, key: str, periods: list[str], by: str = "none") -> Scope | None:
        """One Scope per (questionnaire, periods, breakdown), so its tables share one count."""
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None
        wanted = (key, tuple(periods), by)
        if wanted not in self._scopes:
            self._scopes[wanted] = Scope(self.organisation, questionnaire, periods, by, None, self.language,
                                         block=periods[0] if len(periods) == 1 else None)
        return self._scopes[wanted]

    def block_scope(self, key: str, block, by: str = "none") -> Scope | None:
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None
        wanted = (key, block.label, by)
        if wanted not in self._scopes:
            self._scopes[wanted] = Scope(self.organisation, questionnaire, list(block.quarters), by, None,
                                         self.language, block=block.label)
        return self._scopes[wanted]

    def gated_table(self, key: str, question_name: str, periods: list[str] | None = None, by: str = "none",
                    block=None) -> dashboard.Table | None:
        """A dashboard table for one quarter (or block), through the family that covers its columns."""
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None
        scope = self.block_scope(key, block, by) if block is not None else self.scope(key, periods or [self.period], by)
        family = self.family(key)
        result = dashboard.build_table(self.session, scope, questionnaire.question(question_name), self.units,
                                       self.minimum, release=family)
        name = released.family_id(questionnaire)
        for group in result.groups:
            if result.status.get(group.key) == "shown":
                self.shown[name].add(dashboard.release_key(scope, group.key))
        return result

    def build(self, meeting_date: date | None) -> dict:
        content = {
            "kind": "organisation",
            "organisation": {"name": self.organisation.name, "slug": self.organisation.slug},
            "period": self.period, "period_name": quarter_name(self.period), "language": self.language,
            "meeting_date": meeting_date.isoformat() if meeting_date else None,
            "minimum": self.minimum, "quote_minimum": comment_minimum(self.minimum),
            "uncertain_below": UNCERTAIN_BELOW, "code_version": code_version(),
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
        content["figures"] = count_values(content)
        content["released"] = {name: sorted((list(key) for key in keys), key=repr)
                               for name, keys in sorted(self.shown.items()) if keys}
        return content

    # -- key figures -------------------------------------------------------------------------
    def quarter_figures(self, label: str) -> dict:
        scope = self.scope("sluttsamtale", [label])
        exit_family = self.family("sluttsamtale")
        responses_status = self.status(released.family_id(self.exit), exit_family, ("org", label))
        key = ("questionnaire", "sluttsamtale", label)
        rate = None
        invited = answered = None
        rate_status = "empty" if not self.invited.get(key) else self.follow_up.status(key)
        if key in self.follow_up.sizes and self.follow_up.status(key) == "shown":
            self.shown[released.FOLLOW_UP].add(key)
            invited, answered, rate = response_rate(self.follow_up.counts[key], self.invited[key], self.minimum)
        start, end = parse_quarter(label)
        hires = self.session.scalar(select(func.count(Person.id)).where(
            Person.organisation_id == self.organisation.id, Person.kind == "new_hire",
            Person.start_date >= start, Person.start_date <= end)) or 0
        turnover = figures.turnover(self.session, scope, self.units, self.minimum,
                                    self.leavers.status(("org", label)) == "shown")
        total = turnover[-1] if turnover else None
        counted = self.session.scalar(select(func.count(Headcount.id)).where(
            Headcount.organisation_id == self.organisation.id, Headcount.period == label))
        return {"rate_status": rate_status, "turnover_status": None if counted else "empty",
                "leavers": self.leavers.count(("org", label)) if ("org", label) in self.leavers.sizes else None,
                "responses": exit_family.count(("org", label)) if responses_status == "shown" else None,
                "responses_status": responses_status,
                "invited": invited, "answered": answered, "response_rate": rate,
                "new_hires": visible(hires, self.minimum),
                "turnover": total["rate"] if total else None, "headcount": total["headcount"] if total else None}

    def key_figures(self) -> dict:
        wanted = [self.last_year, self.previous, self.period]
        by_quarter = {label: self.quarter_figures(label) for label in wanted}
        self.facts.update({"figures": by_quarter, "current": self.period, "previous": self.previous,
                           "last_year": self.last_year})
        rows = [
            {"label": _("People who left (from the HR system)"), "values": [by_quarter[q]["leavers"] for q in wanted]},
            {"label": _("Exit questionnaires answered"), "values": [by_quarter[q]["responses"] for q in wanted],
             "status": [by_quarter[q]["responses_status"] for q in wanted]},
            {"label": _("Response rate for invitations sent"), "values": [by_quarter[q]["response_rate"] for q in wanted],
             "bases": [[by_quarter[q]["answered"], by_quarter[q]["invited"]] for q in wanted], "fmt": "pct",
             "status": [by_quarter[q]["rate_status"] for q in wanted]},
            {"label": _("Turnover (leavers per employee)"), "values": [by_quarter[q]["turnover"] for q in wanted],
             "fmt": "pct1", "status": [by_quarter[q]["turnover_status"] for q in wanted]},
            {"label": _("New hires (from the HR system)"), "values": [by_quarter[q]["new_hires"] for q in wanted]},
        ]
        return table("key_figures", _("Key figures"), [quarter_name(q) for q in wanted], rows)

    # -- leavers, new hires, turnover ----------------------------------------------------------
    def people_section(self) -> dict:
        scope = self.scope("sluttsamtale", [self.period])
        rows = []
        for row in figures.turnover(self.session, scope, self.units, self.minimum,
                                    self.leavers.status(("org", self.period)) == "shown"):
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
            family = self.family(key)
            name = released.family_id(questionnaire)
            status = [self.status(name, family, ("org", q)) for q in self.quarters[-5:]]
            response_rows.append({"label": questionnaire.title(self.language),
                                  "values": [family.count(("org", q)) for q in self.quarters[-5:]],
                                  "status": status})
        responses_table = table("responses", _("Answered questionnaires per quarter"),
                                [quarter_name(q) for q in self.quarters[-5:]], response_rows)
        return {"turnover": turnover_table, "turnover_chart": turnover_chart, "responses": responses_table}

    # -- causes --------------------------------------------------------------------------------
    def causes_section(self) -> dict:
        if self.exit is None:
            return {}
        scope = self.scope("sluttsamtale", self.quarters)
        family = self.family("sluttsamtale")
        main = dashboard.trend_table(self.session, scope, self.exit.question("main_reason"), self.minimum,
                                     TREND_QUARTERS, release=family)
        for q in self.quarters:
            self.status(released.family_id(self.exit), family, ("org", q))
        trend = self._trend_as_table("main_reason_trend", _("Main reason for leaving, by quarter"), main)
        self.facts["main_reason"] = {"rows": main.row_labels, "cells": main.cells, "totals": main.totals}
        main_chart = partition_chart("main_reason_chart", _("Main reason for leaving, %(quarter)s (share of answers)",
                                                            quarter=quarter_name(self.period)), main, self.period)
        other = dashboard.trend_table(self.session, scope, self.exit.question("other_reasons"), self.minimum,
                                      TREND_QUARTERS, release=family)
        other_table = self._trend_as_table("other_reasons_trend", _("Other reasons that mattered, by quarter"), other)
        text_table = self._free_text_causes()
        return {"trend": trend, "chart": main_chart, "other": other_table, "free_text": text_table}

    def _trend_as_table(self, id: str, title: str, trend: dashboard.Table) -> dict:
        rows = [{"label": label, "values": [trend.cells.get((key, q)) for q in self.quarters]}
                for key, label in trend.row_labels]
        rows.append({"label": _("Respondents"), "values": [trend.totals.get(q) for q in self.quarters], "strong": True})
        return table(id, title, [quarter_short(q) for q in self.quarters], rows,
                     status=[trend.status.get(q, "small") for q in self.quarters])

    def _run_status(self, key) -> str:
        if self.run_release is None or key not in self.run_release.sizes:
            return "small"
        status = self.run_release.status(key)
        if status == "shown":
            self.shown[released.run_family_id(self.run.id)].add(key)
        return status

    def _free_text_causes(self) -> dict | None:
        """Causes the analysis read from the free text, per quarter: each quarter's writers are a group."""
        if self.run is None:
            return None
        counts: dict = defaultdict(int)
        for _theme, cause, period, _value in self.run_rows:
            counts[(cause, period)] += 1
        status = [self._run_status(("quarter", q)) for q in self.quarters]
        causes = [c for c in self.exit.question("main_reason").choice_values if c != "anna"]
        causes += sorted({c for c, _p in counts if c not in causes})
        question = self.exit.question("main_reason")
        rows = []
        for cause in causes:
            if not any(counts.get((cause, q)) for q in self.quarters):
                continue
            label = question.choice_text(cause, self.language) if cause in question.choice_values else _("Unclear")
            rows.append({"label": label, "values": [counts.get((cause, q), 0) if st == "shown" else None
                                                    for q, st in zip(self.quarters, status)]})
        rows.append({"label": _("Free-text answers"), "strong": True,
                     "values": [sum(counts.get((c, q), 0) for c in causes) if st == "shown" else None
                                for q, st in zip(self.quarters, status)]})
        return table("free_text_causes", _("Causes found in the free-text answers, by quarter"),
                     [quarter_short(q) for q in self.quarters], rows, status=status)

    # -- themes and quotes ---------------------------------------------------------------------
    def themes_section(self) -> dict:
        if self.run is None:
            return {"themes": [], "table": None}
        themes = list(self.session.scalars(select(Theme).where(Theme.run_id == self.run.id).order_by(Theme.number)))
        sizes: dict = defaultdict(int)
        now: dict = defaultdict(int)
        for theme_id, _cause, period, _value in self.run_rows:
            sizes[theme_id] += 1
            if period == self.period:
                now[theme_id] += 1
        all_status = self._run_status((released.RUN,))
        now_status = self._run_status(("quarter", self.period))
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
        total_all = sum(sizes.values())
        total_now = sum(now.values())
        if all_status == "shown":
            for theme in sorted(themes, key=lambda t: (-sizes.get(t.id, 0), t.number)):
                # Typical words are words from the answers: like quotes, only from a theme of enough writers.
                listed.append({"label": theme.label, "new": theme.is_new,
                               "terms": list(theme.top_terms or [])[:6] if sizes.get(theme.id, 0) >= quote_minimum else [],
                               "answers": sizes.get(theme.id, 0), "of": total_all,
                               "answers_now": now.get(theme.id, 0) if now_status == "shown" else None,
                               "of_now": total_now if now_status == "shown" else None,
                               "quotes": quotes.get(theme.id, [])})
        rows = [{"label": t["label"] + (" " + _("(new)") if t["new"] else ""),
                 "values": [t["answers_now"], t["answers"]]} for t in listed]
        if listed and sizes.get(None):
            rows.append({"label": _("No theme"), "values": [now.get(None, 0) if now_status == "shown" else None,
                                                          sizes[None]]})
        if listed:
            rows.append({"label": _("Free-text answers"), "strong": True,
                         "values": [total_now if now_status == "shown" else None, total_all]})
        self.facts["themes"] = listed
        return {"themes": listed, "hidden_themes": 0 if all_status == "shown" else len(themes),
                "table": table("themes", _("Themes in the free-text answers"),
                               [quarter_name(self.period), _("All %(count)s quarters", count=TREND_QUARTERS)], rows,
                               status=[now_status, all_status]) if listed else None}

    # -- heiltid -------------------------------------------------------------------------------
    def heiltid_section(self) -> dict:
        if self.exit is None:
            return {}
        position = self.gated_table("sluttsamtale", "position_now", by="sector")
        wanted = self.gated_table("sluttsamtale", "wanted_larger", by="sector")
        part_time = self._part_time_wanting_more()
        self.facts["heiltid"] = part_time
        return {"position": self._dashboard_table("position", _("Position size of those who left, by sector"), position),
                "wanted": self._dashboard_table("wanted_larger", _("Wanted a larger position, by sector"), wanted),
                "part_time": part_time}

    def _part_time_wanting_more(self) -> dict:
        """Those who left a part-time position, as the sum of the position-size groups below 100 %: it is
        shown when each of them is (a group of its own is never made up for it)."""
        wanted = self.gated_table("sluttsamtale", "wanted_larger", by="q:position_now")
        bands = [f"a{band}" for band in PART_TIME_BANDS]
        nothing = {"part_time": None, "wanted_larger": None, "no": None, "share": None}
        if all(wanted.status.get(b) == "shown" for b in bands):
            columns, sign = bands, [1] * len(bands)
        else:
            # Everyone less the full-time: the same figure, shown where it follows from shown groups.
            family = self.family("sluttsamtale")
            if (wanted.status.get(TOTAL) != "shown" or wanted.status.get("ap100") != "shown"
                    or family.sizes.get(("blank", "position_now", self.period), 0) != 0):
                return nothing
            columns, sign = [TOTAL, "ap100"], [1, -1]
        yes = sum(s * (wanted.cells.get(("yes", c)) or 0) for c, s in zip(columns, sign))
        no = sum(s * (wanted.cells.get(("no", c)) or 0) for c, s in zip(columns, sign))
        answered = sum(s * (wanted.totals.get(c) or 0) for c, s in zip(columns, sign))
        if 0 < answered < self.minimum:  # cannot happen through the release; kept as a last guard
            return nothing
        return {"part_time": answered, "wanted_larger": yes, "no": no, "share": share(yes, answered)}

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
        return table(id, title, columns, rows, status=[source.status.get(g.key, "shown") for g in source.groups])

    # -- where leavers go ----------------------------------------------------------------------
    def destination_section(self) -> dict:
        if self.exit is None:
            return {}
        source = self.gated_table("sluttsamtale", "destination")
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
            names = [q.name for q in onboarding.questions if q.type == "likert5" and q.section in ("start",)]
            result["onboarding"] = self._likert_table("onboarding", _("Onboarding check-ins: how the start went"),
                                                      "onboarding", names)
            stay = onboarding.question("intent_stay")
            source = self.gated_table("onboarding", "intent_stay")
            result["intent_stay"] = self._dashboard_table("intent_stay", stay.text(self.language), source)
        return result

    def _early_reasons(self) -> tuple[dict, dict]:
        """Main reasons of those who left within a year, of the rest, and of everyone: the answer
        group "under 1 year" of the tenure family; the rest is everyone less that group, shown where
        both are (the release never lets the rest be a small group)."""
        source = self.gated_table("sluttsamtale", "main_reason", by="q:tenure")
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
        tenure_facts = {"early": n_early, "all": n_all, "share": share(n_early, n_all) if shown_early else None}
        return tenure_facts, table("early_reasons", _("Main reason: those who left within a year, and the rest"),
                                   [_("Under 1 year"), _("1 year or more, or not given"), _("Everyone")], rows,
                                   status=[source.status.get(early, "small"), rest_status,
                                           source.status.get(everyone, "small")])

    def _likert_table(self, id: str, title: str, key: str, names: list[str], block=None) -> dict:
        """One row per 1–5 question: respondents, share who agree (4–5) and the average."""
        rows = []
        statuses = []
        for name in names:
            source = self.gated_table(key, name, block=block)
            question = self.registry.get(key).question(name)
            n = source.totals.get(TOTAL)
            agree = [source.cells.get((str(v), TOTAL)) for v in LIKERT_AGREE]
            agree_share = None if n is None or any(a is None for a in agree) else share(sum(agree), n)
            statuses.append(source.status.get(TOTAL, "small") if n != 0 else "empty")
            rows.append({"label": question.text(self.language),
                         "values": [n, agree_share, source.extra.get("mean", {}).get(TOTAL)],
                         "bases": [None, [sum(agree), n] if agree_share is not None else None, None],
                         "status": [statuses[-1] if statuses[-1] != "empty" else None] + [statuses[-1]] * 2,
                         "fmts": ["count", "pct", "mean"]})
        return table(id, title, [_("Respondents"), _("Agree (4–5)"), _("Average (1–5)")], rows)

    # -- recruitment ---------------------------------------------------------------------------
    def recruitment_section(self) -> dict:
        hiring = self.registry.get("rekruttering")
        if hiring is None:
            return {}
        channel = self.gated_table("rekruttering", "channel")
        names = [q.name for q in hiring.questions if q.type == "likert5"]
        recommend = self.gated_table("rekruttering", "recommend")
        self.facts["recruitment"] = {"n": channel.totals.get(TOTAL)}
        return {"channel": self._dashboard_table("channel", _("How new employees found the job"), channel),
                "channel_chart": partition_chart("channel_chart", _("How new employees found the job (share of answers)"),
                                                 channel, TOTAL),
                "experience": self._likert_table("hiring_experience", _("The hiring experience"), "rekruttering", names),
                "recommend": {"n": recommend.totals.get(TOTAL), "mean": recommend.extra.get("mean", {}).get(TOTAL),
                              "net": recommend.extra.get("net", {}).get(TOTAL)}}

    # -- apprentices ---------------------------------------------------------------------------
    def apprentices_section(self) -> dict:
        """Apprentices are few: the latest fixed block (the quarter, else its half-year or year)
        whose apprentices are a group large enough."""
        questionnaire = self.registry.get("laerling")
        if questionnaire is None:
            return {}
        family = self.family("laerling")
        chosen = next((b for b in self.blocks if family.status(("org", b.label)) == "shown"), self.blocks[0])
        names = [q.name for q in questionnaire.questions if q.type == "likert5"]
        offered = self.gated_table("laerling", "offered_job", block=chosen)
        wants = self.gated_table("laerling", "wants_job", block=chosen)
        return {"periods": [quarter_name(chosen.quarters[0]), quarter_name(chosen.quarters[-1])],
                "block": chosen.label, "block_name": block_name(chosen),
                "experience": self._likert_table("apprentice_experience", _("Apprentices: training and belonging"),
                                                 "laerling", names, block=chosen),
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
                development = [[quarter_name(q), main["cells"].get((action.cause, q)), main["totals"].get(q)]
                               for q in window]
            elif action.theme_label:
                target = action.theme_label
                development = self._theme_development(action.theme_label, window)
            listed.append({"title": action.title, "description": action.description, "responsible": action.responsible,
                           "started_on": action.started_on.isoformat(),
                           "due_on": action.due_on.isoformat() if action.due_on else None,
                           "status": action.status, "target": target,
                           "development": [[name, share(k, n), k, n] for name, k, n in development],
                           "effect": before_after(development)})
        return listed

    def _theme_development(self, label: str, window: list[str]) -> list:
        """A theme's answers among each quarter's writers, where those writers are a shown group."""
        if self.run is None:
            return []
        theme_ids = set(self.session.scalars(select(Theme.id).where(Theme.run_id == self.run.id,
                                                                    Theme.label == label)))
        development = []
        for q in window:
            if self._run_status(("quarter", q)) != "shown":
                development.append([quarter_name(q), None, None])
                continue
            writers = [r for r in self.run_rows if r[2] == q]
            development.append([quarter_name(q), sum(1 for r in writers if r[0] in theme_ids), len(writers)])
        return development

    def run_summary(self) -> dict | None:
        if self.run is None:
            return None
        return {"id": self.run.id, "period": self.run.period, "first_period": self.run.first_period,
                "first_period_name": quarter_name(self.run.first_period),
                "created_at": self.run.created_at.date().isoformat(), "code_version": self.run.code_version,
                "answers": self.run.answer_count, "trained": self.run.trained,
                "themes": len(self.run.themes)}
