"""Story clustering: held-out labeled pairs, and incremental clustering through ingest."""
from __future__ import annotations

import json
from pathlib import Path

from veille import store, stories
from veille.ingest import ingest
from veille.item import RawItem
from veille.sources import Source, WatchPlan
from veille.store import entities as entity_store
from veille.store import stories as story_store
from veille.store.sources import sync_plan

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def pair_figures(path: Path) -> tuple[float, float]:
    tp = fp = fn = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        same = stories.pair_similarity((pair["a"]["title"], pair["a"]["summary"]),
                                       (pair["b"]["title"], pair["b"]["summary"])) >= stories.THRESHOLD
        tp += same and pair["same"]
        fp += same and not pair["same"]
        fn += (not same) and pair["same"]
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def test_test_pairs_meet_precision_and_recall_targets():
    precision, recall = pair_figures(FIXTURES / "pairs_test.jsonl")
    print(f"pairs_test: P={precision:.3f} R={recall:.3f}")
    assert precision >= 0.95 and recall >= 0.85


def test_tuning_and_test_pairs_are_apart():
    def texts(name):
        return {json.loads(l)["a"]["title"] for l in (FIXTURES / name).read_text().splitlines()}
    assert not texts("pairs_tune.jsonl") & texts("pairs_test.jsonl")


PLAN = WatchPlan([
    Source(id="fanuc-news", name="FANUC news", kind="feed", url="http://127.0.0.1/fanuc.xml",
           category="manufacturer"),
    Source(id="robot-journal", name="Robot journal", kind="feed", url="http://127.0.0.1/journal.xml",
           category="trade_journal"),
])


def _raw(source_id, n, title, summary, published="2026-03-02T08:00:00Z"):
    return RawItem(source_id=source_id, title=title, summary=summary, url=f"http://127.0.0.1/{source_id}/{n}",
                   guid=f"{source_id}-{n}", published=published, lang="en")


def _db():
    db = store.memory()
    sync_plan(db, PLAN)
    return db


def test_ingest_clusters_one_event_told_by_two_sources_and_keeps_other_events_apart():
    db = _db()
    journal, maker = PLAN.sources[1], PLAN.sources[0]
    ingest(db, journal, [
        _raw("robot-journal", 1, "New FANUC CRX-30iA cobot handles 30 kg payloads",
             "The CRX-30iA collaborative robot from FANUC offers a 30 kg payload and a 1,889 mm reach, "
             "targeting palletising and heavy material handling applications."),
        _raw("robot-journal", 2, "FANUC unveils M-950iA heavy robot for automotive body shops",
             "FANUC has introduced the M-950iA, a 500 kg payload industrial robot for spot welding of car bodies."),
    ])
    ingest(db, maker, [_raw("fanuc-news", 1, "FANUC launches CRX-30iA collaborative robot with 30 kg payload",
                            "FANUC has introduced the CRX-30iA, a collaborative robot with a 30 kg payload and "
                            "1,889 mm reach designed for palletising and heavy material handling.",
                            "2026-03-03T09:00:00Z")])
    rows = {r[0]: r[1] for r in db.execute("SELECT url, cluster_id FROM items")}
    first = rows["http://127.0.0.1/robot-journal/1"]
    assert rows["http://127.0.0.1/fanuc-news/1"] == first            # same story, id kept stable
    assert rows["http://127.0.0.1/robot-journal/2"] != first         # another event by the same maker
    shown = story_store.story(db, first)
    assert shown["size"] == 2 and set(shown["sources"]) == {"robot-journal", "fanuc-news"}
    lead_source = db.execute("SELECT source_id FROM items WHERE id = ?", [shown["lead_item_id"]]).fetchone()[0]
    assert lead_source == "fanuc-news"                               # primary source leads


def test_items_far_apart_in_time_start_separate_stories():
    db = _db()
    text = ("ISO publishes revised ISO 10218 robot safety standards",
            "ISO has published the 2025 editions of ISO 10218-1 and ISO 10218-2 for industrial robots.")
    ingest(db, PLAN.sources[1], [_raw("robot-journal", 1, *text, "2025-01-10T08:00:00Z")])
    ingest(db, PLAN.sources[0], [_raw("fanuc-news", 1, *text[::-1], "2025-09-10T08:00:00Z")])
    assert db.execute("SELECT count(DISTINCT cluster_id) FROM items").fetchone()[0] == 2


def test_ingest_stores_references_found_for_reference_pages_and_calendar():
    db = _db()
    ingest(db, PLAN.sources[0], [_raw("fanuc-news", 1, "Machinery Regulation readiness",
                                      "Our cobots will meet Regulation (EU) 2023/1230, applicable from 20 January 2027.")])
    assert [r["title"] for r in entity_store.items_for_reference(db, "eu_act", "2023/1230")] == [
        "Machinery Regulation readiness"]
    upcoming = entity_store.upcoming_dates(db, "2026-01-01")
    assert [(d["date"], d["refs"]) for d in upcoming] == [("2027-01-20", ["eu_act:2023/1230"])]
    assert entity_store.upcoming_dates(db, "2027-02-01") == []


def test_rebuild_recomputes_the_same_stories():
    db = _db()
    ingest(db, PLAN.sources[1], [_raw("robot-journal", 1, "KUKA opens new robot plant in Shunde",
                                      "KUKA has opened a new production site in Shunde, China, doubling capacity "
                                      "to 250,000 industrial robots a year.")])
    ingest(db, PLAN.sources[0], [_raw("fanuc-news", 1, "New KUKA factory in Shunde doubles robot output",
                                      "The new KUKA production site in Shunde doubles capacity to 250,000 "
                                      "industrial robots per year, the company said.")])
    before = sorted(db.execute("SELECT id, cluster_id FROM items").fetchall())
    assert stories.rebuild(db, batch=1) == 1
    assert sorted(db.execute("SELECT id, cluster_id FROM items").fetchall()) == before


def test_batch_band_sharing_counts_earlier_items_and_ignores_crowded_keys():
    """local_pairs (whole-batch numpy) against the plain definition: an item counts, per band,
    the earlier items of the batch with its key while at most BUCKET_CAP came before it."""
    import numpy as np

    from veille.stories import BUCKET_CAP, MIN_SHARED_BANDS, local_pairs

    rng = np.random.default_rng(3)
    # a few values per band: buckets both small and crowded beyond the cap
    keys = rng.integers(0, 2, size=(3 * BUCKET_CAP, 6)).astype(np.int64) * 1_000_003 - 7
    keys[:, :2] = rng.integers(0, 60, size=(3 * BUCKET_CAP, 2))
    expected: list[dict[int, int]] = []
    buckets: dict[tuple[int, int], list[int]] = {}
    for row in range(len(keys)):
        shared: dict[int, int] = {}
        for band, key in enumerate(keys[row].tolist()):
            bucket = buckets.setdefault((band, key), [])
            if len(bucket) <= BUCKET_CAP:
                for other in bucket:
                    shared[other] = shared.get(other, 0) + 1
            bucket.append(row)
        expected.append({o: n for o, n in shared.items() if n >= MIN_SHARED_BANDS})
    got = local_pairs(keys)
    assert got == expected
    assert any(len(found) for found in got) and max(len(b) for b in buckets.values()) > BUCKET_CAP + 1
    assert local_pairs(np.empty((0, 6), dtype=np.int64)) == []
