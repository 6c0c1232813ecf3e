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

from veille.classify.features import chunk_text
from veille.classify.model import ARTEFACT, ModelError, load_model
from veille.classify.scorer import Scorer
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
        # taxonomy topic -> model column (a topic the model was not trained on: rules only)
        self._columns = [model.topics.index(t) if t in model.topics else -1 for t in self.topics]
        self._thresholds = {lang: self._per_topic(model.thresholds_for(lang), 2.0)
                            for lang in {None, *model.lang_thresholds}}

    def _per_topic(self, values: np.ndarray, missing: float) -> np.ndarray:
        return np.array([values[c] if c >= 0 else missing for c in self._columns])

    def predict(self, records: Sequence[tuple[str, str, str | None]]) -> list[Prediction]:
        out: list[Prediction] = []
        for start in range(0, len(records), BATCH):
            out.extend(self._predict_chunk(records[start:start + BATCH]))
        return out

    def _predict_chunk(self, chunk: Sequence[tuple]) -> list[Prediction]:
        marked, joined = chunk_text([f or "" for r in chunk for f in (r[0], r[1])])
        probs = self.scorer.probabilities_from_decision(
            self.scorer.decision_from_text(marked, 2 * len(chunk)))
        probs = self._per_topic(probs.T, 0.0).T if len(chunk) else np.zeros((0, len(self.topics)))
        cut = np.array([self._thresholds.get(r[2], self._thresholds[None]) for r in chunk])
        assigned = (probs >= cut).tolist() if len(chunk) else []
        rounded = np.round(probs, 4).tolist()
        topics = self.topics
        to_check = self.taxonomy.items_to_check(joined)
        out = []
        for i, (flags, row) in enumerate(zip(assigned, rounded)):
            scores = dict(zip(topics, row))
            if i not in to_check:
                kept = [t for t, f in zip(topics, flags) if f]
                out.append(Prediction(kept, scores, dict.fromkeys(kept, "model")))
                continue
            chosen = {t for t, f in zip(topics, flags) if f}
            origins = dict.fromkeys(chosen, "model")
            text, present = to_check[i]
            changes = self.taxonomy.apply_rules_folded(text, chosen, present)
            for topic, change in changes.items():
                if change == "add":
                    origins[topic] = "rule"
                    scores[topic] = max(scores[topic], 0.99)
                else:
                    origins.pop(topic, None)
            kept = [t for t in topics if t in chosen]
            out.append(Prediction(topics=kept, scores=scores, origins={t: origins[t] for t in kept}))
        return out


def build_classifier(taxonomy_path: Path | str = TAXONOMY_FILE,
                     artefact: Path | str = ARTEFACT) -> Classifier:
    return Classifier(load_taxonomy(taxonomy_path), Scorer(load_model(Path(artefact))))


@lru_cache(maxsize=1)
def load_classifier() -> Classifier:
    """The shipped classifier, loaded once per process."""
    return build_classifier()


__all__ = ["Classifier", "ModelError", "Prediction", "TOPICS", "build_classifier",
           "load_classifier"]
