"""The overview: the key figures of the latest released quarter, each with its base, the change
from the quarter before and from the same quarter a year before, and the page behind it.

Every figure is read from the same releases as the results page (``services.released``), so the
overview shows a figure exactly where the results page would, for the same reader: HR the whole
organisation, a leader their own units. Labels and definitions are the view's (translated); this
module only counts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from analysis.stats import two_proportions

from survey_app.definitions.model import Question, Questionnaire
from survey_app.models import Organisation
from survey_app.privacy import response_rate, share
from survey_app.privacy.periods import released_blocks
from survey_app.services import dashboard, released
from survey_app.services.dashboard import TOTAL, Scope, build_table
from survey_app.services.figures import turnover

EXIT = "sluttsamtale"
ONBOARDING = "onboarding"
TENURE = "months_employed"
STAGES = ("under_3", "m3_9")  # the check-ins after about one and about six months
DIMENSIONS = ("leiing", "medarbeidarskap", "kompetanse", "endringskraft")
TOP_CAUSES = 3
FAVOURABLE = ("4", "5")  # "Litt einig" and "Heilt einig" on the agreement scale (definitions.scales)


@dataclass
class Value:
    """One figure in one quarter: ``value`` (None where not shown), its base ``n`` and, for a share,
    the ``part`` of the base it counts ("12 av 43")."""
    value: float | None = None
    n: int | None = None
    part: int | None = None

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass
class Figure:
    id: str                 # what it is: "leavers", "response_rate:sluttsamtale", "cause:lonn", ...
    kind: str               # "count", "percent" (a share, its change in points) or "score" (a mean)
    values: dict = field(default_factory=dict)  # "now", "before", "year_ago" -> Value
    link: dict = field(default_factory=dict)    # url_for arguments of the page behind it
    label: str = ""         # where the name comes from the data (a cause, a questionnaire's title)
    decimals: int = 0       # turnover has one, as on the results page

    def change(self, than: str) -> float | None:
        now, then = self.values.get("now"), self.values.get(than)
        if now is None or then is None or not now.shown or not then.shown:
            return None
        return now.value - then.value

    def chance(self, than: str) -> bool:
        """Whether chance is a likely explanation of a change in a share (``analysis.stats``: a
        two-proportion test at 5 %, and 20 answers or more on each side)."""
        now, then = self.values.get("now"), self.values.get(than)
        if self.kind != "percent" or self.change(than) is None or None in (now.part, now.n, then.part, then.n):
            return False
        return not two_proportions((then.part, then.n), (now.part, now.n)).significant


@dataclass
class Overview:
    quarters: dict              # "now", "before", "year_ago" -> quarter label (or None)
    figures: list[Figure]


def compared_quarters(blocks) -> dict:
    """The latest released quarter, the one before it and the same quarter a year before."""
    quarters = [b.label for b in blocks if b.kind == "quarter"]  # the latest first
    return {"now": quarters[0] if quarters else None, "before": quarters[1] if len(quarters) > 1 else None,
            "year_ago": quarters[4] if len(quarters) > 4 else None}


class _Tables:
    """Tables of one quarter through a release; one scope (one count of the answers) per
    questionnaire, quarter and breakdown."""

    def __init__(self, session: Session, organisation: Organisation, unit_ids, units, minimum: int, language: str):
        self.session, self.organisation, self.unit_ids = session, organisation, unit_ids
        self.units, self.minimum, self.language = units, minimum, language
        self.scopes: dict = {}

    def get(self, questionnaire: Questionnaire, question: Question, quarter: str, release, by: str = "none"):
        key = (questionnaire.key, quarter, by)
        if key not in self.scopes:
            self.scopes[key] = Scope(self.organisation, questionnaire, [quarter], by, self.unit_ids, self.language,
                                     block=quarter)
        return build_table(self.session, self.scopes[key], question, self.units, self.minimum, release)


def build(session: Session, organisation: Organisation, registry, unit_ids: frozenset | None, language: str,
          today: date) -> Overview:
    minimum = organisation.min_group_size
    blocks = released_blocks(today, 8)
    quarters = compared_quarters(blocks)
    if quarters["now"] is None:
        return Overview(quarters, [])
    asked = {name: q for name, q in quarters.items() if q}
    units = dashboard.units_of(session, organisation)
    tables = _Tables(session, organisation, unit_ids, units, minimum, language)
    figures: list[Figure] = []

    def results(questionnaire: str, **args) -> dict:
        return {"endpoint": "hr.results", "q": questionnaire, "period": quarters["now"], **args}

    # Leavers from the HR system, and turnover against the imported headcount.
    leavers = released.leavers_for(session, organisation, unit_ids, blocks, minimum)
    exit_questionnaire = registry.get(EXIT)
    count = Figure("leavers", "count", link=results(EXIT))
    rate = Figure("turnover", "percent", link=results(EXIT, _anchor="turnover"), decimals=1)
    for name, quarter in asked.items():
        shown = leavers.count(("org", quarter))
        count.values[name] = Value(shown, shown)
        scope = Scope(organisation, exit_questionnaire, [quarter], "sector", unit_ids, language, block=quarter)
        total = [row for row in turnover(session, scope, units, minimum, shown is not None) if row["label"] is None]
        found = total[0] if total else None
        rate.values[name] = (Value(found["rate"], found["headcount"], found["leavers"])
                             if found and found["rate"] is not None else Value())
    figures += [count, rate]

    # Response rate per questionnaire: those who answered an invitation of the quarter, of those invited.
    follow_up = released.follow_up_for(session, organisation, units, unit_ids, blocks, minimum)
    for questionnaire in registry:
        if not any(key[0] == "questionnaire" and key[1] == questionnaire.key for key in follow_up.sizes):
            continue
        figure = Figure(f"response_rate:{questionnaire.key}", "percent", link={"endpoint": "hr.invitations_page"},
                        label=questionnaire.title(language))
        for name, quarter in asked.items():
            key = ("questionnaire", questionnaire.key, quarter)
            figure.values[name] = Value()
            if key in follow_up.sizes and follow_up.status(key) == "shown":
                invited, answered, value = response_rate(follow_up.counts[key], follow_up.sizes[key], minimum)
                figure.values[name] = Value(value, invited, answered)
        figures.append(figure)

    if exit_questionnaire is not None:
        figures += _exit_figures(session, organisation, exit_questionnaire, units, unit_ids, blocks, minimum, asked,
                                 tables, results)
    onboarding = registry.get(ONBOARDING)
    if onboarding is not None and any(q.name == TENURE for q in onboarding.questions):
        figures += _onboarding_figures(session, organisation, onboarding, units, unit_ids, blocks, minimum, asked,
                                       tables, results)
    return Overview(quarters, figures)


def _exit_figures(session, organisation, questionnaire, units, unit_ids, blocks, minimum, asked, tables,
                  results) -> list[Figure]:
    """What leavers answered: how many, their main reasons, would they recommend us, the pillars."""
    release = released.respondent_family(session, organisation, questionnaire, units, unit_ids, blocks, minimum)
    figures = []
    answers = Figure("responses:" + EXIT, "count", link=results(EXIT))
    for name, quarter in asked.items():
        shown = release.count(("org", quarter))
        answers.values[name] = Value(shown, shown)
    figures.append(answers)
    questions = {q.name: q for q in questionnaire.questions}
    if "main_reason" in questions:
        found = {name: tables.get(questionnaire, questions["main_reason"], quarter, release)
                 for name, quarter in asked.items()}
        now = found["now"]
        labels = dict(now.row_labels)
        ranked = sorted((key for key in labels if now.cells.get((key, TOTAL))),
                        key=lambda key: -now.cells[(key, TOTAL)])
        for key in ranked[:TOP_CAUSES]:
            cause = Figure(f"cause:{key}", "percent", label=labels[key],
                           link=results(EXIT, _anchor="h-main_reason"))
            for name, table in found.items():
                cause.values[name] = Value(table.percent(key, TOTAL), table.totals.get(TOTAL),
                                           table.cells.get((key, TOTAL)))
            figures.append(cause)
    if "recommend" in questions:
        score = Figure("recommend", "score", link=results(EXIT, _anchor="h-recommend"))
        for name, quarter in asked.items():
            table = tables.get(questionnaire, questions["recommend"], quarter, release)
            mean = table.extra.get("mean", {}).get(TOTAL)
            score.values[name] = Value(mean, table.totals.get(TOTAL) if mean is not None else None)
        figures.append(score)
    for dimension in DIMENSIONS:
        members = [q for q in questionnaire.questions
                   if q.type == "likert5" and q.data.get("dimension") == dimension]
        if not members:
            continue
        pillar = Figure(f"pillar:{dimension}", "percent", link=results(EXIT))
        for name, quarter in asked.items():
            pillar.values[name] = favourable([tables.get(questionnaire, q, quarter, release) for q in members])
        figures.append(pillar)
    return figures


def _onboarding_figures(session, organisation, questionnaire, units, unit_ids, blocks, minimum, asked, tables,
                        results) -> list[Figure]:
    """How the first months went for new employees (agreement answers pooled over the check-in), for
    those in their first three months and those three to nine months in."""
    release = released.respondent_family(session, organisation, questionnaire, units, unit_ids, blocks, minimum)
    members = [q for q in questionnaire.questions if q.type == "likert5"]
    by = f"q:{TENURE}"
    figures = []
    for stage in STAGES:
        figure = Figure(f"onboarding:{stage}", "percent", link=results(ONBOARDING, by=by))
        for name, quarter in asked.items():
            figure.values[name] = favourable([tables.get(questionnaire, q, quarter, release, by) for q in members],
                                             f"a{stage}")
        figures.append(figure)
    return figures


def favourable(tables, column: str = TOTAL) -> Value:
    """The share of agreement answers that agree (4 or 5), pooled over the questions of a pillar;
    shown only where the group of respondents is shown (the same group for every question)."""
    answers = agreeing = 0
    for table in tables:
        n = table.totals.get(column)
        if n is None:
            return Value()
        answers += n
        agreeing += sum(table.cells.get((row, column)) or 0 for row in FAVOURABLE)
    if not answers:
        return Value()
    return Value(share(agreeing, answers), answers, agreeing)
