"""The regional edition: several municipalities on one host installation, side by side.

The regional total of a quarter is a group (everyone in the region who answered); each municipality
is a group of its own, and its own results pages and reports have already shown some of its groups
(its quarters, half-years and years). The regional edition is released together with everything
each member has made public: a member's column is shown where its own pages show it, and a regional
total only where neither the total nor the total less the members shown could give a small group
away, also through a member's years and half-years. A municipality belongs to one region only
(``services.regions``), so no other region can be subtracted from this one; what this edition
shows of a member is recorded, and the member's own later releases count it as shown.

The minimum is the strictest of the members'.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from analysis import code_version
from analysis.stats import UNCERTAIN_BELOW
from survey_app.models import Answer, QuestionnaireVersion, Region, Report, Response
from survey_app.periods import parse_quarter, quarter_label, quarters_up_to
from survey_app.privacy import share
from survey_app.privacy.groups import Group, Release, Sum, determined, release
from survey_app.privacy.periods import blocks_ending
from survey_app.period_names import quarter_name, quarter_short
from survey_app.reports.context import TREND_QUARTERS, ReportContext
from survey_app.reports.paper import Paper
from survey_app.reports.sections import heiltid
from survey_app.services import figures
from survey_app.reports.layout import chart, count_hidden, count_values, table

REGION = "__region__"
# The names under which this edition records what it showed (``content["released"]``).
REGION_FAMILY = "region:sluttsamtale"
MEMBER_FAMILY = "members:units:sluttsamtale"


def prepare(session: Session, region: Region, period: str, language: str, registry,
            meeting_date: date | None = None, paper: Paper | None = None) -> dict:
    parse_quarter(period)
    paper = paper or Paper(meeting_date=meeting_date)
    with force_locale(language):
        return _RegionBuilder(session, region, period, language, registry).build(paper)


def region_published(session: Session, region: Region) -> set:
    """The regional totals earlier editions of this region have shown."""
    found: set = set()
    for content in session.scalars(select(Report.content).where(Report.region_id == region.id)):
        found.update(tuple(key) for key in ((content or {}).get("released") or {}).get(REGION_FAMILY, []))
    return found


class _RegionBuilder:
    def __init__(self, session, region, period, language, registry):
        self.session, self.region, self.period, self.language = session, region, period, language
        self.registry = registry
        self.members = list(region.organisations)
        self.minimum = max([o.min_group_size for o in self.members] + [5])
        self.exit = registry.get("sluttsamtale")
        self.quarters = quarters_up_to(period, TREND_QUARTERS)
        self.start, self.end = parse_quarter(period)
        self.blocks = blocks_ending(period, TREND_QUARTERS)
        # Each member as its own report for the quarter sees it: what it has made public.
        self.own = {o.id: ReportContext(session, o, period, language, registry) for o in self.members}
        self.responses = self._response_release()

    def build(self, paper: Paper) -> dict:
        content = {
            "kind": "region", "region": {"name": self.region.name, "slug": self.region.slug},
            "organisation": {"name": self.region.name, "slug": self.region.slug},
            "members": [o.name for o in self.members],
            "period": self.period, "period_name": quarter_name(self.period), "language": self.language,
            "minimum": self.minimum, "uncertain_below": UNCERTAIN_BELOW, "code_version": code_version(),
        }
        content["key_figures"] = self.key_figures()
        content["causes"] = self.causes()
        content["trend"] = self.trend()
        content["part_time"] = self.part_time()
        content["paper"] = paper.as_content([])
        content["meeting_date"] = content["paper"]["meeting_date"]
        content["hidden_cells"] = count_hidden(content)
        content["figures"] = count_values(content)
        shown = self.responses.shown
        members = [key for key in determined(self.responses.groups, shown,
                                             [g.key for g in self.responses.groups if g.key[0] == "member"])]
        content["released"] = {REGION_FAMILY: sorted((list(k) for k in shown if k[0] == "region"), key=repr),
                               MEMBER_FAMILY: sorted(([k[1], k[2]] for k in members), key=repr)}
        return content

    # -- the gate ------------------------------------------------------------------------------
    def _public(self, organisation_id: int) -> set:
        """The blocks whose exit answers the member's own pages and reports show, or let anyone
        work out."""
        family = self.own[organisation_id].family("sluttsamtale")
        if family is None:
            return set()
        targets = [g.key for g in family.groups if g.key[0] == "org"]
        return {key[1] for key in determined(family.groups, family.shown, targets)}

    def _response_release(self) -> Release:
        """The regional totals per quarter and the members' blocks, released together; cells are
        (member, quarter)."""
        cells: dict = defaultdict(int)
        questionnaire = self.exit
        for o in self.members:
            family = self.own[o.id].family("sluttsamtale") if questionnaire else None
            if family is None:
                continue
            for q in self.quarters:
                cells[(o.id, q)] = family.sizes.get(("org", q), 0)
        rank = {b.label: i for i, b in enumerate(self.blocks)}
        groups, sums, published = [], [], []
        for b in self.blocks:
            for o in self.members:
                key = ("member", o.id, b.label)
                groups.append(Group(key, frozenset((o.id, q) for q in b.quarters), (1, rank[b.label]),
                                    offered=False))
            if b.kind == "quarter":
                groups.append(Group(("region", b.label), frozenset((o.id, b.label) for o in self.members),
                                    (0, rank[b.label])))
                sums.append(Sum(("region", b.label), tuple(("member", o.id, b.label) for o in self.members)))
        published += [("member", o.id, label) for o in self.members for label in self._public(o.id)]
        published += region_published(self.session, self.region)
        return release(groups, cells, self.minimum, sums, published=published)

    def _member_shown(self, organisation_id: int, quarter: str) -> bool:
        return ("member", organisation_id, quarter) in self.responses.shown

    def _with_region(self, counts: dict[int, int], public: dict[int, bool]) -> dict:
        """Counts of people per member (leavers, employees, invited) and for the region: a member's
        count where its own report shows it, the region's where the members not shown together are
        no small group."""
        groups = [Group(("member", m), frozenset({m}), (1,), offered=public[m]) for m in counts]
        groups.append(Group((REGION,), frozenset(counts), (0,)))
        sums = [Sum((REGION,), tuple(("member", m) for m in counts))]
        result = release(groups, counts, self.minimum, sums, published=[("member", m) for m in counts if public[m]])
        return {**{m: result.count(("member", m)) for m in counts}, REGION: result.count((REGION,))}

    # -- tables ----------------------------------------------------------------------------------
    def key_figures(self) -> dict:
        leavers = {o.id: figures.leavers_in(self.session, o.id, self.period) for o in self.members}
        heads = {o.id: figures.employees_in(self.session, o.id, self.period) or 0 for o in self.members}
        own_figures = {o.id: self.own[o.id].quarter_figures(self.period) for o in self.members}
        shown_leavers = self._with_region(leavers, {m: own_figures[m]["leavers"] is not None for m in leavers})
        shown_heads = self._with_region(heads, {m: own_figures[m]["headcount"] is not None for m in heads})
        key = ("questionnaire", "sluttsamtale", self.period)
        # The people invited are the group, as in each member's own report; answered is its distribution.
        invited = {o.id: self.own[o.id].invited.get(key, 0) for o in self.members}
        answered = {o.id: self.own[o.id].follow_up.counts.get(key, 0) for o in self.members}
        shown_answered = self._with_region(answered, {m: own_figures[m]["answered"] is not None for m in answered})
        rows = []
        for o in self.members + [None]:
            m = o.id if o else REGION
            if o is None:
                responses = self.responses.count(("region", self.period))
                responses_status = self.responses.status(("region", self.period))
                answered_n = sum(answered.values())
            else:
                responses = own_figures[m]["responses"] if self._member_shown(m, self.period) else None
                responses_status = "shown" if responses is not None else own_figures[m]["responses_status"]
                answered_n = answered[m]
            invited_n = sum(invited.values()) if o is None else invited[m]
            rate = share(answered_n, invited_n) if shown_answered[m] is not None and invited_n else None
            rows.append({"label": o.name if o else _("Region"), "strong": o is None,
                         "values": [shown_leavers[m], shown_heads[m], share(shown_leavers[m], shown_heads[m]),
                                    responses, rate],
                         "status": [None, None, None, responses_status, None],
                         "bases": [None, None, None, None,
                                   [answered_n, invited_n] if rate is not None else None],
                         "fmts": ["count", "count", "pct1", "count", "pct"]})
        return table("region_key_figures", _("Key figures by municipality, %(quarter)s", quarter=quarter_name(self.period)),
                     [_("Leavers"), _("Employees"), _("Turnover"), _("Exit questionnaires answered"),
                      _("Response rate")], rows)

    def _main_reasons(self, quarters: list[str]) -> dict:
        start, end = parse_quarter(quarters[0])[0], parse_quarter(quarters[-1])[1]
        counts: dict = defaultdict(int)
        for organisation_id, day, value, n in self.session.execute(
                select(Response.organisation_id, Response.submitted_on, Answer.value_text, func.count())
                .join(QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id)
                .join(Answer, and_(Answer.response_id == Response.id, Answer.question == "main_reason"))
                .where(Response.organisation_id.in_([o.id for o in self.members] or [-1]),
                       QuestionnaireVersion.questionnaire_key == "sluttsamtale",
                       Response.submitted_on >= start, Response.submitted_on <= end)
                .group_by(Response.organisation_id, Response.submitted_on, Answer.value_text)):
            counts[(value, organisation_id, quarter_label(day))] += n
        return counts

    def causes(self) -> dict:
        if self.exit is None:
            return {}
        question = self.exit.question("main_reason")
        causes = question.choice_values
        counts = self._main_reasons([self.period])
        members = [o.id for o in self.members]
        shown = {m: self._member_shown(m, self.period) for m in members}
        region_shown = ("region", self.period) in self.responses.shown

        def cell(c, m):
            return counts.get((c, m, self.period), 0) if shown[m] else None
        rows = [{"label": question.choice_text(c, self.language),
                 "values": [cell(c, m) for m in members]
                 + [sum(counts.get((c, m, self.period), 0) for m in members) if region_shown else None]}
                for c in causes]
        rows.append({"label": _("Respondents"), "strong": True,
                     "values": [self.responses.sizes[("member", m, self.period)] if shown[m] else None for m in members]
                     + [self.responses.count(("region", self.period))]})
        status = [("shown" if shown[m] else self._why(m)) for m in members] + \
            [self.responses.status(("region", self.period))]
        total = self.responses.count(("region", self.period))
        items = []
        if total:
            region_counts = {c: sum(counts.get((c, m, self.period), 0) for m in members) for c in causes}
            items = [(question.choice_text(c, self.language), share(n, total))
                     for c, n in sorted(region_counts.items(), key=lambda item: -item[1]) if n]
        return {"table": table("region_causes", _("Main reason for leaving by municipality, %(quarter)s",
                                                  quarter=quarter_name(self.period)),
                               [o.name for o in self.members] + [_("Region")], rows, status=status),
                "chart": chart("region_causes_chart", _("Main reason for leaving in the region, %(quarter)s (share of answers)",
                                                        quarter=quarter_name(self.period)), items,
                               n=total, n_what=_("answers"))}

    def _why(self, organisation_id: int) -> str:
        size = self.responses.sizes[("member", organisation_id, self.period)]
        return "small" if 0 < size < self.minimum else "withheld"

    def trend(self) -> dict:
        if self.exit is None:
            return {}
        question = self.exit.question("main_reason")
        counts = self._main_reasons(self.quarters)
        status = [self.responses.status(("region", q)) for q in self.quarters]

        def value(c, q, st):
            return sum(n for (v, _m, quarter), n in counts.items() if v == c and quarter == q) if st == "shown" else None
        rows = [{"label": question.choice_text(c, self.language),
                 "values": [value(c, q, st) for q, st in zip(self.quarters, status)]}
                for c in question.choice_values]
        rows.append({"label": _("Respondents"), "strong": True,
                     "values": [self.responses.count(("region", q)) for q in self.quarters]})
        return table("region_trend", _("Main reason for leaving in the region, by quarter"),
                     [quarter_short(q) for q in self.quarters], rows, status=status)

    def part_time(self) -> dict:
        """Leavers from part-time positions who wanted a larger one: each member's figure as its own
        report shows it, and the region's where every member's is shown."""
        own = {}
        for o in self.members:
            figure = dict(heiltid.part_time_wanting_more(self.own[o.id]))
            # A member's own minimum may be lower than the region's: the region's holds here.
            if figure["part_time"] is not None and 0 < figure["part_time"] < self.minimum:
                figure = {"part_time": None, "wanted_larger": None, "no": None, "share": None}
            own[o.id] = figure
        rows = []
        for o in self.members:
            figure = own[o.id]
            rows.append({"label": o.name, "values": [figure["part_time"], figure["wanted_larger"], figure["share"]],
                         "bases": [None, None, [figure["wanted_larger"], figure["part_time"]]
                                   if figure["share"] is not None else None],
                         "fmts": ["count", "count", "pct"]})
        complete = all(f["part_time"] is not None for f in own.values())
        total = sum(f["part_time"] for f in own.values()) if complete else None
        yes = sum(f["wanted_larger"] for f in own.values()) if complete else None
        rows.append({"label": _("Region"), "strong": True, "values": [total, yes, share(yes, total)],
                     "bases": [None, None, [yes, total] if complete and total else None],
                     "fmts": ["count", "count", "pct"]})
        return table("region_part_time", _("Leavers from part-time positions who wanted a larger position"),
                     [_("Part-time leavers who answered"), _("Wanted a larger position"), _("Share")], rows)
