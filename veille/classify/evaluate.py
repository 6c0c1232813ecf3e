"""Measuring tagging quality on a labelled file: per topic, micro and macro, per language.

With ``folds``, the whole training recipe (weights and thresholds) is rerun in each fold on
the repository corpus plus the other folds of the file, folds grouped by host: the honest
figure when the file is also training data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from veille.classify.dataset import Example

WORST = 8


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else 1.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "support": self.tp + self.fn}


@dataclass
class Report:
    topics: list[str]
    n: int
    per_topic: dict[str, dict[str, Scores]]       # slice ("all", "fr", "en") -> topic -> Scores
    errors: list[dict] = field(default_factory=list)
    method: str = "shipped model"

    def micro(self, part: str = "all") -> Scores:
        total = Scores()
        for s in self.per_topic[part].values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total

    def macro_f1(self, part: str = "all") -> float:
        values = [s.f1 for s in self.per_topic[part].values()]
        return sum(values) / len(values) if values else 0.0

    def as_dict(self) -> dict:
        return {
            "method": self.method, "items": self.n,
            "slices": {part: {"topics": {t: s.as_dict() for t, s in by_topic.items()},
                              "micro": self.micro(part).as_dict(),
                              "macro_f1": round(self.macro_f1(part), 4)}
                       for part, by_topic in self.per_topic.items()},
            "worst_errors": self.errors,
        }


def score(examples: Sequence[Example], predicted: Sequence[list[str]],
          probs: Sequence[dict[str, float]], topics: list[str], method: str) -> Report:
    parts = {"all": {t: Scores() for t in topics}}
    errors = []
    for ex, pred, prob in zip(examples, predicted, probs):
        slices = ["all"] + ([ex.lang] if ex.lang else [])
        for part in slices:
            parts.setdefault(part, {t: Scores() for t in topics})
        for t in topics:
            truth, got = t in ex.topics, t in pred
            for part in slices:
                s = parts[part][t]
                s.tp += truth and got
                s.fp += got and not truth
                s.fn += truth and not got
            if truth != got:
                errors.append({"id": ex.id, "lang": ex.lang, "topic": t,
                               "kind": "missed" if truth else "false", "score": prob.get(t, 0.0),
                               "title": ex.title[:70]})
    # the worst: confident false tags and missed tags scored lowest
    errors.sort(key=lambda e: e["score"] if e["kind"] == "missed" else -e["score"])
    ordered = {p: parts[p] for p in ("all", "fr", "en") if p in parts}
    ordered.update({p: v for p, v in parts.items() if p not in ordered})
    return Report(topics, len(examples), ordered, errors[:WORST], method)


def evaluate_shipped(examples: Sequence[Example], classifier) -> Report:
    preds = classifier.predict([(e.title, e.summary, e.lang) for e in examples])
    topics = [t for t in classifier.topics if t in _measured()]
    return score(examples, [p.topics for p in preds], [p.scores for p in preds], topics,
                 "shipped model")


def training_overlap(examples: Sequence[Example], classifier) -> int:
    """How many of the examples the shipped model was fitted on."""
    seen = set(classifier.scorer.model.seen.tolist())
    from veille.classify.model import fingerprint
    return sum(fingerprint(e.title, e.summary) in seen for e in examples)


def cross_validate(examples: Sequence[Example], base: Sequence[Example], k: int,
                   taxonomy) -> Report:
    """K folds grouped by host; each fold's model is trained on base + the other folds."""
    from veille.classify import Classifier
    from veille.classify.scorer import Scorer
    from veille.classify.train import featurise, grouped_folds, train
    topics = _measured()
    everything = list(base) + list(examples)
    matrix = featurise(everything)
    nb = len(base)
    preds: list = [None] * len(examples)
    for fold in grouped_folds([e.group for e in examples], k):
        held = set(fold)
        index = list(range(nb)) + [nb + j for j in range(len(examples)) if j not in held]
        model = train(everything, topics, matrix=matrix, index=index)
        clf = Classifier(taxonomy, Scorer(model))
        for j, p in zip(fold, clf.predict([(examples[j].title, examples[j].summary,
                                            examples[j].lang) for j in fold])):
            preds[j] = p
    return score(examples, [p.topics for p in preds], [p.scores for p in preds], topics,
                 f"{k}-fold cross-validation grouped by host, trained on corpus ({nb}) + other folds")


def _measured() -> list[str]:
    from veille.classify.taxonomy import MEASURED_TOPICS
    return list(MEASURED_TOPICS)


def format_report(report: Report) -> list[str]:
    """Short lines; the micro/macro summary comes last so `tail -n 12` shows it."""
    lines = [f"{report.n} items, {report.method}"]
    if report.errors:
        lines.append("worst errors (kind topic score id: title):")
        lines += [f"  {e['kind']:6} {e['topic'][:10]:10} {e['score']:.2f} {e['id']}: {e['title'][:40]}"
                  for e in report.errors]
    lines.append(f"{'topic':24}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}  {'F1 fr':>6}{'F1 en':>7}")
    for t in report.topics:
        s = report.per_topic["all"][t]
        by_lang = [f"{report.per_topic[p][t].f1:6.3f}" if p in report.per_topic else "     -"
                   for p in ("fr", "en")]
        lines.append(f"{t:24}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp + s.fn:5}  "
                     f"{by_lang[0]} {by_lang[1]}")
    for part in [p for p in ("all", "fr", "en") if p in report.per_topic]:
        m = report.micro(part)
        lines.append(f"micro {part:3}  P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}"
                     f"   macro F1 {report.macro_f1(part):.3f}")
    return lines
