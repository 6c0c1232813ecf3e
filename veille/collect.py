"""One collection pass: select sources, fetch feeds concurrently, parse, hand the entries to
``ingest``, record every attempt. Listing pages, watched pages and sitemaps go to the
Scrapy runner (``veille.pages``).

Feeds are fetched on an asyncio event loop while one writer thread parses and ingests what
has arrived, one transaction per group of fetched feeds holding their items and fetch rows
together: a killed pass leaves each source either fully recorded (items, validators) or
untouched, so the next pass neither loses nor repeats an entry. A large pass splits the
feeds among forked worker processes (``feed_workers``), each doing the same into the one
database file, their transactions taking the write lock in turn.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import threading
import time
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

import sqlite_utils

from veille import store
from veille.feed_workers import FeedWorkers
from veille.fetch import Fetcher, FetchResult
from veille.ingest import Batch, IngestResult, ingest_many, prepare_group
from veille.http_policy import DEFAULT_POLICY, HttpPolicy
from veille.parse import FeedError, parse_feed
from veille.sources import Source, WatchPlan
from veille.store import items as item_store
from veille.store.fetches import FetchOutcome, SourceState, due_source_ids, record_fetch, source_states
from veille.timeutil import now_iso

log = logging.getLogger(__name__)
PAGE_KINDS = ("html", "page", "sitemap")


class CrawlError(ValueError):
    """The pass cannot run as asked (unknown source id, plan not synced)."""


@dataclass
class SourceOutcome:
    source_id: str
    status: str
    http_status: int | None = None
    items_found: int = 0
    items_new: int = 0
    error: str | None = None
    duration_ms: int = 0
    url: str | None = None


@dataclass
class CrawlSummary:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    duration: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def items_new(self) -> int:
        return sum(o.items_new for o in self.outcomes)

    def totals(self) -> dict:
        return {"sources": len(self.outcomes), "ok": self.count("ok"),
                "not_modified": self.count("not_modified"), "flagged": self.count("flagged"),
                "failed": self.count("failed"), "items_new": self.items_new,
                "duration": round(self.duration, 3)}

    def to_dict(self) -> dict:
        return {**self.totals(), "outcomes": [asdict(o) for o in self.outcomes]}


Progress = Callable[[SourceOutcome], None]


def crawl(db: sqlite_utils.Database, plan: WatchPlan, *, source_ids: list[str] | None = None,
          due_only: bool = False, progress: Progress | None = None,
          policy: HttpPolicy = DEFAULT_POLICY,
          page_settings: dict[str, object] | None = None) -> CrawlSummary:
    """Collect the selected sources once. The plan must already be synced into the DB.

    ``page_settings`` overrides Scrapy settings for html/page/sitemap sources (the offline
    demo turns politeness delays off for its own loopback server)."""
    t0 = time.perf_counter()
    sources = select_sources(db, plan, source_ids=source_ids, due_only=due_only)
    feeds = [s for s in sources if s.kind == "feed"]
    pages = [s for s in sources if s.kind in PAGE_KINDS]
    summary = CrawlSummary()
    if feeds:
        states = source_states(db, [s.id for s in feeds])
        workers = _workers(db, len(feeds))
        if workers:
            summary.outcomes += _crawl_feeds_in_workers(db, feeds, states, policy, progress,
                                                        workers)
        else:
            with store.background_checkpoints(db):
                summary.outcomes += asyncio.run(_crawl_feeds(db, feeds, states, policy, progress))
    if pages:
        summary.outcomes += _crawl_pages(db, plan, pages, progress, page_settings)
    summary.duration = time.perf_counter() - t0
    return summary


def select_sources(db: sqlite_utils.Database, plan: WatchPlan, *,
                   source_ids: list[str] | None = None, due_only: bool = False) -> list[Source]:
    by_id = plan.by_id()
    enabled = {r[0] for r in db.execute("SELECT id FROM sources WHERE enabled = 1")}
    if source_ids:
        unknown = [i for i in source_ids if i not in by_id]
        if unknown:
            raise CrawlError(f"unknown source id {unknown[0]!r} (not in the watch plan)")
        chosen = [by_id[i] for i in dict.fromkeys(source_ids)]
    else:
        chosen = [s for s in plan.sources if s.id in enabled]
    missing = [s.id for s in chosen if s.id not in enabled]
    if missing:
        raise CrawlError(f"source {missing[0]!r} is not in the database: run 'veille init' first")
    if due_only:
        due = set(due_source_ids(db))
        chosen = [s for s in chosen if s.id in due]
    return chosen


# A pass over this many feeds or more runs in worker processes (``feed_workers``), each
# crawling a share into the database: forking one, with its shutdown, costs 6-14 ms
# (measured with the models loaded), a trade feed's work about 6 ms.
_POOL_FEEDS = 20
# One worker per core: a worker holds the write lock about a third of its time, and while
# it waits for the lock its event loop goes on fetching.
_MAX_WORKERS = 4


def _workers(db, feeds: int) -> int:
    """How many worker processes a pass over ``feeds`` feeds uses: none on one core, for a
    small pass, for a database in memory (workers open the file), or where processes cannot
    be forked."""
    cores = os.cpu_count() or 1
    if feeds < _POOL_FEEDS or cores < 2 or "fork" not in multiprocessing.get_all_start_methods() \
            or not _file_of(db):
        return 0
    return min(cores, _MAX_WORKERS)


def _crawl_feeds_in_workers(db, feeds: list[Source], states: dict[str, SourceState],
                            policy: HttpPolicy, progress: Progress | None,
                            workers: int) -> list[SourceOutcome]:
    """A large pass: worker processes crawl shares of the feeds into the database. A source
    whose outcome a dead worker did not report is read back from its fetch row when the
    worker recorded one, else crawled here."""
    from veille.classify import load_classifier
    from veille.parse import load_fast_parser
    from veille.references import load_tables
    for load in (load_tables, load_classifier, load_fast_parser):
        load()                   # once, shared by the forked workers
    last_fetch = db.execute("SELECT coalesce(max(id), 0) FROM fetches").fetchone()[0]
    outcomes: list[SourceOutcome] = []
    with FeedWorkers(feeds, states, policy, workers, partial(_crawl_share, _file_of(db))) \
            as pool, store.background_checkpoints(db):        # fork first, then start threads
        for outcome in pool.results():
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        lost = pool.unreported()
        if lost:
            recorded = _recorded_since(db, last_fetch, [s.id for s in lost])
            outcomes += recorded.values()
            lost = [s for s in lost if s.id not in recorded]
        if lost:
            outcomes += asyncio.run(_crawl_feeds(db, lost, states, policy, progress))
    order = {s.id: n for n, s in enumerate(feeds)}
    return sorted(outcomes, key=lambda o: order[o.source_id])


def _crawl_share(path: str, share: list[Source], states: dict[str, SourceState],
                 policy: HttpPolicy, report: Progress) -> None:
    """A worker's crawl of its share, on its own connection. The crawling process
    checkpoints the WAL for all of them."""
    db = store.connect(path, migrate=False)
    db.conn.execute("PRAGMA wal_autocheckpoint=0")
    asyncio.run(_crawl_feeds(db, share, states, policy, report, prepare=True))


def _recorded_since(db, last_fetch: int, source_ids: list[str]) -> dict[str, SourceOutcome]:
    """The outcomes recorded after fetch ``last_fetch`` of these sources, by source."""
    rows = db.execute(
        "SELECT source_id, status, http_status, items_found, items_new, error, duration_ms, url "
        f"FROM fetches WHERE id > ? AND source_id IN ({', '.join('?' * len(source_ids))}) "
        "ORDER BY id", [last_fetch, *source_ids]).fetchall()
    return {r[0]: SourceOutcome(*r) for r in rows}


async def _crawl_feeds(db, feeds: list[Source], states: dict[str, SourceState],
                       policy: HttpPolicy, progress: Progress | None,
                       prepare: bool = False) -> list[SourceOutcome]:
    """Fetch on the event loop while one writer thread ingests what has arrived.

    SQLite and lxml release the GIL, so writing overlaps fetching; the writer takes every
    fetched feed waiting for it as one group (one transaction, one commit), so the faster
    the fetching the larger the groups. At most ``_QUEUED`` fetched bodies wait (memory).
    With ``prepare`` (a worker process, sharing the file with the others), the writer
    prepares a group's entries before its transaction, which then holds the write lock for
    the writing only."""
    loop = asyncio.get_running_loop()
    room = asyncio.Semaphore(_QUEUED)
    writer = _Writer(db, progress, lambda: loop.call_soon_threadsafe(room.release), prepare)
    writer.start()
    try:
        async with Fetcher(policy) as fetcher:
            async def one(source: Source) -> None:
                await room.acquire()
                state = states[source.id]
                writer.put(source, await fetcher.fetch(state.fetch_url, state.etag,
                                                       state.last_modified))
            await asyncio.gather(*(one(s) for s in feeds))
    finally:
        outcomes = await asyncio.to_thread(writer.finish)
    order = {s.id: n for n, s in enumerate(feeds)}
    return sorted(outcomes, key=lambda o: order[o.source_id])


_QUEUED = 256          # fetched feeds waiting for the writer, at most
_GROUP_ITEMS = 1000    # entries ingested in one transaction, about (memory, latency)
# A transaction's commit (full-text segment flush, WAL pages) costs about 1.5 ms whatever
# its size, 80 us per item at one feed per group: a group with fewer than _GROUP_MIN
# entries (and fewer than _GROUP_MIN feeds: unchanged feeds bring none) waits up to
# _GROUP_WAIT seconds for more feeds. The pass's end (or a single source's crawl) ends the
# wait at once.
_GROUP_MIN = 200
_GROUP_WAIT = 0.03
_ENTRIES_PER_FEED = 20   # a fetched body's entries, about, before it is parsed


class _Writer(threading.Thread):
    """The one thread that writes during a pass: groups the fetched feeds waiting for it."""

    def __init__(self, db, progress: Progress | None, done_one: Callable[[], None],
                 prepare: bool = False):
        super().__init__(name="veille-writer", daemon=True)
        self.db, self.progress, self.done_one, self.prepare = db, progress, done_one, prepare
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.outcomes: list[SourceOutcome] = []
        self.error: BaseException | None = None

    def put(self, source: Source, result: FetchResult) -> None:
        self.queue.put((source, result))

    def finish(self) -> list[SourceOutcome]:
        self.queue.put(None)
        self.join()
        if self.error is not None:   # the database itself failed: the pass cannot go on
            raise self.error
        return self.outcomes

    def run(self) -> None:
        finished = False
        while not finished:
            group = [self.queue.get()]
            if group[0] is None:
                break
            entries, until = 0, time.monotonic() + _GROUP_WAIT
            while entries < _GROUP_ITEMS:
                try:    # a small group waits a little for more: a commit costs ~1.5 ms
                    nxt = self.queue.get_nowait() if entries >= _GROUP_MIN or len(group) >= _GROUP_MIN \
                        else self.queue.get(timeout=max(0.0, until - time.monotonic()))
                except queue.Empty:
                    break
                if nxt is None:
                    finished = True
                    break
                group.append(nxt)
                entries += _ENTRIES_PER_FEED if nxt[1].body else 0
            try:
                if self.error is None:
                    self._write(group)
            except BaseException as exc:  # noqa: BLE001 - re-raised by finish()
                self.error = exc
            finally:
                for _ in group:    # the fetching side must never wait on a dead writer
                    self.done_one()

    def _write(self, group: list[tuple[Source, FetchResult]]) -> None:
        for outcome in process_group(self.db, group, prepare=self.prepare):
            self.outcomes.append(outcome)
            if self.progress:
                self.progress(outcome)


def process_group(db: sqlite_utils.Database, fetched: list[tuple[Source, FetchResult]], *,
                  prepare: bool = False) -> list[SourceOutcome]:
    """Parse and ingest several fetched feeds and record every attempt in one transaction.
    With ``prepare``, the entries are prepared before the transaction (``_prepare_ahead``).
    Should the group fail (a bug on one source), each source is processed on its own, so
    one source's trouble is recorded on it and the others land."""
    staged, batches = [], []
    for source, result in fetched:
        staged.append(_stage(source, result, now_iso()))
        if isinstance(staged[-1], _Parsed):
            batches.append(staged[-1].batch(source))
    if prepare:
        _prepare_ahead(db, batches)
    try:
        with store.transaction(db):
            results = iter(ingest_many(db, batches)) if batches else iter(())
            outcomes = []
            for (source, result), stage in zip(fetched, staged):
                outcome = _ingested(result, stage.warning, next(results)) \
                    if isinstance(stage, _Parsed) else stage
                record_fetch(db, source.id, outcome)
                outcomes.append(_summary(source.id, outcome))
            return outcomes
    except Exception:  # noqa: BLE001 - isolate the source at fault, below
        if len(fetched) == 1:
            return [process_feed(db, *fetched[0])]
        log.warning("a group of %d feeds failed; processing them one by one", len(fetched))
        return [process_feed(db, source, result) for source, result in fetched]


