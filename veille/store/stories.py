"""Stories in SQLite: MinHash signatures, LSH band keys, cluster ids and leads.

Candidate lookup is one indexed join per ingest batch (story_bands' primary key is
(band, hash, item_id)), limited to items published in the batch's time window.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import sqlite_utils

from veille.timeutil import now_iso

_CHUNK = 400
_BUCKET_CAP = 200   # a band shared by more items is boilerplate, not a story: look no further


@dataclass
class Candidates:
    """Stored items sharing a band with the batch: per band key, and their facts."""

    by_key: dict[tuple[int, int], list[int]] = field(default_factory=dict)
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


def candidates(db: sqlite_utils.Database, keys: Iterable[tuple[int, int]], lo: str,
               hi: str) -> Candidates:
    """Stored items published in [lo, hi] that share a (band, hash) with one of ``keys``."""
    out = Candidates()
    keys = list(keys)
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        values = ", ".join("(?, ?)" for _ in chunk)
        params = [v for k in chunk for v in k]
        rows = db.execute(
            f"WITH k(band, hash) AS (VALUES {values}) "
            "SELECT b.band, b.hash, i.id, s.signature, i.published_at, i.cluster_id "
            "FROM k JOIN story_bands b ON b.band = k.band AND b.hash = k.hash "
            "JOIN items i ON i.id = b.item_id JOIN item_signatures s ON s.item_id = i.id "
            "WHERE i.published_at BETWEEN ? AND ?", [*params, lo, hi]).fetchall()
        for band, hsh, item_id, sig, published, cluster_id in rows:
            bucket = out.by_key.setdefault((band, hsh), [])
            if len(bucket) < _BUCKET_CAP:
                bucket.append(item_id)
                out.facts[item_id] = (sig, published, cluster_id)
    return out


def save(db: sqlite_utils.Database, assignments: Sequence, signatures: dict[int, bytes],
         band_keys: dict[int, list[tuple[int, int]]]) -> None:
    """Record signatures, band keys and cluster ids; grow each story and choose its lead."""
    conn = db.conn
    conn.executemany("INSERT OR REPLACE INTO item_signatures (item_id, signature) VALUES (?, ?)",
                     list(signatures.items()))
    conn.executemany("INSERT OR IGNORE INTO story_bands (band, hash, item_id) VALUES (?, ?, ?)",
                     [(b, h, i) for i, ks in band_keys.items() for b, h in ks])
    conn.executemany("UPDATE items SET cluster_id = ? WHERE id = ?",
                     [(a.cluster_id, a.item_id) for a in assignments])
    now = now_iso()
    started = [(a.cluster_id, a.item_id, now) for a in assignments if a.cluster_id == a.item_id]
    conn.executemany("INSERT OR IGNORE INTO clusters (id, lead_item_id, size, updated_at) "
                     "VALUES (?, ?, 1, ?)", started)
    grown = sorted({a.cluster_id for a in assignments if a.cluster_id != a.item_id})
    for cluster_id in grown:
        _refresh_cluster(db, cluster_id, now)


def _refresh_cluster(db: sqlite_utils.Database, cluster_id: int, now: str) -> None:
    from veille.stories import lead_rank

    rows = db.execute(
        "SELECT i.id, s.category, length(i.summary) + length(i.content) FROM items i "
        "JOIN sources s ON s.id = i.source_id WHERE i.cluster_id = ?", [cluster_id]).fetchall()
    lead = min(rows, key=lambda r: lead_rank(r[1], r[2], r[0]))[0]
    db.conn.execute(
        "INSERT INTO clusters (id, lead_item_id, size, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET lead_item_id = excluded.lead_item_id, "
        "size = excluded.size, updated_at = excluded.updated_at",
        [cluster_id, lead, len(rows), now])


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
    for sql in ("DELETE FROM story_bands", "DELETE FROM item_signatures", "DELETE FROM clusters",
                "UPDATE items SET cluster_id = NULL WHERE cluster_id IS NOT NULL"):
        db.conn.execute(sql)


def items_in_order(db: sqlite_utils.Database, after_id: int, limit: int) -> list[dict]:
    """A batch of items in ingest order, with what clustering reads."""
    return [dict(zip(("id", "source_id", "title", "summary", "published_at"), r)) for r in db.execute(
        "SELECT id, source_id, title, summary, published_at FROM items WHERE id > ? "
        "ORDER BY id LIMIT ?", [after_id, limit])]
