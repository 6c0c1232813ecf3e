"""Tagging speed: `veille classify --input` on 41,000 and on 410 items (repository corpus
repeated and shuffled), each in a fresh process; the difference divided into the 40,590
extra items is the rate net of start-up (imports, model load). Wall-clock time is the
figure of the target; the child's CPU time is printed too, as it barely moves when other
jobs load the machine. Then the CPU time per item of ``predict`` in one process at the batch
sizes of a crawl (one feed, 20 items) and of bulk tagging (1,000), on the corpus and on
trade-press items (bench/ingest.py), best of 5 passes once the words have been seen.

    python bench/classify.py
"""
from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CORPUS = Path(__file__).resolve().parents[1] / "veille" / "classify" / "corpus"
SIZES = (410, 41_000)


def corpus_items() -> list[dict]:
    items = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                items.append({"title": row["title"], "summary": row["summary"], "lang": row.get("lang")})
    return items


def write_items(path: Path, n: int, items: list[dict], rng: random.Random) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(dict(rng.choice(items), id=i), ensure_ascii=False) + "\n")


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(path: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `veille classify --input` process."""
    started, cpu = time.perf_counter(), _child_cpu()
    subprocess.run([sys.executable, "-m", "veille", "classify", "--input", str(path),
                    "--output", str(out)], check=True, capture_output=True)
    return time.perf_counter() - started, _child_cpu() - cpu


def batch_cost(records: list[tuple], size: int) -> float:
    """Microseconds of CPU per item of ``predict`` on ``records`` in batches of ``size``."""
    from veille.classify import load_classifier
    classifier, best = load_classifier(), float("inf")
    for _ in range(6):            # the first pass scores the words once; best of the 5 next
        started = time.process_time()
        for i in range(0, len(records), size):
            classifier.predict(records[i:i + size])
        best = min(best, time.process_time() - started)
    return best / len(records) * 1e6


def batch_table() -> None:
    from ingest import trade_items
    from veille.normalise import normalise
    corpus = [(r["title"], r["summary"], r["lang"]) for r in corpus_items()]
    trade = [(it.title, it.summary, it.lang) for it in (
        normalise(raw, default_lang="fr", fetched_at="2026-01-01T00:00:00Z") for raw in trade_items(4000))]
    print(f"{'items':>8} {'batch':>6} {'us/item CPU':>12}")
    for name, records in (("corpus", corpus), ("trade", trade)):
        for size in (20, 1000):
            print(f"{name:>8} {size:>6} {batch_cost(records, size):>12.1f}")


def main() -> None:
    items, rng = corpus_items(), random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        times = {}
        for n in SIZES:
            path = Path(tmp) / f"items_{n}.jsonl"
            write_items(path, n, items, rng)
            times[n] = min(timed_run(path, Path(tmp) / "out.jsonl") for _ in range(3))
    small, big = SIZES
    wall = (big - small) / (times[big][0] - times[small][0])
    cpu = (big - small) / (times[big][1] - times[small][1])
    print(f"{'items':>8} {'wall s':>8} {'CPU s':>8}")
    for n in SIZES:
        print(f"{n:>8} {times[n][0]:>8.2f} {times[n][1]:>8.2f}")
    print(f"net rate: {wall:,.0f} items/s wall-clock (target 10,000), {cpu:,.0f} items/s of CPU")
    batch_table()


if __name__ == "__main__":
    main()
