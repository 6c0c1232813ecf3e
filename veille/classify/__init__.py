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

from veille.classify.features import FIELD_BREAK, FIELD_JOIN, chunk_text
from veille.classify.model import ARTEFACT, ModelError, load_model
from veille.classify.scorer import BREAK_PIECE, Scorer
from veille.classify.taxonomy import MEASURED_TOPICS, TAXONOMY_FILE, Taxonomy, load_taxonomy

TOPICS = list(MEASURED_TOPICS)
BATCH = 2000  # bounded memory whatever the number of records
PIECE_BITS_LIMIT = 100_000   # unmarked pieces kept with their needle bits


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
        self._piece_bits: dict[str, int] = {}     # unmarked piece -> its flags' bits
        if taxonomy.flags and scorer.piece_flags != taxonomy.flags.of_pieces:
            scorer.keep_piece_flags(taxonomy.flags.of_pieces)
        self._break_bits = taxonomy.flags.of_pieces([FIELD_BREAK])[0] if taxonomy.flags else 0
        self._thresholds = {lang: self._per_topic(model.thresholds_for(lang), 2.0)
                            for lang in {None, *model.lang_thresholds}}
        # per chunk: one row of cut-offs per item (row 0: a language without its own)
        langs = [None, *sorted(model.lang_thresholds)]
        self._cut_row = {lang: i for i, lang in enumerate(langs)}
        self._cuts = np.array([self._thresholds[lang] for lang in langs]).reshape(len(langs), len(self.topics))
        self._kept_of = _KeptTopics(self.topics)
        self._same_columns = self._columns == list(range(len(model.topics)))

    def _per_topic(self, values: np.ndarray, missing: float) -> np.ndarray:
        return np.array([values[c] if c >= 0 else missing for c in self._columns])

    def predict(self, records: Sequence[tuple[str, str, str | None]]) -> list[Prediction]:
        out: list[Prediction] = []
        for start in range(0, len(records), BATCH):
            out.extend(self._predict_chunk(records[start:start + BATCH]))
        return out

    def _predict_chunk(self, chunk: Sequence[tuple]) -> list[Prediction]:
        if not chunk:
            return []
        marked, joined = chunk_text([f or "" for r in chunk for f in (r[0], r[1])])
        ids = self.scorer.piece_ids(marked.split())
        probs = self.scorer.probabilities_from_decision(
            self.scorer.decision_from_pieces(ids, 2 * len(chunk)))
        if not self._same_columns:
            probs = self._per_topic(probs.T, 0.0).T
        cut = self._cuts[[self._cut_row.get(r[2], 0) for r in chunk]]
        assigned = map(tuple, (probs >= cut).tolist())
        rounded = np.round(probs, 4).tolist()
        topics, kept_of = self.topics, self._kept_of
        to_check = self._items_to_check(joined, marked, ids, len(chunk))
        out = []
        for i, (flags, row) in enumerate(zip(assigned, rounded)):
            scores = dict(zip(topics, row))
            if i not in to_check:
                kept = list(kept_of[flags])
                out.append(Prediction(kept, scores, dict.fromkeys(kept, "model")))
                continue
            chosen = set(kept_of[flags])
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

    def _items_to_check(self, joined: str, marked: str, ids: np.ndarray, items: int) -> dict:
        """``taxonomy.items_to_check(joined)``, read from the pieces' bits the scorer keeps
        (``PieceFlags``): an OR per field, then per item. A field the reference marking
        changed is read from its own unmarked pieces; text holding the break word itself
        takes the slower way."""
        flags = self.taxonomy.flags
        breaks = np.flatnonzero(ids == BREAK_PIECE)
        if flags is None or len(breaks) != 2 * items - 1 or self.scorer.piece_flags != flags.of_pieces:
            return self.taxonomy.items_to_check(joined)
        bits = np.append(self.scorer.flags_of(ids), np.uint64(0))
        bits[breaks] = 0
        per_field = np.bitwise_or.reduceat(bits, np.append(0, breaks + 1)).tolist()
        if marked is not joined:
            unmarked = joined.split(FIELD_JOIN)
            for f, text in enumerate(marked.split(FIELD_JOIN)):
                if text != unmarked[f]:
                    per_field[f] = self._unmarked_bits(unmarked[f])
        return self.taxonomy.items_with_bits(
            joined, [a | b | self._break_bits for a, b in zip(per_field[0::2], per_field[1::2])])

    def _unmarked_bits(self, text: str) -> int:
        bits, known = 0, self._piece_bits
        for piece in text.split():
            if piece not in known:
                if len(known) > PIECE_BITS_LIMIT:
                    known.clear()
                known[piece] = self.taxonomy.flags.of_pieces([piece])[0]
            bits |= known[piece]
        return bits


class _KeptTopics(dict):
    """Which topics are assigned (a tuple of one flag per topic) -> those topics in order."""

    def __init__(self, topics: list[str]):
        super().__init__()
        self._topics = topics

    def __missing__(self, flags: tuple[bool, ...]) -> tuple[str, ...]:
        kept = self[flags] = tuple(t for t, f in zip(self._topics, flags) if f)
        return kept


def build_classifier(taxonomy_path: Path | str = TAXONOMY_FILE,
                     artefact: Path | str = ARTEFACT) -> Classifier:
    return Classifier(load_taxonomy(taxonomy_path), Scorer(load_model(Path(artefact))))


@lru_cache(maxsize=1)
def load_classifier() -> Classifier:
    """The shipped classifier, loaded once per process."""
    return build_classifier()


__all__ = ["Classifier", "ModelError", "Prediction", "TOPICS", "build_classifier",
           "load_classifier"]
