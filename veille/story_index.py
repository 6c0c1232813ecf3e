"""The LSH band index of stored stories, in memory.

Each stored item has ``BANDS`` band keys (story_signing.band_keys); two items sharing enough of
them are candidate near duplicates. Probing SQLite for 24 keys per new item cost more than
everything else ingest does; sorted numpy arrays answer the same question for a whole batch
with one ``searchsorted`` per run.

Layout: sorted runs of int64 keys beside item ids (``Runs``: from a large run to a small
fresh one), answered for a whole batch by ``searchsorted`` and ``expand``; the anchor index
(veille.story_anchors) is built the same way. Pure: ``veille.store.stories`` decides what to
load from the database and when.
"""
from __future__ import annotations

import hashlib

import numpy as np

_EMPTY = np.empty(0, dtype=np.int64)


class Run:
    """Sorted int64 keys and the item ids beside them."""

    __slots__ = ("keys", "ids")

    def __init__(self, keys: np.ndarray = _EMPTY, ids: np.ndarray = _EMPTY):
        order = stable_order(keys)
        self.keys, self.ids = keys[order], ids[order]

    def merged(self, other: "Run") -> "Run":
        """Both runs' keys in one, ``other``'s after this one's among equal keys (what a
        stable sort of the two one after the other gives): each of ``other``'s keys is
        placed by a binary search and the rest copied, in half the sort's time."""
        if not len(other.keys):
            return self
        if len(self.keys) <= _SORT_WITHIN * len(other.keys):
            return self.added(other.keys, other.ids)
        at = np.searchsorted(self.keys, other.keys, "right") + np.arange(len(other.keys))
        keys = np.empty(len(self.keys) + len(at), dtype=np.int64)
        ids = np.empty(len(keys), dtype=np.int64)
        kept = np.ones(len(keys), dtype=bool)
        kept[at] = False
        keys[at], ids[at] = other.keys, other.ids
        keys[kept], ids[kept] = self.keys, self.ids
        run = Run.__new__(Run)
        run.keys, run.ids = keys, ids
        return run

    def added(self, keys: np.ndarray, ids: np.ndarray) -> "Run":
        """``self.merged(Run(keys, ids))``, ``keys`` not sorted. While this run is at most
        _SORT_WITHIN times longer, one stable sort of both one after the other (timsort sorts
        the new keys and merges the two runs in one pass): 2 to 3 times faster than sorting
        the new keys apart and placing them by binary search, for the small runs a batch
        is added to and folded into; beyond, the binary searches are faster."""
        if len(self.keys) > _SORT_WITHIN * len(keys):
            return self.merged(Run(keys, ids))
        keys = np.concatenate((self.keys, keys))
        order = np.argsort(keys, kind="stable")
        run = Run.__new__(Run)
        run.keys, run.ids = keys[order], np.concatenate((self.ids, ids))[order]
        return run


_SORT_WITHIN = 16


class Runs:
    """Sorted runs from large to small, each at most an eighth of the one before: new keys
    go to the last, which is folded into the one before once it holds more than an eighth
    of it. Adding a batch costs a small sort and a copy of the last run, and each key is
    copied a few times in all. The band index and the anchor index (story_anchors) hold
    their keys this way; a key is looked up in every run. ``depth`` runs: the anchor index
    keeps two (a large run and a fresh one): its answers list each run's items in turn, an
    order that reaches the stories' tie-breaks. The band index, whose answers are sorted,
    keeps three, so that the last run stays small (at 100,000 items, a fresh run of up to
    300,000 keys was copied for each batch added)."""

    def __init__(self, depth: int = 2) -> None:
        self.runs = [Run() for _ in range(depth)]

    def add(self, keys: np.ndarray, ids: np.ndarray) -> None:
        runs = self.runs
        runs[-1] = runs[-1].added(keys, ids)
        for n in range(len(runs) - 1, 0, -1):
            if len(runs[n].keys) * 8 > len(runs[n - 1].keys):
                runs[n - 1], runs[n] = runs[n - 1].merged(runs[n]), Run()

    def __iter__(self):
        return iter(self.runs)


