"""Ingest cost of story clustering and reference extraction.

    python bench/qualify.py [N]      (default 100,000 items)

Ingests N generated items (batches of 200, two sources, a few near-duplicates and
references) twice into fresh databases: with clustering and extraction, and without
(``ingest(..., qualify=False)``). Prints both times and the ratio (target <= 2).
bench/ingest.py gives the same comparison in feed-sized batches, per step.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from veille import store
from veille.ingest import ingest
from veille.item import RawItem
from veille.sources import Source, WatchPlan
from veille.store.sources import sync_plan

WORDS = ("robot cobot usine capteur soudage fabrication additive impression laser maintenance "
         "prédictive sécurité norme machine atelier jumeau numérique automate opérateur ligne "
         "assemblage palettisation inspection vision qualité énergie batterie chariot autonome").split()
REFS = ["conforme à la NF EN ISO 13849-1:2023", "selon le règlement (UE) 2023/1230",
        "applicable à partir du 20 janvier 2027", "décret n° 2024-1234", ""]
PLAN = WatchPlan([Source(id=f"s{i}", name=f"Source {i}", kind="feed", url=f"http://127.0.0.1/{i}.xml",
                         category=c) for i, c in ((1, "manufacturer"), (2, "trade_journal"))])


def items(n: int, seed: int = 7) -> list[RawItem]:
    rnd = random.Random(seed)
    out = []
    for k in range(n):
        day = 1 + (k * 300 // n)
        # a real stream's vocabulary is large: synthetic words beyond the common ones; one
        # item in ten rewrites an earlier one (a second source telling the same story)
        words = rnd.sample(WORDS, 4) + [f"w{rnd.randrange(20000)}" for _ in range(10)]
        if k % 10 == 9:
            words = out[k - 5].title.split()[:6] + words[:6]
        summary = " ".join(words) + f" modèle X{k}. " + rnd.choice(REFS)
        out.append(RawItem(source_id=f"s{1 + k % 2}", title=" ".join(words[:6]) + f" {k}",
                           summary=summary, url=f"http://127.0.0.1/item/{k}", guid=str(k),
                           published=f"2026-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}T08:00:00Z", lang="fr"))
    return out


def run(n: int, enabled: bool) -> float:
    """Seconds to ingest n items, with clustering and extraction on (``enabled``) or off."""
    with tempfile.TemporaryDirectory() as tmp:
        db = store.connect(Path(tmp) / "bench.db")
        sync_plan(db, PLAN)
        raws = items(n)
        start = time.perf_counter()
        for i in range(0, n, 200):
            batch = raws[i:i + 200]
            for source in PLAN.sources:
                mine = [r for r in batch if r.source_id == source.id]
                if mine:
                    ingest(db, source, mine, qualify=enabled)
        elapsed = time.perf_counter() - start
        db.conn.close()
        return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    off = run(n, enabled=False)
    on = run(n, enabled=True)
    print(f"{'items':>8} {'without (s)':>12} {'with (s)':>10} {'ratio':>6}")
    print(f"{n:>8} {off:>12.1f} {on:>10.1f} {on / off:>6.2f}")


if __name__ == "__main__":
    main()
