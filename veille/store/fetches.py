"""Fetch history and the observed state of a source (validators, moves, errors, backoff).

Every attempt of every collector is one ``fetches`` row; the ``sources`` row carries what
the next attempt needs and what a person must be told.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from veille.http_policy import DEFAULT_POLICY, HttpPolicy
from veille.store import transaction
from veille.timeutil import now_iso, parse_iso

STATUSES = ("ok", "not_modified", "flagged", "failed")
ALERT_AFTER_ERRORS = 3   # from then on, last_error says how long the source has been failing


@dataclass
class FetchOutcome:
    """The result of one attempt, as collectors report it."""

    status: str                          # ok | not_modified | flagged | failed
    started_at: str
    url: str | None = None               # the URL actually requested
    http_status: int | None = None
    duration_ms: int = 0
    items_found: int = 0
    items_new: int = 0
    error: str | None = None             # failed: why; flagged: the warning
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None
    retry_after: int | None = None       # seconds the server asked us to wait
    cache_max_age: int | None = None     # seconds the server says the answer stays fresh


@dataclass
class SourceState:
    """What the next attempt of a source needs."""

    id: str
    url: str
    moved_to: str | None
    etag: str | None
    last_modified: str | None
    error_count: int
    next_fetch_at: str | None
    schedule_seconds: int

    @property
    def fetch_url(self) -> str:
        """A permanent move is followed from then on (the file keeps the old URL)."""
        return self.moved_to or self.url


def source_states(db: sqlite_utils.Database, ids: list[str] | None = None) -> dict[str, SourceState]:
    rows = db.query("SELECT id, url, moved_to, etag, last_modified, error_count, next_fetch_at, "
                    "schedule_seconds FROM sources")
    wanted = set(ids) if ids is not None else None
    return {r["id"]: SourceState(**r) for r in rows if wanted is None or r["id"] in wanted}


def record_fetch(db: sqlite_utils.Database, source_id: str, outcome: FetchOutcome, *,
                 policy: HttpPolicy = DEFAULT_POLICY) -> dict:
    """Insert the fetches row and update the source's state; returns the new error_count and
    next_fetch_at. Runs inside the caller's transaction when there is one."""
    if outcome.status not in STATUSES:
        raise ValueError(f"unknown fetch status {outcome.status!r}")
    with transaction(db):
        row = db.execute("SELECT schedule_seconds, error_count, last_success_at FROM sources "
                         "WHERE id = ?", [source_id]).fetchone()
        if row is None:
            raise ValueError(f"unknown source {source_id!r}")
        schedule, errors, last_success = row
        failed = outcome.status == "failed"
        errors = errors + 1 if failed else 0
        now = parse_iso(outcome.started_at)
        next_at = policy.next_fetch_at(schedule, errors, now, retry_after=outcome.retry_after,
                                       cache_max_age=outcome.cache_max_age, jitter_key=source_id)
        db.execute(
            "INSERT INTO fetches (source_id, started_at, status, http_status, duration_ms, "
            "items_found, items_new, error, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [source_id, outcome.started_at, outcome.status, outcome.http_status,
             outcome.duration_ms, outcome.items_found, outcome.items_new, outcome.error,
             outcome.url])
        if failed:
            _record_failure(db, source_id, outcome, errors, next_at, last_success)
        else:
            _record_success(db, source_id, outcome, next_at)
    return {"error_count": errors, "next_fetch_at": next_at}


def _record_failure(db, source_id: str, outcome: FetchOutcome, errors: int, next_at: str,
                    last_success: str | None) -> None:
    message = outcome.error or "failed"
    if errors >= ALERT_AFTER_ERRORS:
        since = f"last success {last_success}" if last_success else "never fetched successfully"
        message = (f"{message} ({errors} failures in a row, {since}; "
                   f"polled less often, next try {next_at})")
    db.execute(
        "UPDATE sources SET last_fetch_at = ?, last_status = 'failed', last_error = ?, "
        "last_error_at = ?, error_count = ?, next_fetch_at = ?, "
        "moved_to = COALESCE(?, moved_to) WHERE id = ?",
        [outcome.started_at, message, outcome.started_at, errors, next_at, outcome.moved_to,
         source_id])


def _record_success(db, source_id: str, outcome: FetchOutcome, next_at: str) -> None:
    # validators are replaced only by a full answer; a 304 keeps the ones that earned it
    keep = outcome.status == "not_modified"
    db.execute(
        "UPDATE sources SET last_fetch_at = ?, last_success_at = ?, last_status = ?, "
        "error_count = 0, next_fetch_at = ?, "
        "etag = CASE WHEN ? THEN COALESCE(?, etag) ELSE ? END, "
        "last_modified = CASE WHEN ? THEN COALESCE(?, last_modified) ELSE ? END, "
        "moved_to = COALESCE(?, moved_to), "
        "flag = CASE WHEN ? = 'flagged' THEN ? WHEN ? = 'ok' THEN NULL ELSE flag END "
        "WHERE id = ?",
        [outcome.started_at, outcome.started_at, outcome.status, next_at,
         keep, outcome.etag, outcome.etag, keep, outcome.last_modified, outcome.last_modified,
         outcome.moved_to, outcome.status, outcome.error, outcome.status, source_id])


def due_source_ids(db: sqlite_utils.Database, now: str | None = None) -> list[str]:
    """Enabled sources never fetched or whose next_fetch_at has come."""
    now = now or now_iso()
    return [r[0] for r in db.execute(
        "SELECT id FROM sources WHERE enabled = 1 AND (next_fetch_at IS NULL OR next_fetch_at <= ?) "
        "ORDER BY id", [now])]


def recent_fetches(db: sqlite_utils.Database, source_id: str, limit: int = 10) -> list[dict]:
    return list(db.query("SELECT * FROM fetches WHERE source_id = ? ORDER BY id DESC LIMIT ?",
                         [source_id, limit]))
