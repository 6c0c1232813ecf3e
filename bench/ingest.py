"""Ingest speed: items/s with and without qualification (stories and references).

    python bench/ingest.py [--sizes 10000,100000] [--shape trade|qualify|real] [--group 20] [--profile]
    python bench/ingest.py --recall 20000 [--caps 50,20]

Ingests N generated items into a fresh database file, in batches of 20 per source (a feed's
length), with qualification off and on, alternated --repeat times (2), and prints items/s,
the seconds spent in each step, and the ratio of the best runs (the first run of a process
warms caches: measured once each, off then on, the ratio came out lower than it is). With
--profile, the 10 functions with the most own time at the first size (qualification on).

--group N hands the feeds over as a crawl's writer does: the feeds fetched meanwhile in one
``ingest_many`` call (one transaction) of at least N items (the crawl's writer gathers at
least 200, up to 1,000; 20, the default, is one feed per call, as a single source's crawl).

Shapes: ``trade`` follows ../shared/bench/gen_feeds.py (Zipf-distributed French filler
vocabulary, 8-word titles, 3-sentence summaries, a 6-paragraph HTML body, trade-press
vocabulary in 1% of words), with one item in ten a rewrite of an earlier one from another
source; ``qualify`` is bench/qualify.py's stream (short texts, references in most items);
``real`` is real text, as many items as there are up to N: the entries of the real feeds of
../shared/corpus/feeds/real (blogs, vendors, news; their HTML content too, up to hundreds of
thousands of characters) and the 413 FR/EN items of ../shared/corpus/classify, once each. The
generated shapes name few organisations and products and hold no long text: extraction costs
several times more on real items.
"""
from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

from veille import store
from veille.ingest import Batch, ingest, ingest_many
from veille.item import RawItem
from veille.sources import Source, WatchPlan
from veille.store.sources import sync_plan

ROOT = Path(__file__).resolve().parents[1]
BATCH = 20
SOURCES = 50
TOPICAL = ("robot cobot impression additive capteur norme sécurité qualité usine ligne production "
           "machine directive règlement maintenance prédictive jumeau numérique poudre laser atelier "
           "automate supervision énergie environnement ergonomie opérateur préhenseur vision").split()
REFS = ["", "", "", "Conforme à la NF EN ISO 13849-1:2023.", "Selon le règlement (UE) 2023/1230.",
        "Applicable à partir du 20 janvier 2027.", "Décret n° 2024-1234 du 12 mars 2024."]
PLAN = WatchPlan([Source(id=f"s{i}", name=f"Source {i}", kind="feed", url=f"http://127.0.0.1/{i}.xml",
                         category=("manufacturer", "trade_journal", "regulatory")[i % 3], language="fr")
                  for i in range(SOURCES)])


class TradePress:
    """Sentences shaped like gen_feeds.py's: Zipf filler words, rare topical words."""

    def __init__(self, seed: int):
        self.rnd = random.Random(seed)
        syl = "la re ti mo na ver pro duc sion tion in dus trie mé ca ni que ter par con for ma ble ment é lec".split()
        self.filler = ["".join(self.rnd.choice(syl) for _ in range(self.rnd.randint(2, 4))) for _ in range(20000)]
        self.cum = list(itertools.accumulate(1 / (r + 1) for r in range(len(self.filler))))

    def sentence(self, k: int) -> str:
        words = self.rnd.choices(self.filler, cum_weights=self.cum, k=k)
        return " ".join(self.rnd.choice(TOPICAL) if self.rnd.random() < 0.01 else w
                        for w in words).capitalize() + "."


def trade_items(n: int, seed: int = 7) -> list[RawItem]:
    text = TradePress(seed)
    out: list[RawItem] = []
    for k in range(n):
        source = f"s{k // BATCH % SOURCES}"
        title, summary = text.sentence(8), " ".join(text.sentence(14) for _ in range(3))
        if k % 10 == 9 and k >= 50:   # another source rewrites an earlier story
            earlier = out[k - 45]
            title = " ".join(earlier.title.split()[:6]) + " " + text.sentence(2)
            summary = earlier.summary.split(".")[0] + ". " + text.sentence(10)
        body = "".join(f"<p>{text.sentence(20)}</p>" for _ in range(6))
        out.append(RawItem(source_id=source, title=title, summary=summary + " " + text.rnd.choice(REFS),
                           content=body, url=f"https://site{source}.example.org/news/{k}?utm_source=rss",
                           guid=f"{source}-{k}", published=f"2026-{1 + k * 10 // max(n, 1):02d}-"
                           f"{1 + k % 28:02d}T{k % 24:02d}:00:00Z"))
    return out


