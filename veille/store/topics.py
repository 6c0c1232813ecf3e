"""Item topics in the database: model tags, human corrections (which override the model
for their item), and the corrections as training data."""
from __future__ import annotations

import json
from typing import Iterable, Mapping

import sqlite_utils

from veille.store import transaction
from veille.timeutil import now_iso


def untagged_item_ids(db: sqlite_utils.Database, limit: int = 1000) -> list[int]:
    """Items not classified yet, oldest first."""
    rows = db.execute("SELECT id FROM items WHERE classified_at IS NULL ORDER BY id LIMIT ?",
                      [limit]).fetchall()
    return [r[0] for r in rows]


def item_texts(db: sqlite_utils.Database, ids: Iterable[int]) -> list[tuple[int, str, str, str | None]]:
    """(id, title, summary, lang) of the given items."""
    ids = list(ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [tuple(r) for r in db.execute(
        f"SELECT id, title, summary, lang FROM items WHERE id IN ({marks}) ORDER BY id", ids)]


def _human_items(db: sqlite_utils.Database, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    return {r[0] for r in db.execute(
        f"SELECT DISTINCT item_id FROM item_topics WHERE origin = 'human' AND item_id IN ({marks})"
        f" UNION SELECT DISTINCT item_id FROM topic_corrections WHERE item_id IN ({marks})",
        ids + ids)}


def set_model_topics(db: sqlite_utils.Database, item_id_to_prediction: Mapping[int, object]) -> list[int]:
    """Write the classifier's tags (origin model, or rule) and mark the items classified.

    An item a human corrected keeps its human topics. Returns the ids whose tags were written.
    """
    ids = list(item_id_to_prediction)
    human = _human_items(db, ids)
    written, now = [], now_iso()
    with transaction(db):
        for item_id in ids:
            if item_id not in human:
                pred = item_id_to_prediction[item_id]
                origins = getattr(pred, "origins", {}) or {}
                db.execute("DELETE FROM item_topics WHERE item_id = ? AND origin != 'human'", [item_id])
                db.conn.executemany(
                    "INSERT INTO item_topics (item_id, topic, score, origin) VALUES (?, ?, ?, ?)",
                    [(item_id, t, pred.scores.get(t, 0.0), origins.get(t, "model"))
                     for t in pred.topics])
                written.append(item_id)
            db.execute("UPDATE items SET classified_at = ? WHERE id = ?", [now, item_id])
    return written


def correct_topics(db: sqlite_utils.Database, item_id: int, topics: list[str],
                   by: str | None = None) -> list[int]:
    """A person sets an item's topics: they replace the item's tags (origin human) and are
    recorded for training. Returns [item_id] when the tags changed, else []."""
    topics = sorted(set(topics))
    if db.execute("SELECT 1 FROM items WHERE id = ?", [item_id]).fetchone() is None:
        raise KeyError(f"no item with id {item_id}")
    before = db.execute("SELECT topic, origin FROM item_topics WHERE item_id = ? ORDER BY topic",
                        [item_id]).fetchall()
    now = now_iso()
    with transaction(db):
        db.execute("DELETE FROM item_topics WHERE item_id = ?", [item_id])
        db.conn.executemany(
            "INSERT INTO item_topics (item_id, topic, score, origin) VALUES (?, ?, 1.0, 'human')",
            [(item_id, t) for t in topics])
        db.execute("INSERT INTO topic_corrections (item_id, topics, by, at) VALUES (?, ?, ?, ?)",
                   [item_id, json.dumps(topics), by, now])
        db.execute("UPDATE items SET classified_at = COALESCE(classified_at, ?) WHERE id = ?",
                   [now, item_id])
    changed = sorted(t for t, _ in before) != topics
    return [item_id] if changed else []


def corrections(db: sqlite_utils.Database) -> list[dict]:
    """The latest correction of each item with its text, for training."""
    if "topic_corrections" not in db.table_names():
        return []
    rows = db.execute(
        "SELECT c.item_id, c.topics, i.title, i.summary, i.lang, i.url FROM topic_corrections c"
        " JOIN items i ON i.id = c.item_id"
        " WHERE c.id = (SELECT MAX(id) FROM topic_corrections WHERE item_id = c.item_id)"
        " ORDER BY c.item_id").fetchall()
    return [{"id": f"item-{r[0]}", "topics": json.loads(r[1]), "title": r[2], "summary": r[3],
             "lang": r[4], "url": r[5]} for r in rows]
