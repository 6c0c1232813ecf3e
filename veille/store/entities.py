"""References found in items (the entities table) and what the catalogue reads of them."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Iterable, Sequence

import sqlite_utils

from veille import store


def add_references(db: sqlite_utils.Database, found: Iterable[tuple[int, Sequence]]) -> int:
    """Store (item_id, [Reference...]) pairs; a reference already stored is kept as it was. A
    French text cited by its date alone is stored under its number's key when one is known
    (``settle``)."""
    found = settle(db, list(found))
    rows = [(item_id, r.kind, r.key, r.text) for item_id, refs in found for r in refs]
    store.insert_rows(db.conn, "entities", ("item_id", "kind", "key", "text"), rows,
                      verb="INSERT OR IGNORE")
    return len(rows)


def texts_in_order(db: sqlite_utils.Database, after_id: int, limit: int) -> list[tuple]:
    """A batch of items in id order, with what extraction reads: (id, title, summary,
    content, lang)."""
    return db.execute(
        "SELECT id, title, coalesce(summary, ''), coalesce(content, ''), lang FROM items "
        "WHERE id > ? ORDER BY id LIMIT ?", [after_id, limit]).fetchall()


def stored_references(db: sqlite_utils.Database, first_id: int, last_id: int) -> dict[int, set]:
    """{item_id: {(kind, key, text), ...}} for the items of an id range that have references."""
    found: dict[int, set] = {}
    for item_id, kind, key, text in db.execute(
            "SELECT item_id, kind, key, text FROM entities WHERE item_id BETWEEN ? AND ?",
            [first_id, last_id]):
        found.setdefault(item_id, set()).add((kind, key, text))
    return found


def replace_references(db: sqlite_utils.Database, found: Sequence[tuple[int, Sequence]]) -> None:
    """Each (item_id, [Reference...]) pair's references replace those stored for the item."""
    ids = [item_id for item_id, _ in found]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.conn.execute(f"DELETE FROM entities WHERE item_id IN ({', '.join('?' * len(chunk))})", chunk)
    add_references(db, found)


def items_for_reference(db: sqlite_utils.Database, kind: str, key: str, limit: int = 500) -> list[dict]:
    """Every item mentioning a reference, oldest first (a standard's or a law's history)."""
    cur = db.execute(
        "SELECT i.id, i.title, i.url, i.source_id, i.published_at, i.cluster_id, e.text "
        "FROM entities e JOIN items i ON i.id = e.item_id WHERE e.kind = ? AND e.key = ? "
        "ORDER BY i.published_at, i.id LIMIT ?", [kind, key, limit])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def upcoming_dates(db: sqlite_utils.Database, from_date: str, limit: int = 500) -> list[dict]:
    """Application dates and deadlines on or after ``from_date`` (YYYY-MM-DD), soonest first,
    with the item stating each one and the other references that item makes."""
    cur = db.execute(
        "SELECT e.key AS date, e.text, i.id AS item_id, i.title, i.url, i.published_at, "
        "(SELECT group_concat(o.kind || ':' || o.key, '|') FROM entities o "
        " WHERE o.item_id = i.id AND o.kind != 'date') AS refs "
        "FROM entities e JOIN items i ON i.id = e.item_id "
        "WHERE e.kind = 'date' AND e.key >= substr(?, 1, length(e.key)) "
        "ORDER BY e.key, i.published_at LIMIT ?", [from_date, limit])
    cols = [c[0] for c in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(cols, r))
        row["refs"] = row["refs"].split("|") if row["refs"] else []
        out.append(row)
    return out


# --- a French text cited by its number or by its date ------------------------------------------

_DATE_KEY = re.compile(r"\S+ \d{4}-\d\d-\d\d")     # "décret 2026-03-09": a text cited by its date


