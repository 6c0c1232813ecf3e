"""The one way items enter the database.

Every collector (feeds, Scrapy listing pages, sitemaps, page changes) hands its raw entries
to ``ingest``, which runs the steps in order, each on plain data:

    normalise -> dedupe within the batch -> exact duplicates across the database
    -> stories (near duplicates) -> classify -> store -> references -> match alert rules

All of it happens in one transaction per batch, so a killed process leaves either the
whole batch or nothing. New items get their ids before they are written, so that their
story and classification go into the same INSERT (no second write per item).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import sqlite_utils

from veille import store
from veille.alerts.match import queue_deliveries
from veille.classify import load_classifier
from veille.item import Item, RawItem
from veille.normalise import Unusable, normalise, settle_languages
from veille.sources import Source
from veille.store import items as item_store
from veille.store import entities as entity_store
from veille import stories, story_signing
from veille.references import Reference, item_references
from veille.timeutil import now_iso

# A source's default topics (sources.yaml `topics`) act as a prior, not a blanket tag: the
# model's weaker evidence suffices for them (an INRS item with some QSE signal is QSE),
# but a manufacturer's finance news does not become "robotics" because of its source.
SOURCE_PRIOR_MIN_SCORE = 0.25


@dataclass
class IngestResult:
    found: int = 0
    new: int = 0
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)   # why an entry was not usable
    new_ids: list[int] = field(default_factory=list)
    deliveries: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step (benchmarks)


class _Clock:
    """Seconds spent in each step, for bench/ingest.py's breakdown."""

    def __init__(self, into: dict[str, float]):
        self.into, self.last = into, time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.into[step] = self.into.get(step, 0.0) + now - self.last
        self.last = now


def _dedupe_batch(items: list[Item]) -> tuple[list[Item], int]:
    """Feeds repeat entries: keep the first of each key (and of each canonical URL)."""
    seen_keys: set[str] = set()
    seen_urls: set[str] = set()
    kept: list[Item] = []
    for it in items:
        url = it.url if it.page_version is None else None
        if it.key in seen_keys or (url and url in seen_urls):
            continue
        seen_keys.add(it.key)
        if url:
            seen_urls.add(url)
        kept.append(it)
    return kept, len(items) - len(kept)


def _tag(items: Sequence[Item], source_of: Mapping[str, Source],
         predicted: Mapping[int, object]) -> list[tuple[int, str, float, str]]:
    """Topic rows of new items; ``predicted`` maps ``id(item)`` to a prediction made ahead."""
    missing = [it for it in items if id(it) not in predicted]
    predicted = {**predicted, **dict(zip(map(id, missing), _predict(missing) if missing else []))}
    predictions = [predicted[id(it)] for it in items]
    rows = []
    for it, pred in zip(items, predictions):
        assigned = {t: pred.scores.get(t, 1.0) for t in pred.topics}
        for topic, score in assigned.items():
            rows.append((it.id, topic, score, "model"))
        for topic in source_of[it.source_id].topics:
            score = pred.scores.get(topic, 0.0)
            if topic not in assigned and score >= SOURCE_PRIOR_MIN_SCORE:
                rows.append((it.id, topic, score, "rule"))
    return rows


@dataclass
class Prepared:
    """A batch's pure per-entry work, done before the write transaction: entries normalised
    and deduplicated within the batch, and, from ``prepare_group``, the references, story
    signature and classifier's prediction of the entries not stored yet, by ``id(item)``
    (ingest computes whatever is missing)."""

    found: int
    items: list[Item]
    repeated: int
    skipped: list[str]
    references: dict[int, list[Reference]] = field(default_factory=dict)
    signatures: dict[int, object] = field(default_factory=dict)   # story_signing.sign's
    predictions: dict[int, object] = field(default_factory=dict)  # the classifier's


@dataclass
class Batch:
    """One source's raw entries of one fetch, as a collector hands them over; ``prepared``
    when ``prepare`` already ran on them (with the same ``fetched_at``)."""

    source: Source
    raws: Sequence[RawItem]
    fetched_at: str | None = None
    prepared: Prepared | None = None


def prepare(batch: Batch) -> Prepared:
    """Normalise and deduplicate a batch's entries. Pure: no database."""
    skipped: list[str] = []
    items: list[Item] = []
    for n, raw in enumerate(batch.raws, 1):
        try:
            items.append(normalise(raw, default_lang=batch.source.language,
                                   fetched_at=batch.fetched_at or now_iso(), detect=False))
        except Unusable as exc:
            skipped.append(f"entry {n}: {exc}")
    settle_languages(items)
    kept, repeated = _dedupe_batch(items)
    return Prepared(len(batch.raws), kept, repeated, skipped)


StoredKeys = Callable[[Sequence[tuple[str, Sequence[Item], str]]], set[tuple[str, str]]]


