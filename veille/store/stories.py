"""Stories in SQLite: MinHash signatures, cluster ids and leads, and the band index.

Candidates come from an in-memory LSH band index (veille.story_index) built from the stored
signatures of the dates a batch needs and kept for the life of the process, brought up to
date before each probe (items signed since, by any process); a key shared by more than
``_BUCKET_CAP`` items is skipped. The candidates' signatures are then read once per item,
limited to items published in the batch's time window. Band keys derive from signatures,
so the database stores signatures only.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Sequence

import numpy as np
import sqlite_utils

from veille.store import alerts as alert_store
from veille.story_anchors import AnchorIndex, day_number
from veille.story_index import BandIndex
from veille.timeutil import iso, now_iso

_CHUNK = 500
_LEAD_CHARS = 1100  # of a summary: what signing reads (story_signing.SUMMARY_CHARS) and a word more
_BUCKET_CAP = 20    # a band shared by more items is boilerplate, not a story (stories.BUCKET_CAP)


@dataclass
class Candidates:
    """Stored items sharing bands or anchors with the batch's items, and their facts."""

    shared: list[dict[int, int]] = field(default_factory=list)   # per batch item: {item_id: bands}
    facts: dict[int, tuple[bytes, str, int | None, str, str]] = field(default_factory=dict)
    # (signature, published_at, cluster_id, source_id, title) of each stored candidate
    # per batch item: stored items carrying each of its anchors in the count window, and
    # {item_id: positions of the anchors it shares} for those published near it
    anchor_counts: list[np.ndarray] = field(default_factory=list)
    anchored: list[dict[int, list[int]]] = field(default_factory=list)
    anchor_stories: "_HeldStories | None" = None
    conn: sqlite3.Connection | None = None
    _texts: dict[int, tuple[str, str]] = field(default_factory=dict)

    def signatures(self, item_ids: Sequence[int]) -> np.ndarray:
        """The signatures of stored candidates (items x NUM_PERM), read in one go."""
        return np.frombuffer(b"".join(self.facts[i][0] for i in item_ids),
                             dtype=np.uint32).reshape(len(item_ids), -1)

    def published_of(self) -> dict[int, str]:
        """Publication date of every stored candidate."""
        return {i: fact[1] for i, fact in self.facts.items()}

    def cluster_of(self, item_id: int) -> int | None:
        fact = self.facts.get(item_id)
        return fact[2] if fact else None

    def told_by(self, item_id: int) -> tuple[str, str]:
        """The source and title of a stored candidate."""
        fact = self.facts[item_id]
        return fact[3], fact[4]

    def texts(self, item_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(title, summary's lead) of stored candidates, read when asked (few are)."""
        wanted = sorted({i for i in item_ids if i not in self._texts})
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            self._texts.update((row[0], (row[1], row[2])) for row in self.conn.execute(
                f"SELECT id, title, substr(coalesce(summary, ''), 1, {_LEAD_CHARS}) FROM items "
                f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
        return {i: self._texts.get(i, ("", "")) for i in item_ids}


@dataclass
class AnchorProbe:
    """A batch's anchors as the anchor index is asked about them (story_anchors)."""

    codes: list[np.ndarray]       # per batch item, its anchor codes
    days: list[int]               # per batch item, its day number
    count_days: int
    near_days: int
    cap: int


# The band index of each database file, kept for the life of the process (`veille up` keeps
# it across jobs) and brought up to date before each probe: items signed since (by this
# process or another), and the dates a batch needs that it does not hold yet.
_INDEXES: dict[str, "_Indexed"] = {}
_MARGIN = timedelta(days=60)     # first load: the recent past, where new items' stories are
# A long-running process (`veille up`) adds every new item to its index: past this many
# items, an index that also holds dates older than twice the margin starts afresh, so
# memory stays bounded (about 400 bytes per item) while recent stories keep their candidates.
_MAX_INDEXED = 250_000


@dataclass
class _Indexed:
    index: BandIndex
    anchors: AnchorIndex
    generation: str | None          # settings 'stories_generation': bumped when stories are cleared
    rollbacks: int                  # store.rollbacks() when loaded: a rollback may undo what was read
    last_id: int = 0                # signed items up to this id are indexed (within ``covered``)
    covered: list[tuple[str, str]] = field(default_factory=list)   # published_at intervals held


def candidates(db: sqlite_utils.Database, keys: np.ndarray, lo: str, hi: str, *,
               min_shared: int = 1, per_item: int = 40, cap: int = _BUCKET_CAP,
               anchors: AnchorProbe | None = None) -> Candidates:
    """For each batch item (a row of ``keys``: items x bands, as ``story_signing.band_keys`` gives
    them), the stored items published in [lo, hi] among the ``per_item`` sharing the most
    band keys with it (at least ``min_shared``; keys held by more than ``cap`` items do not
    count). Common words make many items share a band or two; the item telling the same
    story shares many. With ``anchors``, also the stored items carrying the batch items'
    anchors (see AnchorProbe and Candidates)."""
    if not keys.size:
        return Candidates(shared=[{} for _ in range(len(keys))])
    out = Candidates(conn=db.conn)
    entry = _indexed(db, lo, hi)
    out.shared = entry.index.probe(keys, cap=cap, min_shared=min_shared, per_item=per_item)
    if anchors is not None:
        out.anchor_counts, out.anchored, out.anchor_stories = _probe_anchors(entry.anchors, anchors)
    ids = sorted({i for found in [*out.shared, *out.anchored] for i in found})
    conn = db.conn
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        rows = conn.execute(
            "SELECT i.id, s.signature, i.published_at, i.cluster_id, i.source_id, i.title FROM items i "
            "JOIN item_signatures s ON s.item_id = i.id "
            f"WHERE i.id IN ({', '.join('?' * len(chunk))}) AND i.published_at BETWEEN ? AND ?",
            [*chunk, lo, hi])
        out.facts.update((row[0], row[1:]) for row in rows)
    if len(out.facts) < len(ids):       # some are outside [lo, hi]
        out.shared = [{i: c for i, c in found.items() if i in out.facts} for found in out.shared]
        out.anchored = [{i: p for i, p in found.items() if i in out.facts} for found in out.anchored]
    return out


@dataclass
class _HeldStories:
    """The stored stories carrying each anchor of a batch (AnchorIndex.probe's pairs)."""

    positions: np.ndarray       # sorted: per pair, the anchor's position among the batch's
    stories: np.ndarray
    starts: list[int]           # per batch item, the position of its first anchor

    def __call__(self, n: int, k: int) -> set[int]:
        """The stored stories carrying batch item ``n``'s ``k``-th anchor (counted ones)."""
        at = self.starts[n] + k
        lo, hi = np.searchsorted(self.positions, [at, at + 1])
        return set(self.stories[lo:hi].tolist())


def _probe_anchors(index: AnchorIndex, probe: AnchorProbe) -> tuple[list[np.ndarray],
                                                                     list[dict[int, list[int]]],
                                                                     _HeldStories]:
    """Per batch item, stored stories carrying each anchor, the near items sharing some,
    and the stories counted."""
    lengths = [len(c) for c in probe.codes]
    owner = np.repeat(np.arange(len(lengths)), lengths)
    codes = np.concatenate(probe.codes) if owner.size else np.empty(0, dtype=np.int64)
    counts, positions, ids, (held_pos, held_story) = index.probe(
        codes, np.asarray(probe.days, dtype=np.int64)[owner], count_days=probe.count_days,
        near_days=probe.near_days, cap=probe.cap)
    starts = np.cumsum([0, *lengths])
    near: list[dict[int, list[int]]] = [{} for _ in lengths]
    rows = owner[positions]
    for n, k, item_id in zip(rows.tolist(), (positions - starts[rows]).tolist(), ids.tolist()):
        near[n].setdefault(item_id, []).append(k)
    bounds = starts.tolist()
    return ([counts[a:b] for a, b in zip(bounds[:-1], bounds[1:])], near,
            _HeldStories(held_pos, held_story, bounds))


def band_index(db: sqlite_utils.Database, lo: str, hi: str) -> BandIndex:
    """The band index of ``db`` holding every signed item published in [lo, hi]."""
    return _indexed(db, lo, hi).index


def _indexed(db: sqlite_utils.Database, lo: str, hi: str) -> _Indexed:
    """The band and anchor indexes of ``db`` holding every signed item published in [lo, hi]."""
    from veille import store

    path = _path(db)
    generation = store.get_setting(db, "stories_generation")
    entry = _INDEXES.get(path)
    top = db.execute("SELECT coalesce(max(item_id), 0) FROM item_signatures").fetchone()[0]
    now = datetime.now(timezone.utc)
    if entry is None or entry.generation != generation or entry.rollbacks != store.rollbacks() \
            or top < entry.last_id or _outgrown(entry, now):
        from veille.story_signing import BANDS
        entry = _INDEXES[path] = _Indexed(BandIndex(BANDS), AnchorIndex(), generation,
                                          store.rollbacks())
        lo, hi = min(lo, iso(now - _MARGIN)), max(hi, iso(now + timedelta(days=1)))
    if top > entry.last_id:      # signed since: in the dates already held
        for a, b in entry.covered:
            _load(db, entry, a, b, entry.last_id, top)
    for a, b, open_ends in _missing(entry.covered, lo, hi):
        _load(db, entry, a, b, 0, top, open_ends)
    entry.covered = _union(entry.covered, lo, hi)
    entry.last_id = top
    return entry


def _path(db: sqlite_utils.Database) -> str:
    return db.execute("PRAGMA database_list").fetchone()[2] or f"memory:{id(db.conn)}"


def _outgrown(entry: _Indexed, now: datetime) -> bool:
    return entry.index.size > _MAX_INDEXED and bool(entry.covered) \
        and entry.covered[0][0] < iso(now - 2 * _MARGIN)


def _load(db: sqlite_utils.Database, entry: _Indexed, lo: str, hi: str, after_id: int,
          upto_id: int, open_ends: tuple[bool, bool] = (False, False)) -> None:
    """Index the signed items with after_id < id <= upto_id published between lo and hi
    (a bound excluded when its ``open_ends`` flag is set: it belongs to an interval held)."""
    # items signed since (after_id > 0) are few: walk them by id; a span of dates is
    # walked through the items' date index (CROSS JOIN fixes SQLite's join order)
    tables = "item_signatures s CROSS JOIN items i" if after_id else "items i CROSS JOIN item_signatures s"
    rows = db.execute(
        f"SELECT s.item_id, s.signature, s.anchors, i.published_at, coalesce(i.cluster_id, i.id) "
        f"FROM {tables} ON i.id = s.item_id "
        "WHERE s.item_id > ? AND s.item_id <= ? "
        f"AND i.published_at {'>' if open_ends[0] else '>='} ? "
        f"AND i.published_at {'<' if open_ends[1] else '<='} ?",
        [after_id, upto_id, lo, hi]).fetchall()
    _add(entry, rows)


def _add(entry: _Indexed, rows: Sequence[tuple[int, bytes, bytes | None, str, int]]) -> None:
    """Index rows of (item id, signature, anchors, published_at, story), in this order."""
    from veille.story_signing import NUM_PERM, band_keys

    if rows:
        sigs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint32).reshape(-1, NUM_PERM)
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        entry.index.add(ids, band_keys(sigs))
        day_of = {date: day_number(date) for date in {r[3] for r in rows}}   # few distinct
        codes = [r[2] or b"" for r in rows]
        entry.anchors.add(ids, [day_of[r[3]] for r in rows], np.frombuffer(b"".join(codes), dtype=np.int64),
                          [len(c) // 8 for c in codes], [r[4] for r in rows])


def _index_saved(db: sqlite_utils.Database, signatures: dict[int, bytes],
                 anchors: dict[int, bytes], published: dict[int, str],
                 story_of: dict[int, int]) -> None:
    """Index the items just signed as the next probe would have read them back (``_load``
    walking the ids signed since, interval held by interval held, in id order): reading a
    group's signatures back was a fifth of planning. Only when this process signed every
    item since the index's last refresh; otherwise the next probe reads them, as before."""
    from veille import store

    entry = _INDEXES.get(_path(db))
    if entry is None or entry.rollbacks != store.rollbacks() \
            or entry.generation != store.get_setting(db, "stories_generation"):
        return
    ids = sorted(i for i in signatures if i > entry.last_id)
    count, top = db.execute("SELECT count(*), max(item_id) FROM item_signatures WHERE item_id > ?",
                            [entry.last_id]).fetchone()
    if not ids or count != len(ids) or top != ids[-1]:
        return
    for a, b in entry.covered:
        _add(entry, [(i, signatures[i], anchors.get(i), published[i], story_of[i]) for i in ids
                     if a <= published[i] <= b])
    entry.last_id = top


def _missing(covered: list[tuple[str, str]], lo: str,
             hi: str) -> list[tuple[str, str, tuple[bool, bool]]]:
    """The parts of [lo, hi] outside the sorted, disjoint, closed ``covered`` intervals, with
    which of their ends are open (an end that belongs to an interval held)."""
    gaps = []
    cur, cur_open = lo, False          # the first point not accounted for yet
    for a, b in covered:
        if b < cur:
            continue
        if a > hi:
            break
        if a > cur:
            gaps.append((cur, a, (cur_open, True)))
        cur, cur_open = b, True
        if b >= hi:
            return gaps
    gaps.append((cur, hi, (cur_open, False)))
    return gaps


def _union(covered: list[tuple[str, str]], lo: str, hi: str) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for a, b in sorted([*covered, (lo, hi)]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def save(db: sqlite_utils.Database, assignments: Sequence, signatures: dict[int, bytes], *,
         set_items: bool = True, anchors: dict[int, bytes] | None = None,
         published: dict[int, str] | None = None, merged: dict[int, int] | None = None) -> None:
    """Record signatures, anchors and stories; grow each story and choose its lead. With
    ``set_items``, also write items.cluster_id (stored items). The band and anchor indexes
    read them back at the next probe, or, given each signed item's ``published`` date (as
    stored), take them now. ``merged`` maps stories found to be one with an earlier story
    to it: their stored items take its id."""
    conn = db.conn
    grown = _merge(db, merged or {})
    anchors = anchors or {}
    conn.executemany("INSERT OR REPLACE INTO item_signatures (item_id, signature, anchors) "
                     "VALUES (?, ?, ?)",
                     [(i, sig, anchors.get(i)) for i, sig in signatures.items()])
    if published is not None:
        _index_saved(db, signatures, anchors, published,
                     {a.item_id: a.cluster_id for a in assignments})
    if set_items:
        conn.executemany("UPDATE items SET cluster_id = ? WHERE id = ?",
                         [(a.cluster_id, a.item_id) for a in assignments])
    now = now_iso()
    started = [(a.cluster_id, a.item_id, now) for a in assignments if a.cluster_id == a.item_id]
    conn.executemany("INSERT OR IGNORE INTO clusters (id, lead_item_id, size, updated_at) "
                     "VALUES (?, ?, 1, ?)", started)
    _refresh_clusters(db, sorted(grown | {a.cluster_id for a in assignments if a.cluster_id != a.item_id}), now)


def _merge(db: sqlite_utils.Database, merged: dict[int, int]) -> set[int]:
    """Give the stored items of each merged story the id of the story it is (following
    chains: a story merged into one merged itself), forget the merged stories' rows, and
    tell this process's anchor index. Returns the stories that grew."""
    final = {}
    for story in merged:
        into = merged[story]
        while into in merged:
            into = merged[into]
        final[story] = into
    if not final:
        return set()
    db.conn.executemany("UPDATE items SET cluster_id = ? WHERE cluster_id = ?",
                        [(into, story) for story, into in final.items()])
    db.conn.executemany("DELETE FROM clusters WHERE id = ?", [(story,) for story in final])
    alert_store.merge_story_deliveries(db, sorted(set(final.values())))
    entry = _INDEXES.get(_path(db))
    if entry is not None:
        entry.anchors.merge(final)
    return set(final.values())


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
    from veille import store

    for sql in ("DELETE FROM item_signatures", "DELETE FROM clusters",
                "UPDATE items SET cluster_id = NULL WHERE cluster_id IS NOT NULL"):
        db.conn.execute(sql)
    store.set_setting(db, "stories_generation", str(int(store.get_setting(db, "stories_generation") or 0) + 1))


def item_keys(db: sqlite_utils.Database, item_ids: Sequence[int],
              kinds: Sequence[str]) -> dict[int, list[tuple[str, str]]]:
    """The stored references of ``kinds`` (kind, key) of each item (what ingest found)."""
    out: dict[int, list[tuple[str, str]]] = {}
    for start in range(0, len(item_ids), _CHUNK):
        chunk = list(item_ids[start:start + _CHUNK])
        for item_id, kind, key in db.conn.execute(
                f"SELECT item_id, kind, key FROM entities WHERE item_id IN ({', '.join('?' * len(chunk))}) "
                f"AND kind IN ({', '.join('?' * len(kinds))})", [*chunk, *kinds]):
            out.setdefault(item_id, []).append((kind, key))
    return out


def items_in_order(db: sqlite_utils.Database, after_id: int, limit: int) -> list[dict]:
    """A batch of items in ingest order, with what clustering reads."""
    return [dict(zip(("id", "source_id", "title", "summary", "published_at"), r)) for r in db.execute(
        "SELECT id, source_id, title, summary, published_at FROM items WHERE id > ? "
        "ORDER BY id LIMIT ?", [after_id, limit])]
