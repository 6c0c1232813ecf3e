"""Matching items against alert rules: the pending deliveries of a batch of new items.

A rule holds when every option it sets holds; within one option the values are
alternatives (any of its topics, any of its sources ...). Matching works on sets so that
thousands of rules meet thousands of items in seconds: items are indexed by topic, source,
category, language and reference once per batch, each rule intersects the few sets it names,
and its full-text query runs last, once, only over the items that survived the cheap tests.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import sqlite_utils

from veille.store import alerts as store
from veille.timeutil import now_iso

_FREQ_RANK = {"immediate": 0, "daily": 1, "weekly": 2}


class ItemIndex:
    """The items of one batch, indexed by every attribute a rule can name."""

    def __init__(self, items: list[dict]):
        self.items = {it["id"]: it for it in items}
        self.all = frozenset(self.items)
        self._above: dict[tuple[str, float], set[int]] = {}
        self._unions: dict[tuple, set[int]] = {}
        self.span = (min(self.all), max(self.all)) if self.all else (0, -1)
        self.story = {i: story_key(it) for i, it in self.items.items()}
        self.by: dict[str, dict[str, set[int]]] = {
            k: defaultdict(set) for k in ("topics", "sources", "categories", "lang", "refs")}
        topics, refs, sources, categories, langs = (
            self.by[k] for k in ("topics", "refs", "sources", "categories", "lang"))
        for it in items:   # every new item of a crawl passes here: plain locals
            i = it["id"]
            for topic in it["topics"]:
                topics[topic].add(i)
            for ref in it["refs"]:
                refs[ref].add(i)
            sources[it["source_id"]].add(i)
            categories[it["category"]].add(i)
            langs[it["lang"] or ""].add(i)

    def scoring_at_least(self, topics: list[str], min_score: float) -> set[int]:
        """Items whose score on one of ``topics`` (any topic when empty) reaches min_score;
        cached per (topic, threshold): thousands of rules share a few thresholds."""
        out: set[int] = set()
        for topic in topics or ["*"]:
            key = (topic, min_score)
            if key not in self._above:
                self._above[key] = {i for i, it in self.items.items()
                                    if _best_score(it, [] if topic == "*" else [topic]) >= min_score}
            out |= self._above[key]
        return out

    def any_of(self, field: str, values: Iterable[str]) -> set[int]:
        key = (field, tuple(sorted(values)))   # rules repeat the same combinations
        if key not in self._unions:
            index = self.by[field]
            self._unions[key] = set().union(*(index.get(v, ()) for v in key[1]))
        return self._unions[key]


def rule_matches(db: sqlite_utils.Database, rule: dict, index: ItemIndex,
                 fts_cache: dict | None = None) -> set[int]:
    """The ids of the indexed items that satisfy every condition of the rule."""
    found: set[int] | frozenset[int] = index.all
    for field in ("topics", "sources", "categories", "refs"):
        if rule[field]:
            found = found & index.any_of(field, rule[field])
            if not found:
                return set()
    if rule.get("lang"):
        found = found & index.by["lang"].get(rule["lang"], set())
    if rule.get("min_score"):
        found = found & index.scoring_at_least(rule["topics"], rule["min_score"])
    if found and rule.get("query"):
        found = found & _fts(db, rule["query"], index, fts_cache)
    return set(found)


def _best_score(item: dict, topics: list[str]) -> float:
    scores = item["topics"]
    wanted = [scores[t] for t in topics if t in scores] if topics else list(scores.values())
    return max(wanted, default=0.0)


def _fts(db: sqlite_utils.Database, query: str, index: ItemIndex, cache: dict | None) -> set[int]:
    # one FTS5 evaluation per distinct query per batch, over the batch's ids only
    if cache is not None and query in cache:
        return cache[query]
    try:
        hits = store.fts_hits(db, query, index.all, index.span)
    except Exception:  # a query that no longer parses matches nothing rather than stop ingest
        hits = set()
    if cache is not None:
        cache[query] = hits
    return hits


def story_key(item: dict) -> str:
    return f"c{item['cluster_id']}" if item.get("cluster_id") is not None else f"i{item['id']}"


def queue_deliveries(db: sqlite_utils.Database, item_ids: list[int]) -> int:
    """Create pending deliveries for the rules the items match; returns how many rows were
    created or moved to a quicker frequency.

    Called inside ingest's transaction once the items and their topics are written, and
    again after ``veille classify`` or a human correction changes an item's topics: the
    unique (subscriber, story) key makes repeated calls harmless.
    """
    if not item_ids:
        return 0
    rules = store.active_rules(db)
    if not rules:
        return 0
    index = ItemIndex(store.items_for_matching(db, list(item_ids)))
    existing = store.existing_deliveries(db, list(index.all))
    by_subscriber: dict[int, list[dict]] = defaultdict(list)
    for rule in rules:
        by_subscriber[rule["subscriber_id"]].append(rule)
    rows: list[tuple] = []
    hooks: list[tuple[int, int]] = []
    cache: dict[str, set[int]] = {}
    for sub, sub_rules in by_subscriber.items():
        rows += _subscriber_rows(db, sub, sub_rules, index, existing.get(sub, {}), cache, hooks)
    now = now_iso()
    created = store.insert_deliveries(db, rows, now)
    if hooks:
        store.insert_webhook_deliveries(db, hooks, now)
    return created


def _subscriber_rows(db: sqlite_utils.Database, subscriber_id: int, rules: list[dict],
                     index: ItemIndex, have: dict[int, set[int]], cache: dict,
                     hooks: list) -> list[tuple]:
    """One row per item for this subscriber, from the quickest rule that matches it.

    Set operations, not a loop per (rule, item): rules are taken quickest first, and an
    item already given a row, or already delivered (or pending at the same or a quicker
    frequency), is subtracted from what the next rule adds.
    """
    # what a rule of each frequency may not add: delivered, or pending as quick or quicker
    blocked = {rank: set().union(*(ids for code, ids in have.items() if code <= rank))
               for rank in _FREQ_RANK.values()}
    assigned: set[int] = set()
    rows = []
    for rule in sorted(rules, key=lambda r: (_FREQ_RANK[r["frequency"]], r["id"])):
        matched = rule_matches(db, rule, index, cache)
        if rule.get("webhook_url"):
            hooks += [(rule["id"], i) for i in matched]
        new = matched - assigned - blocked[_FREQ_RANK[rule["frequency"]]]
        assigned |= new
        rule_id, freq, story, items = rule["id"], rule["frequency"], index.story, index.items
        rows += [(subscriber_id, rule_id, i, story[i], freq, items[i]["cluster_id"]) for i in new]
    return rows
