"""SQL for subscribers, alert rules, deliveries, webhook deliveries and digest runs.

Functions take a ``sqlite_utils.Database`` and plain values; the alert logic lives in
``veille.alerts``. Writes that must be all-or-nothing use ``db.atomic()`` so that they nest
inside a caller's transaction (ingest calls matching inside its own).
"""
from __future__ import annotations

import json
import re
import sqlite3
from typing import Iterable, Sequence

import sqlite_utils

from veille.store import entities as entity_store

RULE_LIST_FIELDS = ("topics", "sources", "categories", "refs")
_NUMBERED = re.compile(r"\S+ \d{2,4}-\d{1,5}")    # "décret 2026-187": a French text's number
_FREQ_RANK = "CASE {col} WHEN 'immediate' THEN 0 WHEN 'daily' THEN 1 ELSE 2 END"


def _rows(cursor: sqlite3.Cursor) -> list[dict]:
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def _ids_json(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


# --- subscribers -------------------------------------------------------------------------

def subscriber_by_email(db: sqlite_utils.Database, email: str) -> dict | None:
    rows = _rows(db.execute("SELECT * FROM subscribers WHERE email = ?", [email]))
    return rows[0] if rows else None


def subscriber_by_id(db: sqlite_utils.Database, subscriber_id: int) -> dict | None:
    rows = _rows(db.execute("SELECT * FROM subscribers WHERE id = ?", [subscriber_id]))
    return rows[0] if rows else None


def ensure_subscriber(db: sqlite_utils.Database, email: str, now: str, name: str | None = None,
                      lang: str | None = None) -> int:
    """The subscriber with this email, created if needed; a new rule re-subscribes."""
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO subscribers (email, name, lang, created_at) "
                   "VALUES (?, ?, ?, ?)", [email, name, lang or "fr", now])
        db.execute("UPDATE subscribers SET unsubscribed_at = NULL WHERE email = ?", [email])
        update_subscriber(db, email, name=name, lang=lang)
    return subscriber_by_email(db, email)["id"]


def update_subscriber(db: sqlite_utils.Database, email: str, name: str | None = None,
                      lang: str | None = None) -> int:
    """Change a subscriber's name or mail language; returns rows changed (0: unknown)."""
    cur = db.execute("UPDATE subscribers SET name = coalesce(?, name), lang = coalesce(?, lang) "
                     "WHERE email = ?", [name, lang, email])
    return cur.rowcount


def mark_unsubscribed(db: sqlite_utils.Database, subscriber_id: int, now: str) -> None:
    """No more mail: the subscriber is flagged and what was waiting for them is cancelled."""
    with db.atomic():
        db.execute("UPDATE subscribers SET unsubscribed_at = coalesce(unsubscribed_at, ?) "
                   "WHERE id = ?", [now, subscriber_id])
        db.execute("UPDATE deliveries SET status = 'cancelled', last_error = 'unsubscribed' "
                   "WHERE subscriber_id = ? AND status = 'pending'", [subscriber_id])


# --- rules -------------------------------------------------------------------------------

def _rule_row(row: dict) -> dict:
    for key in RULE_LIST_FIELDS:
        row[key] = json.loads(row[key] or "[]")
    return row


_RULE_SELECT = ("SELECT r.*, s.email, s.name AS subscriber_name, s.lang AS mail_lang, "
                "s.unsubscribed_at FROM alert_rules r JOIN subscribers s ON s.id = r.subscriber_id")


def insert_rule(db: sqlite_utils.Database, subscriber_id: int, fields: dict, now: str) -> int:
    values = _rule_values(fields)
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cur = db.execute(f"INSERT INTO alert_rules (subscriber_id, {cols}, created_at, updated_at) "
                     f"VALUES (?, {marks}, ?, ?)", [subscriber_id, *values.values(), now, now])
    return cur.lastrowid


def update_rule(db: sqlite_utils.Database, rule_id: int, subscriber_id: int, fields: dict,
                now: str) -> int:
    values = _rule_values(fields)
    sets = ", ".join(f"{c} = ?" for c in values)
    cur = db.execute(f"UPDATE alert_rules SET subscriber_id = ?, {sets}, updated_at = ? WHERE id = ?",
                     [subscriber_id, *values.values(), now, rule_id])
    return cur.rowcount


