"""Stories: one event told by several sources becomes one cluster of items.

The same press release reaches the catalogue through the manufacturer's feed, trade journals
and newsletters, each rewriting it. Items are compared by the Jaccard similarity of their
shingle sets (content words of the title and summary, accents folded), estimated by MinHash
signatures; LSH bands stored in SQLite give the candidates of a new item by an indexed
lookup, so clustering is incremental at ingest and does not slow down as the database
grows. Candidates are verified on the estimated Jaccard and must be published within
``WINDOW_DAYS`` of each other.

MinHash is computed for a whole batch at once with numpy (a multiply-add-shift hash family
over CRC-32 shingle ids, then one min per item): the same estimate as datasketch's, about
30 times faster, which is what keeps clustering within the ingest budget.

A story's ``cluster_id`` is the id of its first item and never changes afterwards: deliveries
are keyed by story ('c<cluster_id>'), so a stable id is what makes "a story reaches a
subscriber once" hold when a second source tells it later. Its *lead* item (shown first) is
chosen separately: a primary source (manufacturer, regulatory, standards) before a trade
journal, then the most complete text.
"""
from __future__ import annotations

import collections.abc
import itertools
import re
import threading
import zlib
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable, Iterable, Mapping, NamedTuple, Protocol, Sequence

import numpy as np
import sqlite_utils

from veille import story_anchors
from veille.references import fold
from veille.story_index import label_words, stable_order
from veille.timeutil import iso, parse_iso

# Chosen on tests/fixtures/stories/pairs_tune.jsonl (see docs/stories.md); the test set is
# scored separately by tests/test_stories.py.
NUM_PERM = 128
# 24 LSH bands of 2 rows, and a candidate must share at least 2 of them: a pair at the
# threshold (J=0.46, 0.21 per band) qualifies with probability 0.975 (0.99 from J=0.5), an
# unrelated pair sharing common words (J=0.15) with 0.10 instead of 0.42 for one band, which
# is what keeps verification cheap. Every pair of one story in the tuning and test sets
# shares 3 bands or more. An item stores 24 band rows (42 before, with 3-row bands). Two
# 32-bit rows pack exactly into one 64-bit key, so bands need no hashing.
BANDS, ROWS = 24, 2
MIN_SHARED_BANDS = 2
THRESHOLD = 0.46             # estimated Jaccard at which two items tell the same story
STEM = 6                     # words cut to 6 letters: "robots"/"robotique", "lance"/"lancement" meet
MIN_SHINGLES = 5             # too little text to tell stories apart: the item stays alone
WINDOW_DAYS = 30
BUCKET_CAP = 20              # items sharing one band key beyond which it is not evidence
MAX_VERIFIED = 20            # candidates verified per new item, most shared bands first
# Anchors (veille/story_anchors.py), chosen on the demo's story groups and pairs_tune.jsonl:
# a rewrite published within ANCHOR_NEAR_DAYS sharing anchors weighing ANCHOR_SCORE (one code
# no other recent item carries weighs 1; one carried by 4 other items of the ANCHOR_COUNT_DAYS
# around, 0.25; beyond ANCHOR_CAP, nothing) joins when its estimated Jaccard still reaches
# ANCHOR_JACCARD: two different events about one product or text share its code, not words.
ANCHOR_NEAR_DAYS = 4
ANCHOR_COUNT_DAYS = 15
ANCHOR_CAP = 8
ANCHOR_SCORE = 0.7
ANCHOR_JACCARD = 0.25
_CHUNK = 32                  # items hashed at once: the hash matrix stays in the CPU cache
                             # (2x faster per item than 512 at once), and memory bounded
_PAIRS_AT_ONCE = 256         # signatures compared at once in verification (see _agreements)
_HASHED_ROWS = 1 << 14       # shingles whose hash values are kept (8 MB): a crawl's vocabulary


