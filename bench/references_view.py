"""Speed of the reads behind the reference pages, the calendar and the story notes on a
generated watch: N items, 0.4 references per item over 5,100 distinct references, dates
among them, stories of 2 to 4 items for one item in 10.

Usage: python bench/references_view.py [N]   (default 1,000,000; the database is cached in
bench/out/references_N.db). Prints a table of the best and worst of three runs.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from veille import store
from veille.store import references_view as view

OUT = Path(__file__).resolve().parent / "out"


def build(path: Path, n: int) -> None:
    db = store.connect(path)
    conn = db.conn
    rng = random.Random(1)
    conn.execute("PRAGMA synchronous=OFF")
    conn.executemany("INSERT INTO sources (id, name, kind, url, added_at, updated_at) VALUES (?, ?, 'feed', ?, '2026', '2026')",
                     [(f"s{k}", f"Source {k}", f"http://127.0.0.1:9/{k}") for k in range(50)])
    conn.executemany(
        "INSERT INTO items (id, source_id, published_at, fetched_at, content_hash, title, cluster_id)"
        " VALUES (?, ?, ?, '2026', ?, 't', ?)",
        ((i, f"s{i % 50}", f"20{16 + i * 10 // n:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}", str(i),
          (i - i % 3) if i % 10 == 0 or (i - 1) % 10 == 0 else None) for i in range(1, n + 1)))
    conn.executemany("INSERT INTO item_sources (item_id, source_id, key, url, seen_at) VALUES (?, ?, ?, ?, '2026')",
                     ((i, f"s{i % 50}", str(i), f"http://127.0.0.1:9/a/{i}") for i in range(1, n + 1)))
    keys = {"standard": [f"ISO {10000 + k}-1" for k in range(3000)],
            "eu_act": [f"20{k % 25:02d}/{k}" for k in range(600)],
            "fr_text": [f"décret 2024-{k}" for k in range(1500)]}
    rows = set()
    for _ in range(int(n * 0.4)):
        kind = rng.choice(["standard", "standard", "eu_act", "fr_text", "date"])
        key = (rng.choice(keys[kind]) if kind != "date"
               else f"20{rng.randint(20, 32)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        rows.add((rng.randint(1, n), kind, key, key))
    conn.executemany("INSERT OR IGNORE INTO entities (item_id, kind, key, text) VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()


def main(n: int) -> None:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"references_{n}.db"
    if not path.exists():
        build(path, n)
    conn = store.connect(path).conn
    index = view.reference_index(conn)
    top = [(r["kind"], r["key"]) for r in index[:100]]
    page = list(range(n // 2, n // 2 + 20))
    cases = [
        ("reference index (all, counts)", lambda: view.reference_index(conn)),
        ("latest mention of the 100 shown", lambda: view.reference_details(conn, top)),
        ("reference page: mentions", lambda: view.reference_mentions(conn, *top[0])),
        ("reference page: dates", lambda: view.reference_dates(conn, *top[0])),
        ("calendar, upcoming", lambda: view.calendar_entries(conn, "2026-11-26")),
        ("calendar, one reference", lambda: view.calendar_entries(conn, "2026-11-26", ref=top[0][1])),
        ("calendar, one topic", lambda: view.calendar_entries(conn, "2026-11-26", topic="robotics")),
        ("search page: stories collapsed (20 cards)", lambda: view.collapse_stories(conn, [{"id": i} for i in page])),
    ]
    print(f"{n:,} items, {sum(r['items'] for r in index):,} references\n")
    print("| read | rows | best | worst |\n|---|---|---|---|")
    for name, fn in cases:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            rows = fn()
            times.append((time.perf_counter() - start) * 1000)
        print(f"| {name} | {len(rows)} | {min(times):.0f} ms | {max(times):.0f} ms |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
