"""Items, the sources they were seen in, and their topics.

Exact duplicates are one item: the same key within a source (guid, else link, else hash),
the same canonical URL, or the same content hash in another source. Each sighting is a row
of item_sources.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import sqlite_utils

from veille.item import Item

_CHUNK = 500
_INSERT_ITEM = (
    "INSERT INTO items (source_id, url, guid, title, summary, summary_html, content, author, "
    "published_at, fetched_at, lang, content_hash, page_version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _lookup(db: sqlite_utils.Database, sql: str, values: Sequence, prefix: Sequence = ()) -> dict:
    """{value: item_id} for a query of the shape '... IN ({})' over values, in chunks."""
    found: dict = {}
    values = list(values)
    for i in range(0, len(values), _CHUNK):
        chunk = values[i:i + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for value, item_id in db.execute(sql.format(marks), [*prefix, *chunk]):
            found.setdefault(value, item_id)
    return found


def add_items(db: sqlite_utils.Database, source_id: str, items: Sequence[Item],
              seen_at: str) -> tuple[list[Item], int]:
    """Store the items not seen before; record every sighting. Returns (new items, duplicates).

    Call inside a transaction. New items get their ``id`` set.
    """
    known_keys = _lookup(db, "SELECT key, item_id FROM item_sources WHERE source_id = ? "
                             "AND key IN ({})", [it.key for it in items], [source_id])
    pending = [it for it in items if it.key not in known_keys]
    by_url = _lookup(db, "SELECT url, id FROM items WHERE page_version IS NULL AND url IN ({})",
                     {it.url for it in pending if it.url and it.page_version is None})
    by_hash = _lookup(db, "SELECT content_hash, id FROM items WHERE source_id != ? "
                          "AND content_hash IN ({})",
                      {it.content_hash for it in pending if it.page_version is None}, [source_id])
    new: list[Item] = []
    sightings: list[tuple] = []
    duplicates = len(items) - len(pending)
    batch_url: dict[str, int] = {}
    for it in pending:
        existing = None
        if it.page_version is None:
            existing = (by_url.get(it.url) if it.url else None) or batch_url.get(it.url or "") \
                or by_hash.get(it.content_hash)
        if existing is not None:
            duplicates += 1
            sightings.append((existing, source_id, it.key, it.url, seen_at))
            continue
        cur = db.conn.execute(_INSERT_ITEM, (
            source_id, it.url, it.guid, it.title, it.summary, it.summary_html, it.content,
            it.author, it.published_at, it.fetched_at, it.lang, it.content_hash, it.page_version))
        it.id = cur.lastrowid
        if it.url and it.page_version is None:
            batch_url[it.url] = it.id
        sightings.append((it.id, source_id, it.key, it.url, seen_at))
        new.append(it)
    db.conn.executemany(
        "INSERT OR IGNORE INTO item_sources (item_id, source_id, key, url, seen_at) "
        "VALUES (?, ?, ?, ?, ?)", sightings)
    return new, duplicates


def add_topics(db: sqlite_utils.Database, rows: Iterable[tuple[int, str, float, str]],
               classified_at: str, item_ids: Sequence[int]) -> None:
    """Write (item_id, topic, score, origin) rows and mark the items classified."""
    db.conn.executemany(
        "INSERT INTO item_topics (item_id, topic, score, origin) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(item_id, topic) DO UPDATE SET score = max(score, excluded.score) "
        "WHERE item_topics.origin != 'human'", list(rows))
    db.conn.executemany("UPDATE items SET classified_at = ? WHERE id = ?",
                        [(classified_at, i) for i in item_ids])
