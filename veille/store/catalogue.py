"""Reads behind the catalogue pages. Each function takes the sqlite3 connection Datasette
hands to ``execute_fn`` (its read threads), so the catalogue reads through Datasette.

Search is built for a large watch: ranking every match of a frequent word costs time in
proportion to the matches (about 250 ms at 1M items), while reading matches newest first
is nearly free. So a search reads the newest ``CANDIDATES`` matches in rowid order (with the
filters applied), ranks those by bm25 (title weighted) and computes the page's facets over
them; the total is exact (FTS5 count) or shown as a lower bound when filters are set.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

CANDIDATES = 500
BM25_WEIGHTS = (10.0, 2.0, 1.0)  # title, summary, content
FACETS = ("topic", "source", "category", "lang", "month")


@dataclass
class Filters:
    topic: str | None = None
    source: str | None = None
    category: str | None = None
    lang: str | None = None
    month: str | None = None  # YYYY-MM

    def active(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass
class SearchResult:
    items: list[dict]
    total: int
    total_is_lower_bound: bool
    facets: dict[str, list[tuple[str, int]]]
    facets_bounded: bool  # facet counts cover the newest CANDIDATES matches only
    pages: int
    page: int
    error: str | None = None
    candidates: int = field(default=CANDIDATES)


def _rows(cursor: sqlite3.Cursor) -> list[dict]:
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


# facet -> SQL condition; {id} is the item id expression, i and s are items and sources;
# values are always bound parameters
FILTER_SQL = {
    "topic": "EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = {id} AND t.topic = :topic)",
    "source": "i.source_id = :source",
    "category": "s.category = :category",
    "lang": "i.lang = :lang",
    "month": "substr(i.published_at, 1, 7) = :month",
}
_FACET_COLUMNS = "i.source_id, s.category, i.lang, substr(i.published_at, 1, 7) AS month"


def _filter_sql(f: Filters, id_expr: str) -> tuple[str, dict, bool]:
    """The AND clauses, their parameters, and whether they need the items row."""
    active = f.active()
    where = "".join(" AND " + FILTER_SQL[k].format(id=id_expr) for k in active)
    return where, dict(active), any(k != "topic" for k in active)


def _candidates(conn: sqlite3.Connection, fts: str | None, f: Filters, limit: int) -> list[dict]:
    if not fts:
        where, params, _ = _filter_sql(f, "i.id")
        sql = (f"SELECT i.id, 0 AS score, {_FACET_COLUMNS} FROM items i JOIN sources s ON s.id = i.source_id"
               f" WHERE 1{where} ORDER BY i.id DESC LIMIT :limit")
        return _rows(conn.execute(sql, {**params, "limit": limit}))
    where, params, needs_row = _filter_sql(f, "items_fts.rowid")
    # the scan walks matches newest first and stops at the limit; it touches the (large)
    # items rows only when a filter needs them, and the facet columns are read afterwards
    scan_join = (" JOIN items i ON i.id = items_fts.rowid JOIN sources s ON s.id = i.source_id"
                 if needs_row else "")
    weights = ", ".join(str(x) for x in BM25_WEIGHTS)
    sql = (f"SELECT m.id, m.score, {_FACET_COLUMNS} FROM ("
           f" SELECT items_fts.rowid AS id, bm25(items_fts, {weights}) AS score FROM items_fts{scan_join}"
           f" WHERE items_fts MATCH :q{where} ORDER BY items_fts.rowid DESC LIMIT :limit) m"
           " JOIN items i ON i.id = m.id JOIN sources s ON s.id = i.source_id ORDER BY m.id DESC")
    return _rows(conn.execute(sql, {**params, "q": fts, "limit": limit}))


def topics_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {i: [] for i in ids}
    cur = conn.execute("SELECT item_id, topic, score, origin FROM item_topics"
                       " WHERE item_id IN (SELECT value FROM json_each(?)) ORDER BY score DESC",
                       [json.dumps(ids)])
    for item_id, topic, score, origin in cur:
        out[item_id].append({"topic": topic, "score": score, "origin": origin})
    return out


def item_cards(conn: sqlite3.Connection, ids: list[int]) -> list[dict]:
    """Title, link, source, date, language, summary and topics of items, in the order given."""
    if not ids:
        return []
    rows = _rows(conn.execute(
        "SELECT i.id, i.title, i.url, i.published_at, i.lang, substr(i.summary, 1, 320) AS summary,"
        " i.source_id, s.name AS source_name, s.category FROM items i JOIN sources s ON s.id = i.source_id"
        " WHERE i.id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]))
    by_id = {r["id"]: r for r in rows}
    topics = topics_of(conn, ids)
    cards = []
    for i in ids:
        if i in by_id:
            card = by_id[i]
            card["topics"] = topics[i]
            cards.append(card)
    return cards


def _facets(conn: sqlite3.Connection, cands: list[dict]) -> dict[str, list[tuple[str, int]]]:
    counts = {name: Counter() for name in FACETS}
    for c in cands:
        counts["source"][c["source_id"]] += 1
        counts["category"][c["category"]] += 1
        counts["lang"][c["lang"] or "?"] += 1
        counts["month"][c["month"]] += 1
    for topics in topics_of(conn, [c["id"] for c in cands]).values():
        for t in topics:
            counts["topic"][t["topic"]] += 1
    out = {k: v.most_common(12) for k, v in counts.items()}
    out["month"] = sorted(counts["month"].items(), reverse=True)[:12]
    return out


def search(conn: sqlite3.Connection, fts: str | None, filters: Filters, *, sort: str = "relevance",
           page: int = 1, size: int = 20, candidates: int = CANDIDATES,
           known_total: int | None = None) -> SearchResult:
    """One results page, its facets and the total; ``fts`` comes from query.to_fts;
    ``known_total``: the number of items, when the caller has it (browsing everything)."""
    try:
        cands = _candidates(conn, fts, filters, candidates)
    except sqlite3.OperationalError as exc:
        return SearchResult([], 0, False, {}, False, 0, 1, error=str(exc))
    if fts and sort != "newest":
        cands_sorted = sorted(cands, key=lambda c: (c["score"], -c["id"]))
    else:
        cands_sorted = cands
    bounded = len(cands) >= candidates
    total, lower = len(cands), False
    if bounded:
        if fts and not filters.active():
            total = conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH ?", [fts]).fetchone()[0]
        elif not fts and not filters.active():
            total = known_total if known_total is not None else item_count(conn)
        else:
            lower = True
    pages = max(1, -(-len(cands_sorted) // size))
    page = min(max(1, page), pages)
    ids = [c["id"] for c in cands_sorted[(page - 1) * size: page * size]]
    return SearchResult(item_cards(conn, ids), total, lower, _facets(conn, cands), bounded, pages, page,
                        candidates=candidates)


def item_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM items").fetchone()[0]


def item_detail(conn: sqlite3.Connection, item_id: int) -> dict | None:
    """An item with its source, topics, references and every place it was seen."""
    rows = _rows(conn.execute(
        "SELECT i.*, s.name AS source_name, s.url AS source_url, s.category, s.reliability"
        " FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = ?", [item_id]))
    if not rows:
        return None
    item = rows[0]
    item["topics"] = topics_of(conn, [item_id])[item_id]
    item["seen_in"] = _rows(conn.execute(
        "SELECT x.source_id, s.name AS source_name, s.url AS source_url, x.url, x.seen_at"
        " FROM item_sources x JOIN sources s ON s.id = x.source_id WHERE x.item_id = ? ORDER BY x.seen_at",
        [item_id]))
    item["references"] = _rows(conn.execute(
        "SELECT kind, key, text FROM entities WHERE item_id = ? ORDER BY kind, key", [item_id]))
    item["story"] = []
    if item.get("cluster_id") is not None:
        item["story"] = [r[0] for r in conn.execute(
            "SELECT id FROM items WHERE cluster_id = ? AND id != ? ORDER BY id DESC LIMIT 10",
            [item["cluster_id"], item_id])]
    return item


def similar_items(conn: sqlite3.Connection, item_id: int, fts_any: str | None, limit: int = 5) -> list[dict]:
    """Items of the same story first, then the best bm25 matches of the item's own words
    (an OR query) among the newest matches, so the cost stays bounded at any size."""
    ids: list[int] = []
    cluster = conn.execute("SELECT cluster_id FROM items WHERE id = ?", [item_id]).fetchone()
    if cluster and cluster[0] is not None:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM items WHERE cluster_id = ? AND id != ? ORDER BY id DESC LIMIT ?",
            [cluster[0], item_id, limit])]
    if fts_any and len(ids) < limit:
        w = ", ".join(str(x) for x in BM25_WEIGHTS)
        try:
            cands = conn.execute(
                f"SELECT rowid, bm25(items_fts, {w}) FROM items_fts WHERE items_fts MATCH ?"
                " ORDER BY rowid DESC LIMIT 200", [fts_any]).fetchall()
        except sqlite3.OperationalError:
            cands = []
        same_topic = _sharing_a_topic(conn, item_id, [r[0] for r in cands])
        # words in common are not enough: items sharing a topic come first (a machinery
        # decree is not "similar" to car sales news that happens to share words)
        for rowid, _ in sorted(cands, key=lambda r: (r[0] not in same_topic, r[1], -r[0])):
            if rowid != item_id and rowid not in ids:
                ids.append(rowid)
            if len(ids) >= limit:
                break
    return item_cards(conn, ids)


def _sharing_a_topic(conn: sqlite3.Connection, item_id: int, candidates: list[int]) -> set[int]:
    """The candidates that share a topic with the item (all of them when it has none)."""
    topics = [r[0] for r in conn.execute("SELECT topic FROM item_topics WHERE item_id = ?", [item_id])]
    if not topics or not candidates:
        return set(candidates)
    marks_c = ", ".join("?" for _ in candidates)
    marks_t = ", ".join("?" for _ in topics)
    return {r[0] for r in conn.execute(
        f"SELECT DISTINCT item_id FROM item_topics WHERE item_id IN ({marks_c}) "
        f"AND topic IN ({marks_t})", [*candidates, *topics])}


def overview(conn: sqlite3.Connection, since_week: str, today: str) -> dict:
    """Counts, new items per topic per ISO week since ``since_week`` (a date), sources in error."""
    counts = _rows(conn.execute(
        "SELECT (SELECT count(*) FROM items) AS items,"
        " (SELECT count(*) FROM items WHERE published_at >= date(:today, '-7 days')) AS items_week,"
        " (SELECT count(*) FROM sources WHERE enabled) AS sources,"
        " (SELECT count(*) FROM sources WHERE enabled AND error_count > 0) AS sources_in_error,"
        " (SELECT count(*) FROM alert_rules WHERE status = 'active') AS rules,"
        " (SELECT count(*) FROM subscribers WHERE unsubscribed_at IS NULL) AS subscribers",
        {"today": today}))[0]
    weekly = _rows(conn.execute(
        "SELECT t.topic, date(i.published_at, '-6 days', 'weekday 1') AS week, count(*) AS n"
        " FROM items i JOIN item_topics t ON t.item_id = i.id"
        " WHERE i.published_at >= :since GROUP BY t.topic, week ORDER BY week",
        {"since": since_week}))
    errors = _rows(conn.execute(
        "SELECT id, name, url, last_error, last_error_at, error_count, last_success_at FROM sources"
        " WHERE enabled AND error_count > 0 ORDER BY error_count DESC, last_error_at DESC LIMIT 20"))
    return {"counts": counts, "weekly": weekly, "errors": errors}


def latest_by_topic(conn: sqlite3.Connection, topics: list[str], per_topic: int = 5) -> dict[str, list[dict]]:
    out = {}
    for topic in topics:
        ids = [r[0] for r in conn.execute(
            "SELECT item_id FROM item_topics WHERE topic = ? ORDER BY item_id DESC LIMIT ?", [topic, per_topic])]
        out[topic] = item_cards(conn, ids)
    return out


def source_health(conn: sqlite3.Connection, since: str) -> list[dict]:
    """Every source with its grade, last success and error, and items published since ``since``."""
    return _rows(conn.execute(
        "SELECT s.id, s.name, s.url, s.kind, s.category, s.reliability, s.enabled, s.last_success_at,"
        " s.last_fetch_at, s.last_error, s.last_error_at, s.error_count, s.moved_to, s.flag,"
        " (SELECT count(*) FROM items i WHERE i.source_id = s.id AND i.published_at >= :since) AS items_30d,"
        " (SELECT max(published_at) FROM items i WHERE i.source_id = s.id) AS last_item_at"
        " FROM sources s ORDER BY s.enabled DESC, s.error_count > 0 DESC, s.name",
        {"since": since}))


def source_names(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT id, name FROM sources ORDER BY name")}