def settle(db: sqlite_utils.Database, found: list[tuple[int, Sequence]]) -> list[tuple[int, Sequence]]:
    """The (item_id, [Reference...]) pairs with each French text cited by its date alone keyed
    by its number, where the items read so far give one number for that type and date.

    First the aliases the references teach are learned ("décret n° 2026-187 du 9 mars 2026":
    ``décret 2026-03-09`` is ``décret 2026-187``), and the references stored under a date's key
    move to the number's key; a second number for the same date makes the date ambiguous,
    and the references that cited only the date move back to it (``reference_aliases``)."""
    taught = {(r.kind, r.dated, r.key) for _, refs in found for r in refs if r.dated}
    if taught:
        _learn(db.conn, taught)
    dated = {r.key for _, refs in found for r in refs if r.kind == "fr_text" and _DATE_KEY.fullmatch(r.key)}
    numbers = aliases(db, dated) if dated else {}
    if not numbers:
        return found
    return [(item_id, _once([replace(r, key=numbers[r.key]) if r.kind == "fr_text" and r.key in numbers else r
                             for r in refs])) for item_id, refs in found]


def _once(refs: list) -> list:
    """Each (kind, key) once, the first written: an item citing a text by its number and, apart,
    by its date holds one reference (its rows, and what a rebuild compares, stay the same)."""
    seen: set[tuple[str, str]] = set()
    return [r for r in refs if (r.kind, r.key) not in seen and not seen.add((r.kind, r.key))]


def aliases(db: sqlite_utils.Database, keys: Iterable[str]) -> dict[str, str]:
    """{date's key: number's key} for the French texts' date keys among ``keys`` that one
    number holds."""
    return dict(db.execute(
        "SELECT alias, min(key) FROM reference_aliases WHERE kind = 'fr_text' "
        "AND alias IN (SELECT value FROM json_each(?)) GROUP BY alias HAVING count(*) = 1",
        [json.dumps(sorted(keys))]).fetchall())


def aliases_of(db: sqlite_utils.Database, keys: Iterable[str]) -> dict[str, list[str]]:
    """{number's key: [date's key]} for the keys among ``keys`` that a date alias alone names
    (an alert rule written with a date key matches the items keyed by the number)."""
    out: dict[str, list[str]] = {}
    for key, alias in db.execute(
            "SELECT a.key, a.alias FROM reference_aliases a WHERE a.kind = 'fr_text' "
            "AND a.key IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM reference_aliases b "
            "WHERE b.kind = a.kind AND b.alias = a.alias AND b.key != a.key)", [json.dumps(sorted(keys))]):
        out.setdefault(key, []).append(alias)
    return out


def settled_key(db: sqlite_utils.Database, kind: str, key: str) -> str:
    """The key a reference is stored under: a French text's date key that one number holds
    gives that number's key; every other key is itself."""
    if kind != "fr_text" or not _DATE_KEY.fullmatch(key):
        return key
    return aliases(db, [key]).get(key, key)


def _learn(conn, taught: set[tuple[str, str, str]]) -> None:
    new = [t for t in sorted(taught) if conn.execute(
        "SELECT 1 FROM reference_aliases WHERE kind = ? AND alias = ? AND key = ?", t).fetchone() is None]
    if not new:
        return
    store.insert_rows(conn, "reference_aliases", ("kind", "alias", "key"), new, verb="INSERT OR IGNORE")
    for kind, alias in sorted({(k, a) for k, a, _ in new}):
        keys = [k for k, in conn.execute(
            "SELECT key FROM reference_aliases WHERE kind = ? AND alias = ? ORDER BY key", [kind, alias])]
        if len(keys) == 1:     # an item holding both keys keeps one row
            conn.execute("UPDATE OR IGNORE entities SET key = ? WHERE kind = ? AND key = ?", [keys[0], kind, alias])
            conn.execute("DELETE FROM entities WHERE kind = ? AND key = ?", [kind, alias])
        else:       # rows that cited the date alone (their text has no number) go back to it
            moved = [(item_id, key) for item_id, key, text in conn.execute(
                "SELECT item_id, key, text FROM entities WHERE kind = ? AND key IN (SELECT value FROM json_each(?))",
                [kind, json.dumps(keys)]) if key.split(" ", 1)[-1] not in text]
            for item_id, key in moved:
                conn.execute("UPDATE OR IGNORE entities SET key = ? WHERE item_id = ? AND kind = ? AND key = ?",
                             [alias, item_id, kind, key])
                conn.execute("DELETE FROM entities WHERE item_id = ? AND kind = ? AND key = ?", [item_id, kind, key])

