"""The sections of the quarterly report, one module each, every one a function of the report
context (``reports.context``) that returns plain data: tables, charts and the figures its text
needs. ``ORGANISATION`` is the order the content is built in; since no section reads another's
output, the order matters only to the reader of the content."""
from __future__ import annotations

from survey_app.reports.context import STAY_TEXT
from survey_app.reports.sections import (
    actions, apprentices, causes, destination, early, heiltid, key_figures, leavers, method, people, recruitment,
    strategy, themes,
)

ORGANISATION = (
    ("key_figures", key_figures.build),
    ("people", people.build),
    ("leavers", leavers.build),
    ("causes", causes.build),
    ("themes", themes.build),
    ("stay", lambda ctx: themes.build(ctx, STAY_TEXT)),
    ("heiltid", heiltid.build),
    ("strategy", strategy.build),
    ("destination", destination.build),
    ("early", early.build),
    ("recruitment", recruitment.build),
    ("apprentices", apprentices.build),
    ("actions", actions.build),
    ("analysis_run", method.run_summary),
)
