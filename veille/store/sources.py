"""The sources table: the watch plan synced from sources.yaml, and what was observed."""
from __future__ import annotations

import json

import sqlite_utils

from veille.sources import Source, WatchPlan
from veille.store import transaction
from veille.timeutil import now_iso

_PLAN_COLUMNS = ("name", "kind", "url", "category", "lang", "schedule_seconds", "topics",
                 "reliability", "selectors")


def _plan_values(src: Source) -> dict:
    return {
        "name": src.name,
        "kind": src.kind,
        "url": src.url,
        "category": src.category,
        "lang": src.language,
        "schedule_seconds": src.schedule_seconds,
        "topics": json.dumps(list(src.topics)),
        "reliability": src.reliability,
        "selectors": src.selectors.model_dump_json(exclude_none=True) if src.selectors else None,
    }


def sync_plan(db: sqlite_utils.Database, plan: WatchPlan) -> dict[str, int]:
    """Insert or update every source of the plan; disable (never delete) the ones removed.

    A source whose URL changed in the file gets its conditional-request state reset.
    """
    now = now_iso()
    counts = {"added": 0, "updated": 0, "unchanged": 0, "disabled": 0}
    with transaction(db):
        existing = {r["id"]: r for r in db.query("SELECT * FROM sources")}
        for src in plan.sources:
            values = _plan_values(src)
            row = existing.get(src.id)
            if row is None:
                db.execute(
                    "INSERT INTO sources (id, added_at, updated_at, enabled, "
                    + ", ".join(_PLAN_COLUMNS) + ") VALUES (?, ?, ?, 1, "
                    + ", ".join("?" for _ in _PLAN_COLUMNS) + ")",
                    [src.id, now, now, *values.values()],
                )
                counts["added"] += 1
                continue
            changed = any(row[k] != v for k, v in values.items()) or not row["enabled"]
            if not changed:
                counts["unchanged"] += 1
                continue
            assignments = ", ".join(f"{k} = ?" for k in values)
            params = [*values.values(), now]
            reset = ""
            if row["url"] != src.url:
                reset = ", etag = NULL, last_modified = NULL, moved_to = NULL, next_fetch_at = NULL"
            db.execute(f"UPDATE sources SET {assignments}, enabled = 1, updated_at = ?{reset} "
                       "WHERE id = ?", [*params, src.id])
            counts["updated"] += 1
        planned = {s.id for s in plan.sources}
        for sid, row in existing.items():
            if sid not in planned and row["enabled"]:
                db.execute("UPDATE sources SET enabled = 0, updated_at = ? WHERE id = ?", [now, sid])
                counts["disabled"] += 1
    return counts


def source_rows(db: sqlite_utils.Database, *, enabled_only: bool = False) -> list[dict]:
    """Every source with its observed state and item count."""
    where = "WHERE s.enabled = 1" if enabled_only else ""
    return list(db.query(
        "SELECT s.*, (SELECT count(*) FROM item_sources i WHERE i.source_id = s.id) AS items "
        f"FROM sources s {where} ORDER BY s.id"
    ))


def source_row(db: sqlite_utils.Database, source_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM sources WHERE id = ?", [source_id]))
    return rows[0] if rows else None