def _rule_values(fields: dict) -> dict:
    # column names come from this fixed list, never from the caller
    cols = ("name", "topics", "query", "sources", "categories", "refs", "min_score",
            "frequency", "lang", "webhook_url")
    return {c: json.dumps(list(fields[c])) if c in RULE_LIST_FIELDS else fields.get(c)
            for c in cols}


def set_rule_status(db: sqlite_utils.Database, rule_id: int, status: str, now: str) -> int:
    cur = db.execute("UPDATE alert_rules SET status = ?, updated_at = ? WHERE id = ?",
                     [status, now, rule_id])
    return cur.rowcount


def delete_rule(db: sqlite_utils.Database, rule_id: int) -> int:
    """Remove a rule; what it queued and was not sent is cancelled, history is kept."""
    with db.atomic():
        db.execute("UPDATE deliveries SET status = 'cancelled', last_error = 'rule removed' "
                   "WHERE rule_id = ? AND status = 'pending'", [rule_id])
        db.execute("UPDATE deliveries SET rule_id = NULL WHERE rule_id = ?", [rule_id])
        db.execute("DELETE FROM webhook_deliveries WHERE rule_id = ?", [rule_id])
        cur = db.execute("DELETE FROM alert_rules WHERE id = ?", [rule_id])
    return cur.rowcount


def fetch_rule(db: sqlite_utils.Database, rule_id: int) -> dict | None:
    rows = _rows(db.execute(_RULE_SELECT + " WHERE r.id = ?", [rule_id]))
    return _rule_row(rows[0]) if rows else None


def fetch_rules(db: sqlite_utils.Database, email: str | None = None) -> list[dict]:
    if email:
        rows = _rows(db.execute(_RULE_SELECT + " WHERE s.email = ? ORDER BY r.id", [email]))
    else:
        rows = _rows(db.execute(_RULE_SELECT + " ORDER BY s.email, r.id"))
    return [_rule_row(r) for r in rows]


def active_rules(db: sqlite_utils.Database) -> list[dict]:
    """Rules that can match: active, of a subscriber who has not unsubscribed."""
    rows = _rows(db.execute(_RULE_SELECT + " WHERE r.status = 'active' "
                            "AND s.unsubscribed_at IS NULL ORDER BY r.id"))
    return [_rule_row(r) for r in rows]


