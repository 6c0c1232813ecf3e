"""The only path into SQLite. Other modules call functions here with a ``Database``.

Every function takes a ``sqlite_utils.Database`` so that the catalogue can call the same
code inside Datasette's write thread (``Database(conn)`` around the connection it gives).
"""
from __future__ import annotations

import contextlib
import secrets
import sqlite3
import threading
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Iterator, Sequence

import sqlite_utils

from veille.timeutil import now_iso

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "db" / "migrations"
PAGE_SIZE = 16384


class StoreError(RuntimeError):
    """The database cannot be used as asked; the message says why."""


def connect(path: str | Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open the database in WAL mode (readers never block the single writer)."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    # Only a new, empty file takes a page size (later it is a no-op). An item row (about
    # 2 KB of text) left half of a 4 KB page empty, one row per page (10,000 feed items: 39 MB
    # of pages for 20 MB of rows); 16 KB pages hold seven, so commits write fewer pages to the
    # WAL (writer store CPU per item, 10,000 items in groups of 1,000: 68 -> 55 us).
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    # Ingest writes to several indexes at once (items, item_sources, signatures, FTS): a
    # 64 MB page cache keeps their hot pages in memory; temporary tables (story probes) stay
    # in memory too.
    conn.execute("PRAGMA cache_size=-65536")
    conn.execute("PRAGMA temp_store=MEMORY")
    db = sqlite_utils.Database(conn)
    if migrate:
        apply_migrations(db)
    return db


def memory() -> sqlite_utils.Database:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    apply_migrations(db)
    return db


def pending_migrations(db: sqlite_utils.Database) -> list[Path]:
    files = sorted(MIGRATIONS_DIR.glob("*.sql"))
    if not files:
        raise StoreError(f"no schema migrations found in {MIGRATIONS_DIR}")
    if "_migrations" not in db.table_names():
        return files
    done = {r[0] for r in db.execute("SELECT name FROM _migrations")}
    return [f for f in files if f.stem not in done]


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply the schema steps in db/migrations in name order, each in one transaction."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = []
    for path in pending_migrations(db):
        sql = path.read_text(encoding="utf-8")
        conn = db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            # executescript would commit first; run statement by statement inside BEGIN
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                         (path.stem, now_iso()))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"schema step {path.name} failed: {exc}") from exc
        applied.append(path.stem)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into complete statements (triggers contain semicolons)."""
    out, buf = [], []
    for line in sql.splitlines():
        if not buf and (not line.strip() or line.strip().startswith("--")):
            continue
        buf.append(line)
        candidate = "\n".join(buf)
        if sqlite3.complete_statement(candidate):
            out.append(candidate)
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf))
    return out


_rollbacks = 0


def rollbacks() -> int:
    """Transactions rolled back by this process so far: a cache of what was read inside one
    (the story band index) is dropped when this changes."""
    return _rollbacks


def _rolled_back() -> None:
    global _rollbacks
    _rollbacks += 1


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction. BEGIN IMMEDIATE takes the write lock up front, so a crawler,
    the classifier, the alert sender and the catalogue sharing the file wait for each other
    (busy_timeout) instead of failing on a lock upgrade. Nested calls use savepoints."""
    conn = db.conn
    if conn.in_transaction:
        name = f"veille_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
                _rolled_back()
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
            _rolled_back()
        raise
    conn.execute("COMMIT")


@contextlib.contextmanager
def background_checkpoints(db: sqlite_utils.Database, every: float = 0.25) -> Iterator[None]:
    """While a long write runs (a crawl pass), move WAL checkpoints off the writer: its
    commits no longer stop to copy pages into the database file and fsync it (measured:
    about 40% of a 10,000-item ingest's wall time on a loaded disk); a thread with its own
    connection checkpoints every ``every`` seconds, overlapping with the writer's work.
    PASSIVE checkpoints never block the writer or readers. The WAL is checkpointed once
    more at the end, and automatic checkpoints are back on."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    if not path:     # an in-memory database has no WAL
        yield
        return
    stop = threading.Event()
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)

    def run() -> None:
        while not stop.wait(every):
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    db.conn.execute("PRAGMA wal_autocheckpoint=0")
    thread = threading.Thread(target=run, name="veille-checkpoint", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        conn.close()
        db.conn.execute("PRAGMA wal_autocheckpoint=1000")


# Rows per INSERT statement of ``insert_rows``. Each execution of a statement has a fixed
# cost, and one that fires triggers (items carries the full-text trigger) opens a statement
# journal, costly inside ingest's savepoints: one multi-row statement instead of one
# execution per row (executemany) took the item insert of a crawl from 41 to 12 us per item.
# Chunks are powers of two up to this, so few distinct statements are ever prepared (the
# connection's statement cache keeps them).
ROWS_PER_INSERT = 128


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                rows: Sequence[tuple], *, verb: str = "INSERT", tail: str = "") -> None:
    """``verb INTO table (columns) VALUES (row), (row) ... tail`` over rows (``columns`` in
    order) in as few statements as possible; rows are written in order, as one execution per
    row would (``tail``: an ON CONFLICT clause)."""
    start = 0
    while start < len(rows):
        size = min(ROWS_PER_INSERT, 1 << (len(rows) - start).bit_length() - 1)
        conn.execute(_insert_sql(verb, table, tuple(columns), size, tail),
                     list(chain.from_iterable(rows[start:start + size])))
        start += size


@lru_cache(maxsize=None)
def _insert_sql(verb: str, table: str, columns: tuple[str, ...], rows: int, tail: str) -> str:
    one = "(" + ", ".join("?" * len(columns)) + ")"
    return (f"{verb} INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([one] * rows)
            + (" " + tail if tail else ""))


def get_setting(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def instance_secret(db: sqlite_utils.Database, configured: str | None = None) -> str:
    """The key that signs unsubscribe and review links: VEILLE_SECRET, else one generated
    once and kept in the database (so links stay valid across restarts)."""
    if configured:
        return configured
    secret = get_setting(db, "secret")
    if secret is None:
        secret = secrets.token_urlsafe(32)
        db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('secret', ?)", [secret])
        secret = get_setting(db, "secret")
    return secret
