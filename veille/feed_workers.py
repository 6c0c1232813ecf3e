"""Worker processes for a large pass: each crawls a share of the feeds into the database
itself (fetch, parse, prepare, write), and reports each source's outcome to the crawling
process.

Each worker owns whole hosts, so the per-host limit of the HTTP policy holds across
processes; the global limit is split among the workers. The workers' writers take SQLite's
write lock in turn (one transaction per group of feeds, BEGIN IMMEDIATE): no item crosses a
process boundary, so nothing is pickled and sent but the small outcomes (measured on 500
trade feeds: the crawling process spent about 130 us of CPU per item receiving the workers'
prepared feeds and writing them alone, against about 280 us per item for the whole
crawl of a process doing everything itself).

The database is the truth of what a worker did: a source whose outcome never arrived (the
worker died) but whose fetch the worker recorded is read back from the database; the others
are left to the caller (``unreported``), which crawls them itself: a source is never lost,
and none is written twice.
"""
from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import queue
from typing import Callable, Iterator
from urllib.parse import urlsplit

from veille.http_policy import HttpPolicy
from veille.sources import Source
from veille.store.fetches import SourceState

log = logging.getLogger(__name__)

# crawl_share(share, states, policy, report): crawl the share, calling report(outcome) per source
CrawlShare = Callable[[list[Source], dict[str, SourceState], HttpPolicy, Callable], None]

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
    """Forked processes crawling the feeds of a pass. Use as a context manager (fork on entry,
    before the caller starts threads); iterate ``results()``."""

    def __init__(self, feeds: list[Source], states: dict[str, SourceState], policy: HttpPolicy,
                 workers: int, crawl_share: CrawlShare):
        self.by_id = {s.id: s for s in feeds}
        self.shares = shares(feeds, states, workers)
        per_worker = dataclasses.replace(
            policy, global_limit=max(policy.per_host_limit, policy.global_limit // len(self.shares)))
        ctx = multiprocessing.get_context("fork")
        self.out = ctx.Queue()
        self.procs = [ctx.Process(target=_work, name="veille-feeds", daemon=True,
                                  args=(crawl_share, share, states, per_worker, self.out))
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

    def results(self) -> Iterator:
        """Each source's outcome as the workers report it, until every source is reported or
        every worker has ended."""
        while len(self.reported) < len(self.by_id):
            outcome = self._next()
            if outcome is None:
                return
            self.reported.add(outcome.source_id)
            yield outcome

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

    def unreported(self) -> list[Source]:
        """Sources whose outcome no worker reported (a worker died)."""
        lost = [s for s in self.by_id.values() if s.id not in self.reported]
        if lost:
            codes = [p.exitcode for p in self.procs]
            log.warning("%d feeds were not reported by the worker processes (exit codes %s)",
                        len(lost), codes)
        return lost


def _work(crawl_share: CrawlShare, share: list[Source], states: dict[str, SourceState],
          policy: HttpPolicy, out) -> None:
    """One worker: crawl the share, each source's outcome sent as soon as it is written."""
    crawl_share(share, states, policy, out.put)
    out.close()
    out.join_thread()
