"""The model's character n-grams of many words looked up at once.

Scoring a word met for the first time needs the feature of each of its n-grams
(``features.word_ngrams``: 3-5-grams of the word padded with spaces, in that order). Cutting
and hashing them one by one in Python costs more than the rest of the word's scoring; here
a batch of words becomes one array of character codes, each n-gram a number (its characters'
codes side by side), looked up in the sorted numbers of the model's n-grams.

A character no model n-gram holds has code 0, which no model n-gram's number has in any
place, so an n-gram holding it is unknown, as it is to the dictionary lookup.
"""
from __future__ import annotations

import numpy as np

from veille.classify.features import NGRAM_SIZES

_ALL_BITS = 63     # an n-gram's number is kept in an int64
_GOLDEN = np.int64(0x9E3779B97F4A7C15 - (1 << 64))   # 2^64 / golden ratio, as an int64
LONGEST = 60       # longer words (rare) widen every row of a batch: looked up one by one


class GramIndex:
    """n-gram -> feature number, for arrays of n-grams; ``usable`` is False when the
    model's alphabet is too large for its longest n-grams to fit a number."""

    def __init__(self, grams: dict[str, int], pad: int):
        self.pad = pad                     # the feature number of an unknown n-gram
        chars = sorted({c for g in grams for c in g})
        self._bits = max(1, len(chars).bit_length())
        size_bits = max(NGRAM_SIZES).bit_length()
        self.usable = self._bits * max(NGRAM_SIZES) + size_bits <= _ALL_BITS and len(chars) < 2 ** 16
        if not self.usable:
            return
        self._code = np.zeros(0x110000, dtype=np.uint16)      # code point -> code, 0: none
        self._code[[ord(c) for c in chars]] = np.arange(1, len(chars) + 1)
        by_size: dict[int, list[str]] = {}
        for g in grams:
            by_size.setdefault(len(g), []).append(g)
        numbers = np.concatenate([self._numbers(same) for same in by_size.values()])
        values = np.array([grams[g] for same in by_size.values() for g in same], dtype=np.intp)
        self._table = _HashTable(numbers, values, pad)
        self._templates: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _numbers(self, grams: list[str]) -> np.ndarray:
        """Of n-grams of one size: their characters' codes side by side, above them the size."""
        n = len(grams[0])
        codes = self._code[np.frombuffer("".join(grams).encode("utf-32-le", "surrogatepass"),
                                         dtype=np.uint32)].reshape(len(grams), n).astype(np.int64)
        number = np.full(len(grams), n, dtype=np.int64)
        for column in codes.T:
            number = number << self._bits | column
        return number

    def features(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """For words shorter than ``LONGEST``: per word, the feature numbers of its n-grams
        in ``word_ngrams`` order, ``pad`` for an unknown one, padded with ``pad`` to a common
        width (words x width); and the number of n-grams of each word."""
        lengths = np.fromiter(map(len, words), np.intp, len(words)) + 2     # padded
        text = " " + "  ".join(words) + " "                 # the padded words side by side
        codes = self._code[np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
        # every n-gram of the text, block by size (those across two words are never read)
        blocks, window = [], codes.astype(np.int64)
        for n in range(2, max(NGRAM_SIZES) + 1):
            window = window[:-1] << self._bits | codes[n - 1:]
            if n in NGRAM_SIZES:
                blocks.append(window | n << (self._bits * n))
        looked_up = self._table.get(np.concatenate([*blocks, [-1]]))    # -1: no n-gram, pad
        offset, block, counts = self._template(int(lengths.max()))
        counts = counts[lengths]
        width = int(counts.max())
        block_starts = np.cumsum([0] + [len(b) for b in blocks])
        block_starts[-1] = len(looked_up) - 1
        starts = np.cumsum(lengths) - lengths
        block = block[lengths, :width]
        plan = np.where(block == len(blocks), len(looked_up) - 1,
                        starts[:, None] + offset[lengths, :width] + block_starts[block])
        return looked_up[plan], counts

    def _template(self, longest: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For padded words of each length up to ``longest``: each n-gram's place in its
        size's block (from the word's start) and its block (``len(NGRAM_SIZES)``: none),
        and the number of n-grams."""
        size = 1 << max(longest, 8).bit_length()
        if size not in self._templates:
            width = len(NGRAM_SIZES) * size
            offset = np.zeros((size, width), dtype=np.intp)
            block = np.full((size, width), len(NGRAM_SIZES), dtype=np.intp)
            for length in range(size):
                j = 0
                for b, n in enumerate(NGRAM_SIZES):
                    for i in range(length - n + 1):
                        offset[length, j], block[length, j] = i, b
                        j += 1
            counts = (block < len(NGRAM_SIZES)).sum(axis=1)
            self._templates[size] = offset, block, counts
        return self._templates[size]


class _HashTable:
    """int64 key -> value, open addressing, looked up for arrays of keys at once."""

    _EMPTY = -1

    def __init__(self, keys: np.ndarray, values: np.ndarray, missing: int):
        self._bits = max(4, (4 * len(keys)).bit_length())      # at most a quarter full
        self._keys = np.full(1 << self._bits, self._EMPTY, dtype=np.int64)
        self._values = np.full(1 << self._bits, missing, dtype=np.intp)
        slots, waiting = self._slot(keys), np.arange(len(keys))
        while len(waiting):     # linear probing, all keys at once: a free slot's first claimant
            free = waiting[self._keys[slots[waiting]] == self._EMPTY]
            taken, first = np.unique(slots[free], return_index=True)
            self._keys[taken], self._values[taken] = keys[free[first]], values[free[first]]
            waiting = waiting[self._keys[slots[waiting]] != keys[waiting]]
            slots[waiting] = (slots[waiting] + 1) & ((1 << self._bits) - 1)

    def _slot(self, keys: np.ndarray) -> np.ndarray:
        """Fibonacci hashing: the top bits of the keys times 2^64 / golden ratio (the int64
        product wraps around as the uint64 one would)."""
        return (keys * _GOLDEN) >> (64 - self._bits) & ((1 << self._bits) - 1)

    def get(self, keys: np.ndarray) -> np.ndarray:
        slot = self._slot(keys)
        out = self._values[slot]
        todo = np.flatnonzero((self._keys[slot] != keys) & (self._keys[slot] != self._EMPTY))
        while len(todo):        # a collision: the next slots, until the key or an empty one
            slot[todo] = (slot[todo] + 1) & ((1 << self._bits) - 1)
            found = self._keys[slot[todo]]
            out[todo] = self._values[slot[todo]]
            todo = todo[(found != keys[todo]) & (found != self._EMPTY)]
        return out
