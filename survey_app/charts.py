"""Charts as SVG drawn on the server: no JavaScript, sharp in print, readable by screen readers
through a title, a description that lists every value, and the table printed next to it."""
from __future__ import annotations

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
BAR_WIDTH = 300
COLOUR = "#0b5394"  # the site's accent colour: 7.4:1 on white


def bar_chart(chart_id: str, title: str, items: list[tuple[str, float | None]], hidden_text: str,
              unit: str = "%") -> Markup:
    """Horizontal bars, one per item; an item with None is drawn as text, not as a bar."""
    largest = max([v for _, v in items if v is not None] or [1]) or 1
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 70
    description = "; ".join(f"{label}: {hidden_text if value is None else f'{value:.0f} {unit}'}"
                            for label, value in items)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
                     f'fill="#1b1b1b">{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL_WIDTH}" y="{y + 16}" font-size="13" fill="#4a4a4a" '
                         f'font-style="italic">{escape(hidden_text)}</text>')
            continue
        bar = max(1.0, BAR_WIDTH * value / largest)
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" fill="{COLOUR}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + bar + 6:.1f}" y="{y + 16}" font-size="13" '
                     f'fill="#1b1b1b">{value:.0f} {escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
