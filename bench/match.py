"""Alert matching speed: N rules against M newly ingested items.

    python bench/match.py [--rules 5000] [--items 5000] [--existing 20000] [--subscribers 1000]

Builds a throw-away database (WAL, like production) with `existing` older items in the
full-text index, then times ``queue_deliveries`` on the `items` new ones, once (creating
the deliveries) and again (the idempotent re-run classify or a correction triggers).
Rules mix what people write: 1-2 topics, a full-text query on a third of them, source
categories, sources, references, minimum scores, all three frequencies.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from veille import store  # noqa: E402
from veille.alerts.match import queue_deliveries  # noqa: E402
from veille.timeutil import now_iso  # noqa: E402

TOPICS = ["robotics", "additive_manufacturing", "iot", "regulation", "qse"]
CATEGORIES = ["manufacturer", "trade_journal", "regulatory", "standards", "institution"]
WORDS = ("robot cobot soudage laser capteur jumeau numérique sécurité machine règlement décret "
         "norme impression métal poudre maintenance prédictive vibration bruit chimique risque "
         "ergonomie exosquelette vision contrôle qualité traçabilité cybersécurité réseau "
         "passerelle automate usine atelier ligne assemblage peinture fonderie usinage outil "
         "inspection audit énergie carbone déchets recyclage formation habilitation incendie").split()
REFS = ["ISO 13849-1", "ISO 10218-1", "2023/1230", "2006/42", "IEC 62443-4-2", "ISO/ASTM 52900"]


def build(db, rng: random.Random, n_existing: int, n_new: int, n_rules: int, n_subs: int,
          broad: bool = False) -> list[int]:
    now = now_iso()
    sources = [(f"s{i}", f"Source {i}", "feed", f"http://127.0.0.1/{i}", CATEGORIES[i % 5], now, now)
               for i in range(40)]
    db.conn.executemany("INSERT INTO sources (id, name, kind, url, category, added_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", sources)

    # ordinary words from a large vocabulary, and three domain words per item: a domain
    # word is in about one item in twenty, as 'exosquelette' or 'fonderie' are in real feeds
    filler = [f"mot{n}" for n in range(5000)]

    def item(n: int) -> tuple:
        words = rng.choices(filler, k=35) + rng.sample(WORDS, 3)
        rng.shuffle(words)
        return (f"s{rng.randrange(40)}", f"http://127.0.0.1/i/{n}", " ".join(words[:8]),
                " ".join(words[8:]), now, now, rng.choice(["fr", "en"]), f"h{n}")

    db.execute("BEGIN")
    db.conn.executemany("INSERT INTO items (source_id, url, title, summary, published_at, fetched_at, "
                        "lang, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [item(n) for n in range(n_existing + n_new)])
    new_ids = [r[0] for r in db.execute("SELECT id FROM items ORDER BY id DESC LIMIT ?", [n_new])]
    topics = [(i, t, round(rng.uniform(0.3, 1.0), 2)) for i in new_ids
              for t in rng.sample(TOPICS, rng.choice([1, 1, 2]))]
    db.conn.executemany("INSERT INTO item_topics (item_id, topic, score) VALUES (?, ?, ?)", topics)
    db.conn.executemany("INSERT OR IGNORE INTO entities (item_id, kind, key, text) VALUES (?, 'standard', ?, ?)",
                        [(i, r, r) for i in new_ids if rng.random() < 0.2 for r in [rng.choice(REFS)]])
    db.conn.executemany("INSERT INTO subscribers (email, created_at) VALUES (?, ?)",
                        [(f"user{n}@example.org", now) for n in range(n_subs)])
    # a subscriber owns one or two topics (QSE, R&D on additive ...); their rules narrow them
    interests = [rng.sample(TOPICS, rng.choice([1, 1, 2])) for _ in range(n_subs)]
    db.conn.executemany(
        "INSERT INTO alert_rules (subscriber_id, topics, query, sources, categories, refs, min_score, "
        "frequency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [rule(rng, n % n_subs + 1, interests[n % n_subs], now, broad) for n in range(n_rules)])
    db.execute("COMMIT")
    return new_ids


def rule(rng: random.Random, subscriber: int, topics: list[str], now: str, broad: bool) -> tuple:
    """A rule as engineers write them: a topic they own, narrowed by one or two of a query,
    source categories, a source, a reference, a minimum score. ``broad``: the firehose case,
    where each narrowing is only a coin toss and many rules are a bare topic."""
    pick = {k for k in ("query", "categories", "source", "refs", "score") if rng.random() < 0.3} if broad \
        else set(rng.sample(["query", "query", "categories", "source", "refs", "score"], rng.choice([1, 2])))
    query = None
    if "query" in pick:
        a, b = rng.sample(WORDS, 2)
        query = rng.choice([f"{a} {b}", f"{a} OR {b}", f'"{a} {b}"', f"{a[:4]}*", a])
    return (subscriber, json.dumps(rng.sample(topics, 1) if rng.random() < 0.5 else topics), query,
            json.dumps([f"s{rng.randrange(40)}"] if "source" in pick else []),
            json.dumps(rng.sample(CATEGORIES, 2) if "categories" in pick else []),
            json.dumps([rng.choice(REFS)] if "refs" in pick else []),
            rng.choice([0.7, 0.8, 0.9]) if "score" in pick else 0,
            rng.choice(["immediate", "daily", "daily", "weekly"]), now, now)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rules", type=int, default=5000)
    p.add_argument("--items", type=int, default=5000)
    p.add_argument("--existing", type=int, default=20000)
    p.add_argument("--subscribers", type=int, default=1000)
    p.add_argument("--broad", action="store_true", help="firehose rules (many bare topics)")
    args = p.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        db = store.connect(Path(tmp) / "bench.db")
        new_ids = build(db, rng, args.existing, args.items, args.rules, args.subscribers, args.broad)
        rows = []
        for label in ("first match", "repeat (idempotent)"):
            start, cpu = time.perf_counter(), time.process_time()
            db.execute("BEGIN")
            created = queue_deliveries(db, new_ids)
            db.execute("COMMIT")
            rows.append((label, created, time.perf_counter() - start, time.process_time() - cpu))
        total = db.execute("SELECT count(*) FROM deliveries").fetchone()[0]
        db.conn.close()
    print(f"{args.rules} {'broad' if args.broad else 'narrowed'} rules ({args.subscribers} subscribers) "
          f"x {args.items} new items ({args.existing} already indexed)")
    print(f"{'run':<22}{'deliveries':>12}{'wall s':>10}{'cpu s':>10}")
    for label, created, secs, cpu in rows:
        print(f"{label:<22}{created:>12}{secs:>10.2f}{cpu:>10.2f}")
    print(f"{'deliveries in table':<22}{total:>12}")


if __name__ == "__main__":
    main()
