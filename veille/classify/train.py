"""Fitting the model with scikit-learn (training time only; tagging needs numpy alone).

Recipe: one logistic regression per topic over the features of ``features.py``; per-topic
probability thresholds chosen on out-of-fold predictions (folds grouped by host) so that
they reflect unseen text, not the items the model was fitted on.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from veille.classify.dataset import Example
from veille.classify.features import feature_counts
from veille.classify.model import LinearModel, fingerprint

C = 4.0                      # inverse regularisation, chosen by grouped cross-validation
MIN_DF = 2                   # a feature seen in one example only is noise and bloats the artefact
THRESHOLD_FOLDS = 4
THRESHOLD_GRID = np.round(np.arange(0.15, 0.71, 0.025), 3)
DEFAULT_THRESHOLD = 0.4
REAL_WEIGHT = 1.0            # weight of real-world items (with a url) against written ones
CLASS_WEIGHT = ""            # "" or "balanced"


@dataclass
class Matrix:
    rows: list[Counter]
    norms: np.ndarray


def featurise(examples: Sequence[Example]) -> Matrix:
    rows = [feature_counts(e.title, e.summary) for e in examples]
    norms = np.array([np.sqrt(max(sum(r.values()), 1)) for r in rows])
    return Matrix(rows, norms)


def _vocabulary(matrix: Matrix, index: Sequence[int]) -> list[str]:
    df: Counter = Counter()
    for i in index:
        df.update(matrix.rows[i].keys())
    return sorted(f for f, n in df.items() if n >= MIN_DF)


def _sparse(matrix: Matrix, index: Sequence[int], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix
    data, cols, ptr = [], [], [0]
    for i in index:
        row, norm = matrix.rows[i], matrix.norms[i]
        for name, count in row.items():
            col = vocab.get(name)
            if col is not None:
                cols.append(col)
                data.append(count / norm)
        ptr.append(len(cols))
    return csr_matrix((np.array(data), np.array(cols, dtype=np.int64), np.array(ptr)),
                      shape=(len(index), len(vocab)))


def _labels(examples: Sequence[Example], index: Sequence[int], topics: list[str]) -> np.ndarray:
    return np.array([[t in examples[i].topics for t in topics] for i in index], dtype=int)


def fit_weights(examples: Sequence[Example], matrix: Matrix, index: Sequence[int],
                topics: list[str]) -> LinearModel:
    """Logistic regression per topic on the examples at ``index`` (thresholds left default)."""
    from sklearn.linear_model import LogisticRegression
    names = _vocabulary(matrix, index)
    vocab = {name: i for i, name in enumerate(names)}
    X = _sparse(matrix, index, vocab)
    Y = _labels(examples, index, topics)
    weights = np.zeros((len(names), len(topics)))
    intercepts = np.zeros(len(topics))
    for t in range(len(topics)):
        if Y[:, t].min() == Y[:, t].max():   # a topic without positives (or negatives)
            intercepts[t] = 8.0 if Y[0, t] else -8.0
            continue
        clf = LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=0,
                                 class_weight=CLASS_WEIGHT or None)
        clf.fit(X, Y[:, t], sample_weight=weights_of(examples, index))
        weights[:, t] = clf.coef_[0]
        intercepts[t] = clf.intercept_[0]
    return LinearModel(topics=list(topics), features=names, weights=weights,
                       intercepts=intercepts, thresholds=np.full(len(topics), DEFAULT_THRESHOLD))


def weights_of(examples: Sequence[Example], index: Sequence[int]) -> np.ndarray:
    return np.array([REAL_WEIGHT if examples[i].extra.get("url") else 1.0 for i in index])


def grouped_folds(groups: Sequence[str], k: int) -> list[list[int]]:
    """k folds of indices; all items of a group in one fold; deterministic, balanced by size."""
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    import zlib
    ordered = sorted(by_group.items(), key=lambda kv: (-len(kv[1]), zlib.crc32(kv[0].encode())))
    folds: list[list[int]] = [[] for _ in range(k)]
    for _, members in ordered:
        min(folds, key=len).extend(members)
    return [sorted(f) for f in folds]


def predict_matrix(model: LinearModel, matrix: Matrix, index: Sequence[int]) -> np.ndarray:
    """Probabilities for already featurised examples (training-time twin of the Scorer)."""
    vocab = {name: i for i, name in enumerate(model.features)}
    X = _sparse(matrix, index, vocab)
    z = X @ model.weights + model.intercepts
    return 1.0 / (1.0 + np.exp(-z))


def best_thresholds(probs: np.ndarray, truth: np.ndarray) -> np.ndarray:
    out = []
    for t in range(truth.shape[1]):
        f1s = [_f1(probs[:, t] >= th, truth[:, t]) for th in THRESHOLD_GRID]
        # ties go to the middle of the best plateau: steadier on unseen text
        best = np.flatnonzero(np.isclose(f1s, max(f1s)))
        out.append(THRESHOLD_GRID[best[len(best) // 2]])
    return np.array(out)


def _f1(pred: np.ndarray, truth: np.ndarray) -> float:
    tp = float(np.sum(pred & (truth == 1)))
    denom = float(np.sum(pred) + np.sum(truth))
    return 2 * tp / denom if denom else 1.0


def train(examples: Sequence[Example], topics: list[str], meta: dict | None = None,
          matrix: Matrix | None = None, index: Sequence[int] | None = None) -> LinearModel:
    """The whole recipe on ``examples`` (or the subset ``index``): weights, then thresholds."""
    matrix = matrix or featurise(examples)
    index = list(range(len(examples))) if index is None else list(index)
    groups = [examples[i].group for i in index]
    oof = np.zeros((len(index), len(topics)))
    for fold in grouped_folds(groups, THRESHOLD_FOLDS):
        held = set(fold)
        inner = [index[j] for j in range(len(index)) if j not in held]
        part = fit_weights(examples, matrix, inner, topics)
        oof[fold] = predict_matrix(part, matrix, [index[j] for j in fold])
    model = fit_weights(examples, matrix, index, topics)
    model.thresholds = best_thresholds(oof, _labels(examples, index, topics))
    model.meta = dict(meta or {}, examples=len(index), C=C, min_df=MIN_DF)
    model.seen = np.array([fingerprint(examples[i].title, examples[i].summary) for i in index],
                          dtype=np.uint32)
    return model


def rebuild(examples: Sequence[Example], topics: list[str], path=None) -> LinearModel:
    """Train on everything given and write the artefact (same data -> same bytes)."""
    from veille.classify.model import ARTEFACT, save_model
    counts = Counter(e.origin for e in examples)
    model = train(examples, topics, meta={"sources": dict(sorted(counts.items()))})
    save_model(model, path or ARTEFACT)
    return model