def qualify_items(n: int) -> list[RawItem]:
    sys.path.insert(0, str(Path(__file__).parent))
    from qualify import items
    return items(n)


def real_items(n: int) -> list[RawItem]:
    import json

    from veille.parse import FeedError, parse_feed
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        sys.exit(f"--shape real needs {corpus}")
    out: list[RawItem] = []
    for i, path in enumerate(sorted((corpus / "feeds" / "real").iterdir())):
        try:
            feed = parse_feed(path.read_bytes(), url=f"http://127.0.0.1/{i}.xml", source_id=f"s{i % SOURCES}")
        except FeedError:
            continue
        out += feed.items
    for k, line in enumerate((corpus / "classify" / "dev.jsonl").read_text(encoding="utf-8").splitlines()):
        doc = json.loads(line)
        out.append(RawItem(source_id=f"s{k // BATCH % SOURCES}", title=doc["title"],
                           summary=doc.get("summary") or "", lang=doc.get("lang"),
                           url=doc.get("url") or f"https://example.org/c/{k}", guid=f"classify-{k}"))
    return out[:n]


def feed_batches(raws: list[RawItem]) -> list[list[RawItem]]:
    """The stream cut as a crawl delivers it: about BATCH items of one source at a time."""
    out: list[list[RawItem]] = []
    for i in range(0, len(raws), BATCH * 2):
        window = sorted(raws[i:i + BATCH * 2], key=lambda r: r.source_id)
        out += [list(g) for _, g in itertools.groupby(window, key=lambda r: r.source_id)]
    return out


def groups_of(batches: list[list[RawItem]], size: int) -> list[list[list[RawItem]]]:
    """Consecutive feeds gathered until they hold at least ``size`` items (a crawl's groups)."""
    out: list[list[list[RawItem]]] = [[]]
    for batch in batches:
        if sum(map(len, out[-1])) >= size:
            out.append([])
        out[-1].append(batch)
    return out


def run(raws: list[RawItem], qualify: bool, group: int = BATCH) -> tuple[float, float, dict[str, float]]:
    """Seconds (wall, CPU) to ingest ``raws`` group by group (``groups_of``) into a fresh
    file, and seconds per step. CPU time is shown because a busy machine stretches wall time."""
    steps: dict[str, float] = {}
    by_id = {s.id: s for s in PLAN.sources}
    with tempfile.TemporaryDirectory() as tmp:
        db = store.connect(Path(tmp) / "bench.db")
        sync_plan(db, PLAN)
        batches = feed_batches(raws)
        ingest(db, by_id[batches[0][0].source_id], batches[0][:1], qualify=qualify)  # loads the model
        start, cpu = time.perf_counter(), time.process_time()
        for feeds in groups_of(batches, group):
            result = ingest_many(db, [Batch(by_id[b[0].source_id], b) for b in feeds], qualify=qualify)[0]
            for step, seconds in result.timings.items():
                steps[step] = steps.get(step, 0.0) + seconds
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        db.conn.close()
    return elapsed, cpu, steps


