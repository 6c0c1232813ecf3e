"""Fitting the model with scikit-learn (training time only; tagging needs numpy alone).

Recipe: one logistic regression per topic over the features of ``features.py``; a second
stage that reads the five first-stage scores together (regulation given a law number,
qse given regulation and machine-safety wording, ...), learned on out-of-fold scores;
per-topic and per-language probability thresholds chosen on out-of-fold predictions
(folds grouped by host) so that they reflect unseen text, not the items the model was
fitted on.

Every example is featurised once into one sparse matrix over all feature names; a fit on a
subset keeps the columns seen in at least ``MIN_DF`` of its rows. Cross-validation and the
inner threshold folds reuse that matrix, so retraining per fold costs only the solver.
"""
from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from veille.classify.dataset import Example
from veille.classify import features
from veille.classify.model import LinearModel, Stack, fingerprint

C = 0.25                     # inverse regularisation when no choice is made
C_GRID = (0.0625, 0.25, 1.0)  # each topic takes the one its out-of-fold F1 prefers
MIN_DF = 2                   # a feature seen in one example only is noise and bloats the artefact
THRESHOLD_FOLDS = 4
THRESHOLD_GRID = np.round(np.arange(0.15, 0.71, 0.025), 3)
_QUANTILES = np.linspace(0.5, 0.98, 49)   # cut-offs tried when comparing values of C
DEFAULT_THRESHOLD = 0.4
REAL_WEIGHT = 3.0            # real-world items (with a url) weigh more than written ones: grouped CV
CLASS_WEIGHT = ""            # "" or "balanced": the thresholds already absorb the imbalance
STACK = True                 # learn the second stage on out-of-fold first-stage scores
STACK_C = 0.2                # few inputs, strongly regularised
WEIGHTED_CHOICES = True      # C, second stage and thresholds weigh examples like the fit
LANG_THRESHOLDS = False      # separate thresholds for French and English
LANGS = ("fr", "en")


@dataclass
class Matrix:
    names: list[str]         # every feature name of every example, sorted
    X: object                # scipy.sparse.csr_matrix (examples x names), rows normalised
    weighting: dict          # how words were counted: the scorer must count the same way


def featurise(examples: Sequence[Example]) -> Matrix:
    from scipy.sparse import csr_matrix
    lexicon = features.load_lexicon() if features.USE_LEXICON else {}
    rows = [features.feature_counts(e.title, e.summary, lexicon=lexicon) for e in examples]
    names = sorted(set().union(*rows)) if rows else []
    vocab = {n: i for i, n in enumerate(names)}
    cols, data, ptr = [], [], [0]
    for row in rows:
        norm = np.sqrt(max(sum(row.values()), 1))
        cols.extend(vocab[n] for n in row)
        data.extend(c / norm for c in row.values())
        ptr.append(len(cols))
    X = csr_matrix((np.array(data, dtype=np.float64), np.array(cols, dtype=np.int64),
                    np.array(ptr, dtype=np.int64)), shape=(len(rows), len(names)))
    X.sort_indices()
    return Matrix(names, X, {"title_weight": features.TITLE_WEIGHT,
                             "ngram_weight": features.NGRAM_WEIGHT,
                             "stem_bigrams": features.STEM_BIGRAMS, "lexicon": lexicon})


def _labels(examples: Sequence[Example], index: Sequence[int], topics: list[str]) -> np.ndarray:
    return np.array([[t in examples[i].topics for t in topics] for i in index], dtype=int)


# first-stage scorers, read together by the second stage: a linear SVM scored better than
# logistic regression, or both, on grouped CV (micro-F1 0.890 against 0.885 and 0.884)
SOLVERS = ("svm",)
SVM_TOL = 1e-2                # 10x stricter than liblinear's own default; same CV figures as 1e-4


def _first_stage(solver: str, C_: float):
    if solver == "svm":
        from sklearn.svm import LinearSVC
        return LinearSVC(C=C_, dual=True, max_iter=5000, random_state=0, tol=SVM_TOL,
                         class_weight=CLASS_WEIGHT or None)
    return _logistic(C_ * 16)   # the same regularisation range for the logistic loss


