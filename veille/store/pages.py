"""What the page crawlers need from the database: known item URLs (incremental crawl),
versions of monitored pages, and the pages a sitemap has already listed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import sqlite_utils


@dataclass(frozen=True)
class PageVersion:
    source_id: str
    version: int
    fetched_at: str
    url: str
    text_hash: str
    text: str


def known_urls(db: sqlite_utils.Database, source_id: str) -> set[str]:
    """Every item URL this source has already given (as seen and as stored)."""
    rows = db.execute(
        "SELECT url FROM item_sources WHERE source_id = ? AND url IS NOT NULL "
        "UNION SELECT url FROM items WHERE source_id = ? AND url IS NOT NULL",
        [source_id, source_id])
    return {r[0] for r in rows}


def latest_version(db: sqlite_utils.Database, source_id: str) -> PageVersion | None:
    row = db.execute(
        "SELECT source_id, version, fetched_at, url, text_hash, text FROM page_versions "
        "WHERE source_id = ? ORDER BY version DESC LIMIT 1", [source_id]).fetchone()
    return PageVersion(*row) if row else None


def add_version(db: sqlite_utils.Database, v: PageVersion) -> None:
    db.execute(
        "INSERT INTO page_versions (source_id, version, fetched_at, url, text_hash, text) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [v.source_id, v.version, v.fetched_at, v.url, v.text_hash, v.text])


def versions(db: sqlite_utils.Database, source_id: str) -> list[PageVersion]:
    rows = db.execute(
        "SELECT source_id, version, fetched_at, url, text_hash, text FROM page_versions "
        "WHERE source_id = ? ORDER BY version", [source_id])
    return [PageVersion(*r) for r in rows]


def sitemap_seen(db: sqlite_utils.Database, source_id: str) -> set[str]:
    rows = db.execute("SELECT url FROM sitemap_urls WHERE source_id = ?", [source_id])
    return {r[0] for r in rows}


def add_sitemap_urls(db: sqlite_utils.Database, source_id: str,
                     entries: Iterable[tuple[str, str | None]], seen_at: str) -> None:
    """Record (url, lastmod) pairs as listed; a URL already recorded keeps its first sighting."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO sitemap_urls (source_id, url, lastmod, first_seen_at) "
        "VALUES (?, ?, ?, ?)", [(source_id, u, m, seen_at) for u, m in entries])