def recall(n: int, cap: int) -> tuple[int, int, int, int]:
    """(same-story demo pairs in one cluster, such pairs, trade rewrites joined, rewrites) after
    ingesting the demo items spread over the last tenth of ``n`` trade items."""
    from datetime import datetime, timezone

    from veille import stories
    from veille.demo.bundle import load_content

    stories.BUCKET_CAP = cap
    content = load_content()
    raws = trade_items(n)
    demo_now = datetime(2026, 10, 20, tzinfo=timezone.utc)   # the stream's last tenth
    demo = sorted(content.items, key=lambda d: -d.age_hours)
    for k, d in enumerate(demo):   # in publication order, among the stream's last items
        raws.insert(n - n // 10 + k * (n // 10) // len(demo) + k, RawItem(
            source_id=d.source, title=d.title, summary=d.summary_for("http://127.0.0.1"),
            url=f"http://127.0.0.1{d.path}", guid=f"demo:{d.path}",
            published=d.published(demo_now).isoformat()))
    plan = WatchPlan([*PLAN.sources, *(Source(id=s.id, name=s.name, kind="feed", url=f"http://127.0.0.1{s.path}",
                                              category=s.category, language=s.language)
                                       for s in content.sources)])
    by_id = {s.id: s for s in plan.sources}
    with tempfile.TemporaryDirectory() as tmp:
        db = store.connect(Path(tmp) / "recall.db")
        sync_plan(db, plan)
        for batch in feed_batches(raws):
            ingest(db, by_id[batch[0].source_id], batch)
        cluster = dict(db.execute("SELECT guid, cluster_id FROM items").fetchall())
        db.conn.close()
    groups: dict[str, list] = {}
    for d in demo:
        if d.story:
            groups.setdefault(d.story, []).append(cluster.get(f"demo:{d.path}"))
    pairs = [a == b is not None for ids in groups.values() for a, b in itertools.combinations(ids, 2)]
    rewrites = [k for k in range(50, n) if k % 10 == 9]
    joined = sum(1 for k in rewrites if cluster.get(f"s{k // BATCH % SOURCES}-{k}") is not None
                 and cluster.get(f"s{k // BATCH % SOURCES}-{k}")
                 == cluster.get(f"s{(k - 45) // BATCH % SOURCES}-{k - 45}"))
    return sum(pairs), len(pairs), joined, len(rewrites)


def profile(raws: list[RawItem]) -> None:
    prof = cProfile.Profile()
    prof.enable()
    run(raws, qualify=True)
    prof.disable()
    print(f"\nProfile, {len(raws):,} items with qualification (top 10 by own time):")
    pstats.Stats(prof).sort_stats("tottime").print_stats(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--shape", choices=("trade", "qualify", "real"), default="trade")
    parser.add_argument("--group", type=int, default=BATCH,
                        help="items per ingest call at least: feeds gathered as a crawl's writer does (200)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each mode, alternated (the first run of a process warms its caches)")
    parser.add_argument("--recall", type=int, metavar="N", help="story recall check over N trade items")
    parser.add_argument("--caps", default="50,20", help="bucket caps compared by --recall")
    args = parser.parse_args()
    if args.recall is not None:
        for cap in (int(c) for c in args.caps.split(",")):
            whole, groups, joined, rewrites = recall(args.recall, cap)
            print(f"cap {cap}: same-story demo pairs in one cluster {whole}/{groups}, "
                  f"trade rewrites joined {joined}/{rewrites}")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    make = {"trade": trade_items, "qualify": qualify_items, "real": real_items}[args.shape]
    steps_order = ("normalise", "store", "stories", "classify", "references", "match")
    print(f"{'items':>8} {'qualify':>8} {'seconds':>8} {'cpu s':>8} {'items/s':>8} {'µs/item':>8}  "
          + " ".join(f"{s[:9]:>9}" for s in steps_order) + "   (µs/item per step)")
    for n in sizes:
        raws = make(n)
        n = len(raws)
        times: dict[bool, float] = {}
        for _, qualify in itertools.product(range(args.repeat), (False, True)):
            elapsed, cpu, steps = run(raws, qualify, args.group)
            times[qualify] = min(elapsed, times.get(qualify, elapsed))
            print(f"{n:>8} {'on' if qualify else 'off':>8} {elapsed:>8.2f} {cpu:>8.2f} {n / elapsed:>8.0f} "
                  f"{elapsed / n * 1e6:>8.0f}  "
                  + " ".join(f"{steps.get(s, 0.0) / n * 1e6:>9.0f}" for s in steps_order))
        print(f"{n:>8} {'ratio':>8} {times[True] / times[False]:>8.2f}   (best of {args.repeat} each, "
              f"at least {args.group} items per ingest call)")
    if args.profile:
        profile(make(sizes[0]))


if __name__ == "__main__":
    main()
