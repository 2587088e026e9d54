"""What every section of a quarterly report reads, computed once: the periods, the privacy gate's
releases, the analysis run, and the figures several sections and the findings share.

A section is a function of this context (``reports.sections``); it never leaves facts behind for
another section to pick up. Where two sections need the same figure (the main-reason trend, a
quarter's key figures, a gated table), they ask the context, which computes it the first time and
hands out the same object after that, so the order of the sections changes nothing.

Every figure goes through the group gate (``privacy.groups`` via ``services.released``) with the
same families the results pages use, over the same fixed blocks they offered when the quarter
closed, and with what earlier reports showed counted as shown: ``shown`` records what this report
shows, and the stored report keeps it for the next one.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable

from sqlalchemy.orm import Session

from survey_app.models import AnalysisRun, Organisation
from survey_app.periods import quarters_up_to
from survey_app.privacy import response_rate, visible
from survey_app.privacy.groups import Release
from survey_app.privacy.periods import blocks_ending
from survey_app.services import dashboard, figures, released
from survey_app.services import analysis_runs
from survey_app.services.analysis_runs import run_gate
from survey_app.services.dashboard import Scope

TREND_QUARTERS = 8
EXIT = "sluttsamtale"


WHY_TEXT = "main_reason_text"   # "In your own words, why are you leaving?"
STAY_TEXT = "stay_text"         # "What could have made you stay?"


def latest_run(session: Session, organisation: Organisation, period: str,
               question: str = WHY_TEXT) -> AnalysisRun | None:
    return analysis_runs.latest_run(session, organisation, period, question, EXIT)




class RunView:
    """One analysis run as the report reads it: its analysed answers and the gate's release of them."""

    def __init__(self, context: "ReportContext", run: AnalysisRun | None):
        self.context, self.run = context, run
        self.rows, self.release = (run_gate(context.session, run, context.minimum) if run is not None
                                   else ([], None))

    def status(self, key) -> str:
        if self.release is None or key not in self.release.sizes:
            return "small"
        state = self.release.status(key)
        if state == "shown":
            self.context.shown[released.run_family_id(self.run.id)].add(key)
        return state


