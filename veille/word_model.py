"""Linear models scored from stored weights: the extractors' second readers.

A second reader weighs the words around a candidate the rules left (a date, a capitalised
run) with a logistic regression trained on the labelled sets of ``tests/fixtures/references``.
Scoring needs only the stored weights (an ``.npz`` of feature names, weights and biases: a
dictionary lookup per feature, no scikit-learn); training needs scikit-learn.
"""
from __future__ import annotations

import math
from itertools import repeat
from functools import lru_cache
from pathlib import Path

import numpy as np


class WordModel:
    """One or more one-against-the-rest logistic regressions over the same features."""

    def __init__(self, names: list[str], weights: np.ndarray, bias):
        weights = np.atleast_2d(weights)
        self.classes = weights.shape[0]
        if self.classes == 1:
            self.weight = dict(zip(names, weights[0].tolist()))
        else:
            self.weight = dict(zip(names, map(tuple, weights.T.tolist())))
        self.bias = np.atleast_1d(bias).tolist()
        self._by_class: list[dict[str, float]] | None = None

    def probability(self, f: dict[str, float]) -> float:
        """The first (or only) class's probability."""
        get = self.weight.get
        return _sigmoid(self.bias[0] + sum(v * get(k, 0.0) for k, v in f.items()))

    def scores(self, names: list[str]) -> list[float]:
        """Each class's probability for features of weight 1, given by name (a model of
        several classes; a lookup per feature and class)."""
        if self._by_class is None:
            self._by_class = [{k: w[i] for k, w in self.weight.items()} for i in range(self.classes)]
        return [_sigmoid(b + sum(map(weights.get, names, repeat(0.0))))
                for b, weights in zip(self.bias, self._by_class)]


def words_around(before: list[str], following: list[str], near: int, bag: float,
                 trigram: bool = False, bag_after: bool = False) -> dict[str, float]:
    """The features of the words before and after a candidate: the ``near`` last words
    before it and the two after it by place, their pairs (and the three before with
    ``trigram``), and every word before (and after with ``bag_after``) as a bag, weighing
    ``bag``."""
    f: dict[str, float] = {}
    for i, w in enumerate(reversed(before[-near:])):
        f[f"b{i + 1}={w}"] = 1.0
    if len(before) >= 2:
        f[f"b12={before[-2]}_{before[-1]}"] = 1.0
    if trigram and len(before) >= 3:
        f[f"b123={before[-3]}_{before[-2]}_{before[-1]}"] = 1.0
    for w in before:
        f[f"bb={w}"] = bag
    for i, w in enumerate(following[:2]):
        f[f"a{i + 1}={w}"] = 1.0
    if len(following) >= 2:
        f[f"a12={following[0]}_{following[1]}"] = 1.0
    for w in following if bag_after else ():
        f[f"ab={w}"] = bag
    return f


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


@lru_cache(maxsize=4)
def load(path: Path) -> WordModel | None:
    """The stored model; None without one (the rules alone then read)."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        return WordModel(data["names"].tolist(), data["weights"], data["bias"])


def fit(X: list[dict[str, float]], ys: list[list[int]], C: float) -> WordModel:
    """One logistic regression per list of labels in ``ys``, over the features ``X``."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(X)
    weights, biases = [], []
    for y in ys:
        model = LogisticRegression(C=C, max_iter=3000).fit(matrix, y)
        weights.append(model.coef_[0])
        biases.append(float(model.intercept_[0]))
    return WordModel(list(vectorizer.get_feature_names_out()), np.array(weights), np.array(biases))


def save(model: WordModel, path: Path) -> None:
    names = list(model.weight)
    if model.classes == 1:
        weights = np.array([[model.weight[n] for n in names]])
    else:
        weights = np.array([model.weight[n] for n in names]).T
    np.savez_compressed(path, names=np.array(names), weights=weights.astype(np.float32),
                        bias=np.array(model.bias))


def train_command(argv: list[str] | None, *, prog: str, what: str, out: Path, read_set, fit_rows, score,
                  kinds: tuple[str, ...]) -> int:
    """A second reader's training command: reads the labelled sets given (``read_set``),
    prints per set left out in turn, and per kind, the precision and recall of the rules alone
    and with the model trained on the other sets (``score(rows, model or None, kind)`` gives
    true, false and missed names), then trains on every set and writes the weights."""
    import argparse
    parser = argparse.ArgumentParser(prog=prog, description=f"Train the {what}' second reader on labelled sets.")
    parser.add_argument("files", nargs="+", help="labelled JSON lines: lang, text, references")
    parser.add_argument("--out", type=Path, default=out)
    args = parser.parse_args(argv)
    sets = {path: read_set(path) for path in args.files}

    def figures(tp, fp, fn):
        return f"P {tp / max(1, tp + fp):.3f} R {tp / max(1, tp + fn):.3f}"

    totals = np.zeros((len(kinds), 2, 3), dtype=int)
    for path, rows in sets.items():
        model = fit_rows([r for other, rs in sets.items() if other != path for r in rs])
        line = []
        for i, kind in enumerate(kinds):
            alone, both = score(rows, None, kind), score(rows, model, kind)
            totals[i] += [alone, both]
            line.append(f"{kind}: rules {figures(*alone)}; with the model trained on the others {figures(*both)}")
        print(f"{Path(path).name}: " + "; ".join(line))
    for i, kind in enumerate(kinds):
        print(f"all, each left out in turn, {kind}: rules {figures(*totals[i, 0])}; "
              f"with the model {figures(*totals[i, 1])}")
    model = fit_rows([r for rows in sets.values() for r in rows])
    save(model, args.out)
    print(f"wrote {args.out}: {len(model.weight)} features")
    return 0
