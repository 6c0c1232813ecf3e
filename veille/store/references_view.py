"""What the catalogue reads about references (the entities table) and stories (items sharing
a cluster_id): the reference index, a reference's dates, the calendar of application dates,
and the sources a story was also seen in. Each function takes the sqlite3 connection
Datasette hands to ``execute_fn``; every value is a bound parameter.
"""
from __future__ import annotations

import json
import sqlite3

REFERENCE_KINDS = ("standard", "eu_act", "fr_text")


def _rows(cursor: sqlite3.Cursor) -> list[dict]:
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def reference_index(conn: sqlite3.Connection) -> list[dict]:
    """Every standard, EU act and French text cited, with how many items cite it, most cited
    first. Read from the entities_by_key index alone (tens of ms at 400,000 references);
    ``reference_details`` adds the latest mention for the rows a page shows."""
    return _rows(conn.execute(
        "SELECT kind, key, count(*) AS items FROM entities"
        f" WHERE kind IN ({', '.join('?' * len(REFERENCE_KINDS))})"
        " GROUP BY kind, key ORDER BY items DESC, key", list(REFERENCE_KINDS)))


def reference_details(conn: sqlite3.Connection, refs: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """(kind, key) -> latest publication date among the items citing it and one spelling."""
    rows = conn.execute(
        "WITH wanted(kind, key) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')"
        " FROM json_each(?)) SELECT w.kind, w.key, max(i.published_at), min(e.text) FROM wanted w"
        " CROSS JOIN entities e ON e.kind = w.kind AND e.key = w.key JOIN items i ON i.id = e.item_id"
        " GROUP BY w.kind, w.key", [json.dumps([list(r) for r in refs])])
    return {(kind, key): {"latest": latest, "text": text} for kind, key, latest, text in rows}


def reference_mentions(conn: sqlite3.Connection, kind: str, key: str, limit: int = 500) -> list[dict]:
    """Every item citing the reference, oldest first, with the text as written and its source."""
    return _rows(conn.execute(
        "SELECT i.id, i.title, i.url, i.source_id, s.name AS source_name, i.published_at, i.lang,"
        " i.cluster_id, e.text FROM entities e JOIN items i ON i.id = e.item_id"
        " JOIN sources s ON s.id = i.source_id WHERE e.kind = ? AND e.key = ?"
        " ORDER BY i.published_at, i.id LIMIT ?", [kind, key, limit]))


def reference_dates(conn: sqlite3.Connection, kind: str, key: str, limit: int = 100) -> list[dict]:
    """Application dates and deadlines stated by the items that cite the reference."""
    return _rows(conn.execute(
        "SELECT d.key AS date, d.text, d.item_id, i.title FROM entities r"   # the reference drives
        " CROSS JOIN entities d ON d.item_id = r.item_id AND d.kind = 'date'"
        " JOIN items i ON i.id = r.item_id WHERE r.kind = ? AND r.key = ?"
        " ORDER BY d.key, i.published_at LIMIT ?", [kind, key, limit]))


def calendar_entries(conn: sqlite3.Connection, from_date: str | None, *, topic: str | None = None,
                     ref: str | None = None, limit: int = 500) -> list[dict]:
    """Dates stated as application dates or deadlines, soonest first, each with its item, the
    item's topics and its other references. ``from_date`` (YYYY-MM-DD) keeps dates on or
    after it (a month-only date ``YYYY-MM`` is kept through its month); None keeps all.
    ``ref``: only items citing that reference key; ``topic``: only items with that topic."""
    where, params, source = ["e.kind = 'date'"], {"limit": limit}, "entities e"
    if from_date:
        where.append("e.key >= substr(:from_date, 1, length(e.key))")
        params["from_date"] = from_date
    if topic:
        where.append("EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = e.item_id AND t.topic = :topic)")
        params["topic"] = topic
    if ref:
        # the items citing the reference drive the query (entities_by_key, then each item's dates)
        source = ("entities r CROSS JOIN entities e ON e.item_id = r.item_id AND e.kind = 'date'"
                  " AND r.key = :ref AND r.kind IN ('standard', 'eu_act', 'fr_text')")
        params["ref"] = ref
    rows = _rows(conn.execute(
        "SELECT e.key AS date, e.text, i.id AS item_id, i.title, i.url, i.published_at, i.source_id, i.cluster_id,"
        " (SELECT json_group_array(json_array(o.kind, o.key)) FROM entities o"
        "  WHERE o.item_id = i.id AND o.kind IN ('standard', 'eu_act', 'fr_text')) AS refs,"
        " (SELECT json_group_array(t.topic) FROM item_topics t WHERE t.item_id = i.id) AS topics"
        f" FROM {source} JOIN items i ON i.id = e.item_id"
        f" WHERE {' AND '.join(where)} ORDER BY e.key, i.published_at, i.id LIMIT :limit", params))
    for row in rows:
        row["refs"] = [{"kind": k, "key": v} for k, v in json.loads(row["refs"] or "[]")]
        row["topics"] = json.loads(row["topics"] or "[]")
    return rows


def also_seen_in(conn: sqlite3.Connection, item_ids: list[int]) -> dict[int, list[dict]]:
    """For each item, the other sources its story was seen in (the story's other items and the
    item's own exact duplicates), one entry per source with a link: "also in N sources"."""
    if not item_ids:
        return {}
    rows = conn.execute(
        # two indexed lookups (the item itself, its story by items_by_cluster) rather than an OR
        "WITH asked AS (SELECT i.id, i.source_id, i.cluster_id FROM items i"
        "  WHERE i.id IN (SELECT value FROM json_each(:ids))),"
        " members AS (SELECT id AS asked_id, id AS member FROM asked UNION"
        # CROSS JOIN keeps the asked items outside: the planner would otherwise scan the index
        "  SELECT a.id, m.id FROM asked a CROSS JOIN items m ON m.cluster_id = a.cluster_id)"
        " SELECT a.id, x.source_id, s.name, min(x.url), min(k.member) FROM asked a"
        " JOIN members k ON k.asked_id = a.id JOIN item_sources x ON x.item_id = k.member"
        " JOIN sources s ON s.id = x.source_id"
        " WHERE x.source_id != a.source_id GROUP BY a.id, x.source_id ORDER BY a.id, min(x.seen_at)",
        {"ids": json.dumps(item_ids)})
    out: dict[int, list[dict]] = {i: [] for i in item_ids}
    for item_id, source_id, name, url, member in rows:
        out[item_id].append({"source_id": source_id, "source_name": name, "url": url, "item_id": member})
    return out


def story_leads(conn: sqlite3.Connection, item_ids: list[int]) -> dict[int, tuple[int, int]]:
    """item id -> (story id, lead item id) for the items that belong to a story of 2 or more."""
    if not item_ids:
        return {}
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT i.id, c.id, c.lead_item_id FROM items i JOIN clusters c ON c.id = i.cluster_id"
        " WHERE i.id IN (SELECT value FROM json_each(?)) AND c.size > 1", [json.dumps(item_ids)])}


def collapse_stories(conn: sqlite3.Connection, cards: list[dict]) -> list[dict]:
    """One page of result cards with each story shown once: its lead item takes the place of
    the story's best-placed card and the other members leave the page. Every card gets
    ``also_in`` (the other sources of its story). Works on the page only, never the table."""
    from veille.store.catalogue import item_cards

    leads = story_leads(conn, [c["id"] for c in cards])
    kept: list[tuple[dict, int]] = []   # (card found, id to show)
    seen: set[int] = set()
    for card in cards:
        story = leads.get(card["id"])
        if story is not None:
            if story[0] in seen:
                continue
            seen.add(story[0])
        kept.append((card, story[1] if story else card["id"]))
    swapped = {c["id"]: c for c in item_cards(conn, [i for card, i in kept if i != card["id"]])}
    out = [swapped.get(i, card) for card, i in kept]
    also = also_seen_in(conn, [c["id"] for c in out])
    for c in out:
        c["also_in"] = also.get(c["id"], [])
    return out
