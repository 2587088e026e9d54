"""Everything a quarterly report shows, as plain data, after the privacy gate.

``prepare`` builds the report context once (``reports.context``), runs each section on it
(``reports.sections``), and adds the findings, the draft assessment (Vurdering) and the paper's
case fields. The result is a JSON-ready dict: tables (numbers, ``None`` for a hidden figure, and why
a column or a figure is hidden), charts, quotes and texts. Rendering never touches the database
again, which is what makes a stored report reproducible: the same content always gives the same
PDF, and preparing it again tells whether the data has changed since.

A group of respondents large enough shows its whole distribution, average and share; a smaller one
is one line saying so. The report can show nothing a results page would hide, and no two reports
or pages can be subtracted from each other (``content["released"]`` records what this one shows).
"""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from sqlalchemy.orm import Session

from analysis import code_version
from analysis.stats import UNCERTAIN_BELOW
from survey_app.models import AnalysisRun, Organisation
from survey_app.period_names import quarter_name
from survey_app.periods import parse_quarter
from survey_app.privacy import comment_minimum
from survey_app.reports import assessment, findings as rules
from survey_app.reports.context import ReportContext
from survey_app.reports.layout import count_hidden, count_values
from survey_app.reports.paper import Paper
from survey_app.reports.sections import ORGANISATION


def prepare(session: Session, organisation: Organisation, period: str, language: str, registry,
            run: AnalysisRun | None = None, meeting_date: date | None = None, paper: Paper | None = None) -> dict:
    """The content of the quarterly report for ``organisation`` and the quarter ``period``."""
    parse_quarter(period)
    paper = paper or Paper(meeting_date=meeting_date)
    with force_locale(language):
        ctx = ReportContext(session, organisation, period, language, registry, run)
        return build(ctx, paper)


def build(ctx: ReportContext, paper: Paper) -> dict:
    content = {
        "kind": "organisation",
        "organisation": {"name": ctx.organisation.name, "slug": ctx.organisation.slug},
        "period": ctx.period, "period_name": quarter_name(ctx.period), "language": ctx.language,
        "minimum": ctx.minimum, "quote_minimum": comment_minimum(ctx.minimum),
        "uncertain_below": UNCERTAIN_BELOW, "code_version": code_version(),
    }
    for name, section in ORGANISATION:
        content[name] = section(ctx)
    content["findings"] = rules.choose(ctx)
    draft = assessment.draft(ctx, content["findings"])
    content["paper"] = paper.as_content(draft)
    content["meeting_date"] = content["paper"]["meeting_date"]
    content["hidden_cells"] = count_hidden(content)
    content["figures"] = count_values(content)
    content["released"] = {name: sorted((list(key) for key in keys), key=repr)
                           for name, keys in sorted(ctx.shown.items()) if keys}
    return content