def prepare_group(batches: Sequence[Batch], stored_keys: StoredKeys | None = None, *,
                  qualify: bool = True) -> None:
    """Prepare several batches ahead of their transaction (a crawl's worker process, whose
    write lock the other workers wait for): also the references, story signature and topics
    prediction of each entry ``stored_keys`` (given the batches as (source id, items,
    fetched_at)) does not say is stored already — a changed feed's old entries cost nothing
    more; the signatures and predictions of the whole group in one call each (their fixed
    cost is paid once per group, not once per feed). Sets each batch's ``prepared``.
    ``qualify=False`` (benchmarks, as ``ingest_many``'s) leaves references and signatures out."""
    ready = [prepare(b) for b in batches]
    known = stored_keys([(b.source.id, r.items, b.fetched_at or "") for b, r in zip(batches, ready)]) \
        if stored_keys else set()
    fresh = [(r, it) for b, r in zip(batches, ready) for it in r.items
             if (b.source.id, it.key) not in known]
    items = [it for _, it in fresh]
    predicted = _predict(items) if items else []
    if not qualify:
        for (r, it), pred in zip(fresh, predicted):
            r.predictions[id(it)] = pred
    else:
        for (r, it), sig, pred in zip(fresh, story_signing.sign(items), predicted):
            r.references[id(it)], r.signatures[id(it)], r.predictions[id(it)] = _extract(it), sig, pred
    for batch, r in zip(batches, ready):
        batch.prepared = r


def _predict(items: Sequence[Item]) -> list:
    return load_classifier().predict([(it.title, it.summary, it.lang) for it in items])


def _extract(it: Item) -> list[Reference]:
    return item_references(it.title, it.summary, it.content, it.lang)


def ingest(db: sqlite_utils.Database, source: Source, raws: Sequence[RawItem], *,
           fetched_at: str | None = None, qualify: bool = True) -> IngestResult:
    """Normalise, dedupe, store, classify and match one source's entries; returns counts.

    ``qualify=False`` skips stories and reference extraction: only benchmarks use it, to
    measure what qualification costs.
    """
    return ingest_many(db, [Batch(source, raws, fetched_at)], qualify=qualify)[0]


def ingest_many(db: sqlite_utils.Database, batches: Sequence[Batch], *,
                qualify: bool = True) -> list[IngestResult]:
    """``ingest`` for several sources' batches in one transaction (a crawl hands over the
    feeds fetched meanwhile): one statement per step for the whole group instead of one per
    source, and one commit. Returns one result per batch, in order; ``deliveries`` and
    ``timings`` are the group's, on the first result."""
    results = [IngestResult(found=b.prepared.found if b.prepared else len(b.raws)) for b in batches]
    clock = _Clock(results[0].timings if results else {})
    normalised, known_refs, known_sigs, known_topics = [], {}, {}, {}
    for batch, result in zip(batches, results):
        fetched_at = batch.fetched_at or now_iso()
        ready = batch.prepared or prepare(Batch(batch.source, batch.raws, fetched_at))
        result.duplicates, result.skipped = ready.repeated, list(ready.skipped)
        normalised.append((batch.source.id, ready.items, fetched_at))
        known_refs.update(ready.references)
        known_sigs.update(ready.signatures)
        known_topics.update(ready.predictions)
    clock.lap("normalise")
    source_of = {b.source.id: b.source for b in batches}
    with store.transaction(db):
        resolved = item_store.resolve_group(db, normalised)
        new = [it for r in resolved for it in r.new]
        clock.lap("store")
        if qualify:     # references before stories: their organisation keys are anchors
            known_refs.update((id(it), _extract(it)) for it in new if id(it) not in known_refs)
            clock.lap("references")
        plan = stories.plan_stories(db, new, known_sigs, known_refs) if qualify else stories.StoryPlan()
        clock.lap("stories")
        topics = _tag(new, source_of, known_topics) if new else []
        clock.lap("classify")
        item_store.insert_group(db, resolved, cluster_of=plan.cluster_of(),
                                classified_at=now_iso())
        item_store.add_topics(db, topics)
        clock.lap("store")
        if qualify and new:
            stories.save_stories(db, plan, set_items=False)  # before matching: deliveries are keyed by story
            clock.lap("stories")
            entity_store.add_references(db, [(it.id, known_refs[id(it)]) for it in new])
            clock.lap("references")
        deliveries = queue_deliveries(db, [it.id for it in new])
        clock.lap("match")
    clock.lap("store")   # the commit: FTS segments and pages reach the file
    for result, r in zip(results, resolved):
        result.new = len(r.new)
        result.duplicates += r.duplicates
        result.new_ids = [it.id for it in r.new]
    if results:
        results[0].deliveries = deliveries
    return results
