"""Story signing: an item's title and summary become what clustering compares of it.

The signature is a MinHash of the item's shingles (content words of the title and summary,
accents folded, cut to ``STEM`` letters): a multiply-add-shift hash family over CRC-32
shingle ids, computed for a batch at once with numpy (the same estimate as datasketch's,
about 30 times faster). Its anchors are the codes, numbers and names a rewrite keeps
(veille/story_anchors.py). ``band_keys`` cuts a signature into the LSH bands the store
indexes.

Kept apart from story planning (veille/stories.py) because it is pure: title and summary in,
arrays out, no database. A crawl's worker process signs its items before the writer's
transaction, and the hash family's constants are fixed so that stored signatures stay
comparable across versions and machines.
"""
from __future__ import annotations

import collections.abc
import itertools
import re
import threading
import zlib
from typing import Callable, Collection, Iterable, NamedTuple, Protocol, Sequence

import numpy as np

from veille import story_anchors
from veille.references import fold
from veille.story_index import label_words

# Chosen on tests/fixtures/stories/pairs_tune.jsonl (see docs/stories.md); the test set is
# scored separately by tests/test_stories.py.
NUM_PERM = 128
# 24 LSH bands of 2 rows (stories.MIN_SHARED_BANDS says how many a candidate must share). An
# item stores 24 band rows (42 before, with 3-row bands). Two 32-bit rows pack exactly into
# one 64-bit key, so bands need no hashing.
BANDS, ROWS = 24, 2
STEM = 6                     # words cut to 6 letters: "robots"/"robotique", "lance"/"lancement" meet
MIN_SHINGLES = 5             # too little text to tell stories apart: the item stays alone
_CHUNK = 32                  # items hashed at once: the hash matrix stays in the CPU cache
                             # (2x faster per item than 512 at once), and memory bounded
_HASHED_ROWS = 1 << 14       # shingles whose hash values are kept (8 MB): a crawl's vocabulary
# The summary's first characters only: the event is told in the lead (the rewrites compared
# are a few lines). Some feeds give a whole article as summary (a tenth of real entries pass
# 1,500 characters, a hundredth 8,000): signing and the anchors read it all, for nothing.
SUMMARY_CHARS = 1000


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
_STOPWORDS_BYTES = frozenset(w.encode() for w in _STOPWORDS)
# possessive: a word never gives back letters (the same words, found 15% faster)
_WORD = re.compile(r"[a-z0-9]++(?:[.-][a-z0-9]++)*+")


class Signable(Protocol):
    """What signing reads of an item: its text, nothing stored."""

    title: str
    summary: str


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


def story_text(title: str, summary: str) -> str:
    """What of an item is compared: its title and its summary's first SUMMARY_CHARS
    characters, cut at a space (a word is not cut)."""
    if len(summary) > SUMMARY_CHARS:
        cut = summary.rfind(" ", 0, SUMMARY_CHARS + 1)
        summary = summary[:cut if cut > 0 else SUMMARY_CHARS]
    return f"{title} {summary}"


def shingles(title: str, summary: str) -> set[str]:
    """Content words cut to STEM letters. Tuned against word pairs and character 5-grams:
    a rewrite keeps the names, numbers and key words but reorders them and changes their
    endings, which breaks pairs and 5-grams more than it breaks stems."""
    runs = _runs(fold(story_text(title, summary))).split()
    return set(itertools.chain.from_iterable(map(_stems_of, runs)))


def _runs(folded: str) -> bytes:
    """The lowercase runs of word characters of a folded text (case kept), between spaces.
    A Latin-1 text (nearly all) is cut in C: bytes.translate (only A-Z lowercase to a-z in
    Latin-1) makes every other character a space."""
    try:
        return folded.encode("latin-1").translate(_WORD_BYTES)
    except UnicodeEncodeError:
        # other scripts (7% of real texts, with curly quotes or a Cyrillic word): str.lower()
        # may make ASCII letters of them (the Kelvin sign), any other character becomes a
        # "?" and then a space; in C too (a regex and a Python loop over the words took 9
        # times as long)
        return folded.lower().encode("ascii", "replace").translate(_WORD_BYTES)


# Latin-1 bytes: the characters of words lowercased, every other one a space
_WORD_BYTES = bytes(b | 0x20 if 65 <= b <= 90 else b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789.-"
                    else 32 for b in range(256))
_WORD_IN_RUN = re.compile(_WORD.pattern.encode())
# a run's words end where two separators meet ("x.-y"); a single one is inside a word
_DOUBLE_SEPARATOR = re.compile(rb"[.-][.-]")


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
_UNKNOWN = 1 << 40             # a run not met yet (beyond every row)
_SEPARATOR_RUN = b","          # between two texts signed together (no run holds a comma)


