"""SQL for reviewer groups, review requests, the mail sent to each reviewer and the answers."""
from __future__ import annotations

import json
import sqlite3

import sqlite_utils


def _rows(cursor: sqlite3.Cursor) -> list[dict]:
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def get_group(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = _rows(db.execute("SELECT * FROM review_groups WHERE name = ?", [name]))
    if not rows:
        return None
    rows[0]["emails"] = json.loads(rows[0]["emails"])
    return rows[0]


def list_groups(db: sqlite_utils.Database) -> list[dict]:
    rows = _rows(db.execute("SELECT * FROM review_groups ORDER BY name"))
    for r in rows:
        r["emails"] = json.loads(r["emails"])
    return rows


def put_group(db: sqlite_utils.Database, name: str, emails: list[str], actor: str, now: str) -> None:
    db.execute("INSERT INTO review_groups (name, emails, updated_at, updated_by) VALUES (?, ?, ?, ?) "
               "ON CONFLICT(name) DO UPDATE SET emails = excluded.emails, updated_at = excluded.updated_at, "
               "updated_by = excluded.updated_by", [name, json.dumps(emails), now, actor])


def insert_request(db: sqlite_utils.Database, values: dict, emails: list[str]) -> int:
    cols = list(values)
    cur = db.execute(f"INSERT INTO review_requests ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                     [values[c] for c in cols])
    request_id = cur.lastrowid
    db.conn.executemany("INSERT INTO review_recipients (request_id, email) VALUES (?, ?)",
                        [(request_id, e) for e in emails])
    return request_id


def get_request(db: sqlite_utils.Database, request_id: int) -> dict | None:
    rows = _rows(db.execute(
        "SELECT r.*, coalesce(i.title, e.reference || ' — ' || e.title) AS subject_title "
        "FROM review_requests r LEFT JOIN items i ON i.id = r.item_id "
        "LEFT JOIN register_entries e ON e.id = r.entry_id WHERE r.id = ?", [request_id]))
    return rows[0] if rows else None


def requests_for(db: sqlite_utils.Database, item_id: int | None = None, entry_id: int | None = None) -> list[dict]:
    col, value = ("item_id", item_id) if item_id is not None else ("entry_id", entry_id)
    return _rows(db.execute(f"SELECT * FROM review_requests WHERE {col} = ? ORDER BY id", [value]))


def recipients(db: sqlite_utils.Database, request_id: int) -> list[dict]:
    return _rows(db.execute("SELECT * FROM review_recipients WHERE request_id = ? ORDER BY email", [request_id]))


def answers(db: sqlite_utils.Database, request_id: int) -> list[dict]:
    return _rows(db.execute("SELECT * FROM review_answers WHERE request_id = ? ORDER BY id", [request_id]))


def answer_of(db: sqlite_utils.Database, request_id: int, email: str) -> dict | None:
    rows = _rows(db.execute("SELECT * FROM review_answers WHERE request_id = ? AND email = ?", [request_id, email]))
    return rows[0] if rows else None


def insert_answer(db: sqlite_utils.Database, request_id: int, email: str, verdict: str, comment: str,
                  via: str, now: str) -> int | None:
    """The answer's id, or None when this reviewer has answered already."""
    cur = db.execute("INSERT OR IGNORE INTO review_answers (request_id, email, verdict, comment, via, at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", [request_id, email, verdict, comment, via, now])
    return cur.lastrowid if cur.rowcount == 1 else None


def pending_recipients(db: sqlite_utils.Database) -> list[dict]:
    return _rows(db.execute("SELECT * FROM review_recipients WHERE status = 'pending' ORDER BY request_id, email"))


def stale_recipients(db: sqlite_utils.Database, claimed_before: str) -> list[dict]:
    return _rows(db.execute("SELECT * FROM review_recipients WHERE status = 'sending' AND claimed_at < ?",
                            [claimed_before]))


def claim_recipient(db: sqlite_utils.Database, request_id: int, email: str, message_id: str, now: str) -> bool:
    cur = db.execute("UPDATE review_recipients SET status = 'sending', message_id = ?, claimed_at = ? "
                     "WHERE request_id = ? AND email = ? AND status = 'pending'",
                     [message_id, now, request_id, email])
    return cur.rowcount == 1


def finish_recipient(db: sqlite_utils.Database, request_id: int, email: str, status: str, now: str,
                     error: str | None = None) -> None:
    db.execute("UPDATE review_recipients SET status = ?, sent_at = ?, error = ? WHERE request_id = ? AND email = ?",
               [status, now if status == "sent" else None, error, request_id, email])


def is_member(db: sqlite_utils.Database, request_id: int, email: str) -> bool:
    return db.execute("SELECT 1 FROM review_recipients WHERE request_id = ? AND email = ?",
                      [request_id, email]).fetchone() is not None


def open_requests_for(db: sqlite_utils.Database, email: str) -> list[dict]:
    """Requests this person was asked and has not answered yet."""
    return _rows(db.execute(
        "SELECT r.* FROM review_requests r JOIN review_recipients p ON p.request_id = r.id "
        "WHERE p.email = ? AND NOT EXISTS (SELECT 1 FROM review_answers a WHERE a.request_id = r.id "
        "AND a.email = p.email) ORDER BY r.id DESC", [email]))
