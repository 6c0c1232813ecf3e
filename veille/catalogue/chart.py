"""The overview chart as inline SVG drawn on the server: no script, no library, readable
without JavaScript and printable. One stacked bar per week, one colour per topic."""
from __future__ import annotations

from datetime import date, timedelta
from html import escape

from veille.catalogue.i18n import topic_ids

COLOURS = ("#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#be185d", "#4b5563")


def week_starts(today: date, weeks: int) -> list[str]:
    """The Mondays of the last ``weeks`` weeks, oldest first, as YYYY-MM-DD."""
    monday = today - timedelta(days=today.weekday())
    return [(monday - timedelta(weeks=k)).isoformat() for k in range(weeks - 1, -1, -1)]


def colour_index(topic: str) -> int:
    """A topic's colour on every chart (overview, report page, Word report): its place in the
    taxonomy, whichever topics a chart shows and in whatever order."""
    order = topic_ids()
    return order.index(topic) if topic in order else len(order) + sum(map(ord, topic)) % 3


def _colour(topics: list[str], topic: str) -> str:
    return COLOURS[colour_index(topic) % len(COLOURS)]


def _legend_layout(shown: list[str], labels: dict[str, str], width: int, left: int):
    """(topic, label, x, row) per legend entry, flowing left to right and wrapping, so that a
    long label ("Qualité, sécurité, environnement") never runs into the next one."""
    entries, x, row = [], left, 0
    for topic in shown:
        label = labels.get(topic, topic)
        span = 18 + 7 * len(label) + 24   # swatch, text at ~7 px a character (12 px font), gap
        if x + span > width and x > left:
            x, row = left, row + 1
        entries.append((topic, label, x, row))
        x += span
    return entries, row + 1


def weekly_bars(rows: list[dict], weeks: list[str], topics: list[str], labels: dict[str, str],
                title: str, width: int = 760, height: int = 260) -> str:
    """rows: {"topic", "week" (Monday), "n"}; returns an <svg> element."""
    counts = {(r["topic"], r["week"]): r["n"] for r in rows}
    shown = [t for t in topics if any(counts.get((t, w)) for w in weeks)] or topics[:1]
    totals = [sum(counts.get((t, w), 0) for t in shown) for w in weeks]
    top = max(totals + [1])
    legend, legend_rows = _legend_layout(shown, labels, width, 36)
    left, bottom, legend_h = 36, 28, 22 * legend_rows
    plot_h = height - bottom - legend_h - 10
    step = (width - left - 10) / max(1, len(weeks))
    bar_w = step * 0.7
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}"'
             f' width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for frac in (0, 0.5, 1):
        y = 10 + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{round(top * frac)}</text>')
    for i, week in enumerate(weeks):
        x = left + i * step + (step - bar_w) / 2
        y = 10 + plot_h
        for k, topic in enumerate(shown):
            n = counts.get((topic, week), 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            parts.append(f'<rect class="bar" data-topic="{escape(topic)}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}"'
                         f' height="{h:.1f}" fill="{_colour(topics, topic)}">'
                         f'<title>{escape(labels.get(topic, topic))} — {week}: {n}</title></rect>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{10 + plot_h + 16}" text-anchor="middle" class="axis">'
                     f'{week[8:10]}/{week[5:7]}</text>')
    for topic, label, lx, row in legend:
        ly = height - legend_h + 22 * row + 4
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{_colour(topics, topic)}"/>'
                     f'<text x="{lx + 18}" y="{ly + 11}" class="legend">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
