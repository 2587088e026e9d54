"""The regional edition: several municipalities on one host installation, side by side.

Each municipality's figures stand next to the regional total where its groups are large enough;
where they are not, only the regional total is shown. Each table is suppressed as one set of sums
(municipalities add up to the region), with the strictest minimum group size of the members.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from analysis import code_version
from survey_app.models import Answer, Headcount, Person, QuestionnaireVersion, Region, Response
from survey_app.periods import parse_quarter, quarters_up_to
from survey_app.privacy import Line, share, suppress_lines, suppress_table
from survey_app.reports.content import (
    TREND_QUARTERS, chart, count_hidden, part_time_counts, part_time_shown, quarter_name, quarter_short, table,
)
from survey_app.services.dashboard import Scope, trend_table
from survey_app.services.invitations import follow_up_counts

REGION = "__region__"


def prepare(session: Session, region: Region, period: str, language: str, registry,
            meeting_date: date | None = None) -> dict:
    parse_quarter(period)
    with force_locale(language):
        return _RegionBuilder(session, region, period, language, registry).build(meeting_date)


class _RegionBuilder:
    def __init__(self, session, region, period, language, registry):
        self.session, self.region, self.period, self.language = session, region, period, language
        self.members = list(region.organisations)
        self.minimum = max([o.min_group_size for o in self.members] + [5])
        self.exit = registry.get("sluttsamtale")
        self.quarters = quarters_up_to(period, TREND_QUARTERS)
        self.start, self.end = parse_quarter(period)

    def build(self, meeting_date) -> dict:
        content = {
            "kind": "region", "region": {"name": self.region.name, "slug": self.region.slug},
            "organisation": {"name": self.region.name, "slug": self.region.slug},
            "members": [o.name for o in self.members],
            "period": self.period, "period_name": quarter_name(self.period), "language": self.language,
            "meeting_date": meeting_date.isoformat() if meeting_date else None,
            "minimum": self.minimum, "code_version": code_version(),
        }
        content["key_figures"] = self.key_figures()
        content["causes"] = self.causes()
        content["trend"] = self.trend()
        content["part_time"] = self.part_time()
        content["hidden_cells"] = count_hidden(content)
        return content

    def _by_member(self, statement_for) -> dict[int, int]:
        return {o.id: statement_for(o) for o in self.members}

    def key_figures(self) -> dict:
        def count(model_filter):
            return lambda o: self.session.scalar(model_filter(o)) or 0
        leavers = self._by_member(count(lambda o: select(func.count(Person.id)).where(
            Person.organisation_id == o.id, Person.kind == "leaver", Person.end_date >= self.start,
            Person.end_date <= self.end)))
        responses = self._by_member(count(lambda o: select(func.count(Response.id)).join(
            QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id).where(
            Response.organisation_id == o.id, QuestionnaireVersion.questionnaire_key == "sluttsamtale",
            Response.submitted_on >= self.start, Response.submitted_on <= self.end)))
        follow_up = follow_up_counts(self.session, [o.id for o in self.members], [self.period], "sluttsamtale")
        invited = {o.id: sum(v[0] for k, v in follow_up.items() if k[0] == o.id) for o in self.members}
        answered = {o.id: sum(v[1] for k, v in follow_up.items() if k[0] == o.id) for o in self.members}
        heads = self._by_member(count(lambda o: select(func.sum(Headcount.headcount)).where(
            Headcount.organisation_id == o.id, Headcount.period == self.period)))
        shown_leavers = self._with_total(leavers)
        shown_responses = self._with_total(responses)
        # Answered and not answered both count people, and both add up over the region.
        shown_answered = self._with_total(answered, own_reports=False)
        shown_silent = self._with_total({o: invited[o] - answered[o] for o in invited}, own_reports=False)
        rows = []
        for o in self.members + [None]:
            key = o.id if o else REGION
            total_invited = sum(invited.values()) if o is None else invited[o.id]
            total_heads = sum(heads.values()) if o is None else heads[o.id]
            rate = None
            if shown_answered[key] is not None and shown_silent[key] is not None:
                rate = share(shown_answered[key], total_invited)
            rows.append({"label": o.name if o else _("Region"), "strong": o is None,
                         "values": [shown_leavers[key], total_heads if total_heads >= self.minimum else None,
                                    share(shown_leavers[key], total_heads),
                                    shown_responses[key], rate],
                         "fmts": ["count", "count", "pct1", "count", "pct"]})
        self.figures = rows
        return table("region_key_figures", _("Key figures by municipality, %(quarter)s", quarter=quarter_name(self.period)),
                     [_("Leavers"), _("Employees"), _("Turnover"), _("Exit questionnaires answered"),
                      _("Response rate")], rows)

    def _with_total(self, counts: dict[int, int], own_reports: bool = True) -> dict:
        """Counts per municipality and for the region. A municipality's own report shows its
        count whenever it is 0 or at least its minimum, so that decision is fixed here."""
        values = {**counts, REGION: sum(counts.values())}
        minimum = {o.id: o.min_group_size for o in self.members}
        known = {key: value == 0 or value >= minimum[key] for key, value in counts.items()} if own_reports else {}
        return suppress_lines(values, [Line(tuple(counts), REGION)], self.minimum, known)

    def _main_reasons(self, start, end) -> dict:
        counts: dict = defaultdict(int)
        for organisation_id, value, n in self.session.execute(
                select(Response.organisation_id, Answer.value_text, func.count())
                .join(QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id)
                .join(Answer, and_(Answer.response_id == Response.id, Answer.question == "main_reason"))
                .where(Response.organisation_id.in_([o.id for o in self.members] or [-1]),
                       QuestionnaireVersion.questionnaire_key == "sluttsamtale",
                       Response.submitted_on >= start, Response.submitted_on <= end)
                .group_by(Response.organisation_id, Answer.value_text)):
            counts[(value, organisation_id)] += n
        return counts

    def causes(self) -> dict:
        if self.exit is None:
            return {}
        question = self.exit.question("main_reason")
        causes = question.choice_values
        counts = self._main_reasons(self.start, self.end)
        members = [o.id for o in self.members]
        known_cells, known_totals = self._own_report_cells(question)
        cross = suppress_table(counts, causes, members, self.minimum, known_cells, known_totals)
        self.region_column = ({c: cross.row_totals[c] is not None for c in causes}, cross.total is not None)
        rows = [{"label": question.choice_text(c, self.language),
                 "values": [cross.cells[(c, o)] for o in members] + [cross.row_totals[c]]} for c in causes]
        rows.append({"label": _("Respondents"), "values": [cross.column_totals[o] for o in members] + [cross.total],
                     "strong": True})
        items = [(question.choice_text(c, self.language), share(cross.row_totals[c], cross.total)) for c in causes
                 if cross.row_totals[c]]
        return {"table": table("region_causes", _("Main reason for leaving by municipality, %(quarter)s",
                                                  quarter=quarter_name(self.period)),
                               [o.name for o in self.members] + [_("Region")], rows),
                "chart": chart("region_causes_chart", _("Main reason for leaving in the region, %(quarter)s (share of answers)",
                                                        quarter=quarter_name(self.period)), items)}

    def _own_report_cells(self, question) -> tuple[dict, dict]:
        """What each municipality's own quarterly report shows of its main reasons this quarter.

        Those reports are public documents: a cell shown there stays shown here, and a cell hidden
        there stays hidden, so reading the two side by side gives nothing away.
        """
        cells, totals = {}, {}
        for organisation in self.members:
            scope = Scope(organisation, self.exit, quarters_up_to(self.period, TREND_QUARTERS), "none", None,
                          self.language)
            own = trend_table(self.session, scope, question, organisation.min_group_size, TREND_QUARTERS)
            for key in question.choice_values:
                cells[(key, organisation.id)] = own.cells.get((key, self.period)) is not None
            totals[organisation.id] = own.totals.get(self.period) is not None
        return cells, totals

    def trend(self) -> dict:
        if self.exit is None:
            return {}
        question = self.exit.question("main_reason")
        causes = question.choice_values
        values: dict = {}
        for q in self.quarters:
            start, end = parse_quarter(q)
            counts = self._main_reasons(start, end)
            for c in causes:
                values[("c", c, q)] = sum(n for (value, _o), n in counts.items() if value == c)
            values[("n", q)] = sum(values[("c", c, q)] for c in causes)
        lines = [Line(tuple(("c", c, q) for c in causes), ("n", q)) for q in self.quarters]
        # This quarter's column is the region column of the table by municipality.
        column, total = getattr(self, "region_column", ({}, None))
        known = {("c", c, self.period): shown for c, shown in column.items()}
        if total is not None:
            known[("n", self.period)] = total
        shown = suppress_lines(values, lines, self.minimum, known)
        rows = [{"label": question.choice_text(c, self.language), "values": [shown[("c", c, q)] for q in self.quarters]}
                for c in causes]
        rows.append({"label": _("Respondents"), "values": [shown[("n", q)] for q in self.quarters], "strong": True})
        return table("region_trend", _("Main reason for leaving in the region, by quarter"),
                     [quarter_short(q) for q in self.quarters], rows)

    def part_time(self) -> dict:
        """Leavers from part-time positions who wanted a larger one, by municipality."""
        counts: dict = {}
        known_cells, known_totals = {}, {}
        for organisation in self.members:
            own = part_time_counts(self.session, organisation.id, self.period)
            shown = part_time_shown(own, organisation.min_group_size)
            for value in ("yes", "no"):
                counts[(value, organisation.id)] = own[value]
            known_cells[("yes", organisation.id)] = shown["wanted_larger"] is not None
            known_cells[("no", organisation.id)] = shown["no"] is not None
            known_totals[organisation.id] = shown["part_time"] is not None
        members = [o.id for o in self.members]
        cross = suppress_table(counts, ["yes", "no"], members, self.minimum, known_cells, known_totals)
        rows = [{"label": o.name, "values": [cross.column_totals[o.id], cross.cells[("yes", o.id)],
                                             share(cross.cells[("yes", o.id)], cross.column_totals[o.id])],
                 "fmts": ["count", "count", "pct"]} for o in self.members]
        rows.append({"label": _("Region"), "strong": True,
                     "values": [cross.total, cross.row_totals["yes"], share(cross.row_totals["yes"], cross.total)],
                     "fmts": ["count", "count", "pct"]})
        return table("region_part_time", _("Leavers from part-time positions who wanted a larger position"),
                     [_("Part-time leavers who answered"), _("Wanted a larger position"), _("Share")], rows)

