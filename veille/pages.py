"""Sources without feeds (kinds html, page, sitemap), crawled by the Scrapy project in
``crawlers/``. Scrapy runs in a subprocess (``python -m crawlers.run``): Twisted's reactor
cannot be restarted within one process, and the scheduler runs crawls again and again.

The subprocess records one fetches row per source itself; this side parses its JSON
summary line, and when the subprocess dies or overruns its time, records the failure of
every source it left without a row, so that no attempt goes unrecorded.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from veille import store
from veille.store.fetches import FetchOutcome, record_fetch
from veille.timeutil import now_iso

PAGE_KINDS = ("html", "page", "sitemap")
DEFAULT_TIMEOUT = 900  # seconds for one pass; each source is also capped in crawlers/settings.py


@dataclass
class PageOutcome:
    source_id: str
    status: str                 # ok | flagged | failed
    items_found: int = 0
    items_new: int = 0
    error: str | None = None
    http_status: int | None = None
    duration_ms: int = 0


def runner_command(db_path: str | Path, sources_path: str | Path, source_ids: list[str],
                   settings: Mapping[str, object] | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "crawlers.run", "--db", str(Path(db_path).resolve()),
           "--sources", str(Path(sources_path).resolve())]
    for sid in source_ids:
        cmd += ["--source", sid]
    for key, value in (settings or {}).items():
        cmd += ["--set", f"{key}={value}"]
    return cmd


def crawl_sources(db_path: str | Path, sources_path: str | Path, source_ids: list[str], *,
                  settings: Mapping[str, object] | None = None,
                  timeout: float = DEFAULT_TIMEOUT) -> list[PageOutcome]:
    """Crawl the named html/page/sitemap sources in one Scrapy subprocess; one outcome per
    source, in the order given. ``settings`` overrides Scrapy settings (tests set
    DOWNLOAD_DELAY=0)."""
    if not source_ids:
        return []
    started = now_iso()
    cmd = runner_command(db_path, sources_path, source_ids, settings)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=Path(__file__).resolve().parent.parent)
    except subprocess.TimeoutExpired:
        return _record_missing(db_path, source_ids, started,
                               f"the page crawl did not finish within {timeout:g} s")
    outcomes = _parse_summary(proc.stdout)
    if outcomes is None:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return _record_missing(db_path, source_ids, started,
                               f"the page crawler stopped (exit {proc.returncode}): {last}")
    by_id = {o.source_id: o for o in outcomes}
    return [by_id.get(sid) or PageOutcome(sid, "failed", error="not crawled") for sid in source_ids]


def _parse_summary(stdout: str) -> list[PageOutcome] | None:
    for line in reversed(stdout.strip().splitlines()):
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict) and isinstance(doc.get("outcomes"), list):
            fields = PageOutcome.__dataclass_fields__
            return [PageOutcome(**{k: v for k, v in o.items() if k in fields})
                    for o in doc["outcomes"]]
    return None


def _record_missing(db_path, source_ids: list[str], started: str, error: str) -> list[PageOutcome]:
    """Record a failed attempt for every source the subprocess left without a row."""
    db = store.connect(db_path)
    outcomes = []
    for sid in source_ids:
        row = db.execute("SELECT status, items_found, items_new, error, http_status, duration_ms "
                         "FROM fetches WHERE source_id = ? AND started_at >= ? "
                         "ORDER BY id DESC LIMIT 1", [sid, started]).fetchone()
        if row is not None:
            outcomes.append(PageOutcome(sid, *row))
            continue
        if db.execute("SELECT 1 FROM sources WHERE id = ?", [sid]).fetchone():
            record_fetch(db, sid, FetchOutcome(status="failed", started_at=started, error=error))
        outcomes.append(PageOutcome(sid, "failed", error=error))
    return outcomes
