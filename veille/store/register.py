"""SQL for the regulatory register and its reminders. The rules (validation, locking
messages, what is due) live in veille.capitalise.register; this module only reads and writes."""
from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from veille.store import entities

FIELDS = ("reference", "title", "issuer", "published_on", "application_dates", "applicability",
          "applicability_reason", "owner", "actions", "status", "evidence_url", "next_review")
COLUMNS = ("id", "item_id", "ref_kind", "ref_key") + FIELDS + (
    "version", "created_at", "created_by", "updated_at", "updated_by")


def _rows(cursor: sqlite3.Cursor) -> list[dict]:
    cols = [c[0] for c in cursor.description]
    out = []
    for r in cursor.fetchall():
        row = dict(zip(cols, r))
        if "application_dates" in row:
            row["application_dates"] = json.loads(row["application_dates"] or "[]")
        out.append(row)
    return out


def _encode(values: dict) -> dict:
    out = dict(values)
    if "application_dates" in out:
        out["application_dates"] = json.dumps(list(out["application_dates"] or []))
    return out


def get_entry(db: sqlite_utils.Database, entry_id: int) -> dict | None:
    rows = _rows(db.execute(f"SELECT {', '.join(COLUMNS)} FROM register_entries WHERE id = ?", [entry_id]))
    return rows[0] if rows else None


def entry_by_ref(db: sqlite_utils.Database, ref_kind: str, ref_key: str) -> dict | None:
    """The entry of a text, by its reference key; a French text entered under its date's key
    and then cited by its number (or the other way round) is the same entry."""
    keys = {ref_key}
    if ref_kind == "fr_text":
        keys |= {entities.settled_key(db, ref_kind, ref_key), *entities.aliases_of(db, [ref_key]).get(ref_key, [])}
    rows = _rows(db.execute(f"SELECT {', '.join(COLUMNS)} FROM register_entries "
                            "WHERE ref_kind = ? AND ref_key IN (SELECT value FROM json_each(?)) ORDER BY id",
                            [ref_kind, json.dumps(sorted(keys))]))
    return rows[0] if rows else None


def entries_by_references(db: sqlite_utils.Database, references: list[str]) -> dict[str, int]:
    """Entry ids by reference as written (case folded), to refuse an import duplicate."""
    if not references:
        return {}
    marks = ", ".join("?" for _ in references)
    cur = db.execute(f"SELECT lower(reference), id FROM register_entries WHERE lower(reference) IN ({marks})",
                     [r.lower() for r in references])
    return dict(cur.fetchall())


def insert_entry(db: sqlite_utils.Database, values: dict, actor: str, now: str) -> int:
    row = {**_encode(values), "version": 1, "created_at": now, "created_by": actor,
           "updated_at": now, "updated_by": actor}
    cols = list(row)
    cur = db.execute(f"INSERT INTO register_entries ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                     [row[c] for c in cols])
    return cur.lastrowid


def update_entry(db: sqlite_utils.Database, entry_id: int, version: int, values: dict, actor: str,
                 now: str) -> bool:
    """Write ``values`` if the entry is still at ``version``; False when it has moved on."""
    data = _encode(values)
    sets = ", ".join(f"{c} = ?" for c in data)
    cur = db.execute(f"UPDATE register_entries SET {sets}, version = version + 1, updated_at = ?, "
                     "updated_by = ? WHERE id = ? AND version = ?",
                     [*data.values(), now, actor, entry_id, version])
    return cur.rowcount == 1


def list_entries(db: sqlite_utils.Database, status: str | None = None, applicability: str | None = None,
                 owner: str | None = None) -> list[dict]:
    where, args = [], []
    for col, value in (("status", status), ("applicability", applicability), ("owner", owner)):
        if value:
            where.append(f"{col} = ?")
            args.append(value)
    sql = f"SELECT {', '.join(COLUMNS)} FROM register_entries"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return _rows(db.execute(sql + " ORDER BY reference COLLATE NOCASE, id", args))


def owners(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT owner FROM register_entries WHERE owner != '' ORDER BY owner")]


def entries_for_item(db: sqlite_utils.Database, item_id: int) -> list[dict]:
    return _rows(db.execute(f"SELECT {', '.join(COLUMNS)} FROM register_entries WHERE item_id = ? "
                            "ORDER BY id", [item_id]))


def item_for_register(db: sqlite_utils.Database, item_id: int) -> dict | None:
    """What an entry is prefilled from: the item, its source and its references."""
    cur = db.execute("SELECT i.id, i.title, i.url, i.published_at, i.source_id, s.name AS source_name "
                     "FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = ?", [item_id])
    row = cur.fetchone()
    if row is None:
        return None
    item = dict(zip([c[0] for c in cur.description], row))
    refs = db.execute("SELECT kind, key, text FROM entities WHERE item_id = ? ORDER BY kind, key", [item_id])
    item["references"] = [dict(zip(("kind", "key", "text"), r)) for r in refs.fetchall()]
    return item


# --- reminders -----------------------------------------------------------------------------

def claim_reminder(db: sqlite_utils.Database, entry_id: int, deadline: str, kind: str, lead_days: int,
                   recipient: str, status: str, message_id: str | None, now: str) -> bool:
    """Take the reminder (entry, deadline, kind, lead); False when it was taken before."""
    cur = db.execute(
        "INSERT OR IGNORE INTO register_reminders (entry_id, deadline, kind, lead_days, recipient, status, "
        "message_id, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [entry_id, deadline, kind, lead_days, recipient, status, message_id, now])
    return cur.rowcount == 1


def finish_reminder(db: sqlite_utils.Database, message_id: str, status: str, now: str,
                    error: str | None = None) -> None:
    db.execute("UPDATE register_reminders SET status = ?, sent_at = ?, error = ? WHERE message_id = ?",
               [status, now if status == "sent" else None, error, message_id])


def release_reminder(db: sqlite_utils.Database, message_id: str) -> None:
    """Give a claimed reminder back (the server was unreachable): the next run retries it."""
    db.execute("DELETE FROM register_reminders WHERE message_id = ? AND status = 'sending'", [message_id])


def stale_reminders(db: sqlite_utils.Database, claimed_before: str) -> list[dict]:
    """Reminders claimed but never recorded as sent (the process stopped in between)."""
    cur = db.execute("SELECT * FROM register_reminders WHERE status = 'sending' AND claimed_at < ?",
                     [claimed_before])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def reminders_for(db: sqlite_utils.Database, entry_id: int) -> list[dict]:
    cur = db.execute("SELECT * FROM register_reminders WHERE entry_id = ? ORDER BY id", [entry_id])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def subscriber_lang(db: sqlite_utils.Database, email: str) -> str:
    row = db.execute("SELECT lang FROM subscribers WHERE email = ?", [email]).fetchone()
    return row[0] if row and row[0] in ("fr", "en") else "fr"


def regulation_items(db: sqlite_utils.Database, limit: int = 20) -> list[int]:
    """Items citing an act, a French text or a standard, regulatory sources first, newest
    first: the candidates a demo register is made from."""
    return [r[0] for r in db.execute(
        "SELECT i.id FROM items i JOIN sources s ON s.id = i.source_id "
        "WHERE EXISTS (SELECT 1 FROM entities e WHERE e.item_id = i.id AND e.kind IN ('eu_act', 'fr_text', 'standard')) "
        "ORDER BY s.category = 'regulatory' DESC, i.published_at DESC LIMIT ?", [limit])]


def count_entries(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM register_entries").fetchone()[0]