def known_topics(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT DISTINCT topic FROM item_topics")}


def existing_source_ids(db: sqlite_utils.Database, ids: Iterable[str]) -> set[str]:
    return {r[0] for r in db.execute(
        "SELECT id FROM sources WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))])}


def check_fts_query(db: sqlite_utils.Database, query: str) -> None:
    """Raises sqlite3.OperationalError when FTS5 cannot parse the query."""
    db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ? LIMIT 1", [query]).fetchall()


# --- matching ----------------------------------------------------------------------------

def items_for_matching(db: sqlite_utils.Database, item_ids: list[int]) -> list[dict]:
    """The facts rules look at, for each item: source, category, language, story, topics, refs."""
    ids = _ids_json(item_ids)
    # dicts built from the rows directly: ingest matches every new item (a dict per row
    # through _rows, then a copy, cost more than the query)
    items = {i: {"id": i, "source_id": source, "category": category, "lang": lang,
                 "cluster_id": cluster, "published_at": published, "topics": {}, "refs": set()}
             for i, source, category, lang, cluster, published in db.execute(
        "SELECT i.id, i.source_id, coalesce(s.category, 'other') AS category, i.lang, "
        "i.cluster_id, i.published_at FROM items i LEFT JOIN sources s ON s.id = i.source_id "
        "WHERE i.id IN (SELECT value FROM json_each(?))", [ids])}
    for item_id, topic, score in db.execute(
            "SELECT item_id, topic, score FROM item_topics "
            "WHERE item_id IN (SELECT value FROM json_each(?))", [ids]):
        items[item_id]["topics"][topic] = score
    for item_id, key in db.execute(
            "SELECT item_id, key FROM entities WHERE item_id IN (SELECT value FROM json_each(?))", [ids]):
        items[item_id]["refs"].add(key)
    # a rule naming a French text by its date matches the items that cite it by its number
    numbered = {key for it in items.values() for key in it["refs"] if _NUMBERED.fullmatch(key)}
    dates = entity_store.aliases_of(db, numbered) if numbered else {}
    for it in items.values() if dates else ():
        it["refs"].update(alias for key in list(it["refs"]) for alias in dates.get(key, ()))
    return list(items.values())


def fts_hits(db: sqlite_utils.Database, query: str, item_ids: Iterable[int],
             span: tuple[int, int] | None = None) -> set[int]:
    """The given items that the full-text query matches (``span``: their min and max id).

    A rowid range, not ``rowid IN (...)``: FTS5 would re-run the query once per listed id,
    while a range bounds one scan (a batch's new ids are contiguous or nearly so).
    """
    ids = item_ids if isinstance(item_ids, (set, frozenset)) else set(item_ids)
    if not ids:
        return set()
    lo, hi = span or (min(ids), max(ids))
    rows = db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ? AND rowid BETWEEN ? AND ?",
                      [query, lo, hi])
    return ids.intersection(r[0] for r in rows)


def recent_item_ids(db: sqlite_utils.Database, since: str) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT id FROM items WHERE published_at >= ?", [since])]


def existing_deliveries(db: sqlite_utils.Database, item_ids: list[int]) -> dict[int, dict[int, set[int]]]:
    """subscriber_id -> {code: item ids} for the deliveries of these items, where code is the
    pending row's frequency rank (0 immediate, 1 daily, 2 weekly) and -1 for any other status.

    Grouped in SQL: a re-run over a large batch reads a few thousand lists, not a row per
    delivery."""
    code = "CASE WHEN status != 'pending' THEN -1 ELSE " + _FREQ_RANK.format(col="frequency") + " END"
    out: dict[int, dict[int, set[int]]] = {}
    for sub, c, ids in db.execute(
            f"SELECT subscriber_id, {code} AS c, group_concat(item_id) FROM deliveries "
            "WHERE item_id IN (SELECT value FROM json_each(?)) GROUP BY subscriber_id, c",
            [_ids_json(item_ids)]):
        out.setdefault(sub, {})[c] = set(map(int, ids.split(",")))
    return out


def insert_deliveries(db: sqlite_utils.Database, rows: list[tuple], now: str) -> int:
    """rows: (subscriber_id, rule_id, item_id, story_key, frequency, cluster_id).

    A story reaches a subscriber once: the unique key refuses a second row for the same
    story, and an item of a cluster already delivered to the subscriber under an earlier key
    (the item was alone when first matched) is skipped. A still-pending row moves to the
    quickest frequency among the rules that match it. The story's items are looked up first
    (CROSS JOIN fixes the order): the other way round reads every delivery the subscriber
    ever had, for each row.
    """
    rank_new, rank_old = _FREQ_RANK.format(col="excluded.frequency"), _FREQ_RANK.format(col="deliveries.frequency")
    upsert = (f"ON CONFLICT (subscriber_id, story_key) DO UPDATE SET frequency = excluded.frequency, "
              f"rule_id = excluded.rule_id WHERE deliveries.status = 'pending' AND {rank_new} < {rank_old}")
    before = db.execute("SELECT total_changes()").fetchone()[0]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO deliveries (subscriber_id, rule_id, item_id, story_key, frequency, created_at) "
            f"VALUES (?, ?, ?, ?, ?, ?) {upsert}", [(*r[:5], now) for r in rows if r[5] is None])
        db.conn.executemany(
            "INSERT INTO deliveries (subscriber_id, rule_id, item_id, story_key, frequency, "
            "created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?7 WHERE NOT EXISTS ("
            "  SELECT 1 FROM items i CROSS JOIN deliveries d ON d.item_id = i.id "
            f"  WHERE i.cluster_id = ?6 AND d.subscriber_id = ?1) {upsert}",
            [(*r, now) for r in rows if r[5] is not None])
    return db.execute("SELECT total_changes()").fetchone()[0] - before


def merge_story_deliveries(db: sqlite_utils.Database, stories: Sequence[int]) -> int:
    """After stories were merged into ``stories``, leave each subscriber one delivery of each:
    the one already sent (or being sent), else the quickest pending one (then the first);
    the subscriber's other pending rows of the story are cancelled (a digest lists a story
    once). Returns how many were cancelled."""
    keep_rank = "CASE k.status WHEN 'sent' THEN 0 WHEN 'sending' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END"
    before = db.execute("SELECT total_changes()").fetchone()[0]
    db.conn.executemany(
        "UPDATE deliveries SET status = 'cancelled', last_error = 'story merged' "
        "WHERE status = 'pending' AND item_id IN (SELECT id FROM items WHERE cluster_id = ?1) "
        "AND id != (SELECT k.id FROM items i CROSS JOIN deliveries k ON k.item_id = i.id "
        "  WHERE i.cluster_id = ?1 AND k.subscriber_id = deliveries.subscriber_id "
        f"  ORDER BY {keep_rank}, {_FREQ_RANK.format(col='k.frequency')}, k.id LIMIT 1)",
        [(story,) for story in stories])
    return db.execute("SELECT total_changes()").fetchone()[0] - before


def insert_webhook_deliveries(db: sqlite_utils.Database, rows: list[tuple], now: str) -> int:
    """rows: (rule_id, item_id); an item is pushed to a rule's webhook once."""
    before = db.execute("SELECT total_changes()").fetchone()[0]
    db.conn.executemany("INSERT OR IGNORE INTO webhook_deliveries (rule_id, item_id, created_at) "
                        "VALUES (?, ?, ?)", [(*r, now) for r in rows])
    return db.execute("SELECT total_changes()").fetchone()[0] - before


def item_summaries(db: sqlite_utils.Database, item_ids: Iterable[int], limit: int | None = None) -> list[dict]:
    """Items as mail, feeds and previews show them, newest first; topics best first."""
    ids = _ids_json(item_ids)
    rows = _rows(db.execute(
        "SELECT i.id, i.title, i.url, i.summary, i.published_at, i.lang, i.source_id, "
        "coalesce(s.name, i.source_id) AS source_name FROM items i "
        "LEFT JOIN sources s ON s.id = i.source_id WHERE i.id IN (SELECT value FROM json_each(?)) "
        "ORDER BY i.published_at DESC, i.id DESC LIMIT ?", [ids, -1 if limit is None else limit]))
    topics: dict[int, list] = {r["id"]: [] for r in rows}
    for item_id, topic, score in db.execute(
            "SELECT item_id, topic, score FROM item_topics WHERE item_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY score DESC, topic", [_ids_json(topics)]):
        topics[item_id].append({"topic": topic, "score": score})
    for r in rows:
        r["topics"] = topics[r["id"]]
    return rows


# --- sending -----------------------------------------------------------------------------
# A message's deliveries are claimed ('sending', with the Message-ID and claim time) and
# committed before the message leaves; see veille/alerts/send.py for the guarantee.

def subscribers_due(db: sqlite_utils.Database, frequency: str, now: str,
                    retries_only: bool = False) -> list[dict]:
    """Subscribers (still subscribed) with pending deliveries of this frequency due now
    (``retries_only``: only those whose last attempt failed)."""
    return _rows(db.execute(
        "SELECT s.* FROM subscribers s WHERE s.unsubscribed_at IS NULL AND EXISTS ("
        " SELECT 1 FROM deliveries d WHERE d.subscriber_id = s.id AND d.status = 'pending'"
        " AND d.frequency = ? AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)"
        " AND d.attempts >= ?) ORDER BY s.id", [frequency, now, 1 if retries_only else 0]))


def claim(db: sqlite_utils.Database, subscriber_id: int, frequency: str, message_id: str,
          now: str) -> int:
    """Mark the subscriber's due deliveries 'sending' under one Message-ID; returns how many."""
    with db.atomic():
        cur = db.execute(
            "UPDATE deliveries SET status = 'sending', message_id = ?, claimed_at = ?, "
            "attempts = attempts + 1 WHERE subscriber_id = ? AND status = 'pending' "
            "AND frequency = ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)",
            [message_id, now, subscriber_id, frequency, now])
    return cur.rowcount


def stale_claims(db: sqlite_utils.Database, frequency: str, older_than: str) -> list[dict]:
    """Messages claimed before ``older_than`` and never marked: the sender died mid-way."""
    return _rows(db.execute(
        "SELECT message_id, subscriber_id, min(claimed_at) AS claimed_at FROM deliveries "
        "WHERE status = 'sending' AND frequency = ? AND claimed_at < ? "
        "GROUP BY message_id, subscriber_id ORDER BY claimed_at", [frequency, older_than]))


def claimed_item_ids(db: sqlite_utils.Database, message_id: str) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT item_id FROM deliveries WHERE message_id = ? AND status = 'sending'", [message_id])]


def claimed_rule_ids(db: sqlite_utils.Database, message_id: str) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT rule_id FROM deliveries WHERE message_id = ? AND rule_id IS NOT NULL "
        "ORDER BY rule_id", [message_id])]