class BandIndex:
    """Band keys (items x bands) of stored items, probed a batch at a time. A key is salted
    with its band, so that one sorted array holds every band: a batch is probed with one
    ``searchsorted`` per run, not one per band. (Two different band keys meeting after
    salting is a 2^-64 chance; it would only add a candidate, which is verified anyway.)"""

    def __init__(self, bands: int):
        self.salts = _salts(bands)
        self.runs = Runs(depth=3)
        self.size = 0

    def salted(self, keys: np.ndarray) -> np.ndarray:
        return keys ^ self.salts

    def add(self, item_ids: np.ndarray, keys: np.ndarray) -> None:
        """Index items: ``keys`` has one row per id, one column per band."""
        if not len(item_ids):
            return
        ids = np.repeat(np.asarray(item_ids, dtype=np.int64), keys.shape[1])
        self.runs.add(self.salted(keys).ravel(), ids)
        self.size += len(item_ids)

    def probe(self, keys: np.ndarray, *, cap: int, min_shared: int,
              per_item: int) -> list[dict[int, int]]:
        """For each row of ``keys``, the indexed items sharing at least ``min_shared`` band
        keys with it, and how many: at most ``per_item``, most shared first (then the latest).
        A key held by more than ``cap`` indexed items is common words, not a story: it
        counts for none of them."""
        m = len(keys)
        out: list[dict[int, int]] = [{} for _ in range(m)]
        if not m or not self.size:
            return out
        wanted = self.salted(keys).ravel()
        row_of = np.repeat(np.arange(m, dtype=np.int64), keys.shape[1])
        order = np.argsort(wanted)
        spans = [(run, *_spans(run.keys, wanted, order)) for run in self.runs]
        held = sum(hi - lo for _, lo, hi in spans)
        rows_found, ids_found = [], []
        for run, lo, hi in spans:
            take = (hi > lo) & (held <= cap)
            if take.any():
                rows, ids = expand(row_of[take], lo[take], hi[take], run.ids)
                rows_found.append(rows)
                ids_found.append(ids)
        if not rows_found:
            return out
        rows, ids = np.concatenate(rows_found), np.concatenate(ids_found)
        pairs, counts = np.unique(rows << 40 | ids, return_counts=True)
        keep = counts >= min_shared
        pairs, counts = pairs[keep], counts[keep]
        # most shared bands first, then the latest item, within each row
        order = np.lexsort((-(pairs & _LOW), -counts, pairs >> 40))
        for code, count in zip(pairs[order].tolist(), counts[order].tolist()):
            found = out[code >> 40]
            if len(found) < per_item:
                found[code & _LOW] = count
        return out


_LOW = (1 << 40) - 1     # item ids below 2^40 share an int64 with the batch row above them


def _spans(keys: np.ndarray, wanted: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``searchsorted(keys, wanted)`` left and right, ``order`` sorting ``wanted``. Asked in
    order, the binary searches walk the run from start to end (a large run is mostly out of
    the CPU cache), and the right end is searched only for keys found: most are not (3 times
    faster than both ends in the batch's order)."""
    ordered = wanted[order]
    lo = np.searchsorted(keys, ordered, "left")
    hi = lo.copy()
    found = np.flatnonzero(keys[np.minimum(lo, len(keys) - 1)] == ordered) if len(keys) else lo[:0]
    hi[found] = np.searchsorted(keys, ordered[found], "right")
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return lo[back], hi[back]


def stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` (equal keys keep their order) in a third of its
    time: numpy's default sort is several times faster than its stable one, and the order
    among equal keys is restored by a second fast sort of (run of equal keys, position)."""
    order = np.argsort(keys)
    ordered = keys[order]
    tied = ordered[1:] == ordered[:-1]
    if not tied.any():
        return order
    run = np.cumsum(np.concatenate(([0], ~tied)))
    return np.sort(run * len(keys) + order) % len(keys)


def label_words(label: str, n: int) -> np.ndarray:
    """``n`` fixed 64-bit words derived from ``label`` and 0..n-1 (blake2b): constants that
    are the same in every process and version, as stored signatures need."""
    return np.array([int.from_bytes(hashlib.blake2b(f"{label}-{k}".encode(), digest_size=8).digest(),
                                    "little") for k in range(n)], dtype=np.uint64)


def _salts(bands: int) -> np.ndarray:
    """One fixed 64-bit salt per band."""
    return label_words("veille-band", bands).view(np.int64)


def expand(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray,
           ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (row, id) of the spans ids[lo:hi] of a run (one span per row, as searchsorted
    gives them for a batch of keys), without a Python loop."""
    lengths = hi - lo
    starts = np.repeat(lo - np.cumsum(np.concatenate(([0], lengths[:-1]))), lengths)
    return np.repeat(rows, lengths), ids[starts + np.arange(lengths.sum())]