@dataclass
class _Parsed:
    """A parsed feed ready to ingest: its entries."""

    warning: str | None
    raws: list
    fetched_at: str

    def batch(self, source: Source) -> Batch:
        return Batch(source, self.raws, self.fetched_at)


def _prepare_ahead(db, batches: list[Batch]) -> None:
    """The group's new entries prepared before its transaction (those already stored read
    without the lock, WAL readers never wait), so that the transaction holds the write lock
    for the writing only; if that fails, ingest prepares them inside it as usual, and
    records what goes wrong on the source at fault."""
    try:
        prepare_group(batches, partial(item_store.known_keys, db))
    except Exception:  # noqa: BLE001 - ingest does it again and records the failure
        log.warning("preparing a group of %d feeds ahead of its transaction failed", len(batches))
        for batch in batches:
            batch.prepared = None


def _stage(source: Source, result: FetchResult, fetched_at: str) -> FetchOutcome | _Parsed:
    """The outcome of an attempt that stores nothing, or the parsed feed to ingest."""
    if result.error:
        return _outcome(result, "failed", error=result.error)
    if result.not_modified:
        return _outcome(result, "not_modified")
    try:
        feed = parse_feed(result.body or b"", url=result.final_url or result.url,
                          source_id=source.id, content_type=result.content_type)
    except FeedError as exc:
        return _outcome(result, "failed", error=f"{exc} ({result.final_url or result.url})")
    return _Parsed(feed.warning, feed.items, fetched_at)


