"""One collection pass: select sources, fetch feeds concurrently, parse, hand the entries to
``ingest``, record every attempt. Listing pages, watched pages and sitemaps go to the
Scrapy runner (``veille.pages``).

Feeds are fetched on an asyncio event loop; in a large pass a forked worker process parses
each body and does the pure per-entry work (``ingest.prepare``); one writer thread writes,
one transaction per group of fetched feeds holding their items and fetch rows together: a
killed pass leaves each source either fully recorded (items, validators) or untouched, so
the next pass neither loses nor repeats an entry.
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
from pathlib import Path
from typing import Callable

import sqlite_utils

from veille import store
from veille.feed_workers import FeedWorkers
from veille.fetch import Fetcher, FetchResult
from veille.ingest import Batch, IngestResult, Prepared, ingest_many, prepare
from veille.http_policy import DEFAULT_POLICY, HttpPolicy
from veille.parse import FeedError, parse_feed
from veille.sources import Source, WatchPlan
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
        workers = _workers(len(feeds))
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


# A pass over this many feeds or more runs in worker processes (``feed_workers``), which
# fetch, parse, normalise, extract references, sign stories and predict topics while the
# crawling process writes: forking one, with its shutdown, costs 6-14 ms (measured with the
# models loaded), a trade feed's pure work about 6 ms.
_POOL_FEEDS = 20
# The workers' share of a cold pass is larger than the writer's (about 290 against 120 us
# of CPU per item on trade feeds): one worker per core, the system sharing the cores among
# them and the crawling process, which waits on SQLite part of the time.
_MAX_WORKERS = 4


def _workers(feeds: int) -> int:
    """How many worker processes a pass over ``feeds`` feeds uses: none on one core, for a
    small pass, or where processes cannot be forked."""
    cores = os.cpu_count() or 1
    if feeds < _POOL_FEEDS or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(cores, _MAX_WORKERS)


def _crawl_feeds_in_workers(db, feeds: list[Source], states: dict[str, SourceState],
                            policy: HttpPolicy, progress: Progress | None,
                            workers: int) -> list[SourceOutcome]:
    """A large pass: worker processes fetch and stage the feeds, the writer thread writes
    what they send. Sources a dead worker left unreported are crawled here afterwards."""
    from veille.references import load_tables
    load_tables()                # loaded once, shared by the forked workers
    room = threading.Semaphore(_QUEUED)
    with FeedWorkers(feeds, states, policy, workers, _stage, _QUEUED) as pool, \
            store.background_checkpoints(db):        # fork first, then start threads
        writer = _Writer(db, progress, room.release)
        writer.start()
        try:
            for source, result, staged in pool.results(room):
                writer.put(source, result, staged)
        finally:
            outcomes = writer.finish()
        lost = pool.unreported
        if lost:
            outcomes += asyncio.run(_crawl_feeds(db, lost, states, policy, progress))
    order = {s.id: n for n, s in enumerate(feeds)}
    return sorted(outcomes, key=lambda o: order[o.source_id])


async def _crawl_feeds(db, feeds: list[Source], states: dict[str, SourceState],
                       policy: HttpPolicy, progress: Progress | None) -> list[SourceOutcome]:
    """Fetch on the event loop while one writer thread ingests what has arrived.

    SQLite and lxml release the GIL, so writing overlaps fetching; the writer takes every
    fetched feed waiting for it as one group (one transaction, one commit), so the faster
    the fetching the larger the groups. At most ``_QUEUED`` fetched bodies wait (memory)."""
    loop = asyncio.get_running_loop()
    room = asyncio.Semaphore(_QUEUED)
    writer = _Writer(db, progress, lambda: loop.call_soon_threadsafe(room.release))
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


class _Writer(threading.Thread):
    """The one thread that writes during a pass: groups the fetched feeds waiting for it."""

    def __init__(self, db, progress: Progress | None, done_one: Callable[[], None]):
        super().__init__(name="veille-writer", daemon=True)
        self.db, self.progress, self.done_one = db, progress, done_one
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.outcomes: list[SourceOutcome] = []
        self.error: BaseException | None = None

    def put(self, source: Source, result: FetchResult, staged=None) -> None:
        self.queue.put((source, result, staged))

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
                entries += _entries(nxt)
            try:
                if self.error is None:
                    self._write(group)
            except BaseException as exc:  # noqa: BLE001 - re-raised by finish()
                self.error = exc
            finally:
                for _ in group:    # the fetching side must never wait on a dead writer
                    self.done_one()

    def _write(self, group: list[tuple[Source, FetchResult, object]]) -> None:
        for outcome in process_group(self.db, [g[:2] for g in group], [g[2] for g in group]):
            self.outcomes.append(outcome)
            if self.progress:
                self.progress(outcome)


def _entries(fetched: tuple[Source, FetchResult, object]) -> int:
    """The entries a fetched feed brings to a group: its prepared items, else about a typical
    feed's when it has a body to parse."""
    staged = fetched[2]
    if isinstance(staged, _Parsed) and staged.prepared is not None:
        return len(staged.prepared.items)
    return 20 if fetched[1].body else 0


def process_group(db: sqlite_utils.Database, fetched: list[tuple[Source, FetchResult]],
                  prestaged: list | None = None) -> list[SourceOutcome]:
    """Parse and ingest several fetched feeds and record every attempt in one transaction.
    ``prestaged`` holds, per feed, what ``_stage`` gave in the worker process, or None.
    Should the group fail (a bug on one source), each source is processed on its own, so
    one source's trouble is recorded on it and the others land."""
    staged, batches = [], []
    for n, (source, result) in enumerate(fetched):
        staged.append((prestaged[n] if prestaged else None) or _stage(source, result, now_iso()))
        if isinstance(staged[-1], _Parsed):
            batches.append(staged[-1].batch(source))
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
    """A parsed feed ready to ingest: its entries, prepared when a worker process staged it."""

    warning: str | None
    raws: list
    fetched_at: str
    prepared: Prepared | None = None

    def batch(self, source: Source) -> Batch:
        return Batch(source, self.raws, self.fetched_at, self.prepared)


def _stage(source: Source, result: FetchResult, fetched_at: str,
           in_worker: bool = False) -> FetchOutcome | _Parsed:
    """The outcome of an attempt that stores nothing, or the parsed feed to ingest. In the
    worker process, the entries are also prepared (normalised; references, story signatures
    and topics predicted) and the
    raw entries, which ingest then no longer reads, are not sent back."""
    if result.error:
        return _outcome(result, "failed", error=result.error)
    if result.not_modified:
        return _outcome(result, "not_modified")
    try:
        feed = parse_feed(result.body or b"", url=result.final_url or result.url,
                          source_id=source.id, content_type=result.content_type)
    except FeedError as exc:
        return _outcome(result, "failed", error=f"{exc} ({result.final_url or result.url})")
    if not in_worker:
        return _Parsed(feed.warning, feed.items, fetched_at)
    prepared = prepare(Batch(source, feed.items, fetched_at), full=True)
    return _Parsed(feed.warning, [], fetched_at, prepared)


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
                for p in crawl_sources(_db_path(db), Path(plan.path), ids, settings=page_settings)]
    if progress:
        for o in outcomes:
            progress(o)
    return outcomes


def _db_path(db) -> Path:
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2])
