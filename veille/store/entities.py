"""References found in items (the entities table) and what the catalogue reads of them."""
from __future__ import annotations

from typing import Iterable, Sequence

import sqlite_utils

from veille import store


def add_references(db: sqlite_utils.Database, found: Iterable[tuple[int, Sequence]]) -> int:
    """Store (item_id, [Reference...]) pairs; a reference already stored is kept as it was."""
    rows = [(item_id, r.kind, r.key, r.text) for item_id, refs in found for r in refs]
    store.insert_rows(db.conn, "entities", ("item_id", "kind", "key", "text"), rows,
                      verb="INSERT OR IGNORE")
    return len(rows)


def texts_in_order(db: sqlite_utils.Database, after_id: int, limit: int) -> list[tuple]:
    """A batch of items in id order, with what extraction reads: (id, title, summary,
    content, lang)."""
    return db.execute(
        "SELECT id, title, coalesce(summary, ''), coalesce(content, ''), lang FROM items "
        "WHERE id > ? ORDER BY id LIMIT ?", [after_id, limit]).fetchall()


def stored_references(db: sqlite_utils.Database, first_id: int, last_id: int) -> dict[int, set]:
    """{item_id: {(kind, key, text), ...}} for the items of an id range that have references."""
    found: dict[int, set] = {}
    for item_id, kind, key, text in db.execute(
            "SELECT item_id, kind, key, text FROM entities WHERE item_id BETWEEN ? AND ?",
            [first_id, last_id]):
        found.setdefault(item_id, set()).add((kind, key, text))
    return found


def replace_references(db: sqlite_utils.Database, found: Sequence[tuple[int, Sequence]]) -> None:
    """Each (item_id, [Reference...]) pair's references replace those stored for the item."""
    ids = [item_id for item_id, _ in found]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.conn.execute(f"DELETE FROM entities WHERE item_id IN ({', '.join('?' * len(chunk))})", chunk)
    add_references(db, found)


def items_for_reference(db: sqlite_utils.Database, kind: str, key: str, limit: int = 500) -> list[dict]:
    """Every item mentioning a reference, oldest first (a standard's or a law's history)."""
    cur = db.execute(
        "SELECT i.id, i.title, i.url, i.source_id, i.published_at, i.cluster_id, e.text "
        "FROM entities e JOIN items i ON i.id = e.item_id WHERE e.kind = ? AND e.key = ? "
        "ORDER BY i.published_at, i.id LIMIT ?", [kind, key, limit])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def upcoming_dates(db: sqlite_utils.Database, from_date: str, limit: int = 500) -> list[dict]:
    """Application dates and deadlines on or after ``from_date`` (YYYY-MM-DD), soonest first,
    with the item stating each one and the other references that item makes."""
    cur = db.execute(
        "SELECT e.key AS date, e.text, i.id AS item_id, i.title, i.url, i.published_at, "
        "(SELECT group_concat(o.kind || ':' || o.key, '|') FROM entities o "
        " WHERE o.item_id = i.id AND o.kind != 'date') AS refs "
        "FROM entities e JOIN items i ON i.id = e.item_id "
        "WHERE e.kind = 'date' AND e.key >= substr(?, 1, length(e.key)) "
        "ORDER BY e.key, i.published_at LIMIT ?", [from_date, limit])
    cols = [c[0] for c in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(cols, r))
        row["refs"] = row["refs"].split("|") if row["refs"] else []
        out.append(row)
    return out
