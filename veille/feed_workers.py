"""Worker processes for a large pass: each fetches a share of the feeds, parses and prepares
them, and sends the staged feeds to the crawling process, whose one writer thread writes.

Each worker owns whole hosts, so the per-host limit of the HTTP policy holds across
processes; the global limit is split among the workers. The crawling process then does
nothing but write: it no longer runs an event loop, nor ships every body to a worker and
its prepared entries back (measured on 500 trade feeds: about 80 us of CPU per item of
event loop, pool bookkeeping and body transfer, against about 20 us of fetching moved into
the workers).

A worker that dies leaves its unreported sources to the caller (``unreported``), which
crawls them itself: a source is never lost, and none is written twice.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import queue
import threading
from typing import Callable, Iterator
from urllib.parse import urlsplit

from veille.fetch import Fetcher, FetchResult
from veille.http_policy import HttpPolicy
from veille.sources import Source
from veille.store.fetches import SourceState
from veille.timeutil import now_iso

log = logging.getLogger(__name__)

# stage(source, result, fetched_at, in_worker) -> what the writer takes for that feed
Stage = Callable[[Source, FetchResult, str, bool], object]

_WAIT = 0.2            # seconds between checks that the workers are still alive


def shares(feeds: list[Source], states: dict[str, SourceState], n: int) -> list[list[Source]]:
    """The feeds in at most ``n`` shares, each host's feeds in one share, the shares as even
    as whole hosts allow (largest hosts first, each to the smallest share)."""
    by_host: dict[str, list[Source]] = {}
    for s in feeds:
        by_host.setdefault((urlsplit(states[s.id].fetch_url).hostname or "").lower(), []).append(s)
    out: list[list[Source]] = [[] for _ in range(n)]
    for group in sorted(by_host.values(), key=len, reverse=True):
        min(out, key=len).extend(group)
    return [s for s in out if s]


class FeedWorkers:
    """Forked processes fetching, parsing and preparing the feeds of a pass. Use as a context
    manager (fork on entry, before the caller starts threads); iterate ``results()``."""

    def __init__(self, feeds: list[Source], states: dict[str, SourceState], policy: HttpPolicy,
                 workers: int, stage: Stage, queued: int):
        self.by_id = {s.id: s for s in feeds}
        self.shares = shares(feeds, states, workers)
        per_worker = dataclasses.replace(
            policy, global_limit=max(policy.per_host_limit, policy.global_limit // len(self.shares)))
        ctx = multiprocessing.get_context("fork")
        self.out = ctx.Queue(maxsize=queued)
        self.procs = [ctx.Process(target=_work, name="veille-feeds", daemon=True,
                                  args=(share, states, per_worker, stage, self.out,
                                        max(1, queued // len(self.shares))))
                      for share in self.shares]
        self.reported: set[str] = set()

    def __enter__(self) -> "FeedWorkers":
        for p in self.procs:
            p.start()
        return self

    def __exit__(self, *exc) -> None:
        for p in self.procs:
            if p.is_alive():
                p.terminate()
            p.join()
        self.out.close()

    def results(self, room: threading.Semaphore | None = None) -> Iterator[tuple[Source, FetchResult, object]]:
        """(source, fetch result, staged feed) as the workers send them, until every source is
        reported or every worker has ended. ``room`` is acquired before each is taken from the
        workers (the writer releases it): a slow writer holds the workers back, memory stays
        bounded."""
        while len(self.reported) < len(self.by_id):
            if room is not None:
                room.acquire()
            got = self._next()
            if got is None:
                if room is not None:
                    room.release()
                return
            source_id, result, staged = got
            self.reported.add(source_id)
            yield self.by_id[source_id], result, staged

    def _next(self):
        while True:
            try:
                return self.out.get(timeout=_WAIT)
            except queue.Empty:
                if any(p.is_alive() for p in self.procs):
                    continue
            try:    # every worker has ended: what they sent before is in the pipe
                return self.out.get(timeout=_WAIT)
            except queue.Empty:
                return None

    @property
    def unreported(self) -> list[Source]:
        """Sources no worker reported (a worker died): the caller crawls them itself."""
        lost = [s for s in self.by_id.values() if s.id not in self.reported]
        if lost:
            codes = [p.exitcode for p in self.procs]
            log.warning("%d feeds were not reported by the worker processes (exit codes %s): "
                        "the crawling process fetches them itself", len(lost), codes)
        return lost


def _work(share: list[Source], states: dict[str, SourceState], policy: HttpPolicy, stage: Stage,
          out, room: int) -> None:
    """One worker: fetch the share on its own event loop, stage each feed as it arrives (the
    parse and the entries' preparation), send it. At most ``room`` fetched feeds wait to be
    sent, so a slow writer bounds the worker's memory."""
    async def main() -> None:
        loop = asyncio.get_running_loop()
        slots = asyncio.Semaphore(room)
        async with Fetcher(policy) as fetcher:
            async def one(source: Source) -> None:
                async with slots:
                    state = states[source.id]
                    result = await fetcher.fetch(state.fetch_url, state.etag, state.last_modified)
                    staged = _staged(stage, source, result)
                    await loop.run_in_executor(None, out.put, (source.id, result, staged))
            await asyncio.gather(*(one(s) for s in share))
    asyncio.run(main())
    out.close()
    out.join_thread()


def _staged(stage: Stage, source: Source, result: FetchResult):
    """The feed staged here, its body then no longer sent; None (body kept) if staging failed
    here, for the writer to stage it and record the failure on the source."""
    if not result.body:
        return None
    try:
        staged = stage(source, result, now_iso(), True)
    except Exception:  # noqa: BLE001 - the writer stages it again and records what went wrong
        log.warning("preparing %s in a worker process failed; the writer does it", source.id)
        return None
    if staged is not None:
        result.body = b""       # staged here: the writer no longer reads it
    return staged
