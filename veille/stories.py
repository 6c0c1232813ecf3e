"""Stories: one event told by several sources becomes one cluster of items.

The same press release reaches the catalogue through the manufacturer's feed, trade journals
and newsletters, each rewriting it. Items are compared by the Jaccard similarity of their
shingle sets (content words of the title and summary, accents folded), estimated by MinHash
signatures (datasketch); LSH bands stored in SQLite give the candidates of a new item by an
indexed lookup, so clustering is incremental at ingest and does not slow down as the
database grows. Candidates are verified on the estimated Jaccard and must be published within
``WINDOW_DAYS`` of each other.

A story's ``cluster_id`` is the id of its first item and never changes afterwards: deliveries
are keyed by story ('c<cluster_id>'), so a stable id is what makes "a story reaches a
subscriber once" hold when a second source tells it later. Its *lead* item (shown first) is
chosen separately: a primary source (manufacturer, regulatory, standards) before a trade
journal, then the most complete text.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Iterable, Protocol, Sequence

import numpy as np
import sqlite_utils
from datasketch import MinHash

from veille.references import fold
from veille.timeutil import iso, parse_iso

# Chosen on tests/fixtures/stories/pairs_tune.jsonl (see docs/stories.md); the test set is
# scored separately by tests/test_stories.py.
NUM_PERM = 128
# LSH bands from datasketch.lsh._optimal_param(0.35, 128, 0.2, 0.8): a pair at the
# threshold (J=0.44) becomes a candidate with probability 1-(1-0.44^3)^42 = 0.98.
BANDS, ROWS = 42, 3
THRESHOLD = 0.46             # estimated Jaccard at which two items tell the same story
STEM = 6                     # words cut to 6 letters: "robots"/"robotique", "lance"/"lancement" meet
MIN_SHINGLES = 5             # too little text to tell stories apart: the item stays alone
WINDOW_DAYS = 30
MAX_VERIFIED = 20           # candidates verified per new item, most shared bands first
SEED = 1

_STOPWORDS = frozenset("""
a an the and or of to in on for with by from at as is are was were be been its it this that these
those their his her our your has have had will would can could may new also more than into over
not no but which who what when where how all any each other such per via about after before
le la les un une des du de d l et ou en au aux a par pour sur dans avec sans est sont sera
seront ete etre son sa ses leur leurs ce cet cette ces qui que quoi dont ou plus moins nouveau
nouvelle nouveaux nouvelles se s ne pas n y il elle ils elles on nous vous lors afin ainsi
""".split())
_WORD = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")

_PRIMARY = {"manufacturer": 0, "regulatory": 0, "standards": 0, "institution": 1}


class Storable(Protocol):
    id: int | None
    source_id: str
    title: str
    summary: str
    published_at: str


@dataclass
class Assignment:
    item_id: int
    cluster_id: int
    similarity: float       # to the item it was matched with; 1.0 for a story's first item


def tokens(title: str, summary: str) -> list[str]:
    """Content words of the title and summary, lowercase, accents folded."""
    text = fold(f"{title} {summary}").lower()
    return [w for w in _WORD.findall(text) if w not in _STOPWORDS and len(w) > 1]


def shingles(title: str, summary: str) -> set[str]:
    """Content words cut to STEM letters. Tuned against word pairs and character 5-grams:
    a rewrite keeps the names, numbers and key words but reorders them and changes their
    endings, which breaks pairs and 5-grams more than it breaks stems."""
    return {w[:STEM] for w in tokens(title, summary)}


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme


def signature(shingle_set: Iterable[str]) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of a shingle set."""
    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme=_SCHEME)
    m.update_batch([s.encode("utf-8") for s in shingle_set])
    return m.hashvalues.astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, hash) of each LSH band; the hash fits SQLite's signed 64-bit integer."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little", signed=True)))
    return out


def lead_rank(category: str | None, text_length: int, item_id: int) -> tuple:
    """Sort key of a story's possible leads: primary sources, then more text, then first."""
    return (_PRIMARY.get(category or "", 2), -text_length, item_id)


