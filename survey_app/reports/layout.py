"""The pieces report content is made of, as plain data: tables and charts, how many of their figures
the privacy gate held back, and an action's before and after. No database here: ``content`` and
``region`` build with these, ``render`` draws them."""
from __future__ import annotations

from typing import TypedDict

from babel.numbers import format_decimal
from flask_babel import get_locale, gettext as _

from analysis.stats import two_proportions, uncertain
from survey_app.privacy import share
from survey_app.services import dashboard


class Table(TypedDict):
    """A table as report content: plain JSON, so a stored report renders again to the same PDF."""
    id: str
    title: str
    columns: list[str]
    rows: list[dict]    # {label, values, depth?, fmt?, fmts?, strong?, status?, bases?}
    fmt: str
    note: str
    status: list[str | None] | None


class Chart(TypedDict):
    id: str
    title: str
    items: list[list]   # [label, share or None]
    unit: str
    n: int | None       # what it rests on, printed under its title
    n_what: str


# -- numbers in sentences (findings, the assessment, notes): the reader's way, 20 000 and 28 % --------
def pct(value: float) -> str:
    return f"{format_decimal(round(value), locale=str(get_locale()))}\u00a0%"  # never "28 / %" at a line end


def grouped(**values) -> dict:
    """Values for a sentence, whole numbers written the reader's way (20 000 in Norwegian)."""
    return {key: format_decimal(value, locale=str(get_locale())) if isinstance(value, int) and not isinstance(value, bool)
            else value for key, value in values.items()}


def pct1(value: float) -> str:
    return f"{format_decimal(round(value, 1), format='#,##0.0', locale=str(get_locale()))}\u00a0%"


def table(id: str, title: str, columns: list[str], rows: list[dict], fmt: str = "count", note: str = "",
          status: list[str] | None = None) -> Table:
    """A table as data: ``rows`` are {label, values, depth?, fmt?, fmts?, strong?, status?, bases?}; a
    value of None is hidden. ``status`` gives, per column, whether the column's group is shown,
    "small" (fewer than the minimum) or "withheld" (to protect a smaller group); a row's own
    ``status`` does the same per value. ``bases`` holds [count, n] behind a percentage."""
    return {"id": id, "title": title, "columns": columns, "rows": rows, "fmt": fmt, "note": note,
            "status": [None if s == "shown" else s for s in status] if status and set(status) != {"shown"} else None}


def chart(id: str, title: str, items: list[tuple[str, float | None]], unit: str = "%", n: int | None = None,
          n_what: str = "") -> Chart:
    """A bar chart as data; ``n`` and ``n_what`` ("answers", "employees") say what it rests on, under its title."""
    return {"id": id, "title": title, "items": [[label, value] for label, value in items], "unit": unit,
            "n": n, "n_what": n_what}


def partition_chart(id: str, title: str, source: dashboard.Table, group: str, ordered: bool = False) -> Chart:
    """Shares of the answers in one column of a one-answer-per-person table: the shown rows,
    largest first, and the hidden rows together as one bar.

    The privacy gate guarantees that hidden cells in a line with a shown total add up to zero or
    to at least the minimum, so their sum is safe to show and keeps the chart honest about size.
    """
    total = source.totals.get(group)
    if not total:
        return chart(id, title, [], n=total, n_what=_("answers"))
    shown = [(label, source.cells.get((key, group))) for key, label in source.row_labels]
    present = [(label, n) for label, n in shown if n]
    if not ordered:  # an ordered scale (age bands) keeps its order; other answers go largest first
        present.sort(key=lambda item: -item[1])
    if not present:
        return chart(id, title, [], n=total, n_what=_("answers"))
    rest = total - sum(n for _label, n in present)
    items = [(label, share(n, total)) for label, n in present]
    if rest > 0:
        items.append((_("Other answers together"), share(rest, total)))
    return chart(id, title, items, n=total, n_what=_("answers"))


def before_after(development: list) -> dict | None:
    """The share in the baseline quarter (the first shown one) against the latest shown quarter, with
    the two-proportion test: whether the change is more than chance."""
    shown = [(name, k, n) for name, k, n in development if k is not None and n]
    if len(shown) < 2:
        return None
    (before_name, k1, n1), (after_name, k2, n2) = shown[0], shown[-1]
    change = two_proportions((k1, n1), (k2, n2))
    return {"before": [before_name, k1, n1, share(k1, n1)], "after": [after_name, k2, n2, share(k2, n2)],
            "points": change.difference, "p_value": change.p_value, "significant": change.significant,
            "uncertain": uncertain(n1) or uncertain(n2)}


def count_values(content) -> int:
    """Figures in all tables of the content: with ``count_hidden``, the share the method section prints."""
    if isinstance(content, dict):
        if "rows" in content and "columns" in content:
            return sum(len(row["values"]) for row in content["rows"])
        return sum(count_values(v) for v in content.values())
    if isinstance(content, list):
        return sum(count_values(v) for v in content)
    return 0


def count_hidden(content) -> int:
    """Figures the gate held back in all tables of the content (a share of no answers is not held
    back, there is nothing to show): the method section reports this number."""
    if isinstance(content, dict):
        if "rows" in content and "columns" in content:
            columns = content.get("status") or []
            found = 0
            for row in content["rows"]:
                for i, value in enumerate(row["values"]):
                    own = (row.get("status") or [None] * len(row["values"]))[i]
                    if value is None and own != "empty" and (i >= len(columns) or columns[i] != "empty"):
                        found += 1
            return found
        return sum(count_hidden(v) for v in content.values())
    if isinstance(content, list):
        return sum(count_hidden(v) for v in content)
    return 0
