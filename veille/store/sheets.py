"""Watch sheets in SQLite: rows, full versions, cited items, full-text search.

Functions take a ``sqlite_utils.Database`` (the catalogue wraps Datasette's connection in
one). Writes are called by ``veille.capitalise.sheets`` inside one transaction that also
records the audit row.
"""
from __future__ import annotations

import json
import sqlite3

import sqlite_utils

FIELDS = ("title", "technique", "summary", "maturity", "vendor", "price_range", "available_since",
          "strengths", "weaknesses", "comparison", "comparison_text")
BM25_WEIGHTS = "10.0, 4.0, 2.0, 3.0, 1.0, 1.0, 1.0"  # title first, then technique and vendor


def _rows(cursor: sqlite3.Cursor) -> list[dict]:
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def slug_taken(db: sqlite_utils.Database, slug: str) -> bool:
    return db.execute("SELECT 1 FROM sheets WHERE slug = ?", [slug]).fetchone() is not None


def insert_sheet(db: sqlite_utils.Database, slug: str, values: dict, author: str, at: str) -> int:
    cols = ", ".join(FIELDS)
    marks = ", ".join(f":{f}" for f in FIELDS)
    cur = db.execute(
        f"INSERT INTO sheets (slug, {cols}, version, created_by, created_at, updated_by, updated_at)"
        f" VALUES (:slug, {marks}, 1, :author, :at, :author, :at)",
        {**{f: values[f] for f in FIELDS}, "slug": slug, "author": author, "at": at})
    return cur.lastrowid


def update_sheet(db: sqlite_utils.Database, sheet_id: int, base_version: int, values: dict,
                 author: str, at: str) -> bool:
    """Write the new values if the sheet is still at ``base_version``; False when someone
    saved in between (the caller refuses the edit instead of overwriting theirs)."""
    sets = ", ".join(f"{f} = :{f}" for f in FIELDS)
    cur = db.execute(
        f"UPDATE sheets SET {sets}, version = version + 1, updated_by = :author, updated_at = :at"
        " WHERE id = :id AND version = :base",
        {**{f: values[f] for f in FIELDS}, "author": author, "at": at, "id": sheet_id, "base": base_version})
    return cur.rowcount == 1


def insert_version(db: sqlite_utils.Database, sheet_id: int, version: int, content: dict,
                   author: str, at: str, note: str = "") -> None:
    db.execute("INSERT INTO sheet_versions (sheet_id, version, content, author, saved_at, note)"
               " VALUES (?, ?, ?, ?, ?, ?)",
               [sheet_id, version, json.dumps(content, ensure_ascii=False), author, at, note])


def set_items(db: sqlite_utils.Database, sheet_id: int, item_ids: list[int]) -> None:
    db.execute("DELETE FROM sheet_items WHERE sheet_id = ?", [sheet_id])
    db.execute("INSERT OR IGNORE INTO sheet_items (sheet_id, item_id)"
               " SELECT ?, id FROM items WHERE id IN (SELECT value FROM json_each(?))",
               [sheet_id, json.dumps(item_ids)])


def existing_items(db: sqlite_utils.Database, item_ids: list[int]) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT id FROM items WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", [json.dumps(item_ids)])]


def get_sheet(db: sqlite_utils.Database, sheet_id: int) -> dict | None:
    rows = _rows(db.execute("SELECT * FROM sheets WHERE id = ?", [sheet_id]))
    return rows[0] if rows else None


def sheet_item_ids(db: sqlite_utils.Database, sheet_id: int) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT item_id FROM sheet_items WHERE sheet_id = ? ORDER BY item_id", [sheet_id])]


def cited_items(db: sqlite_utils.Database, sheet_id: int) -> list[dict]:
    return _rows(db.execute(
        "SELECT i.id, i.title, i.url, i.published_at, s.name AS source_name FROM sheet_items x"
        " JOIN items i ON i.id = x.item_id JOIN sources s ON s.id = i.source_id"
        " WHERE x.sheet_id = ? ORDER BY i.published_at DESC", [sheet_id]))


def item_titles(db: sqlite_utils.Database, item_ids: list[int]) -> list[dict]:
    return _rows(db.execute(
        "SELECT i.id, i.title, i.summary, s.name AS source_name FROM items i JOIN sources s ON s.id = i.source_id"
        " WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY i.published_at DESC", [json.dumps(item_ids)]))


def versions(db: sqlite_utils.Database, sheet_id: int) -> list[dict]:
    return _rows(db.execute(
        "SELECT version, author, saved_at, note FROM sheet_versions WHERE sheet_id = ? ORDER BY version DESC",
        [sheet_id]))


def version(db: sqlite_utils.Database, sheet_id: int, number: int) -> dict | None:
    rows = _rows(db.execute(
        "SELECT version, content, author, saved_at, note FROM sheet_versions WHERE sheet_id = ? AND version = ?",
        [sheet_id, number]))
    if not rows:
        return None
    row = rows[0]
    row["content"] = json.loads(row["content"])
    return row


_LIST_COLUMNS = ("s.id, s.slug, s.title, s.technique, s.maturity, s.vendor, s.version, s.updated_by,"
                 " s.updated_at, substr(s.summary, 1, 300) AS summary,"
                 " (SELECT count(*) FROM sheet_items x WHERE x.sheet_id = s.id) AS items")


def list_sheets(db: sqlite_utils.Database, limit: int = 200) -> list[dict]:
    return _rows(db.execute(f"SELECT {_LIST_COLUMNS} FROM sheets s ORDER BY s.updated_at DESC, s.id DESC"
                            " LIMIT ?", [limit]))


def search_sheets(db: sqlite_utils.Database, fts: str, limit: int = 200) -> list[dict]:
    """Sheets matching an FTS5 query (from catalogue.query.to_fts), best first."""
    return _rows(db.execute(
        f"SELECT {_LIST_COLUMNS} FROM sheets_fts f JOIN sheets s ON s.id = f.rowid"
        f" WHERE sheets_fts MATCH ? ORDER BY bm25(sheets_fts, {BM25_WEIGHTS}), s.id DESC LIMIT ?",
        [fts, limit]))


def sheets_citing(db: sqlite_utils.Database, item_id: int) -> list[dict]:
    return _rows(db.execute(
        "SELECT s.id, s.title, s.maturity, s.updated_at FROM sheet_items x JOIN sheets s ON s.id = x.sheet_id"
        " WHERE x.item_id = ? ORDER BY s.updated_at DESC", [item_id]))



def items_matching(db: sqlite_utils.Database, fts: str, limit: int = 3) -> list[int]:
    """The newest items matching an FTS5 query (to pick the items a demo sheet cites)."""
    return [r[0] for r in db.execute(
        "SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid DESC LIMIT ?", [fts, limit])]


def sheet_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM sheets").fetchone()[0]