def mark_sent(db: sqlite_utils.Database, message_id: str, now: str) -> int:
    cur = db.execute("UPDATE deliveries SET status = 'sent', sent_at = ?, last_error = NULL "
                     "WHERE message_id = ? AND status = 'sending'", [now, message_id])
    return cur.rowcount


def release(db: sqlite_utils.Database, message_id: str, error: str, retry_at: str | None,
            status: str | None = None) -> int:
    """A failed attempt: back to pending at ``retry_at``, else 'failed' (or ``status``)."""
    status = status or ("pending" if retry_at else "failed")
    cur = db.execute("UPDATE deliveries SET status = ?, next_attempt_at = ?, last_error = ? "
                     "WHERE message_id = ? AND status = 'sending'", [status, retry_at, error, message_id])
    return cur.rowcount


def max_attempts(db: sqlite_utils.Database, message_id: str) -> int:
    row = db.execute("SELECT max(attempts) FROM deliveries WHERE message_id = ?", [message_id]).fetchone()
    return row[0] or 0


def digest_sent(db: sqlite_utils.Database, subscriber_id: int, period: str, window: str) -> bool:
    return db.execute("SELECT 1 FROM digest_runs WHERE subscriber_id = ? AND period = ? "
                      "AND window_key = ?", [subscriber_id, period, window]).fetchone() is not None


