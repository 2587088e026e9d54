"""Periods as people read them, in the reader's language: "3. kvartal 2026", "Første halvår 2026"."""
from __future__ import annotations

from flask_babel import gettext as _

from survey_app.periods import parse_quarter
from survey_app.privacy.periods import Block


def quarter_name(label: str) -> str:
    start, _end = parse_quarter(label)
    return _("Q%(quarter)s %(year)s", quarter=(start.month - 1) // 3 + 1, year=start.year)


def quarter_short(label: str) -> str:
    """A column heading for tables of eight quarters."""
    start, _end = parse_quarter(label)
    return _("Q%(quarter)s/%(year)s", quarter=(start.month - 1) // 3 + 1, year=start.year)


def block_name(block: Block, quarter_label: bool = False) -> str:
    """A fixed block's name; a quarter is its label (``2026Q3``) where ``quarter_label`` asks for it,
    as in the results page's menu, else its name."""
    if block.kind == "half":
        if block.label.endswith("H1"):
            return _("First half of %(year)s", year=block.label[:4])
        return _("Second half of %(year)s", year=block.label[:4])
    if block.kind == "year":
        return _("The year %(year)s", year=block.label)
    return block.label if quarter_label else quarter_name(block.label)
