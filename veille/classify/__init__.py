"""Topic classification: taxonomy, model artefact, tagging.

Interface used by ingest (to be replaced by the trained model):
``load_classifier().predict([(title, summary, lang), ...]) -> [Prediction]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

TOPICS = ["robotics", "additive_manufacturing", "iot", "regulation", "qse"]


@dataclass
class Prediction:
    topics: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


class Classifier:
    topics = TOPICS

    def predict(self, records: Sequence[tuple[str, str, str | None]]) -> list[Prediction]:
        return [Prediction() for _ in records]


@lru_cache(maxsize=1)
def load_classifier() -> Classifier:
    return Classifier()
