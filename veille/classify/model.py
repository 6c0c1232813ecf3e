"""The shipped model artefact and its scorer (numpy only, no scikit-learn at tagging time).

The artefact is a zip of plain ``.npy`` arrays (``numpy.load(..., allow_pickle=False)``):
feature names (UTF-8, one per line), a weight matrix (features x topics), intercepts,
per-topic thresholds, and the topic names. It is written with fixed zip timestamps so that
the same training data gives the same bytes.
"""
from __future__ import annotations

import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Sequence

import numpy as np

from veille.classify.features import TITLE_WEIGHT, tokens, word_ngrams

ARTEFACT = Path(__file__).resolve().parent / "model.npz"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CACHE_LIMIT = 400_000  # distinct words kept scored between batches


class ModelError(RuntimeError):
    """The model artefact is missing or unreadable; the message says what to do."""


@dataclass
class LinearModel:
    topics: list[str]
    features: list[str]
    weights: np.ndarray          # (features, topics) float32
    intercepts: np.ndarray       # (topics,)
    thresholds: np.ndarray       # (topics,) probability cut-offs
    meta: dict = field(default_factory=dict)
    seen: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))

    def was_trained_on(self, title: str, summary: str) -> bool:
        return fingerprint(title, summary) in set(self.seen.tolist())


def fingerprint(title: str, summary: str) -> int:
    """Identifies a training text, so that evaluation can tell training items apart."""
    return zlib.crc32(f"{title.strip()}\n{summary.strip()}".encode("utf-8"))


def _bytes_array(lines: Sequence[str]) -> np.ndarray:
    return np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8)


def save_model(model: LinearModel, path: Path = ARTEFACT) -> Path:
    arrays = {
        "topics": _bytes_array(model.topics),
        "features": _bytes_array(model.features),
        "weights": np.ascontiguousarray(model.weights, dtype=np.float32),
        "intercepts": np.asarray(model.intercepts, dtype=np.float32),
        "thresholds": np.asarray(model.thresholds, dtype=np.float32),
        "meta": _bytes_array([json.dumps(model.meta, sort_keys=True)]),
        "seen": np.unique(np.asarray(model.seen, dtype=np.uint32)),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.save(buf, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())
    tmp.replace(path)
    return path


def load_model(path: Path = ARTEFACT) -> LinearModel:
    try:
        with np.load(path, allow_pickle=False) as data:
            def text(name: str) -> str:
                return data[name].tobytes().decode("utf-8")
            return LinearModel(
                topics=text("topics").split("\n"),
                features=text("features").split("\n"),
                weights=data["weights"].astype(np.float64),
                intercepts=data["intercepts"].astype(np.float64),
                thresholds=data["thresholds"].astype(np.float64),
                meta=json.loads(text("meta")),
                seen=data["seen"] if "seen" in data.files else np.zeros(0, dtype=np.uint32),
            )
    except FileNotFoundError:
        raise ModelError(f"no model artefact at {path}: run `veille train`") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"model artefact {path} is unreadable ({exc}): run `veille train`") from exc


class Scorer:
    """Probabilities per topic for batches of (title, summary), fast on repeated words.

    Every distinct word is scored once (word weight plus its n-gram weights) into a row of
    a table; an item's score is then a sum of rows divided by the square root of its
    feature count, exactly the training-time feature vector dotted with the weights.
    """

    def __init__(self, model: LinearModel):
        self.model = model
        k = len(model.topics)
        self._words: dict[str, int] = {}
        self._grams: dict[str, int] = {}
        bigram_rows: list[int] = []
        self._bigrams: dict[tuple[str, str], int] = {}
        for i, name in enumerate(model.features):
            kind, value = name[:2], name[2:]
            if kind == "w:":
                self._words[value] = i
            elif kind == "c:":
                self._grams[value] = i
            elif kind == "b:":
                a, _, b = value.partition(" ")
                self._bigrams[(a, b)] = 1 + len(bigram_rows)
                bigram_rows.append(i)
        # row 0: a bigram the model does not know (no weight, but it counts in the norm)
        self._base_rows = [np.zeros(k)] + [model.weights[i] for i in bigram_rows]
        self._reset_cache()

    def _reset_cache(self) -> None:
        self._rows: list[np.ndarray] = list(self._base_rows)
        self._sizes: list[int] = [1] * len(self._rows)
        self._table = np.array(self._rows)
        self._table_sizes = np.array(self._sizes, dtype=np.float64)
        self._cache = _WordRows(self)

    def _word_row(self, word: str) -> int:
        grams = word_ngrams(word)
        idx = [self._grams[g] for g in grams if g in self._grams]
        if word in self._words:
            idx.append(self._words[word])
        vec = self.model.weights[idx].sum(axis=0) if idx else self._base_rows[0]
        self._rows.append(vec)
        self._sizes.append(1 + len(grams))
        return len(self._rows) - 1

    def decision(self, records: Sequence[tuple[str, str]]) -> np.ndarray:
        """Linear scores (items x topics) before the logistic function."""
        if len(self._rows) > _CACHE_LIMIT:
            self._reset_cache()
        word_row, bigram_get = self._cache.__getitem__, self._bigrams.get
        ids: list[int] = []
        seg: list[int] = []
        for title, summary in records:
            for field_text in (title, summary):
                toks = tokens(field_text)
                before = len(ids)
                ids.extend(map(word_row, toks))
                ids.extend(map(bigram_get, zip(toks, toks[1:]), repeat(0)))
                seg.append(len(ids) - before)
        if len(self._rows) != len(self._table):
            self._table = np.array(self._rows)
            self._table_sizes = np.array(self._sizes, dtype=np.float64)
        return self._combine(np.array(ids, dtype=np.int64), np.array(seg), len(records))

    def _combine(self, ids: np.ndarray, seg: np.ndarray, n: int) -> np.ndarray:
        k = len(self.model.topics)
        mult = np.repeat(np.tile([float(TITLE_WEIGHT), 1.0], n), seg)
        contrib = np.empty((len(ids), k + 1))
        contrib[:, :k] = self._table[ids] * mult[:, None]
        contrib[:, k] = self._table_sizes[ids] * mult
        cum = np.vstack([np.zeros((1, k + 1)), np.cumsum(contrib, axis=0)])
        ends = np.cumsum(seg.reshape(n, 2).sum(axis=1))
        starts = np.concatenate([[0], ends[:-1]])
        totals = cum[ends] - cum[starts]
        norm = np.sqrt(np.maximum(totals[:, k], 1.0))
        scores = totals[:, :k] / norm[:, None] + self.model.intercepts
        scores[totals[:, k] == 0] = -np.inf   # no text at all: no topic, score 0
        return scores

    def probabilities(self, records: Sequence[tuple[str, str]]) -> np.ndarray:
        if not records:
            return np.zeros((0, len(self.model.topics)))
        return 1.0 / (1.0 + np.exp(-self.decision(records)))


class _WordRows(dict):
    """word -> row of the scorer's table, scored on first sight."""

    def __init__(self, scorer: Scorer):
        super().__init__()
        self._scorer = scorer

    def __missing__(self, word: str) -> int:
        row = self[word] = self._scorer._word_row(word)
        return row