def process_feed(db: sqlite_utils.Database, source: Source, result: FetchResult) -> SourceOutcome:
    """Parse and ingest one fetched feed and record the attempt. Never raises for a bad
    feed: one source's trouble is recorded on it and the pass goes on."""
    try:
        stage = _stage(source, result, now_iso())
        with store.transaction(db):
            outcome = _ingested(result, stage.warning, ingest_many(db, [stage.batch(source)])[0]) \
                if isinstance(stage, _Parsed) else stage
            record_fetch(db, source.id, outcome)
        return _summary(source.id, outcome)
    except Exception as exc:  # noqa: BLE001 - a bug on one source must not stop the others
        log.exception("processing %s failed", source.id)
        outcome = _outcome(result, "failed", error=f"internal error while processing the feed: "
                                                   f"{type(exc).__name__}: {exc}")
        record_fetch(db, source.id, outcome)
        return _summary(source.id, outcome)


def _ingested(result: FetchResult, warning: str | None, res: IngestResult) -> FetchOutcome:
    usable = res.found - len(res.skipped)
    if usable <= 0:
        return _outcome(result, "failed", found=res.found,
                        error=f"no usable entries in the feed: {res.skipped[0] if res.skipped else 'none'}")
    if res.skipped:
        note = f"{len(res.skipped)} of {res.found} entries skipped ({res.skipped[0]})"
        warning = f"{warning}; {note}" if warning else note
    return _outcome(result, "flagged" if warning else "ok", error=warning,
                    found=res.found, new=res.new)


