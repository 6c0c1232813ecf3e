"""Stored items' references read again with the current extraction (``veille references
rebuild``).

Ingest extracts an item's references once, when the item is stored. When extraction improves
(a new pattern, a better name list, a date wording understood), the items already in the
database keep what the earlier version found: their reference pages, the calendar and the
alert rules naming a reference would show the old reading. Rebuilding extracts every item
again from its stored title, summary and content, exactly as ingest does
(``references.item_references``), and replaces the references of the items whose reading
changed, one transaction per batch: a rebuild stopped half-way leaves every item with either
its old or its new references, and running it again finishes the work.

Nothing is sent: alert rules match new items at ingest, and an item does not become new
because a reference was found in it again. Stories keep their clusters; ``veille stories
rebuild`` reads the new organisation keys if stories should use them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import sqlite_utils

from veille import store
from veille.references import item_references
from veille.store import entities as entity_store


@dataclass
class Rebuilt:
    items: int = 0                  # items read
    changed: int = 0                # items whose references changed
    added: Counter = field(default_factory=Counter)     # references per kind found now only
    removed: Counter = field(default_factory=Counter)   # references per kind found before only

    def as_dict(self) -> dict:
        kinds = sorted(set(self.added) | set(self.removed))
        return {"items": self.items, "changed": self.changed,
                "kinds": {k: {"added": self.added[k], "removed": self.removed[k]} for k in kinds}}


def rebuild(db: sqlite_utils.Database, batch: int = 1000,
            progress: Callable[[int], None] | None = None) -> Rebuilt:
    """Extract every stored item's references again and store the ones that changed; returns
    what changed. ``progress`` is told the number of items read after each batch."""
    done, last = Rebuilt(), 0
    while True:
        rows = entity_store.texts_in_order(db, last, batch)
        if not rows:
            return done
        # extracted before the transaction: the write lock is held only for the writing
        found = {item_id: item_references(title, summary, content, lang)
                 for item_id, title, summary, content, lang in rows}
        last = rows[-1][0]
        with store.transaction(db):
            # a French text cited by its date alone, keyed as stored: by its number when known
            found = dict(entity_store.settle(db, list(found.items())))
            stored = entity_store.stored_references(db, rows[0][0], last)
            changed = []
            for item_id, refs in found.items():
                now = {(r.kind, r.key, r.text) for r in refs}
                before = stored.get(item_id, set())
                if now != before:
                    changed.append((item_id, refs))
                    keys_now, keys_before = {r[:2] for r in now}, {r[:2] for r in before}
                    done.added.update(kind for kind, _ in keys_now - keys_before)
                    done.removed.update(kind for kind, _ in keys_before - keys_now)
            entity_store.replace_references(db, changed)
        done.items += len(rows)
        done.changed += len(changed)
        if progress:
            progress(len(rows))