class _Rows(dict):
    """Shingle (UTF-8: a run's bytes, no decoding) -> its row of hash values; the new ones
    wait in ``new`` to be hashed."""

    def __init__(self, capacity: int):
        super().__init__()
        self.capacity, self.new = capacity, []

    def __missing__(self, shingle: bytes) -> int:
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

    def learn(self, runs: Collection[bytes]) -> None:
        """Codes for distinct runs not met yet: a batch's new runs at once (a crawl's
        vocabulary outgrows the table, so a run in seven is new: a call per new run from
        the lookup was a fifth of signing)."""
        if len(self) + len(runs) > self.capacity:
            raise _Full
        rows = self.rows
        for run in runs:
            # one word (nearly every run: "end." is a sentence's last word, "wp-content" one
            # word), found without the regex, a tuple nor decoding
            word = run.strip(b".-")
            if word.isalnum() or word and not _DOUBLE_SEPARATOR.search(word):
                content = len(word) > 1 and word not in _STOPWORDS_BYTES
                self[run] = rows[word[:STEM]] if content else _NONE
                continue
            found = tuple(map(rows.__getitem__, map(str.encode, _stems_of(run))))
            if len(found) == 1:
                self[run] = found[0]
            elif found:
                self[run] = _SEVERAL - len(self.several)
                self.several.append(found)
            else:
                self[run] = _NONE


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
        codes = np.fromiter(map(self.runs.get, runs, itertools.repeat(_UNKNOWN)),
                            dtype=np.int64, count=len(runs))
        unknown = np.flatnonzero(codes == _UNKNOWN)
        if len(unknown):
            new = list(map(runs.__getitem__, unknown.tolist()))
            self.runs.learn(dict.fromkeys(new))
            # an array, not a list: numpy reads a list of indexes or values slowly
            codes[unknown] = np.fromiter(map(self.runs.__getitem__, new), dtype=np.int64,
                                         count=len(new))
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
        shingles = map(str.encode, itertools.chain.from_iterable(sets))
        rows = np.fromiter(map(self.rows.__getitem__, shingles), dtype=np.int64, count=sum(lengths))
        return _distinct((np.repeat(np.arange(len(sets), dtype=np.int64), lengths) << 32) | rows)

    def minima(self, read: Callable[[_Vocabulary, Sequence], np.ndarray],
               batch: Sequence) -> tuple[np.ndarray, np.ndarray]:
        """MinHash signatures of a batch of texts or sets whose (text, row) pairs ``read``
        gives (``_Vocabulary.of_texts`` or ``of_sets``), and their numbers of distinct
        shingles. The rows are gathered text by text, each padded to the longest with the
        table's last row (every bit set, which no minimum keeps), so that one min over an
        axis does what ``minimum.reduceat`` did in twice the time. Gathered position by
        position (the texts' k-th rows side by side): the min is then over the first axis,
        an elementwise minimum of whole contiguous blocks, a third faster than over the
        middle one."""
        count = len(batch)
        with self.lock:
            pairs = self._read(read, batch)
            self._hash_new()
            rows = pairs & 0xFFFFFFFF
            lengths = np.bincount(pairs >> 32, minlength=count)
            where = np.full((count, int(lengths.max(initial=0))), len(self.table) - 1, dtype=np.intp)
            where[np.arange(where.shape[1]) < lengths[:, None]] = rows
            return self.table[where.T].min(axis=0, initial=_NO_ROW), lengths

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
            ids = np.fromiter(map(zlib.crc32, new), dtype=np.uint64, count=len(new))
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


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """LSH band keys (items x BANDS, int64: SQLite's integer): the band's two rows packed."""
    rows = sigs[:, :BANDS * ROWS].reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    return ((rows[:, :, 0] << _SHIFT) | rows[:, :, 1]).view(np.int64)


def sign(items: Sequence[Signable]) -> Signed:
    """Each item's signature and anchors, or None when it has too little text to be
    compared. Pure (title and summary only): a crawl computes it in its worker process."""
    # one fold for both (it keeps lengths: the title is the text's first len(title) letters)
    folded = [fold(story_text(it.title, it.summary)) for it in items]
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


def pair_similarity(a: tuple[str, str], b: tuple[str, str]) -> float:
    """Estimated Jaccard of two (title, summary) texts, as clustering sees them."""
    sa, sb = shingles(*a), shingles(*b)
    if len(sa) < MIN_SHINGLES or len(sb) < MIN_SHINGLES:
        return 0.0
    sig_a, sig_b = signatures([sa, sb])
    return similarity(sig_a, sig_b)