def _outcome(result: FetchResult, status: str, *, error: str | None = None, found: int = 0,
             new: int = 0) -> FetchOutcome:
    full_answer = status in ("ok", "flagged")
    return FetchOutcome(
        status=status, started_at=result.started_at, url=result.url,
        http_status=result.http_status, duration_ms=result.duration_ms, items_found=found,
        items_new=new, error=error, etag=result.etag if full_answer else None,
        last_modified=result.last_modified if full_answer else None, moved_to=result.moved_to,
        retry_after=result.retry_after, cache_max_age=result.cache_max_age)


def _summary(source_id: str, o: FetchOutcome) -> SourceOutcome:
    return SourceOutcome(source_id=source_id, status=o.status, http_status=o.http_status,
                         items_found=o.items_found, items_new=o.items_new, error=o.error,
                         duration_ms=o.duration_ms, url=o.url)


# -- sources without feeds ------------------------------------------------------------

def _crawl_pages(db, plan: WatchPlan, sources: list[Source], progress: Progress | None,
                 page_settings: dict[str, object] | None = None) -> list[SourceOutcome]:
    from veille.pages import crawl_sources

    if plan.path is None:
        raise CrawlError("html, page and sitemap sources need the watch plan's file path")
    ids = [s.id for s in sources]
    outcomes = [SourceOutcome(source_id=p.source_id, status=p.status, http_status=p.http_status,
                              items_found=p.items_found, items_new=p.items_new, error=p.error,
                              duration_ms=p.duration_ms)
                for p in crawl_sources(Path(_file_of(db)), Path(plan.path), ids, settings=page_settings)]
    if progress:
        for o in outcomes:
            progress(o)
    return outcomes


def _file_of(db) -> str:
    """The database's file, '' for a database in memory."""
    return db.execute("PRAGMA database_list").fetchone()[2]
