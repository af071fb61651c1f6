"""Charts drawn on the server as SVG: readable without JavaScript, in a page and in a PDF."""

from __future__ import annotations

from html import escape


def bar_chart(rows: list[tuple[str, int]], *, unit: str = "", width: int = 480) -> str:
    """A horizontal bar chart as SVG markup, readable without JavaScript (and in a PDF): each
    bar carries its label and its number."""
    rows = [(str(label), int(value)) for label, value in rows]
    top = max((v for _l, v in rows), default=0) or 1
    bar_h, gap, label_w = 18, 6, 180
    height = max(len(rows), 1) * (bar_h + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    room = width - label_w - 70
    for i, (label, value) in enumerate(rows):
        y = i * (bar_h + gap)
        w = int(room * value / top)
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="12">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#2b6cb0">'
            f"<title>{escape(label)}: {value}{escape(unit)}</title></rect>"
            f'<text x="{label_w + w + 4}" y="{y + 13}" font-size="12">{value}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
