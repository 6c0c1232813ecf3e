"""Stories in SQLite: MinHash signatures, LSH band keys, cluster ids and leads.

Candidate lookup is one indexed join per ingest batch: the batch's band keys go to a
temporary table, joined to story_bands (primary key (band, hash, item_id)) and to the small
story_bands_recent that collects new keys between merges; a key shared by more than
``_BUCKET_CAP`` items is skipped. Their signatures are then read once per
item, limited to items published in the batch's time window.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import sqlite_utils

from veille.timeutil import now_iso

_CHUNK = 500
_BUCKET_CAP = 20    # a band shared by more items is boilerplate, not a story (stories.BUCKET_CAP)


@dataclass
class Candidates:
    """Stored items sharing bands with the batch's items: how many with each, and their facts."""

    shared: list[dict[int, int]] = field(default_factory=list)   # per batch item: {item_id: bands}
    facts: dict[int, tuple[bytes, str, int | None]] = field(default_factory=dict)

    def signature(self, item_id: int) -> np.ndarray | None:
        fact = self.facts.get(item_id)
        return np.frombuffer(fact[0], dtype=np.uint32) if fact else None

    def published(self, item_id: int) -> str | None:
        fact = self.facts.get(item_id)
        return fact[1] if fact else None

    def cluster_of(self, item_id: int) -> int | None:
        fact = self.facts.get(item_id)
        return fact[2] if fact else None


# A key whose bucket holds more than _BUCKET_CAP items is skipped (its CAP+1-th item is
# looked up, a bounded step): common words, not a story, made those items meet. Band keys
# live in story_bands and, for the last ~_MERGE_ROWS keys, story_bands_recent. SQLite counts
# the bands each stored item shares with each batch item and returns only the pairs
# sharing enough of them.
def probe_sql(cap: int) -> str:
    """The candidate probe skipping keys shared by more than ``cap`` stored items."""
    return ("SELECT pos, item_id, count(*) AS n FROM (" + " UNION ALL ".join(
        "SELECT p.pos, b.item_id FROM temp.story_probe_keys p CROSS JOIN {t} b "
        "ON b.band = p.band AND b.hash = p.hash WHERE NOT EXISTS ("
        " SELECT 1 FROM {t} x WHERE x.band = p.band AND x.hash = p.hash"
        f" LIMIT 1 OFFSET {cap})".format(t=table) for table in ("story_bands", "story_bands_recent"))
        + ") GROUP BY pos, item_id HAVING n >= ? ORDER BY pos, n DESC, item_id DESC")


_PROBE = probe_sql(_BUCKET_CAP)
_MERGE_ROWS = 24_000


def candidates(db: sqlite_utils.Database, keys: np.ndarray, lo: str, hi: str, *,
               min_shared: int = 1, per_item: int = 40) -> Candidates:
    """For each batch item (a row of ``keys``: items x bands, as ``stories.band_keys`` gives
    them), the stored items published in [lo, hi] among the ``per_item`` sharing the most
    band keys with it (at least ``min_shared``). Common words make many items share a band or
    two; the item telling the same story shares many."""
    out = Candidates(shared=[{} for _ in range(len(keys))])
    if not keys.size:
        return out
    conn = db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS story_probe_keys "
                 "(pos INTEGER NOT NULL, band INTEGER NOT NULL, hash INTEGER NOT NULL)")
    conn.execute("DELETE FROM temp.story_probe_keys")
    # one statement over a JSON array of the keys, row by row: half executemany's cost
    conn.execute("INSERT INTO temp.story_probe_keys (pos, band, hash) "
                 "SELECT key / ?, key % ?, value FROM json_each(?)",
                 [keys.shape[1], keys.shape[1], json.dumps(keys.ravel().tolist())])
    for n, item_id, count in conn.execute(_PROBE, [min_shared]):
        if len(out.shared[n]) < per_item:
            out.shared[n][item_id] = count
    conn.execute("DELETE FROM temp.story_probe_keys")
    ids = sorted({i for found in out.shared for i in found})
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = conn.execute(
            "SELECT i.id, s.signature, i.published_at, i.cluster_id FROM items i "
            "JOIN item_signatures s ON s.item_id = i.id "
            f"WHERE i.id IN ({', '.join('?' * len(chunk))}) AND i.published_at BETWEEN ? AND ?",
            [*chunk, lo, hi])
        out.facts.update((item_id, (sig, published, cluster_id))
                         for item_id, sig, published, cluster_id in rows)
    out.shared = [{i: c for i, c in found.items() if i in out.facts} for found in out.shared]
    return out


