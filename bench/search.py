"""Search speed of the catalogue at scale: p50/p95 of the search page (first page with its
facets) through the real catalogue app, on a generated database of N items.

Usage: python bench/search.py [N]   (default 1,000,000; the database is cached in bench/out/)

The items are generated through the real schema (migrations, FTS triggers) in the shape of
../shared/bench/search_scale.py: French sentences whose words follow a Zipf law, with the
frequent topical words of that script (its WORDS and QUERIES are imported when ../shared is
present) each found in about one item in 17, as "sécurité" or "robot" would be in a real watch.
"""
from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"
OUT = ROOT / "bench" / "out"
TOPICS = ("robotics", "additive_manufacturing", "iot", "regulation", "qse")
CATEGORIES = ("manufacturer", "trade_journal", "regulatory", "standards", "institution")


def _vocabulary() -> tuple[list[str], list[str]]:
    """The topical words and queries of the shared reference benchmark, when it is there."""
    if (SHARED_BENCH / "search_scale.py").exists():
        sys.path.insert(0, str(SHARED_BENCH))
        import search_scale  # noqa: E402  (the reference lives outside the repository)
        return list(search_scale.WORDS), list(search_scale.QUERIES)
    words = ("robot cobot impression additive capteur norme sécurité qualité usine machine "
             "directive règlement maintenance jumeau numérique poudre laser énergie").split()
    return words, ["securite", "energie", "robot", "poudre", "qualite", "reglement", "jumeau", "capteur"]


def _filler(rng: np.random.Generator, n: int = 20000) -> np.ndarray:
    syl = "la re ti mo na ver pro duc sion tion in dus trie mé ca ni que ter par con for ma ble ment é lec".split()
    return np.array(["".join(rng.choice(syl, size=rng.integers(2, 5))) for _ in range(n)], dtype=object)


class _Writer:
    """Generates sentences by blocks with numpy (Zipf filler, 1% topical words)."""

    def __init__(self, words: list[str], seed: int = 7):
        self.rng = np.random.default_rng(seed)
        self.filler = _filler(self.rng)
        weights = 1 / np.arange(1, len(self.filler) + 1)
        self.p = weights / weights.sum()
        self.words = np.array(words, dtype=object)

    def sentences(self, count: int, length: int) -> list[str]:
        idx = self.rng.choice(len(self.filler), size=(count, length), p=self.p)
        toks = self.filler[idx]
        topical = self.rng.random((count, length)) < 0.01
        toks[topical] = self.words[self.rng.integers(0, len(self.words), topical.sum())]
        return [(" ".join(row) + ".").capitalize() for row in toks]


def build(path: Path, n: int, block: int = 20000) -> None:
    from veille import store
    words, _ = _vocabulary()
    db = store.connect(path)
    now = "2026-11-26T08:00:00Z"
    db["sources"].insert_all(({
        "id": f"s{i:03d}", "name": f"Source {i}", "kind": "feed", "url": f"https://s{i}.example.org/rss",
        "category": CATEGORIES[i % 5], "added_at": now, "updated_at": now} for i in range(200)))
    w = _Writer(words)
    conn = db.conn
    for start in range(0, n, block):
        k = min(block, n - start)
        titles = w.sentences(k, 8)
        summ = w.sentences(3 * k, 14)
        body = w.sentences(6 * k, 20)
        rows = []
        for j in range(k):
            i = start + j
            day = 730 - (i * 730) // n  # older first: rowid order is publication order
            summary = " ".join(summ[3 * j:3 * j + 3])
            rows.append((f"s{i % 200:03d}", f"https://s{i % 200}.example.org/n/{i}", titles[j], summary,
                         f"<p>{summary}</p>", " ".join(body[6 * j:6 * j + 6]),
                         f"{_day(day)}T08:00:00Z", now, "fr" if i % 4 else "en", f"h{i}"))
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO items (source_id, url, title, summary, summary_html, content, published_at,"
            " fetched_at, lang, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        first = conn.execute("SELECT max(id) FROM items").fetchone()[0] - k + 1
        conn.executemany("INSERT INTO item_topics (item_id, topic, score, origin) VALUES (?,?,?,'model')",
                         [(first + j, TOPICS[(first + j) % 5], 0.8) for j in range(k) if (first + j) % 3])
        conn.execute("COMMIT")
        print(f"\r{start + k:,} items", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    conn.execute("INSERT INTO items_fts(items_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _day(days_ago: int) -> str:
    from datetime import date, timedelta
    return (date(2026, 11, 26) - timedelta(days=days_ago)).isoformat()


def _p(xs: list[float], q: float) -> float:
    return sorted(xs)[max(0, int(round(q * len(xs))) - 1)] * 1000


async def measure(path: Path) -> list[tuple[str, float, float]]:
    from veille.catalogue.app import build_datasette
    from veille.config import Settings
    _, queries = _vocabulary()
    ds = build_datasette(path, Settings(db_path=path), public=True)
    await ds.invoke_startup()
    shapes = (("one word, by relevance", lambda w: w, ""),
              ("two words, by relevance", lambda w: f"{w} capteur", ""),
              ("one word, newest first", lambda w: w, "&sort=newest"),
              ("prefix", lambda w: w[:5] + "*", ""),
              ("one word + topic facet", lambda w: w, "&topic=robotics"))
    out = []
    for label, make, extra in shapes:
        lat = []
        for _ in range(3):
            for w in queries:
                t = time.perf_counter()
                r = await ds.client.get(f"/search?q={make(w)}{extra}")
                lat.append(time.perf_counter() - t)
                assert r.status_code == 200, (r.status_code, r.text[:300])
        out.append((label, _p(lat, 0.5), _p(lat, 0.95)))
    return out


def main(n: int = 1_000_000) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"search_{n}.db"
    if not path.exists():
        t = time.perf_counter()
        tmp = path.with_suffix(".building")
        for old in OUT.glob(tmp.name + "*"):
            old.unlink()
        build(tmp, n)
        tmp.rename(path)
        for side in OUT.glob(tmp.name + "-*"):
            side.unlink()
        print(f"built {n:,} items in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    rows = asyncio.run(measure(path))
    print(f"{n:,} items; catalogue /search, first page with facets")
    print(f"  {'query':28} {'p50 ms':>8} {'p95 ms':>8}")
    for label, p50, p95 in rows:
        print(f"  {label:28} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
