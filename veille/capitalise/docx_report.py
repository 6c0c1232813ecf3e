"""A watch report as a Word document (python-docx): title and scope, counts, the chart of
items per topic per week (PNG), key stories per topic with links, new watch sheets and
register changes. Colleagues open, edit and forward it; an empty period says so."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from veille.capitalise.chart_png import COLOUR_HEX, weekly_bars_png
from veille.catalogue.chart import colour_index
from veille.capitalise.reports import Report, report_title
from veille.catalogue import i18n_sheets  # noqa: F401  (labels of the report)
from veille.catalogue.i18n import Translator

CHART_WIDTH = Cm(16)


def _scope(report: Report, t: Translator) -> str:
    parts = [f"{t('report_from')} {report.period_start} {t('report_to')} {report.period_end}"]
    if report.topic:
        parts.append(f"{t('report_topic')} : {t.topic(report.topic)}")
    if report.group:
        parts.append(f"{t('report_group')} : {t.category(report.group)}")
    return " · ".join(parts)


def _chart(doc, report: Report, t: Translator) -> None:
    doc.add_heading(t("report_chart"), level=1)
    topics = report.topics
    png = weekly_bars_png(report.weekly, report.weeks, topics)
    doc.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    legend = doc.add_paragraph()
    for topic in topics:
        square = legend.add_run("■ ")
        square.font.color.rgb = RGBColor.from_string(COLOUR_HEX[colour_index(topic) % len(COLOUR_HEX)])
        legend.add_run(f"{t.topic(topic)} ({report.per_topic[topic]})   ")


def _stories(doc, report: Report, t: Translator) -> None:
    doc.add_heading(t("report_stories"), level=1)
    for topic in report.topics:
        stories = report.stories.get(topic) or []
        if not stories:
            continue
        doc.add_heading(t.topic(topic), level=2)
        for s in stories:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(s["title"] or s["url"] or "").bold = True
            p.add_run(f" — {s['source_name']}, {(s['published_at'] or '')[:10]}, "
                      f"{t('report_story_sources', n=s['sources'])}")
            if s.get("url"):
                p.add_run(f"\n{s['url']}").font.size = Pt(8)


def _sheets(doc, report: Report, t: Translator) -> None:
    doc.add_heading(t("report_new_sheets"), level=1)
    if not report.new_sheets:
        doc.add_paragraph(t("report_no_sheets"))
    for s in report.new_sheets:
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(s["title"]).bold = True
        details = ", ".join(x for x in (s.get("technique"), s.get("maturity"), s.get("vendor")) if x)
        if details:
            p.add_run(f" — {details}")
        if s.get("summary"):
            p.add_run(f"\n{s['summary']}")


def _register(doc, report: Report, t: Translator) -> None:
    doc.add_heading(t("report_register"), level=1)
    if not report.register_changes:
        doc.add_paragraph(t("report_no_register"))
        return
    table = doc.add_table(rows=1, cols=4)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, ("Date", t("sheet_title"), "Action", t("sheet_by"))):
        cell.text = text
    for c in report.register_changes:
        row = table.add_row().cells
        row[0].text = c["at"][:10]
        row[1].text = f"{c['reference']} — {c['title']}".strip(" —")
        changed = f" ({', '.join(c['changed'])})" if c.get("changed") else ""
        row[2].text = t(f"action_{c['action']}") + changed
        row[3].text = c["actor"]


def _counts(doc, report: Report, t: Translator) -> None:
    doc.add_heading(t("report_counts"), level=1)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Light Grid Accent 1"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = t("report_topic"), t("items")
    for topic, n in report.per_topic.items():
        row = table.add_row().cells
        row[0].text, row[1].text = t.topic(topic), str(n)


def report_docx(report: Report, lang: str = "fr", title: str | None = None) -> bytes:
    """The report as .docx bytes."""
    t = Translator(lang)
    doc = Document()
    doc.core_properties.title = title or report_title(report, t.lang)
    doc.core_properties.language = t.lang
    doc.add_heading(title or t("report_title"), level=0)
    scope = doc.add_paragraph(_scope(report, t))
    scope.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if report.empty:
        doc.add_paragraph(t("report_empty", a=report.period_start, b=report.period_end))
    else:
        doc.add_paragraph(t("report_items", n=report.total_items))
        if report.total_items:
            _chart(doc, report, t)
            _stories(doc, report, t)
        _sheets(doc, report, t)
        _register(doc, report, t)
        if report.per_topic:
            _counts(doc, report, t)
    doc.add_paragraph(t("report_built", at=report.built_at.replace("T", " ").rstrip("Z"))).runs[0].font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