def record_digest(db: sqlite_utils.Database, subscriber_id: int, period: str, window: str,
                  message_id: str, items: int, now: str) -> None:
    db.execute("INSERT OR IGNORE INTO digest_runs (subscriber_id, period, window_key, message_id, "
               "items, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
               [subscriber_id, period, window, message_id, items, now])


def delivery_counts(db: sqlite_utils.Database) -> dict[str, int]:
    return {s: n for s, n in db.execute("SELECT status, count(*) FROM deliveries GROUP BY status")}


# --- webhooks ----------------------------------------------------------------------------

def webhook_batches(db: sqlite_utils.Database, now: str) -> list[dict]:
    """Per active rule with a webhook: its due item ids."""
    rows = _rows(db.execute(
        "SELECT r.id AS rule_id, r.name, r.webhook_url, json_group_array(w.item_id) AS item_ids "
        "FROM webhook_deliveries w JOIN alert_rules r ON r.id = w.rule_id "
        "JOIN subscribers s ON s.id = r.subscriber_id "
        "WHERE w.status = 'pending' AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= ?) "
        "AND r.webhook_url IS NOT NULL AND r.status = 'active' AND s.unsubscribed_at IS NULL "
        "GROUP BY r.id ORDER BY r.id", [now]))
    for r in rows:
        r["item_ids"] = json.loads(r["item_ids"])
    return rows


def record_webhook(db: sqlite_utils.Database, rule_id: int, item_ids: list[int], now: str,
                   error: str | None = None, retry_at: str | None = None) -> None:
    """Outcome of one push: sent (no error), pending again at ``retry_at``, else failed."""
    status = "sent" if error is None else ("pending" if retry_at else "failed")
    db.execute("UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_error = ?, "
               "next_attempt_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? END "
               "WHERE rule_id = ? AND item_id IN (SELECT value FROM json_each(?))",
               [status, error, retry_at, status, now, rule_id, _ids_json(item_ids)])


def webhook_attempts(db: sqlite_utils.Database, rule_id: int, item_ids: list[int]) -> int:
    row = db.execute("SELECT max(attempts) FROM webhook_deliveries WHERE rule_id = ? AND item_id IN "
                     "(SELECT value FROM json_each(?))", [rule_id, _ids_json(item_ids)]).fetchone()
    return row[0] or 0
