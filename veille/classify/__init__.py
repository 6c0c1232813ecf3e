"""Topic classification: taxonomy, model artefact, tagging.

Interface used by ingest: ``load_classifier().predict([(title, summary, lang), ...])``
returns one ``Prediction`` per record: the assigned topics in taxonomy order and a score
(0..1) for every topic. Scoring needs numpy only; scikit-learn is for ``veille train``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from veille.classify.model import ARTEFACT, ModelError, Scorer, load_model
from veille.classify.taxonomy import MEASURED_TOPICS, TAXONOMY_FILE, Taxonomy, load_taxonomy

TOPICS = list(MEASURED_TOPICS)
BATCH = 2000  # bounded memory whatever the number of records


@dataclass
class Prediction:
    topics: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)   # topic -> "model" | "rule"


class Classifier:
    """The trained linear model plus the taxonomy's rules."""

    def __init__(self, taxonomy: Taxonomy, scorer: Scorer):
        self.taxonomy = taxonomy
        self.scorer = scorer
        self.topics = taxonomy.ids
        model = scorer.model
        self._columns = {t: i for i, t in enumerate(model.topics)}
        self._thresholds = model.thresholds

    def predict(self, records: Sequence[tuple[str, str, str | None]]) -> list[Prediction]:
        out: list[Prediction] = []
        for start in range(0, len(records), BATCH):
            chunk = records[start:start + BATCH]
            probs = self.scorer.probabilities([(r[0] or "", r[1] or "") for r in chunk])
            out.extend(self._prediction(r, p) for r, p in zip(chunk, probs))
        return out

    def _prediction(self, record, probs: np.ndarray) -> Prediction:
        scores, origins = {}, {}
        for topic in self.topics:
            col = self._columns.get(topic)
            scores[topic] = round(float(probs[col]), 4) if col is not None else 0.0
            if col is not None and probs[col] >= self._thresholds[col]:
                origins[topic] = "model"
        assigned = set(origins)
        for topic, change in self.taxonomy.apply_rules(record[0], record[1], assigned).items():
            if change == "add":
                origins[topic] = "rule"
                scores[topic] = max(scores[topic], 0.99)
            else:
                origins.pop(topic, None)
        topics = [t for t in self.topics if t in assigned]
        return Prediction(topics=topics, scores=scores, origins={t: origins[t] for t in topics})


def build_classifier(taxonomy_path: Path | str = TAXONOMY_FILE,
                     artefact: Path | str = ARTEFACT) -> Classifier:
    return Classifier(load_taxonomy(taxonomy_path), Scorer(load_model(Path(artefact))))


@lru_cache(maxsize=1)
def load_classifier() -> Classifier:
    """The shipped classifier, loaded once per process."""
    return build_classifier()


__all__ = ["Classifier", "ModelError", "Prediction", "TOPICS", "build_classifier",
           "load_classifier"]
