"""Scoring with the shipped linear model: numpy only, fast on words seen before.

An item's feature vector is its token counts (words, character n-grams of each word,
bigrams; title counted twice) divided by the square root of their sum. That norm is additive
over tokens, so every distinct word is scored once — its word and n-gram weights summed into
one row of a table, with the number of features it brings in a last column — and cached.
An item's score is then a weighted sum of table rows divided by the square root of the
summed last column: exactly the training-time vector dotted with the weights.
"""
from __future__ import annotations

from itertools import repeat
from typing import Callable, Sequence

import numpy as np

from veille.classify.features import (FIELD_BREAK, TITLE_WEIGHT, chunk_tokens, cue_index, ngram_slices,
                                      pieces_tokens, stem_once)
from veille.classify.grams import LONGEST, GramIndex
from veille.classify.model import LinearModel

CACHE_LIMIT = 400_000        # distinct words kept scored between chunks (~19 MB)
PIECE_LIMIT = 200_000        # distinct pieces of text kept with their rows (~25 MB)
_UNKNOWN = 0                 # table row of a bigram the model does not know
BREAK_PIECE = 0              # piece number of FIELD_BREAK alone


class Scorer:
    """Decision values and probabilities per topic for chunks of (title, summary)."""

    def __init__(self, model: LinearModel):
        self.model = model
        self.piece_flags: Callable[[list[str]], list[int]] | None = None   # see keep_piece_flags
        self._k = model.weights.shape[1]      # first-stage columns (solvers x topics)
        self._title_weight = float(model.meta.get("title_weight", TITLE_WEIGHT))
        self._ngram_weight = float(model.meta.get("ngram_weight", 1.0))
        self._stems = bool(model.meta.get("stem_bigrams"))
        self._cues = cue_index(model.meta.get("lexicon") or {})   # as trained, not as edited since
        self._concepts: dict[str, int] = {}
        self._words: dict[str, int] = {}
        self._grams: dict[str, int] = {}
        self._units: dict[str, int] = {}      # a bigram's halves (stems or words) -> id
        pairs: list[tuple[int, int]] = []
        bigram_features: list[int] = []
        for i, name in enumerate(model.features):
            kind, value = name[:2], name[2:]
            if kind == "w:":
                self._words[value] = i
            elif kind == "c:":
                self._grams[value] = i
            elif kind == "k:":
                self._concepts[value] = i
            elif kind == "b:":
                a, _, b = value.partition(" ")
                pairs.append((self._units.setdefault(a, len(self._units)),
                              self._units.setdefault(b, len(self._units))))
                bigram_features.append(i)
        # a known bigram is the number a * radix + b, a word without unit having the unit
        # ``len(units)`` which no bigram has; sorted, a chunk's pairs are looked up at once
        # (searchsorted: a last key above all stops the search in range), their rows being
        # 1 + the bigram's rank in the model
        self._no_unit, self._radix = len(self._units), len(self._units) + 1
        packed = np.array([a * self._radix + b for a, b in pairs], dtype=np.int64)
        order = np.argsort(packed, kind="stable")
        self._pair_keys = np.append(packed[order], np.iinfo(np.int64).max)
        self._pair_rows = np.append(1 + order, _UNKNOWN).astype(np.intp)
        # fixed rows: the unknown bigram, then every known bigram (one feature each)
        self._fixed = np.zeros((1 + len(bigram_features), self._k + 1))
        self._fixed[1:, :self._k] = model.weights[bigram_features]
        self._fixed[:, self._k] = 1.0
        # the weights and a last row of -0.0, which pads lists of rows to sum (``_row_sums``)
        self._padded = np.concatenate([model.weights, np.full((1, self._k), -0.0)])
        self._pad = len(model.weights)
        self._gram_index = GramIndex(self._grams, self._pad)
        self._reset_cache()

    def _reset_cache(self) -> None:
        self._table = np.zeros((len(self._fixed) + 4096, self._k + 1))
        self._table[:len(self._fixed)] = self._fixed
        self._unit_of = np.full(len(self._table), self._no_unit, dtype=np.int64)   # row -> unit
        self._used = len(self._fixed)
        self._word_rows: dict[str, int] = {}    # word -> its row of the table
        self._add_words([FIELD_BREAK])
        self._piece_rows = _PieceRows(self)

    def rows_of_words(self, words: Sequence[str]) -> list[int]:
        """The table rows of these words, those met for the first time scored together."""
        known = self._word_rows
        new = [w for w in dict.fromkeys(words) if w not in known]
        if new:
            self._add_words(new)
        return [known[w] for w in words]

    def _add_words(self, words: list[str]) -> None:
        """Score words met for the first time: their n-grams' weights summed (times the
        n-gram weight), plus their own weight and their concepts'. All words at once: a few
        numpy calls for a chunk rather than several per word."""
        roots = list(map(stem_once, words))      # new words: no use caching their stems
        concepts = list(map(self._cues.get, roots, repeat((), len(words)))) if self._cues \
            else [()] * len(words)
        own = list(map(self._words.get, words))
        units = list(map(self._units.get, roots if self._stems else words, repeat(self._no_unit, len(words))))
        vec, unknown, grams = self._gram_sums(words)
        vec *= self._ngram_weight
        vec[unknown] = 0.0              # no known n-gram: +0.0, as the sum of none was
        extra = [i for i, (o, c) in enumerate(zip(own, concepts)) if o is not None or c]
        if extra:       # + the word's own weight and its concepts' (nothing else: + -0.0)
            vec[extra] += self._row_sums([([] if own[i] is None else [own[i]]) + [
                self._concepts[c] for c in concepts[i] if c in self._concepts] for i in extra])
        sizes = 1 + grams * self._ngram_weight + np.fromiter(map(len, concepts), np.intp, len(words))
        start, end = self._used, self._used + len(words)
        if end > len(self._table):
            grown = max(end, 2 * len(self._table))
            self._table = np.concatenate([self._table, np.zeros((grown - len(self._table), self._k + 1))])
            self._unit_of = np.concatenate([self._unit_of, np.full(grown - len(self._unit_of), self._no_unit)])
        self._table[start:end, :self._k] = vec
        self._table[start:end, self._k] = sizes
        self._unit_of[start:end] = units
        self._word_rows.update(zip(words, range(start, end)))
        self._used = end

    def _gram_sums(self, words: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per word: its n-grams' weights summed in order (-0.0 for an unknown one, which
        adds nothing), whether none is known, and the number of n-grams."""
        usable = self._gram_index.usable
        short = [i for i, w in enumerate(words) if len(w) < LONGEST] if usable else []
        if len(short) == len(words):
            features, counts = self._gram_index.features(words)
            return self._padded[features].sum(axis=1), (features == self._pad).all(axis=1), counts
        sums, unknown = np.empty((len(words), self._k)), np.empty(len(words), dtype=bool)
        counts = np.empty(len(words), dtype=np.intp)
        if short:
            sums[short], unknown[short], counts[short] = self._gram_sums([words[i] for i in short])
        rest = sorted(set(range(len(words))) - set(short))
        grams_get, pad, gram_ids = self._grams.get, self._pad, []
        for word in (words[i] for i in rest):     # one by one: long words, a large alphabet
            padded = f" {word} "
            cuts = ngram_slices(len(padded))
            gram_ids.append(list(map(grams_get, map(padded.__getitem__, cuts), repeat(pad, len(cuts)))))
        sums[rest] = self._row_sums(gram_ids)
        unknown[rest] = [ids.count(pad) == len(ids) for ids in gram_ids]
        counts[rest] = list(map(len, gram_ids))
        return sums, unknown, counts

    def _row_sums(self, lists: list[list[int]]) -> np.ndarray:
        """Per list, the sum of those rows of the weights, added one after another in order
        (the float result of ``weights[ids].sum(axis=0)``); -0.0 for an empty list. Lists are
        padded with the row of -0.0 (x + -0.0 is x, bit for bit) to a common length, by
        buckets of similar lengths so that one long word does not widen them all."""
        out = np.empty((len(lists), self._k))
        buckets: dict[int, list[int]] = {}
        for i, ids in enumerate(lists):
            buckets.setdefault(len(ids).bit_length(), []).append(i)
        pad = self._pad
        for members in buckets.values():
            width = max(1, max(len(lists[i]) for i in members))
            flat: list[int] = []
            for i in members:
                flat += lists[i]
                flat += [pad] * (width - len(lists[i]))
            out[members] = self._padded[np.array(flat, dtype=np.intp).reshape(-1, width)].sum(axis=1)
        return out

    def decision_from_tokens(self, toks: list[str], fields: int) -> np.ndarray:
        """Linear scores (items x topics) from the tokens of a chunk of alternating title
        and summary fields, parted by ``FIELD_BREAK`` tokens (``chunk_tokens``)."""
        if self._used > CACHE_LIMIT:
            self._reset_cache()
        return self._decide(np.array(self.rows_of_words(toks), dtype=np.intp), fields)

    def decision_from_text(self, marked: str, fields: int) -> np.ndarray:
        """The same from the chunk's marked text (``chunk_text``). Its whitespace-separated
        pieces repeat across items and chunks, so each is tokenised and looked up once."""
        return self.decision_from_pieces(self.piece_ids(marked.split()), fields)

    def piece_ids(self, pieces: list[str]) -> np.ndarray:
        """The numbers of these pieces (valid until the next call: the cache may restart)."""
        if self._used > CACHE_LIMIT:
            self._reset_cache()
        elif len(self._piece_rows) > PIECE_LIMIT:
            self._piece_rows = _PieceRows(self)
        return self._piece_rows.ids(pieces)

    def decision_from_pieces(self, ids: np.ndarray, fields: int) -> np.ndarray:
        return self._decide(self._piece_rows.rows(ids), fields)

    def keep_piece_flags(self, piece_flags: Callable[[list[str]], list[int]]) -> None:
        """Keep with each piece the bits ``piece_flags`` gives it (at most 64)."""
        self.piece_flags = piece_flags
        self._piece_rows = _PieceRows(self)

    def flags_of(self, ids: np.ndarray) -> np.ndarray:
        """The bits ``piece_flags`` gave these pieces (uint64)."""
        return self._piece_rows.flags[ids]

    def _decide(self, rows: np.ndarray, fields: int) -> np.ndarray:
        """Scores from the table rows of a chunk's tokens in text order."""
        n = len(rows)
        # the first fields - 1 break words part fields (a text holding the break word itself
        # keeps it as a word); each break counts in the field it ends, which starts at
        # ``start`` and has ``words`` words, all but its last one starting a bigram
        breaks = np.flatnonzero(rows == self._word_rows[FIELD_BREAK])[:max(fields - 1, 0)]
        start = np.zeros(fields, dtype=np.intp)
        start[1:len(breaks) + 1] = breaks + 1
        start[len(breaks) + 1:] = n
        words = np.empty(fields, dtype=np.intp)
        words[:-1] = start[1:] - start[:-1] - 1
        words[len(breaks):] = n - start[len(breaks):]    # last field and any field beyond
        words[len(breaks) + 1:] = 0
        bigrams = np.maximum(words - 1, 0)
        return self._combine(self._gather(rows, start, words, bigrams), words + bigrams)

    def _gather(self, rows: np.ndarray, start: np.ndarray, words: np.ndarray,
                bigrams: np.ndarray) -> np.ndarray:
        """Table rows field by field, each field's words then its bigrams in text order
        (the order of the sums, for the same floating-point result)."""
        n = len(rows)
        bigram = np.full(n, _UNKNOWN, dtype=np.intp)   # row of the bigram a token starts
        units = self._unit_of[rows]
        both = (units[:-1] != self._no_unit) & (units[1:] != self._no_unit)
        keys = units[:-1][both] * self._radix + units[1:][both]
        at = np.searchsorted(self._pair_keys, keys)
        bigram[:-1][both] = np.where(self._pair_keys[at] == keys, self._pair_rows[at], _UNKNOWN)
        # ranges of [rows, bigram] in the order of the sums: a field's words, its bigrams
        firsts, lengths = np.empty(2 * len(start), np.intp), np.empty(2 * len(start), np.intp)
        firsts[0::2], firsts[1::2] = start, start + n
        lengths[0::2], lengths[1::2] = words, bigrams
        ends = np.cumsum(lengths)
        plan = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(firsts - ends + lengths, lengths)
        return np.concatenate([rows, bigram])[plan]

    def _combine(self, ids: np.ndarray, seg: np.ndarray) -> np.ndarray:
        k = self._k
        # one zero row after the gathered rows, so that trailing empty fields start in range
        rows = np.empty((len(ids) + 1, k + 1))
        np.take(self._table, ids, axis=0, out=rows[:-1])
        rows[-1] = 0.0
        starts = np.zeros(len(seg), dtype=np.intp)
        np.cumsum(seg[:-1], out=starts[1:])
        sums = np.add.reduceat(rows, starts, axis=0)
        sums[seg == 0] = 0.0           # reduceat gives an empty field the next row instead
        totals = sums[0::2] * self._title_weight + sums[1::2]
        size = totals[:, k]
        scores = totals[:, :k] / np.sqrt(np.maximum(size, 1.0))[:, None] + self.model.intercepts
        if not size.all():
            scores[size == 0] = -np.inf    # no text at all: no topic, score 0
        return scores

    def probabilities_from_decision(self, z: np.ndarray) -> np.ndarray:
        stack = self.model.stack
        if stack is not None:
            empty = np.isneginf(z[:, 0]) if len(z) else np.zeros(0, dtype=bool)
            if empty.any():
                z = stack.apply(np.where(empty[:, None], 0.0, z))
                z[empty] = -np.inf         # no text stays without topic
            else:
                z = stack.apply(z)
        return 1.0 / (1.0 + np.exp(-z))

    def decision(self, records: Sequence[tuple[str, str]]) -> np.ndarray:
        toks, _ = chunk_tokens([f or "" for r in records for f in (r[0], r[1])])
        return self.decision_from_tokens(toks, 2 * len(records))

    def probabilities(self, records: Sequence[tuple[str, str]]) -> np.ndarray:
        if not records:
            return np.zeros((0, len(self.model.topics)))
        return self.probabilities_from_decision(self.decision(records))


