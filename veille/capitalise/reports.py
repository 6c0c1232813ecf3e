"""Watch reports: what a period brought, ready to present to colleagues — the key stories of
each topic (most sources, then best score), the watch sheets written, the changes to the
regulatory register (from the audit trail), and items per topic per week for the chart.

``build_report`` reads; ``save_report`` keeps a report (what it showed and its Word
document) in the knowledge base. An empty period is a report that says so, not an error.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

import sqlite_utils

from veille import store
from veille.catalogue.chart import week_starts
from veille.store import audit
from veille.store import reports as report_store
from veille.timeutil import now_iso

STORIES_PER_TOPIC = 5
MAX_DAYS = 731  # two years of weekly bars is the most a chart stays readable at
GROUPS = ("manufacturer", "trade_journal", "regulatory", "standards", "institution", "event", "training", "other")


class ReportError(ValueError):
    """The report cannot be built as asked; the message says what to fix."""


@dataclass
class Report:
    period_start: str                     # YYYY-MM-DD, first day
    period_end: str                       # YYYY-MM-DD, last day (inclusive)
    topic: str | None = None
    group: str | None = None              # a source category: manufacturer, regulatory ...
    total_items: int = 0
    per_topic: dict[str, int] = field(default_factory=dict)
    stories: dict[str, list[dict]] = field(default_factory=dict)   # topic -> key stories
    new_sheets: list[dict] = field(default_factory=list)
    register_changes: list[dict] = field(default_factory=list)
    weekly: list[dict] = field(default_factory=list)               # {"topic", "week", "n"}
    weeks: list[str] = field(default_factory=list)                 # Mondays, oldest first
    built_at: str = ""

    @property
    def empty(self) -> bool:
        return not (self.total_items or self.new_sheets or self.register_changes)

    @property
    def topics(self) -> list[str]:
        """Topics with items, most items first (the chart's and the stories' order)."""
        return list(self.per_topic)

    def params(self) -> dict:
        return {"from": self.period_start, "to": self.period_end, "topic": self.topic, "group": self.group}

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Report":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def parse_period(start: str | None, end: str | None, today: date | None = None) -> tuple[date, date]:
    """The period's first and last days from 'YYYY-MM-DD' texts; by default the last 30 days."""
    today = today or date.today()
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last - timedelta(days=29)
    except ValueError:
        raise ReportError(f"dates are written YYYY-MM-DD (got {start or ''!s} – {end or ''!s}).") from None
    if first > last:
        raise ReportError(f"the period starts ({first}) after it ends ({last}).")
    if (last - first).days >= MAX_DAYS:
        raise ReportError(f"a report covers at most {MAX_DAYS} days; this period has {(last - first).days + 1}.")
    return first, last


def _key_stories(db: sqlite_utils.Database, start: str, end: str, topic: str | None, group: str | None) -> dict:
    ranking = report_store.story_ranking(db, start, end, topic, group)
    by_topic: dict[str, list[dict]] = {}
    for row in sorted(ranking, key=lambda r: (-r["sources"], -r["score"], -r["items"], r["latest"] or ""),):
        chosen = by_topic.setdefault(row["topic"], [])
        if len(chosen) < STORIES_PER_TOPIC:
            chosen.append(row)
    leads = report_store.story_leads(db, sorted({r["story"] for rows in by_topic.values() for r in rows}))
    return {t: [{**leads[r["story"]], **r} for r in rows if r["story"] in leads] for t, rows in by_topic.items()}


def _register_changes(db: sqlite_utils.Database, start: str, end: str) -> list[dict]:
    out = []
    for row in report_store.register_changes(db, start, end):
        before = json.loads(row.pop("before")) if row["before"] else None
        after = json.loads(row.pop("after")) if row["after"] else None
        snapshot = after or before or {}
        row["reference"] = row["reference"] or snapshot.get("reference") or ""
        row["title"] = row["title"] or snapshot.get("title") or ""
        row["changed"] = [] if before is None else audit.changed_fields(before, after)
        out.append(row)
    return out


def build_report(db: sqlite_utils.Database, period_start: date | str | None, period_end: date | str | None,
                 topic: str | None = None, group: str | None = None) -> Report:
    """The report of a period (both days included), optionally one topic or one source
    category (``group``)."""
    first, last = parse_period(str(period_start) if period_start else None, str(period_end) if period_end else None)
    if group and group not in GROUPS:
        raise ReportError(f"group {group!r} is not a source category ({', '.join(GROUPS)}).")
    start, end = first.isoformat(), (last + timedelta(days=1)).isoformat()
    topic, group = topic or None, group or None
    totals = report_store.period_totals(db, start, end, topic, group)
    n_weeks = (last - first).days // 7 + 2
    weeks = [w for w in week_starts(last, n_weeks) if w > (first - timedelta(days=7)).isoformat()]
    return Report(
        period_start=first.isoformat(), period_end=last.isoformat(), topic=topic, group=group,
        total_items=totals["total"], per_topic=totals["per_topic"],
        stories=_key_stories(db, start, end, topic, group),
        new_sheets=report_store.new_sheets(db, start, end, topic),
        register_changes=_register_changes(db, start, end),
        weekly=report_store.weekly_counts(db, start, end, topic, group), weeks=weeks, built_at=now_iso())


def report_title(report: Report, lang: str = "fr") -> str:
    head = "Rapport de veille" if lang == "fr" else "Watch report"
    scope = " · ".join(x for x in (report.topic, report.group) if x)
    return f"{head} {report.period_start} – {report.period_end}" + (f" · {scope}" if scope else "")


def save_report(db: sqlite_utils.Database, report: Report, docx: bytes, author: str,
                title: str | None = None, lang: str = "fr") -> int:
    """Keep the report (what it showed and its document); returns the saved report's id."""
    title = (title or "").strip()[:200] or report_title(report, lang)
    at = now_iso()
    with store.transaction(db):
        report_id = report_store.insert_report(db, title, report.params(), report.to_json(), docx, author, at)
        audit.record(db, author, "create", "report", report_id, None, {"title": title, **report.params()})
    return report_id


def saved_report(db: sqlite_utils.Database, report_id: int) -> tuple[dict, Report] | None:
    row = report_store.get_report(db, report_id)
    if row is None:
        return None
    return row, Report.from_json(row["content"])
