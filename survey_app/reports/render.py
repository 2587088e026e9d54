"""From report content to HTML and to an archivable PDF (PDF/A-2a) with WeasyPrint.

The PDF is tagged (headings, tables, figures with their text alternative), has its language and
title set, embeds the font shipped with Kvifor (DejaVu Sans, which has every Norwegian letter)
and carries no JavaScript. Rendering reads nothing but the content, the templates and the font,
and fixes the two things that would otherwise differ between runs (creation date and the file
identifier), so the same content always gives the same bytes.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, timezone
from html import unescape
from pathlib import Path

from babel.numbers import format_decimal
from flask import render_template
from flask_babel import force_locale, gettext as _

from survey_app.charts import bar_chart
from survey_app.reports import pdf_ua
from survey_app.models._time import today

STATIC = Path(__file__).resolve().parent.parent / "static" / "report"
FONT_FAMILY = "Kvifor Sans"
HIDDEN = ":"   # Statistics Norway's symbol for a figure withheld to protect privacy


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def number(value, kind: str, language: str) -> str:
    """A figure as the report prints it; None (hidden) prints as the privacy symbol."""
    if value is None:
        return HIDDEN
    # A no-break space keeps a number and its per cent sign on one line in a narrow column.
    if kind == "pct":
        return f"{format_decimal(round(value), locale=language)}\u00a0%"
    if kind == "pct1":
        return f"{format_decimal(round(value, 1), format='#,##0.0', locale=language)}\u00a0%"
    if kind == "mean":
        return format_decimal(round(value, 1), format="#,##0.0", locale=language)
    if kind == "signed":  # a change in percentage points
        rounded = round(value)
        return ("+" if rounded > 0 else "−" if rounded < 0 else "") + format_decimal(abs(rounded), locale=language)
    if kind == "p":
        if value < 0.001:
            return "< " + format_decimal(0.001, format="0.000", locale=language)
        return format_decimal(round(value, 3), format="0.000", locale=language)
    if kind == "net":
        return ("+" if value > 0 else "−" if value < 0 else "") + format_decimal(abs(value), locale=language)
    return format_decimal(value, locale=language)


def charts_for(content: dict, for_pdf: bool) -> dict:
    """Every chart in the content with its drawing (``svg``), keyed by its id."""
    found: dict = {}

    def walk(node):
        if isinstance(node, dict):
            if "items" in node and "unit" in node and "id" in node:
                if not node["items"]:
                    return
                kind = "pct1" if node["id"] == "turnover_chart" else "pct"
                found[node["id"]] = dict(node, svg=bar_chart(
                    node["id"], node["title"], [tuple(i) for i in node["items"]], _("not shown (too few, or held back)"),
                    font_family=FONT_FAMILY if for_pdf else None, values_in_title=for_pdf,
                    format_value=lambda v, kind=kind: number(v, kind, content["language"]),
                    label_width=330 if for_pdf else 230))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(content)
    return found


def date_text(value) -> str:
    """A date as Norwegian papers print it, 21.10.2026, from a date or an ISO string."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d.%m.%Y")


def render_html(content: dict, for_pdf: bool = False, preview: bool = False, created: date | None = None) -> str:
    """The report as HTML; ``created`` is the date printed in its header (the day it is made)."""
    language = content["language"]
    with force_locale(language):
        template = "reports/region.html" if content.get("kind") == "region" else "reports/report.html"
        return render_template(template, c=content, charts=charts_for(content, for_pdf), for_pdf=for_pdf,
                               preview=preview, fmt=lambda v, kind="count": number(v, kind, language),
                               hidden_symbol=HIDDEN, date_text=date_text, created=created or today())


_EPOCH_LOCK = threading.Lock()


@contextmanager
def _source_date(created_at: datetime):
    """fontTools stamps each subset font with the time it was made unless SOURCE_DATE_EPOCH is set
    (WeasyPrint subsets with fontTools where HarfBuzz-Subset is missing): pin it to the report's own
    date, under a lock because the environment is shared by the process's threads."""
    stamp = str(int(created_at.replace(tzinfo=created_at.tzinfo or timezone.utc).timestamp()))
    with _EPOCH_LOCK:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = stamp
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def render_pdf(content: dict, created_at: datetime) -> tuple[bytes, int]:
    """The archivable PDF of ``content`` and its page count; ``created_at`` goes into its metadata."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_html(content, for_pdf=True, created=created_at.date())
    # Fixed metadata date, so the bytes depend on the content only.
    html = html.replace("__CREATED__", created_at.replace(microsecond=0).isoformat() + "Z")
    with _source_date(created_at):
        fonts = FontConfiguration()
        stylesheet = CSS(filename=str(STATIC / "report.css"), font_config=fonts)
        document = HTML(string=html, base_url=str(STATIC) + "/").render(stylesheets=[stylesheet], font_config=fonts)
        identifier = content_hash(content)[:32].encode("ascii")
        pdf = document.write_pdf(pdf_variant="pdf/a-2a", pdf_identifier=identifier)
    with force_locale(content["language"]):
        links = link_texts(html)
    return pdf_ua.finish(pdf, links, quote_languages(html)), len(document.pages)


_LINK = re.compile(r'<a href="#([^"]+)">(.*?)</a>', re.S)
_QUOTE = re.compile(r'<blockquote(?: lang="([a-z]{2})")?>')
_TAG = re.compile(r"<[^>]+>")


def link_texts(html: str) -> dict[str, str]:
    """What each internal link of the report says, read from the HTML: its words, for the link
    annotation a screen reader announces ("Go to: 2. Leavers, new hires and turnover")."""
    found = {}
    for target, inner in _LINK.findall(html):
        words = " ".join(unescape(_TAG.sub("", inner)).split())
        heading = re.search(rf'<h2 id="h-{re.escape(target[4:])}">(.*?)</h2>', html, re.S) if target.startswith("sec-") else None
        if heading:
            words = " ".join(unescape(_TAG.sub("", heading.group(1))).split())
        found.setdefault(target, _("Go to: %(place)s", place=words))
    return found


def quote_languages(html: str) -> list[str | None]:
    """The language of each blockquote in document order where it differs from the report's."""
    return [language or None for language in _QUOTE.findall(html)]