class _PieceRows(dict):
    """piece of marked text -> its number; the table rows of its tokens are kept in one flat
    array, so that a chunk's rows come out of a few numpy calls instead of one per token,
    and, for pieces of up to ``WIDE`` tokens (nearly all), in a row of a matrix padded with
    -1 after their number of tokens: one gather gives a chunk's rows, without a running sum
    over its pieces."""

    WIDE = 4

    def __init__(self, scorer: Scorer):
        super().__init__()
        self._scorer = scorer
        self._first = np.zeros(4096, dtype=np.intp)    # piece -> its first place in _flat
        self.flags = np.zeros(4096, dtype=np.uint64)   # piece -> the scorer's piece_flags
        self._wide = np.full((4096, 1 + self.WIDE), -1, dtype=np.intp)   # piece -> count, rows
        self._flat = np.zeros(8192, dtype=np.intp)
        self._filled = 0
        self._new: list[str] = []                      # pieces met in this lookup, unknown
        self._add([FIELD_BREAK])                       # number BREAK_PIECE

    def __missing__(self, piece: str) -> int:
        self._new.append(piece)
        return -1

    def _add(self, pieces: list[str]) -> None:
        """Number new pieces and keep their tokens' rows (new words scored together)."""
        toks = pieces_tokens(pieces)
        rows = self._scorer.rows_of_words([t for ts in toks for t in ts])
        number, end = len(self), self._filled + len(rows)
        if number + len(pieces) > len(self._first):
            grown = max(number + len(pieces), 2 * len(self._first)) - len(self._first)
            self._first = np.concatenate([self._first, np.zeros(grown, np.intp)])
            self.flags = np.concatenate([self.flags, np.zeros(grown, np.uint64)])
            self._wide = np.concatenate([self._wide, np.full((grown, 1 + self.WIDE), -1, np.intp)])
        if end > len(self._flat):
            self._flat = np.concatenate([self._flat, np.zeros(max(end, len(self._flat)), np.intp)])
        counts = np.fromiter(map(len, toks), np.intp, len(toks))
        first = self._filled + np.cumsum(counts) - counts
        self._wide[number:number + len(pieces), 0] = counts
        self._first[number:number + len(pieces)] = first
        self._flat[self._filled:end] = rows
        self._filled = end
        column = np.arange(self.WIDE)
        self._wide[number:number + len(pieces), 1:] = np.where(
            column < counts[:, None], self._flat[np.minimum(first[:, None] + column, end - 1)], -1)
        if self._scorer.piece_flags is not None:
            self.flags[number:number + len(pieces)] = self._scorer.piece_flags(pieces)
        self.update(zip(pieces, range(number, number + len(pieces))))

    def ids(self, pieces: list[str]) -> np.ndarray:
        """The numbers of these pieces, new ones tokenised and scored together."""
        ids = np.fromiter(map(self.__getitem__, pieces), np.intp, len(pieces))
        if self._new:
            new, self._new = self._new, []
            self._add(list(dict.fromkeys(new)))
            ids[ids < 0] = np.fromiter(map(self.__getitem__, new), np.intp, len(new))
        return ids

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """The table rows of the tokens of these pieces, in order."""
        wide = self._wide[ids]
        counts = wide[:, 0]
        most = int(counts.max()) if len(counts) else 0
        if most <= self.WIDE:
            rows = wide[:, 1:1 + most].ravel()
            return rows if counts.min() == most else rows[rows >= 0]
        ends = np.cumsum(counts)
        total = int(ends[-1]) if len(ends) else 0
        return self._flat[np.arange(total) + np.repeat(self._first[ids] - (ends - counts), counts)]
