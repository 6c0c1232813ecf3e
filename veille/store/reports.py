"""Reads behind watch reports (stories, counts per topic and week, register changes from the
audit trail) and the saved reports. Periods are [start, end) as 'YYYY-MM-DD' texts, compared
with the ISO timestamps of the database (a date sorts before every time of that day)."""
from __future__ import annotations

import json
import sqlite3

import sqlite_utils


def _rows(cursor: sqlite3.Cursor) -> list[dict]:
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


# Items of the period, narrowed by topic and source category; parameters are always bound.
_PERIOD = ("SELECT i.id, coalesce(i.cluster_id, i.id) AS story FROM items i JOIN sources s ON s.id = i.source_id"
           " WHERE i.published_at >= :start AND i.published_at < :end"
           " AND (:category IS NULL OR s.category = :category)"
           " AND (:topic IS NULL OR EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = i.id AND t.topic = :topic))")


def _params(start: str, end: str, topic: str | None, category: str | None) -> dict:
    return {"start": start, "end": end, "topic": topic, "category": category}


def period_totals(db: sqlite_utils.Database, start: str, end: str, topic: str | None,
                  category: str | None) -> dict:
    """Items in the period and items per topic."""
    p = _params(start, end, topic, category)
    total = db.execute(f"SELECT count(*) FROM ({_PERIOD})", p).fetchone()[0]
    per_topic = {r[0]: r[1] for r in db.execute(
        f"SELECT t.topic, count(*) FROM ({_PERIOD}) p JOIN item_topics t ON t.item_id = p.id"
        " WHERE (:topic IS NULL OR t.topic = :topic) GROUP BY t.topic ORDER BY count(*) DESC", p)}
    return {"total": total, "per_topic": per_topic}


def story_ranking(db: sqlite_utils.Database, start: str, end: str, topic: str | None,
                  category: str | None) -> list[dict]:
    """Per topic and story: distinct sources, best topic score, items, latest date."""
    return _rows(db.execute(
        f"SELECT t.topic, p.story, count(DISTINCT coalesce(x.source_id, i.source_id)) AS sources,"
        " max(t.score) AS score, count(DISTINCT p.id) AS items, max(i.published_at) AS latest"
        f" FROM ({_PERIOD}) p JOIN items i ON i.id = p.id JOIN item_topics t ON t.item_id = p.id"
        " LEFT JOIN item_sources x ON x.item_id = p.id"
        " WHERE (:topic IS NULL OR t.topic = :topic) GROUP BY t.topic, p.story",
        _params(start, end, topic, category)))


def story_leads(db: sqlite_utils.Database, stories: list[int]) -> dict[int, dict]:
    """The lead item of each story (the cluster's lead, else the item itself)."""
    rows = _rows(db.execute(
        "SELECT k.value AS story, i.id, i.title, i.url, i.published_at, substr(i.summary, 1, 300) AS summary,"
        " s.name AS source_name FROM json_each(?) k"
        " LEFT JOIN clusters c ON c.id = k.value"
        " JOIN items i ON i.id = coalesce(c.lead_item_id, k.value) JOIN sources s ON s.id = i.source_id",
        [json.dumps(stories)]))
    return {r["story"]: r for r in rows}


def weekly_counts(db: sqlite_utils.Database, start: str, end: str, topic: str | None,
                  category: str | None) -> list[dict]:
    """Items per topic per week (the week's Monday)."""
    return _rows(db.execute(
        "SELECT t.topic, date(i.published_at, '-6 days', 'weekday 1') AS week, count(*) AS n"
        f" FROM ({_PERIOD}) p JOIN items i ON i.id = p.id JOIN item_topics t ON t.item_id = p.id"
        " WHERE (:topic IS NULL OR t.topic = :topic) GROUP BY t.topic, week ORDER BY week",
        _params(start, end, topic, category)))


def new_sheets(db: sqlite_utils.Database, start: str, end: str, topic: str | None) -> list[dict]:
    """Sheets created in the period; with a topic, those citing an item of that topic."""
    return _rows(db.execute(
        "SELECT s.id, s.title, s.technique, s.maturity, s.vendor, s.created_by, s.created_at,"
        " substr(s.summary, 1, 300) AS summary FROM sheets s"
        " WHERE s.created_at >= :start AND s.created_at < :end AND (:topic IS NULL OR EXISTS ("
        "  SELECT 1 FROM sheet_items x JOIN item_topics t ON t.item_id = x.item_id"
        "  WHERE x.sheet_id = s.id AND t.topic = :topic)) ORDER BY s.created_at",
        {"start": start, "end": end, "topic": topic}))


def register_changes(db: sqlite_utils.Database, start: str, end: str) -> list[dict]:
    """Changes to the regulatory register in the period, from the audit trail, with the
    entry's current reference and title (an entry deleted since keeps its last snapshot)."""
    if "register_entries" not in db.table_names():
        return []
    return _rows(db.execute(
        "SELECT a.at, a.actor, a.action, a.entity_id, a.before, a.after, e.reference, e.title, e.status"
        " FROM audit_log a LEFT JOIN register_entries e ON e.id = CAST(a.entity_id AS INTEGER)"
        " WHERE a.entity = 'register_entry' AND a.at >= ? AND a.at < ? ORDER BY a.at, a.id",
        [start, end]))


def insert_report(db: sqlite_utils.Database, title: str, params: dict, content: dict, docx: bytes,
                  author: str, at: str) -> int:
    cur = db.execute(
        "INSERT INTO reports (title, params, content, docx, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [title, json.dumps(params, ensure_ascii=False), json.dumps(content, ensure_ascii=False), docx, author, at])
    return cur.lastrowid


def list_reports(db: sqlite_utils.Database, limit: int = 100) -> list[dict]:
    return _rows(db.execute(
        "SELECT id, title, params, created_by, created_at, length(docx) AS size FROM reports"
        " ORDER BY created_at DESC, id DESC LIMIT ?", [limit]))


def get_report(db: sqlite_utils.Database, report_id: int) -> dict | None:
    rows = _rows(db.execute("SELECT id, title, params, content, created_by, created_at FROM reports WHERE id = ?",
                            [report_id]))
    if not rows:
        return None
    row = rows[0]
    row["params"], row["content"] = json.loads(row["params"]), json.loads(row["content"])
    return row


def report_docx(db: sqlite_utils.Database, report_id: int) -> tuple[str, bytes] | None:
    row = db.execute("SELECT title, docx FROM reports WHERE id = ?", [report_id]).fetchone()
    return (row[0], bytes(row[1])) if row else None