def within_window(a: str, b: str, days: int = WINDOW_DAYS) -> bool:
    return abs(parse_iso(a) - parse_iso(b)) <= timedelta(days=days)


def window_bounds(published: Sequence[str], days: int = WINDOW_DAYS) -> tuple[str, str]:
    dates = [parse_iso(p) for p in published]
    return iso(min(dates) - timedelta(days=days)), iso(max(dates) + timedelta(days=days))


def assign_clusters(db: sqlite_utils.Database, items: Sequence[Storable]) -> list[Assignment]:
    """Put each new (stored) item in the story it belongs to, or start a story with it.

    Call inside the ingest transaction, before alert rules are matched (deliveries are
    keyed by story). Items are taken in order, so a duplicate within the batch joins the
    story its first copy started.
    """
    from veille.store import stories as story_store

    items = [it for it in items if it.id is not None]
    if not items:
        return []
    sigs, keys = {}, {}
    for it in items:
        sh = shingles(it.title, it.summary)
        if len(sh) >= MIN_SHINGLES:
            sigs[it.id] = signature(sh)
            keys[it.id] = band_keys(sigs[it.id])
    lo, hi = window_bounds([it.published_at for it in items])
    known = story_store.candidates(db, {k for ks in keys.values() for k in ks}, lo, hi)
    local: dict[tuple[int, int], list[int]] = {}
    published = {it.id: it.published_at for it in items}
    clusters: dict[int, int] = {}
    result = []
    for it in items:
        best = _best_match(it, keys.get(it.id, []), sigs, known, local, published)
        if best is None:
            cluster_id, sim = it.id, 1.0
        else:
            other, sim = best
            cluster_id = clusters.get(other) or known.cluster_of(other) or other
        clusters[it.id] = cluster_id
        for k in keys.get(it.id, []):
            local.setdefault(k, []).append(it.id)
        result.append(Assignment(it.id, cluster_id, sim))
    story_store.save(db, result, {i: s.tobytes() for i, s in sigs.items()}, keys)
    return result


def _best_match(it: Storable, keys, sigs, known, local, published) -> tuple[int, float] | None:
    """The most similar earlier item within the window, among the candidates sharing the most
    bands with this one (more shared bands, higher Jaccard): verification stays bounded even
    when a common vocabulary makes many items collide in some band."""
    if it.id not in sigs:
        return None
    shared: Counter[int] = Counter()
    for k in keys:
        shared.update(o for o in [*known.by_key.get(k, ()), *local.get(k, ())] if o != it.id)
    lo, hi = window_bounds([it.published_at])
    best: tuple[int, float] | None = None
    for other, _ in shared.most_common(MAX_VERIFIED):
        other_sig = sigs.get(other) if other in published else known.signature(other)
        when = published.get(other) or known.published(other)
        if other_sig is None or not (lo <= when <= hi):
            continue
        sim = similarity(sigs[it.id], other_sig)
        if sim >= THRESHOLD and (best is None or sim > best[1]):
            best = (other, sim)
    return best


@dataclass
class _StoredItem:
    id: int
    source_id: str
    title: str
    summary: str
    published_at: str


def rebuild(db: sqlite_utils.Database, batch: int = 5000) -> int:
    """Recompute every story over the database in ingest order; returns the number of stories."""
    from veille import store
    from veille.store import stories as story_store

    with store.transaction(db):
        story_store.clear(db)
    last = 0
    while True:
        rows = story_store.items_in_order(db, last, batch)
        if not rows:
            break
        with store.transaction(db):
            assign_clusters(db, [_StoredItem(**r) for r in rows])
        last = rows[-1]["id"]
    return db.execute("SELECT count(*) FROM clusters").fetchone()[0]


def pair_similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
    """Estimated Jaccard of two (title, summary) texts, as clustering sees them."""
    sa, sb = shingles(*a), shingles(*b)
    if len(sa) < MIN_SHINGLES or len(sb) < MIN_SHINGLES:
        return 0.0
    return similarity(signature(sa), signature(sb))
