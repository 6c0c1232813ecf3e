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
        self.by: dict[str, dict[str, set[int]]] = {
            k: defaultdict(set) for k in ("topics", "sources", "categories", "lang", "refs")}
        for it in items:
            for topic in it["topics"]:
                self.by["topics"][topic].add(it["id"])
            for ref in it["refs"]:
                self.by["refs"][ref].add(it["id"])
            self.by["sources"][it["source_id"]].add(it["id"])
            self.by["categories"][it["category"]].add(it["id"])
            self.by["lang"][it["lang"] or ""].add(it["id"])

    def any_of(self, field: str, values: Iterable[str]) -> set[int]:
        index = self.by[field]
        out: set[int] = set()
        for v in values:
            out |= index.get(v, set())
        return out


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
        found = {i for i in found if _best_score(index.items[i], rule["topics"]) >= rule["min_score"]}
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
        hits = store.fts_hits(db, query, index.all)
    except Exception:  # a query that no longer parses matches nothing rather than stop ingest
        hits = set()
    if cache is not None:
        cache[query] = hits
    return hits


def story_key(item: dict) -> str:
    return f"c{item['cluster_id']}" if item.get("cluster_id") is not None else f"i{item['id']}"


def queue_deliveries(db: sqlite_utils.Database, item_ids: list[int]) -> int:
    """Create pending deliveries for the rules the items match; returns how many were new.

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
    best: dict[tuple[int, str], tuple] = {}
    hooks: list[tuple[int, int]] = []
    cache: dict[str, set[int]] = {}
    for rule in rules:
        for item_id in rule_matches(db, rule, index, cache):
            item = index.items[item_id]
            key = (rule["subscriber_id"], story_key(item))
            row = (rule["subscriber_id"], rule["id"], item_id, key[1], rule["frequency"],
                   item.get("cluster_id"))
            # one row per subscriber and story: the quickest frequency wins
            if key not in best or _FREQ_RANK[row[4]] < _FREQ_RANK[best[key][4]]:
                best[key] = row
            if rule.get("webhook_url"):
                hooks.append((rule["id"], item_id))
    now = now_iso()
    created = store.insert_deliveries(db, sorted(best.values(), key=lambda r: (r[0], r[2])), now)
    if hooks:
        store.insert_webhook_deliveries(db, hooks, now)
    return created