class ReportContext:
    def __init__(self, session: Session, organisation: Organisation, period: str, language: str, registry,
                 run: AnalysisRun | None = None):
        self.session, self.organisation, self.period = session, organisation, period
        self.language, self.registry = language, registry
        self.minimum = organisation.min_group_size
        self.units = dashboard.units_of(session, organisation)
        self.quarters = quarters_up_to(period, TREND_QUARTERS)
        self.previous = self.quarters[-2]
        self.last_year = self.quarters[-5]
        self.year = self.quarters[-4:]   # the last four quarters, for yearly figures
        self.run = run if run is not None else latest_run(session, organisation, period)
        self.exit = registry.get(EXIT)
        self._memo: dict = {}
        # The blocks the results pages offered when this quarter closed, and what earlier reports
        # showed: the report is one more reader of the same releases.
        self.blocks = blocks_ending(period, TREND_QUARTERS)
        self.releases: dict[str, Release] = {}
        self.shown: dict[str, set] = defaultdict(set)   # the groups this report shows, per family
        self.follow_up = released.remembered(
            session, organisation, released.FOLLOW_UP, "",
            lambda seen: released.follow_up_family(session, organisation, self.units, self.minimum, self.blocks,
                                                   None, seen.own))
        self.invited = self.follow_up.sizes
        # Leavers from the HR system, released over the same blocks as the results pages show them.
        self.leavers = released.remembered(
            session, organisation, released.LEAVERS, "",
            lambda seen: released.leavers_release(session, organisation, None, self.blocks, self.minimum, seen.own))
        self.why = RunView(self, self.run)

    def analysis(self, question: str) -> RunView:
        """The newest run over one free-text question of the exit questionnaire, through the gate."""
        if question == WHY_TEXT:
            return self.why
        return self.once(("run", question),
                         lambda: RunView(self, latest_run(self.session, self.organisation, self.period, question)))

    def once(self, key, compute: Callable):
        """``compute()`` the first time ``key`` is asked for, the same result after that."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # -- the gate ------------------------------------------------------------------------------
    def family(self, key: str) -> Release | None:
        """The release of a questionnaire's respondents: units and every background answer together."""
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None
        name = released.family_id(questionnaire)
        if name not in self.releases:
            self.releases[name] = released.respondent_family(self.session, self.organisation, questionnaire,
                                                             self.units, None, self.blocks, self.minimum)
        return self.releases[name]

    def status(self, key: str, group) -> str:
        """Whether ``group`` of questionnaire ``key``'s respondents is shown (and if so, remember it)."""
        release = self.family(key)
        if release is None or group not in release.sizes:
            return "small"
        state = release.status(group)
        if state == "shown":
            self.shown[released.family_id(self.registry.get(key))].add(group)
        return state

    def respondents(self, key: str, quarters: list[str]) -> tuple[int | None, str]:
        """How many answered questionnaire ``key`` in each of ``quarters`` together, where every one
        of those quarters is a shown group, and the status that says why not otherwise."""
        statuses = [self.status(key, ("org", q)) for q in quarters]
        family = self.family(key)
        if family is None:
            return None, "empty"
        if all(s == "shown" for s in statuses):
            return sum(family.count(("org", q)) for q in quarters), "shown"
        return None, next(s for s in statuses if s != "shown")

    def scope(self, key: str, periods: list[str], by: str = "none", block: str | None = None) -> Scope | None:
        """One Scope per (questionnaire, periods, breakdown), so its tables share one count."""
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None
        label = block or (periods[0] if len(periods) == 1 else None)
        return self.once(("scope", key, tuple(periods), by, label),
                         lambda: Scope(self.organisation, questionnaire, periods, by, None, self.language,
                                       block=label))

    def gated_table(self, key: str, question_name: str, by: str = "none", block=None) -> dashboard.Table | None:
        """A dashboard table for the quarter (or a fixed block), through the family that covers its columns."""
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None
        periods = list(block.quarters) if block is not None else [self.period]
        return self.once(("table", key, question_name, by, block.label if block is not None else self.period),
                         lambda: self._gated_table(questionnaire, question_name, periods, by, block))

    def _gated_table(self, questionnaire, question_name, periods, by, block):
        scope = self.scope(questionnaire.key, periods, by, block.label if block is not None else None)
        result = dashboard.build_table(self.session, scope, questionnaire.question(question_name), self.units,
                                       self.minimum, release=self.family(questionnaire.key))
        name = released.family_id(questionnaire)
        for group in result.groups:
            if result.status.get(group.key) == "shown":
                self.shown[name].add(dashboard.release_key(scope, group.key))
        return result

    def trend(self, key: str, question_name: str) -> dashboard.Table | None:
        """A question's answers per quarter over the report's eight quarters."""
        questionnaire = self.registry.get(key)
        if questionnaire is None:
            return None

        def compute():
            scope = self.scope(key, self.quarters)
            result = dashboard.trend_table(self.session, scope, questionnaire.question(question_name), self.minimum,
                                           TREND_QUARTERS, release=self.family(key))
            for q in self.quarters:
                self.status(key, ("org", q))
            return result
        return self.once(("trend", key, question_name), compute)

    @property
    def main_reason(self) -> dashboard.Table | None:
        """The main reason for leaving per quarter: the trend the summary, the causes, the actions and
        the assessment all rest on."""
        return self.trend(EXIT, "main_reason") if self.exit is not None else None

    def latest_block(self, key: str):
        """The newest fixed block (the quarter, else the latest half-year or year before it) whose
        respondents to questionnaire ``key`` are a shown group: how a questionnaire with few answers
        a quarter is pooled without a rolling window that could be subtracted from the next one."""
        family = self.family(key)
        if family is None:
            return None
        return next((b for b in self.blocks if family.status(("org", b.label)) == "shown"), self.blocks[0])

    # -- figures several sections share --------------------------------------------------------
    def quarter_figures(self, label: str) -> dict:
        """Leavers, answers, response rate, turnover and new hires of one quarter, as shown."""
        return self.once(("quarter", label), lambda: self._quarter_figures(label))

    def _quarter_figures(self, label: str) -> dict:
        responses_status = self.status(EXIT, ("org", label)) if self.exit is not None else "empty"
        exit_family = self.family(EXIT)
        key = ("questionnaire", EXIT, label)
        invited = answered = rate = None
        rate_status = "empty" if not self.invited.get(key) else self.follow_up.status(key)
        if key in self.follow_up.sizes and self.follow_up.status(key) == "shown":
            self.shown[released.FOLLOW_UP].add(key)
            invited, answered, rate = response_rate(self.follow_up.counts[key], self.invited[key], self.minimum)
        turnover = self.turnover_rows(label)
        total = turnover[-1] if turnover else None
        counted = figures.employees_in(self.session, self.organisation.id, label) is not None
        return {"rate_status": rate_status, "turnover_status": None if counted else "empty",
                "leavers": self.leavers.count(("org", label)) if ("org", label) in self.leavers.sizes else None,
                "responses": exit_family.count(("org", label)) if responses_status == "shown" else None,
                "responses_status": responses_status,
                "invited": invited, "answered": answered, "response_rate": rate,
                "new_hires": visible(figures.new_hires_in(self.session, self.organisation.id, label), self.minimum),
                "turnover": total["rate"] if total else None, "headcount": total["headcount"] if total else None}

    def turnover_rows(self, label: str) -> list[dict]:
        """Leavers over employees per sector and unit in one quarter (``services.figures.turnover``)."""
        def compute():
            scope = self.scope(EXIT, [label])
            return figures.turnover(self.session, scope, self.units, self.minimum,
                                    self.leavers.status(("org", label)) == "shown") if scope is not None else []
        return self.once(("turnover", label), compute)