def save(db: sqlite_utils.Database, assignments: Sequence, signatures: dict[int, bytes],
         band_rows: Sequence[tuple[int, int, int]], *, set_items: bool = True) -> None:
    """Record signatures, band keys (band, key, item_id) and stories; grow each story and
    choose its lead. With ``set_items``, also write items.cluster_id (stored items)."""
    conn = db.conn
    conn.executemany("INSERT OR REPLACE INTO item_signatures (item_id, signature) VALUES (?, ?)",
                     list(signatures.items()))
    conn.executemany("INSERT INTO story_bands_recent (band, hash, item_id) VALUES (?, ?, ?)", band_rows)
    _merge_recent_bands(db)
    if set_items:
        conn.executemany("UPDATE items SET cluster_id = ? WHERE id = ?",
                         [(a.cluster_id, a.item_id) for a in assignments])
    now = now_iso()
    started = [(a.cluster_id, a.item_id, now) for a in assignments if a.cluster_id == a.item_id]
    conn.executemany("INSERT OR IGNORE INTO clusters (id, lead_item_id, size, updated_at) "
                     "VALUES (?, ?, 1, ?)", started)
    _refresh_clusters(db, sorted({a.cluster_id for a in assignments if a.cluster_id != a.item_id}), now)


def _merge_recent_bands(db: sqlite_utils.Database) -> None:
    """Move the recent band keys into story_bands, in key order (neighbouring keys share
    index pages), once there are _MERGE_ROWS of them."""
    low, high = db.conn.execute("SELECT min(rowid), max(rowid) FROM story_bands_recent").fetchone()
    if low is None or high - low + 1 < _MERGE_ROWS:
        return
    db.conn.execute("INSERT OR IGNORE INTO story_bands (band, hash, item_id) SELECT band, hash, "
                    "item_id FROM story_bands_recent ORDER BY band, hash, item_id")
    db.conn.execute("DELETE FROM story_bands_recent")


def _refresh_clusters(db: sqlite_utils.Database, cluster_ids: list[int], now: str) -> None:
    """Size and lead of the stories that grew, one query per chunk of stories."""
    from veille.stories import lead_rank

    members: dict[int, list[tuple]] = {}
    for start in range(0, len(cluster_ids), _CHUNK):
        chunk = cluster_ids[start:start + _CHUNK]
        for cluster_id, item_id, category, length in db.conn.execute(
                "SELECT i.cluster_id, i.id, s.category, length(i.summary) + length(i.content) "
                "FROM items i JOIN sources s ON s.id = i.source_id "
                f"WHERE i.cluster_id IN ({', '.join('?' * len(chunk))})", chunk):
            members.setdefault(cluster_id, []).append((item_id, category, length))
    db.conn.executemany(
        "INSERT INTO clusters (id, lead_item_id, size, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET lead_item_id = excluded.lead_item_id, "
        "size = excluded.size, updated_at = excluded.updated_at",
        [(cid, min(rows, key=lambda r: lead_rank(r[1], r[2], r[0]))[0], len(rows), now)
         for cid, rows in members.items()])


def story(db: sqlite_utils.Database, cluster_id: int) -> dict | None:
    """A story as the catalogue shows it: lead item, items, and the sources it was seen in."""
    row = db.execute("SELECT lead_item_id, size FROM clusters WHERE id = ?", [cluster_id]).fetchone()
    if row is None:
        return None
    items = [r[0] for r in db.execute(
        "SELECT id FROM items WHERE cluster_id = ? ORDER BY published_at, id", [cluster_id])]
    sources = [r[0] for r in db.execute(
        "SELECT source_id FROM story_sources WHERE cluster_id = ? ORDER BY first_seen_at",
        [cluster_id])]
    return {"id": cluster_id, "lead_item_id": row[0], "size": row[1], "items": items,
            "sources": sources}


def clear(db: sqlite_utils.Database) -> None:
    """Forget every story (before a rebuild)."""
    for sql in ("DELETE FROM story_bands", "DELETE FROM story_bands_recent", "DELETE FROM item_signatures", "DELETE FROM clusters",
                "UPDATE items SET cluster_id = NULL WHERE cluster_id IS NOT NULL"):
        db.conn.execute(sql)


def items_in_order(db: sqlite_utils.Database, after_id: int, limit: int) -> list[dict]:
    """A batch of items in ingest order, with what clustering reads."""
    return [dict(zip(("id", "source_id", "title", "summary", "published_at"), r)) for r in db.execute(
        "SELECT id, source_id, title, summary, published_at FROM items WHERE id > ? "
        "ORDER BY id LIMIT ?", [after_id, limit])]