def _hash_family(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Odd multipliers and addends of the MinHash functions, derived from fixed labels:
    stored signatures must stay comparable across versions and machines."""
    words = label_words("veille-minhash", 2 * n)
    return words[:n] | np.uint64(1), words[n:]


_MUL, _ADD = _hash_family(NUM_PERM)
_SHIFT = np.uint64(32)

_STOPWORDS = frozenset("""
a an the and or of to in on for with by from at as is are was were be been its it this that these
those their his her our your has have had will would can could may new also more than into over
not no but which who what when where how all any each other such per via about after before
le la les un une des du de d l et ou en au aux a par pour sur dans avec sans est sont sera
seront ete etre son sa ses leur leurs ce cet cette ces qui que quoi dont ou plus moins nouveau
nouvelle nouveaux nouvelles se s ne pas n y il elle ils elles on nous vous lors afin ainsi
""".split())
# possessive: a word never gives back letters (the same words, found 15% faster)
_WORD = re.compile(r"[a-z0-9]++(?:[.-][a-z0-9]++)*+")

_PRIMARY = {"manufacturer": 0, "regulatory": 0, "standards": 0, "institution": 1}


class Storable(Protocol):
    id: int | None
    source_id: str
    title: str
    summary: str
    published_at: str


class Fingerprint(NamedTuple):
    """What clustering compares of one item: its MinHash signature and its anchor codes."""

    signature: np.ndarray       # NUM_PERM uint32
    anchors: np.ndarray         # int64 anchor codes, sorted


class Signed(collections.abc.Sequence):
    """``sign``'s answer for a batch: per item a Fingerprint, or None. Held (and pickled) as
    arrays: the signed items' signatures, their anchors one after the other, and where each
    one's end. A crawl's worker process hands it over to the writer without building an
    object per item; the Fingerprints are built when first read (1-2 us an item)."""

    def __init__(self, size: int, usable: list[int], sigs: np.ndarray, flat: np.ndarray,
                 ends: list[int]):
        self.size, self.usable, self.sigs, self.flat, self.ends = size, usable, sigs, flat, ends
        self._read: list[Fingerprint | None] | None = None

    def __reduce__(self):
        return Signed, (self.size, self.usable, self.sigs, self.flat, self.ends)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, n):
        return self._fingerprints()[n]

    def __iter__(self):
        return iter(self._fingerprints())

    def _fingerprints(self) -> list[Fingerprint | None]:
        if self._read is None:
            self._read = [None] * self.size
            flat = self.flat
            for n, sig, start, end in zip(self.usable, self.sigs, [0, *self.ends], self.ends):
                self._read[n] = Fingerprint(sig, flat[start:end])   # slices: 3x np.split's speed
        return self._read


@dataclass
class Assignment:
    item_id: int
    cluster_id: int
    similarity: float       # to the item it was matched with; 1.0 for a story's first item


@dataclass
class StoryPlan:
    """The stories of a batch, before they are written: assignments and signatures."""

    assignments: list[Assignment] = field(default_factory=list)
    signatures: dict[int, bytes] = field(default_factory=dict)
    anchors: dict[int, bytes] = field(default_factory=dict)
    published: dict[int, str] = field(default_factory=dict)    # of the signed items

    def cluster_of(self) -> dict[int, int]:
        return {a.item_id: a.cluster_id for a in self.assignments}


def tokens(title: str, summary: str) -> list[str]:
    """Content words of the title and summary, lowercase, accents folded."""
    return _content_words(fold(f"{title} {summary}").lower())


def _content_words(folded_lower: str) -> list[str]:
    return [w for w in _WORD.findall(folded_lower) if w not in _STOPWORDS and len(w) > 1]


def shingles(title: str, summary: str) -> set[str]:
    """Content words cut to STEM letters. Tuned against word pairs and character 5-grams:
    a rewrite keeps the names, numbers and key words but reorders them and changes their
    endings, which breaks pairs and 5-grams more than it breaks stems."""
    runs = _runs(fold(f"{title} {summary}")).split()
    return set(itertools.chain.from_iterable(map(_stems_of, runs)))


def _runs(folded: str) -> bytes:
    """The lowercase runs of word characters of a folded text (case kept), between spaces.
    A Latin-1 text (nearly all) is cut in C: bytes.translate (only A-Z lowercase to a-z in
    Latin-1) makes every other character a space."""
    try:
        return folded.encode("latin-1").translate(_WORD_BYTES)
    except UnicodeEncodeError:     # other scripts: str.lower() may make ASCII letters of them
        return b" ".join(w.encode() for w in _WORD.findall(folded.lower()))


# Latin-1 bytes: the characters of words lowercased, every other one a space
_WORD_BYTES = bytes(b | 0x20 if 65 <= b <= 90 else b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789.-"
                    else 32 for b in range(256))
_WORD_IN_RUN = re.compile(_WORD.pattern.encode())


def _stems_of(run: bytes) -> tuple[str, ...]:
    """The shingles of a run's words: a run may hold several ("x.-y") or none (a stopword)."""
    words = [w.decode() for w in _WORD_IN_RUN.findall(run)]
    return tuple(w[:STEM] for w in words if len(w) > 1 and w not in _STOPWORDS)


def signatures(shingle_sets: Sequence[Iterable[str]]) -> np.ndarray:
    """MinHash signatures (one row of NUM_PERM uint32 per set) of non-empty shingle sets."""
    out = np.empty((len(shingle_sets), NUM_PERM), dtype=np.uint32)
    for start in range(0, len(shingle_sets), _CHUNK):
        chunk = shingle_sets[start:start + _CHUNK]
        out[start:start + len(chunk)] = _VOCABULARY.minima(_Vocabulary.of_sets, chunk)[0]
    return out


class _Full(Exception):
    """The vocabulary has no room left for a new shingle or run."""


# Codes of runs (_Runs): a shingle's row (0 or more), or one of these
_NONE, _SEPARATOR, _SEVERAL = -1, -2, -3
_SEPARATOR_RUN = b","          # between two texts signed together (no run holds a comma)


class _Rows(dict):
    """Shingle -> its row of hash values; the new ones wait in ``new`` to be hashed."""

    def __init__(self, capacity: int):
        super().__init__()
        self.capacity, self.new = capacity, []

    def __missing__(self, shingle: str) -> int:
        if len(self) >= self.capacity:
            raise _Full
        self[shingle] = row = len(self)
        self.new.append(shingle)
        return row


class _Runs(dict):
    """A run of word characters (bytes) -> the code of its shingles: the row of its one
    shingle (nearly every run), _NONE (a stopword), or _SEVERAL - k for the k-th tuple of
    rows of ``several``."""

    def __init__(self, rows: _Rows, capacity: int):
        super().__init__({_SEPARATOR_RUN: _SEPARATOR})
        self.rows, self.capacity, self.several = rows, capacity, []

    def __missing__(self, run: bytes) -> int:
        if len(self) >= self.capacity:
            raise _Full
        rows = tuple(map(self.rows.__getitem__, _stems_of(run)))
        if len(rows) == 1:
            code = rows[0]
        elif rows:
            code = _SEVERAL - len(self.several)
            self.several.append(rows)
        else:
            code = _NONE
        self[run] = code
        return code


class _Vocabulary:
    """The shingles met lately with their NUM_PERM hash values (one uint32 row of ``table``
    each), and the runs of word characters met lately with the rows of their shingles. Words
    repeat a lot from item to item, so signing a batch is one dict lookup per run, one sort
    of the (item, row) pairs to drop repeated shingles, and a gather and min of known rows:
    no string set per item (a third of signing's time) and no multiply-add-shift per shingle
    and function. Bounded: forgotten all at once when full. One lock: the writer thread may
    sign too."""

    def __init__(self, capacity: int = _HASHED_ROWS):
        self.lock = threading.Lock()
        self.table = _hash_table(capacity)
        self.forget()

    def forget(self) -> None:
        self.rows = _Rows(len(self.table) - 1)
        self.runs = _Runs(self.rows, 2 * len(self.table))     # 32,768 runs: about 4 MB

    def of_texts(self, folded: Sequence[str]) -> np.ndarray:
        """The distinct (text, shingle row) pairs of folded texts, as ``text << 32 | row``,
        sorted. The texts are cut into runs in one split, separated by a comma run."""
        runs = b" , ".join(map(_runs, folded)).split()
        codes = np.fromiter(map(self.runs.__getitem__, runs), dtype=np.int64, count=len(runs))
        text = np.cumsum(codes == _SEPARATOR)
        single = codes >= 0
        pairs = (text[single] << 32) | codes[single]
        several = np.flatnonzero(codes <= _SEVERAL).tolist()
        if several:
            more = [(int(text[k]) << 32) | row for k in several
                    for row in self.runs.several[_SEVERAL - int(codes[k])]]
            pairs = np.concatenate([pairs, np.array(more, dtype=np.int64)])
        return _distinct(pairs)

    def of_sets(self, sets: Sequence[Iterable[str]]) -> np.ndarray:
        """``of_texts`` for sets of shingles."""
        lengths = [len(s) for s in sets]
        rows = np.fromiter(map(self.rows.__getitem__, itertools.chain.from_iterable(sets)),
                           dtype=np.int64, count=sum(lengths))
        return _distinct((np.repeat(np.arange(len(sets), dtype=np.int64), lengths) << 32) | rows)

    def minima(self, read: Callable[[_Vocabulary, Sequence], np.ndarray],
               batch: Sequence) -> tuple[np.ndarray, np.ndarray]:
        """MinHash signatures of a batch of texts or sets whose (text, row) pairs ``read``
        gives (``_Vocabulary.of_texts`` or ``of_sets``), and their numbers of distinct
        shingles. The rows are gathered text by text, each padded to the longest with the
        table's last row (every bit set, which no minimum keeps), so that one min over an
        axis does what ``minimum.reduceat`` did in twice the time."""
        count = len(batch)
        with self.lock:
            pairs = self._read(read, batch)
            self._hash_new()
            rows = pairs & 0xFFFFFFFF
            lengths = np.bincount(pairs >> 32, minlength=count)
            where = np.full((count, int(lengths.max(initial=0))), len(self.table) - 1, dtype=np.intp)
            where[np.arange(where.shape[1]) < lengths[:, None]] = rows
            return self.table[where].min(axis=1, initial=_NO_ROW), lengths

    def _read(self, read: Callable[[_Vocabulary, Sequence], np.ndarray], batch: Sequence) -> np.ndarray:
        """``read(self, batch)``, forgetting everything when full (and growing when a batch
        alone does not fit)."""
        for attempt in itertools.count():
            try:
                return read(self, batch)
            except _Full:
                if attempt:
                    self.table = _hash_table(2 * (len(self.table) - 1))
                self.forget()

    def _hash_new(self) -> None:
        new = self.rows.new
        if new:
            first = len(self.rows) - len(new)
            ids = np.fromiter((zlib.crc32(w.encode()) for w in new), dtype=np.uint64, count=len(new))
            # wraps mod 2^64: intended; the high 32 bits are the hash value
            self.table[first:first + len(new)] = (ids[:, None] * _MUL + _ADD) >> _SHIFT
            new.clear()


def _distinct(values: np.ndarray) -> np.ndarray:
    """np.unique's answer in a quarter of its time (no checks, no options)."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


_NO_ROW = np.iinfo(np.uint32).max


def _hash_table(capacity: int) -> np.ndarray:
    """Room for ``capacity`` shingles' rows, and the padding row (every bit set) after them."""
    table = np.empty((capacity + 1, NUM_PERM), dtype=np.uint32)
    table[-1] = _NO_ROW
    return table


_VOCABULARY = _Vocabulary()


def signature(shingle_set: Iterable[str]) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of one non-empty shingle set."""
    return signatures([list(shingle_set)])[0]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """LSH band keys (items x BANDS, int64: SQLite's integer): the band's two rows packed."""
    rows = sigs[:, :BANDS * ROWS].reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    return ((rows[:, :, 0] << _SHIFT) | rows[:, :, 1]).view(np.int64)


def lead_rank(category: str | None, text_length: int, item_id: int) -> tuple:
    """Sort key of a story's possible leads: primary sources, then more text, then first."""
    return (_PRIMARY.get(category or "", 2), -text_length, item_id)


def within_window(a: str, b: str, days: int = WINDOW_DAYS) -> bool:
    return abs(parse_iso(a) - parse_iso(b)) <= timedelta(days=days)


def window_bounds(published: Sequence[str], days: int = WINDOW_DAYS) -> tuple[str, str]:
    dates = [parse_iso(p) for p in published]
    return iso(min(dates) - timedelta(days=days)), iso(max(dates) + timedelta(days=days))


@lru_cache(maxsize=1 << 14)
def _window_of(published: str) -> tuple[str, str]:
    """``window_bounds`` of one date: asked for every item verified, and a crawl's items
    share few distinct dates (parsing and formatting them was a fifth of planning)."""
    return window_bounds([published])


def sign(items: Sequence[Storable]) -> Signed:
    """Each item's signature and anchors, or None when it has too little text to be
    compared. Pure (title and summary only): a crawl computes it in its worker process."""
    # one fold for both (it keeps lengths: the title is the text's first len(title) letters)
    folded = [fold(f"{it.title} {it.summary}") for it in items]
    usable: list[int] = []
    sigs = [np.empty((0, NUM_PERM), dtype=np.uint32)]
    codes: list[int] = []
    ends: list[int] = []
    for start in range(0, len(items), _CHUNK):
        texts = folded[start:start + _CHUNK]
        minima, lengths = _VOCABULARY.minima(_Vocabulary.of_texts, texts)
        signed = np.flatnonzero(lengths >= MIN_SHINGLES)
        sigs.append(minima[signed])
        for n in signed.tolist():
            cut, text = len(items[start + n].title), texts[n]
            codes += story_anchors.anchors(text[:cut], text[cut + 1:])
            ends.append(len(codes))
            usable.append(start + n)
    return Signed(len(items), usable, np.concatenate(sigs), np.array(codes, dtype=np.int64), ends)


def plan_stories(db: sqlite_utils.Database, items: Sequence[Storable],
                 signed: Mapping[int, Fingerprint | None] | None = None) -> StoryPlan:
    """The story of each item (with its id set, stored or about to be), or a new story.

    ``signed`` maps ``id(item)`` to what ``sign`` gave for it when already computed. Reads
    stored candidates only; ``save_stories`` writes. Items are taken in order, so a duplicate
    within the batch joins the story its first copy started.
    """
    from veille.store import stories as story_store

    items = [it for it in items if it.id is not None]
    plan = StoryPlan()
    if not items:
        return plan
    signed = signed or {}
    missing = [it for it in items if id(it) not in signed]
    sig_of = {**signed, **dict(zip(map(id, missing), sign(missing)))}
    usable = [it for it in items if sig_of[id(it)] is not None]
    sigs = np.stack([sig_of[id(it)].signature for it in usable]) if usable \
        else np.empty((0, NUM_PERM), dtype=np.uint32)
    keys = band_keys(sigs)
    dates = {it.published_at for it in items}       # a crawl's items share few dates
    lo, hi = window_bounds(list(dates))
    day_of = {date: story_anchors.day_number(date) for date in dates}
    probe = story_store.AnchorProbe([sig_of[id(it)].anchors for it in usable],
                                    [day_of[it.published_at] for it in usable],
                                    ANCHOR_COUNT_DAYS, ANCHOR_NEAR_DAYS, ANCHOR_CAP)
    known = story_store.candidates(db, keys, lo, hi, min_shared=MIN_SHARED_BANDS,
                                   per_item=2 * MAX_VERIFIED, cap=BUCKET_CAP, anchors=probe)
    batch = _Batch(usable, sigs, keys, known, probe)
    best_of = dict(zip((it.id for it in usable), batch.best_matches()))
    clusters: dict[int, int] = {}
    for it in items:
        best = best_of.get(it.id)
        if best is None:
            cluster_id, sim = it.id, 1.0
        else:
            other, sim = best
            cluster_id = clusters.get(other) or known.cluster_of(other) or other
        clusters[it.id] = cluster_id
        plan.assignments.append(Assignment(it.id, cluster_id, sim))
    ids = [it.id for it in usable]
    plan.signatures = dict(zip(ids, (row.tobytes() for row in sigs)))
    plan.anchors = dict(zip(ids, (codes.tobytes() for codes in probe.codes)))
    plan.published = {it.id: it.published_at for it in usable}
    return plan


def save_stories(db: sqlite_utils.Database, plan: StoryPlan, *, set_items: bool) -> None:
    """Write a plan: signatures, band keys, stories and their leads; with ``set_items``, also
    items.cluster_id (ingest writes it with the item instead)."""
    from veille.store import stories as story_store

    story_store.save(db, plan.assignments, plan.signatures, set_items=set_items,
                     anchors=plan.anchors, published=plan.published)


def assign_clusters(db: sqlite_utils.Database, items: Sequence[Storable]) -> list[Assignment]:
    """Put each stored item in the story it belongs to, or start a story with it."""
    plan = plan_stories(db, items)
    save_stories(db, plan, set_items=True)
    return plan.assignments


def local_pairs(keys: np.ndarray) -> list[dict[int, int]]:
    """For each row of ``keys`` (a batch's items in order), the earlier rows sharing at least
    MIN_SHARED_BANDS band keys with it, and how many. A band key shared by more than
    BUCKET_CAP earlier items is common words, as in the store: an item arriving after them
    counts none of them. Whole-batch numpy (runs of equal keys per band) instead of a dict
    per item and band: a crawl group holds hundreds of items with a shared vocabulary."""
    m = len(keys)
    out: list[dict[int, int]] = [{} for _ in range(m)]
    if not m:
        return out
    # one sort of every (band, key), band by band, rows in order inside each run of equal
    # ones: flat positions band * m + row, keys sorted keeping the positions' order
    flat = keys.T.ravel()
    order = stable_order(flat)
    band_of, key_of, row_of = order // m, flat[order], order % m
    new_run = np.concatenate(([True], (band_of[1:] != band_of[:-1]) | (key_of[1:] != key_of[:-1])))
    starts = np.flatnonzero(new_run)
    lengths = np.diff(np.append(starts, len(order)))
    shared = lengths > 1
    later, earlier = _pairs_within(starts[shared], np.minimum(lengths[shared], BUCKET_CAP + 1))
    if later.size:
        pairs, counts = np.unique(row_of[later] * m + row_of[earlier], return_counts=True)
        keep = counts >= MIN_SHARED_BANDS
        for code, count in zip(pairs[keep].tolist(), counts[keep].tolist()):
            out[code // m][code % m] = count
    return out


def _pairs_within(starts: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(later, earlier) positions of every pair inside each span starts[k]:+sizes[k], for
    all spans at once (a Python loop over spans cost as much as the rest of local_pairs)."""
    def ramps(lengths: np.ndarray) -> np.ndarray:     # 0..n-1 for each n, one after the other
        return np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)

    members = np.repeat(starts, sizes) + ramps(sizes)
    rank = ramps(sizes)              # a member pairs with the ``rank`` members before it
    return np.repeat(members, rank), np.repeat(members - rank, rank) + ramps(rank)


class _Batch:
    """A batch's signatures, band keys and anchors, and the stored candidates they reach."""

    def __init__(self, usable: Sequence[Storable], sigs: np.ndarray, keys: np.ndarray, known,
                 probe):
        self.ids = [it.id for it in usable]
        self.row = {item_id: n for n, item_id in enumerate(self.ids)}
        self.published = {it.id: it.published_at for it in usable}
        self.sigs, self.known = sigs, known
        self.local = local_pairs(keys)      # per row: {earlier row: shared bands}
        self.anchored = story_anchors.scores(   # per row: {item id: anchor score}
            probe.codes, probe.days, self.ids, known.anchor_counts or [[]] * len(self.ids),
            known.anchored or [{}] * len(self.ids), count_days=ANCHOR_COUNT_DAYS,
            near_days=ANCHOR_NEAR_DAYS, cap=ANCHOR_CAP)

    def best_matches(self) -> list[tuple[int, float] | None]:
        """Per item, the most similar earlier item within the window, among the candidates
        sharing the most bands with it (more shared bands, higher Jaccard): verification stays
        bounded even when a common vocabulary makes many items collide in some band. Without
        one at THRESHOLD, the earlier item sharing the most anchor weight (ANCHOR_SCORE at
        least) whose estimated Jaccard reaches ANCHOR_JACCARD. The similarities of every
        (item, candidate) pair of the batch are counted at once."""
        rows, others = [], []           # one entry per pair to verify
        published = {**self.known.published_of(), **self.published}
        for n, (item_id, local) in enumerate(zip(self.ids, self.local)):
            # stored items (the band index), then the batch's: all share MIN_SHARED_BANDS
            shared = self.known.shared[n]
            if local:
                shared = {**shared, **dict(zip(map(self.ids.__getitem__, local), local.values()))}
            ranked = sorted(shared, key=shared.__getitem__, reverse=True)[:MAX_VERIFIED]
            ranked += [o for o, score in self.anchored[n].items()
                       if score >= ANCHOR_SCORE and o not in shared]
            if ranked:
                lo, hi = _window_of(published[item_id])
                found = [o for o in ranked if lo <= published[o] <= hi]
                rows += [n] * len(found)
                others += found
        best: list[tuple[int, float] | None] = [None] * len(self.ids)
        if not others:
            return best
        stored = sorted({o for o in others if o not in self.row})
        matrix = np.concatenate([self.sigs, self.known.signatures(stored)]) if stored else self.sigs
        where = {**self.row, **{o: len(self.sigs) + k for k, o in enumerate(stored)}}
        sims = (_agreements(matrix, np.array([where[o] for o in others], dtype=np.intp), self.sigs,
                            np.array(rows, dtype=np.intp)) / NUM_PERM).tolist()
        anchored: list[tuple[float, float, int] | None] = [None] * len(self.ids)
        for n, other, sim in zip(rows, others, sims):   # the first of the most similar
            if sim >= THRESHOLD and (best[n] is None or sim > best[n][1]):
                best[n] = (other, sim)
            score = self.anchored[n].get(other, 0.0)
            if score >= ANCHOR_SCORE and sim >= ANCHOR_JACCARD and \
                    (anchored[n] is None or (score, sim) > anchored[n][:2]):
                anchored[n] = (score, sim, other)
        return [b if b is not None or a is None else (a[2], a[1]) for b, a in zip(best, anchored)]


def _agreements(matrix: np.ndarray, at: np.ndarray, sigs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """How many values of ``matrix[at[k]]`` and ``sigs[rows[k]]`` are equal, for every k. A few
    hundred pairs at a time, so that both gathers stay in the CPU cache: 3 times faster than
    all of a batch's pairs (tens of thousands, 512 bytes each side) at once."""
    out = np.empty(len(at), dtype=np.intp)
    for start in range(0, len(at), _PAIRS_AT_ONCE):
        end = start + _PAIRS_AT_ONCE
        out[start:end] = np.count_nonzero(matrix[at[start:end]] == sigs[rows[start:end]], axis=1)
    return out


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
    sig_a, sig_b = signatures([sa, sb])
    return similarity(sig_a, sig_b)
