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
              unit: str = "%", font_family: str | None = None, values_in_title: bool = False,
              format_value=None, label_width: int = LABEL_WIDTH) -> Markup:
    """Horizontal bars, one per item; an item with None is drawn as text, not as a bar.

    ``values_in_title`` puts the description into the title as well: a tagged PDF takes a
    figure's alternative text from the SVG title only.
    """
    def shown(value: float) -> str:
        return format_value(value) if format_value else f"{value:.0f} {unit}"
    largest = max([v for _, v in items if v is not None] or [1]) or 1
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    width = label_width + BAR_WIDTH + 70
    # About 7.4 units per character at font size 13 in the widest fonts used (DejaVu Sans).
    max_chars = int((label_width - 12) / 7.4)
    description = "; ".join(f"{label}: {hidden_text if value is None else shown(value)}"
                            for label, value in items)
    font = f' font-family="{escape(font_family)}"' if font_family else ""
    full_title = f"{title}: {description}" if values_in_title else title
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false"{font}>',
             f'<title id="{chart_id}-title">{escape(full_title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        short = label if len(label) <= max_chars else label[:max_chars - 1].rstrip() + "…"
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
                     f'fill="#1b1b1b">{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{label_width}" y="{y + 16}" font-size="13" fill="#4a4a4a" '
                         f'font-style="italic">{escape(hidden_text)}</text>')
            continue
        bar = max(1.0, BAR_WIDTH * value / largest)
        parts.append(f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" fill="{COLOUR}"/>')
        parts.append(f'<text x="{label_width + bar + 6:.1f}" y="{y + 16}" font-size="13" '
                     f'fill="#1b1b1b">{escape(shown(value))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
