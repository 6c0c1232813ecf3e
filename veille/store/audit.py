"""The audit trail: every capitalisation write records who, when, what, before and after.

Callers run ``record`` inside the transaction of the write it describes, so a change and its
trace are committed together or not at all.
"""
from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from veille.timeutil import now_iso


def _dump(value: dict | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(db: sqlite_utils.Database, actor: str, action: str, entity: str, entity_id: Any,
           before: dict | None, after: dict | None, at: str | None = None) -> int:
    """Add one audit row; returns its id."""
    cur = db.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [at or now_iso(), actor, action, entity, str(entity_id), _dump(before), _dump(after)])
    return cur.lastrowid


def history(db: sqlite_utils.Database, entity: str, entity_id: Any) -> list[dict]:
    """The changes of one entity, oldest first, with before/after decoded and the list of
    fields that changed (``changed``) for display."""
    cur = db.execute(
        "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log "
        "WHERE entity = ? AND entity_id = ? ORDER BY id", [entity, str(entity_id)])
    cols = [c[0] for c in cur.description]
    out = []
    for row in cur.fetchall():
        rec = dict(zip(cols, row))
        rec["before"] = json.loads(rec["before"]) if rec["before"] else None
        rec["after"] = json.loads(rec["after"]) if rec["after"] else None
        rec["changed"] = changed_fields(rec["before"], rec["after"])
        out.append(rec)
    return out


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    """Field names whose value differs between two snapshots (all fields of a create)."""
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return [k for k in keys if before.get(k) != after.get(k)]
