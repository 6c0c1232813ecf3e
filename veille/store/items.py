"""Items, the sources they were seen in, and their topics.

Exact duplicates are one item: the same key within a source (guid, else link, else hash),
the same canonical URL, or the same content hash in another source. Each sighting is a row
of item_sources.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Iterable, Mapping, Sequence

import sqlite_utils

from veille import store
from veille.item import Item

_CHUNK = 500
_ITEM_COLUMNS = ("id", "source_id", "url", "guid", "title", "summary", "summary_html", "content",
                 "author", "published_at", "fetched_at", "lang", "content_hash", "page_version",
                 "cluster_id", "classified_at")
# An items row but its story and classification time, straight from the Item (one C call).
_item_values = attrgetter(*_ITEM_COLUMNS[:-2])
_SIGHTING_COLUMNS = ("item_id", "source_id", "key", "url", "seen_at")


@dataclass
class Resolved:
    """A batch checked against the database: the new items (ids given) and every sighting."""

    new: list[Item] = field(default_factory=list)
    sightings: list[tuple] = field(default_factory=list)   # (item_id, source_id, key, url, seen_at)
    duplicates: int = 0


def _lookup(db: sqlite_utils.Database, sql: str, values: Iterable) -> dict:
    """{value: item_id} for a query of the shape '... IN ({})' over values, in chunks."""
    found: dict = {}
    values = list(values)
    for i in range(0, len(values), _CHUNK):
        chunk = values[i:i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for value, item_id in db.conn.execute(sql.format(marks), chunk):
            found.setdefault(value, item_id)
    return found


def resolve(db: sqlite_utils.Database, source_id: str, items: Sequence[Item],
            seen_at: str) -> Resolved:
    """Sort a batch into exact duplicates (same key in the source, same canonical URL, same
    content hash in another source) and new items, whose ``id`` is set; writes nothing.

    Call inside the write transaction that ``insert`` will use: new ids follow the largest
    stored id, which only holds while no other writer can insert (BEGIN IMMEDIATE).
    """
    return resolve_group(db, [(source_id, items, seen_at)])[0]


def resolve_group(db: sqlite_utils.Database,
                  batches: Sequence[tuple[str, Sequence[Item], str]]) -> list[Resolved]:
    """``resolve`` for several sources' batches (source_id, items, seen_at) written in one
    transaction: an entry is also a duplicate of a new item of an earlier batch of the group
    (same URL, or same content hash from another source). New ids are consecutive across the
    group, so ``insert_group`` indexes them in one statement."""
    known = known_keys(db, batches)
    pendings = [[it for it in items if (source_id, it.key) not in known]
                for source_id, items, _ in batches]
    flat = [it for pending in pendings for it in pending if it.page_version is None]
    by_url = _lookup(db, "SELECT url, id FROM items WHERE page_version IS NULL AND url IN ({})",
                     {it.url for it in flat if it.url})
    # content hash -> [(item id, source)]: a hash makes a duplicate only across sources
    by_hash: dict[str, list[tuple[int, str]]] = {}
    for h, item_id, sid in _lookup_rows(
            db, "SELECT content_hash, id, source_id FROM items WHERE content_hash IN ({}) "
                "ORDER BY id", {it.content_hash for it in flat}):
        by_hash.setdefault(h, []).append((item_id, sid))
    next_id = db.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0]
    out = []
    for (source_id, items, seen_at), pending in zip(batches, pendings):
        res = Resolved(duplicates=len(items) - len(pending))
        for it in pending:
            existing = None if it.page_version is not None else _stored_as(it, source_id, by_url, by_hash)
            if existing is None:
                it.id, next_id = next_id, next_id + 1
                res.new.append(it)
                if it.page_version is None:   # later entries with this URL/hash are sightings
                    if it.url:
                        by_url[it.url] = it.id
                    by_hash.setdefault(it.content_hash, []).append((it.id, source_id))
            else:
                res.duplicates += 1
            res.sightings.append((existing or it.id, source_id, it.key, it.url, seen_at))
        out.append(res)
    return out


def _stored_as(it: Item, source_id: str, by_url: dict, by_hash: dict) -> int | None:
    """The id of the item this entry duplicates: same URL, else same content hash from
    another source."""
    existing = by_url.get(it.url) if it.url else None
    if existing is None:
        for item_id, sid in by_hash.get(it.content_hash, ()):
            if sid != source_id:
                return item_id
    return existing


def known_keys(db: sqlite_utils.Database,
               batches: Sequence[tuple[str, Sequence[Item], str]]) -> set[tuple[str, str]]:
    """The (source, key) pairs of the batches (source_id, items, seen_at) already stored:
    one query per 500 pairs for the whole group (the primary key is searched once per
    pair), not one per source."""
    pairs = list({(source_id, it.key): None for source_id, items, _ in batches for it in items})
    found: set[tuple[str, str]] = set()
    for i in range(0, len(pairs), _CHUNK):
        chunk = pairs[i:i + _CHUNK]
        found.update(db.conn.execute(_known_keys_sql(len(chunk)), list(chain.from_iterable(chunk))))
    return found


@lru_cache(maxsize=8)
def _known_keys_sql(pairs: int) -> str:
    values = ", ".join(["(?, ?)"] * pairs)
    return ("SELECT s.source_id, s.key FROM (VALUES " + values + ") AS v "
            "JOIN item_sources s ON s.source_id = v.column1 AND s.key = v.column2")


def _lookup_rows(db: sqlite_utils.Database, sql: str, values: Iterable) -> list[tuple]:
    """Every row of a query of the shape '... IN ({})' over values, in chunks."""
    values, rows = list(values), []
    for i in range(0, len(values), _CHUNK):
        chunk = values[i:i + _CHUNK]
        rows += db.conn.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall()
    return rows


def insert(db: sqlite_utils.Database, resolved: Resolved, *, cluster_of: Mapping[int, int] = {},
           classified_at: str | None = None) -> None:
    """Write the new items (with their story and classification time when known), their
    full-text entries and every sighting."""
    insert_group(db, [resolved], cluster_of=cluster_of, classified_at=classified_at)


def insert_group(db: sqlite_utils.Database, group: Sequence[Resolved], *,
                 cluster_of: Mapping[int, int] = {}, classified_at: str | None = None) -> None:
    """``insert`` for the batches of one ``resolve_group``: one statement each for the items,
    their full-text entries and the sightings."""
    conn = db.conn
    new = [it for resolved in group for it in resolved.new]
    with store.transaction(db):   # the deferral flag never outlives this batch
        if new:
            conn.execute("INSERT INTO settings (key, value) VALUES ('fts_deferred', '1')")
            store.insert_rows(conn, "items", _ITEM_COLUMNS, [
                _item_values(it) + (cluster_of.get(it.id), classified_at) for it in new])
            conn.execute("DELETE FROM settings WHERE key = 'fts_deferred'")
            # new ids are consecutive (resolve_group): one statement indexes the whole group
            conn.execute("INSERT INTO items_fts (rowid, title, summary, content) SELECT id, title, "
                         "summary, content FROM items WHERE id BETWEEN ? AND ?",
                         [new[0].id, new[-1].id])
        store.insert_rows(conn, "item_sources", _SIGHTING_COLUMNS,
                          [s for resolved in group for s in resolved.sightings], verb="INSERT OR IGNORE")


def add_items(db: sqlite_utils.Database, source_id: str, items: Sequence[Item],
              seen_at: str) -> tuple[list[Item], int]:
    """Store the items not seen before; record every sighting. Returns (new items, duplicates).

    New items get their ``id`` set.
    """
    with store.transaction(db):
        resolved = resolve(db, source_id, items, seen_at)
        insert(db, resolved)
    return resolved.new, resolved.duplicates


def add_topics(db: sqlite_utils.Database, rows: Iterable[tuple[int, str, float, str]],
               classified_at: str | None = None, item_ids: Sequence[int] = ()) -> None:
    """Write (item_id, topic, score, origin) rows and mark ``item_ids`` classified (ingest
    writes classified_at with the item instead)."""
    store.insert_rows(db.conn, "item_topics", ("item_id", "topic", "score", "origin"), list(rows),
                      tail="ON CONFLICT(item_id, topic) DO UPDATE SET score = max(score, excluded.score) "
                           "WHERE item_topics.origin != 'human'")
    if item_ids:
        db.conn.executemany("UPDATE items SET classified_at = ? WHERE id = ?",
                            [(classified_at, i) for i in item_ids])
