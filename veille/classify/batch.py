"""Tagging in bulk: JSONL files (offline, streamed in chunks) and untagged database items."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, TextIO

from veille.classify.dataset import LineError, parse_line

CHUNK = 2000
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode   # json.dumps with options builds one per call


@dataclass
class BatchResult:
    tagged: int = 0
    skipped: int = 0
    per_topic: dict[str, int] = field(default_factory=dict)

    def count(self, topics: list[str]) -> None:
        self.tagged += 1
        for t in topics:
            self.per_topic[t] = self.per_topic.get(t, 0) + 1

    def as_dict(self) -> dict:
        return {"tagged": self.tagged, "skipped": self.skipped, "topics": self.per_topic}


def _record(obj: dict, where: str) -> tuple | LineError:
    item_id = obj.get("id")
    if item_id is None or item_id == "":
        return LineError(where, "missing 'id'")
    title, summary = obj.get("title") or "", obj.get("summary") or ""
    if not isinstance(title, str) or not isinstance(summary, str):
        return LineError(where, "'title' and 'summary' must be text")
    return item_id, title, summary, obj.get("lang")


def _output_line(record: tuple, prediction) -> str:
    """The JSON line of one item; the same text json.dumps gives, built with less work."""
    topics = ", ".join(map(_ENCODE, prediction.topics))
    scores = ", ".join([f"{_ENCODE(t)}: {s!r}" for t, s in prediction.scores.items()])
    return f'{{"id": {_ENCODE(record[0])}, "topics": [{topics}], "scores": {{{scores}}}}}\n'


def classify_jsonl(classifier, source: BinaryIO, sink: TextIO,
                   report: Callable[[LineError], None], name: str = "input") -> BatchResult:
    """One output line per valid input line, in order; bad lines reported and skipped."""
    result = BatchResult()
    pending: list[tuple] = []

    def flush() -> None:
        preds = classifier.predict([(p[1], p[2], p[3]) for p in pending])
        sink.write("".join(map(_output_line, pending, preds)))
        for pr in preds:
            result.count(pr.topics)
        pending.clear()

    for number, raw in enumerate(source, 1):
        where = f"{name}: line {number}"
        obj = parse_line(raw, where)
        if obj is None:
            continue
        rec = obj if isinstance(obj, LineError) else _record(obj, where)
        if isinstance(rec, LineError):
            result.skipped += 1
            report(rec)
            continue
        pending.append(rec)
        if len(pending) >= CHUNK:
            flush()
    if pending:
        flush()
    return result


def classify_database(db, classifier, batch: int = 1000,
                      progress: Callable[[int], None] | None = None) -> BatchResult:
    """Tag every untagged item, recording score and origin; human corrections are kept.
    Alert rules are matched against the newly tagged items, as at ingest."""
    from veille.alerts.match import queue_deliveries
    from veille.store.topics import item_texts, set_model_topics, untagged_item_ids
    result = BatchResult()
    while True:
        ids = untagged_item_ids(db, batch)
        if not ids:
            return result
        rows = item_texts(db, ids)
        preds = classifier.predict([(r[1], r[2], r[3]) for r in rows])
        written = set_model_topics(db, {r[0]: p for r, p in zip(rows, preds)})
        if written:
            queue_deliveries(db, written)
        for p in preds:
            result.count(p.topics)
        if progress:
            progress(len(rows))