def _logistic(C_: float):
    from sklearn.linear_model import LogisticRegression
    # the dual solver is ~30x faster here: far fewer examples than features
    return LogisticRegression(C=C_, solver="liblinear", dual=True, max_iter=2000, tol=1e-4,
                              random_state=0, class_weight=CLASS_WEIGHT or None)


@dataclass
class Fitted:
    """First-stage weights over the columns ``kept`` of the shared matrix."""
    kept: np.ndarray
    weights: np.ndarray      # (len(kept), topics)
    intercepts: np.ndarray

    def decision(self, matrix: Matrix, index: Sequence[int]) -> np.ndarray:
        return matrix.X[list(index)][:, self.kept] @ self.weights + self.intercepts


def fit_weights(examples: Sequence[Example], matrix: Matrix, index: Sequence[int],
                topics: list[str], cs: Sequence[float] | None = None) -> Fitted:
    """One linear scorer per solver and topic on the examples at ``index``: column
    ``s * len(topics) + t`` is solver ``s`` for topic ``t``; ``cs``: C per column."""
    rows = matrix.X[list(index)]
    kept = np.flatnonzero(rows.getnnz(axis=0) >= MIN_DF)
    X = rows[:, kept]
    Y = _labels(examples, index, topics)
    k = len(topics)
    weights = np.zeros((len(kept), len(SOLVERS) * k))
    intercepts = np.zeros(len(SOLVERS) * k)
    sample_weight = weights_of(examples, index)
    for col in range(len(SOLVERS) * k):
        solver, t = SOLVERS[col // k], col % k
        if Y[:, t].min() == Y[:, t].max():   # a topic without positives (or negatives)
            intercepts[col] = 8.0 if Y[0, t] else -8.0
            continue
        clf = _first_stage(solver, cs[col] if cs else C).fit(X, Y[:, t], sample_weight=sample_weight)
        weights[:, col] = clf.coef_[0]
        intercepts[col] = clf.intercept_[0]
    return Fitted(kept, weights, intercepts)


def weights_of(examples: Sequence[Example], index: Sequence[int]) -> np.ndarray:
    return np.array([REAL_WEIGHT if examples[i].extra.get("url") else 1.0 for i in index])


def grouped_folds(groups: Sequence[str], k: int) -> list[list[int]]:
    """k folds of indices; all items of a group in one fold; deterministic, balanced by size."""
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    ordered = sorted(by_group.items(), key=lambda kv: (-len(kv[1]), zlib.crc32(kv[0].encode())))
    folds: list[list[int]] = [[] for _ in range(k)]
    for _, members in ordered:
        min(folds, key=len).extend(members)
    return [sorted(f) for f in folds]


def fit_stack(z: np.ndarray, truth: np.ndarray, weight: np.ndarray | None = None) -> Stack:
    """Second stage: each topic's logistic regression over all first-stage scores."""
    k = truth.shape[1]
    weights, intercepts = np.zeros((z.shape[1], k)), np.zeros(k)
    for t in range(k):
        if truth[:, t].min() == truth[:, t].max():
            weights[t, t] = 1.0        # pass the first stage through
            continue
        clf = _logistic(STACK_C).fit(z, truth[:, t], sample_weight=weight)
        weights[:, t], intercepts[t] = clf.coef_[0], clf.intercept_[0]
    return Stack(weights, intercepts)


def best_thresholds(probs: np.ndarray, truth: np.ndarray,
                    weight: np.ndarray | None = None) -> np.ndarray:
    out = []
    for t in range(truth.shape[1]):
        f1s = [_f1(probs[:, t] >= th, truth[:, t], weight) for th in THRESHOLD_GRID]
        # ties go to the middle of the best plateau: steadier on unseen text
        best = np.flatnonzero(np.isclose(f1s, max(f1s)))
        out.append(THRESHOLD_GRID[best[len(best) // 2]])
    return np.array(out)


def _f1(pred: np.ndarray, truth: np.ndarray, weight: np.ndarray | None = None) -> float:
    w = np.ones(len(truth)) if weight is None else weight
    tp = float(np.sum(w * (pred & (truth == 1))))
    denom = float(np.sum(w * pred) + np.sum(w * truth))
    return 2 * tp / denom if denom else 1.0


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _out_of_fold(examples, matrix, index, topics) -> dict[float, np.ndarray]:
    """For each C of the grid, first-stage decision values of each example from a model
    that did not see its host."""
    oof = {c: np.zeros((len(index), len(SOLVERS) * len(topics))) for c in C_GRID}
    for fold in grouped_folds([examples[i].group for i in index], THRESHOLD_FOLDS):
        held = set(fold)
        inner = [index[j] for j in range(len(index)) if j not in held]
        rows = [index[j] for j in fold]
        for c in C_GRID:
            fitted = fit_weights(examples, matrix, inner, topics, [c] * len(SOLVERS) * len(topics))
            oof[c][fold] = fitted.decision(matrix, rows)
    return oof


def _choose_c(oof: dict[float, np.ndarray], truth: np.ndarray,
              weight: np.ndarray | None = None) -> tuple[list[float], np.ndarray]:
    """Per column, the C whose out-of-fold scores reach the best F1 (the smaller on a tie)."""
    cs, chosen = [], np.zeros_like(next(iter(oof.values())))
    k = truth.shape[1]
    for col in range(chosen.shape[1]):
        def best_f1(c: float) -> float:
            z = oof[c][:, col]
            return max(_f1(z >= cut, truth[:, col % k], weight) for cut in np.quantile(z, _QUANTILES))
        c = max(sorted(oof), key=lambda c: (round(best_f1(c), 6), -c))
        cs.append(c)
        chosen[:, col] = oof[c][:, col]
    return cs, chosen


def _thresholds(examples, index, probs, truth, weight) -> dict[str, np.ndarray]:
    found = {"": best_thresholds(probs, truth, weight)}
    if LANG_THRESHOLDS:
        for lang in LANGS:
            rows = [j for j, i in enumerate(index) if examples[i].lang == lang]
            if rows:
                found[lang] = best_thresholds(probs[rows], truth[rows], weight[rows])
    return found


def train(examples: Sequence[Example], topics: list[str], meta: dict | None = None,
          matrix: Matrix | None = None, index: Sequence[int] | None = None) -> LinearModel:
    """The whole recipe on ``examples`` (or the subset ``index``): weights, stage two,
    then thresholds, each learned from out-of-fold scores."""
    matrix = matrix or featurise(examples)
    index = list(range(len(examples))) if index is None else list(index)
    truth = _labels(examples, index, topics)
    # the choices below weigh examples as the fit does: real-world text counts more
    weight = weights_of(examples, index) if WEIGHTED_CHOICES else np.ones(len(index))
    cs, oof = _choose_c(_out_of_fold(examples, matrix, index, topics), truth, weight)
    stack = fit_stack(oof, truth, weight) if STACK else None
    probs = _sigmoid(stack.apply(oof) if stack else oof)
    thresholds = _thresholds(examples, index, probs, truth, weight)
    fitted = fit_weights(examples, matrix, index, topics, cs)
    return LinearModel(
        topics=list(topics), features=[matrix.names[c] for c in fitted.kept],
        weights=fitted.weights, intercepts=fitted.intercepts, thresholds=thresholds[""],
        lang_thresholds={k: v for k, v in thresholds.items() if k}, stack=stack,
        meta=dict(meta or {}, examples=len(index), C=dict(zip(topics, cs)), min_df=MIN_DF,
                  **matrix.weighting),
        seen=np.array([fingerprint(examples[i].title, examples[i].summary) for i in index],
                      dtype=np.uint32))


def rebuild(examples: Sequence[Example], topics: list[str], path=None) -> LinearModel:
    """Train on everything given and write the artefact (same data -> same bytes)."""
    from veille.classify.model import ARTEFACT, save_model
    counts = Counter(e.origin for e in examples)
    model = train(examples, topics, meta={"sources": dict(sorted(counts.items()))})
    save_model(model, path or ARTEFACT)
    return model
