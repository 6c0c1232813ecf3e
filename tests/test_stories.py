"""Story clustering: held-out labeled pairs, and incremental clustering through ingest."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import sqlite_utils

from veille import store, stories, story_signing
from veille.ingest import Batch, ingest, ingest_many
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
        same = story_signing.pair_similarity((pair["a"]["title"], pair["a"]["summary"]),
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


_TEMPLATE: list = []


def _db():
    """A new in-memory database holding the plan's sources: a copy of one migrated once
    (migrating costs 0.1-0.2 s, copying half a millisecond; the pair files make 2,400)."""
    if not _TEMPLATE:
        _TEMPLATE.append(store.memory())
        sync_plan(_TEMPLATE[0], PLAN)
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    _TEMPLATE[0].conn.backup(conn)
    return sqlite_utils.Database(conn)


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


def test_a_summary_that_holds_a_whole_article_is_compared_by_its_lead():
    """Some feeds give the whole article as summary, others its first paragraphs: the story is
    told in the lead, so both are compared on it and join (over all of the article's words,
    its Jaccard with the excerpt is far under the threshold)."""
    syllables = "ba ce di fo gu la me ni po ru sa te vi zo".split()
    words = [a + b + c for a in syllables for b in syllables for c in syllables][:600]
    article = ("FANUC has introduced the CRX-30iA, a collaborative robot with a 30 kg payload and 1,889 mm "
               "reach designed for palletising. " + " ".join(f"{' '.join(words[i:i + 12])}." for i in range(0, 600, 12)))
    assert len(article) > 3 * story_signing.SUMMARY_CHARS
    excerpt = article[:article.rfind(" ", 0, story_signing.SUMMARY_CHARS + 1)]
    title = "FANUC launches CRX-30iA collaborative robot with 30 kg payload"
    assert story_signing.shingles(title, article) == story_signing.shingles(title, excerpt + " [...]")
    db = _db()
    ingest(db, PLAN.sources[0], [_raw("fanuc-news", 1, title, article)])
    ingest(db, PLAN.sources[1], [_raw("robot-journal", 1, title, excerpt + " [...]")])
    assert db.execute("SELECT count(DISTINCT cluster_id) FROM items").fetchone()[0] == 1


def test_items_far_apart_in_time_start_separate_stories():
    db = _db()
    text = ("ISO publishes revised ISO 10218 robot safety standards",
            "ISO has published the 2025 editions of ISO 10218-1 and ISO 10218-2 for industrial robots.")
    ingest(db, PLAN.sources[1], [_raw("robot-journal", 1, *text, "2025-01-10T08:00:00Z")])
    ingest(db, PLAN.sources[0], [_raw("fanuc-news", 1, *text[::-1], "2025-09-10T08:00:00Z")])
    assert db.execute("SELECT count(DISTINCT cluster_id) FROM items").fetchone()[0] == 2


def test_a_sources_templated_entries_stay_apart_and_an_entry_published_again_joins():
    """A standards body's feed words every publication notice alike: each notice is its own
    event, whether it arrives in the batch of the others or later; the same notice under a
    new id, and another source's copy of one, join its story."""
    boiler = ("This document specifies requirements and guidelines for the inherent safe design, "
              "protective measures and information for use of industrial robots and robot systems. "
              "It is published by the technical committee and replaces the previous edition.")
    notices = [f"Standard published: ISO {n}:2025" for n in ("10218-1", "10218-2", "13849-1", "13855")]
    db = _db()
    ingest(db, PLAN.sources[1], [_raw("robot-journal", k, title, boiler) for k, title in enumerate(notices[:2])])
    ingest(db, PLAN.sources[1], [_raw("robot-journal", k + 2, title, boiler) for k, title in enumerate(notices[2:])])
    assert db.execute("SELECT count(DISTINCT cluster_id) FROM items").fetchone()[0] == 4
    ingest(db, PLAN.sources[1], [_raw("robot-journal", 9, notices[3].upper() + ".", boiler)])   # again, new id
    ingest(db, PLAN.sources[0], [_raw("fanuc-news", 1, notices[0], "ISO 10218-1:2025. " + boiler)])
    clusters = dict(db.execute("SELECT guid, cluster_id FROM items").fetchall())
    assert len(set(clusters.values())) == 4
    assert clusters["robot-journal-9"] == clusters["robot-journal-3"]
    assert clusters["fanuc-news-1"] == clusters["robot-journal-0"]


def test_an_alert_feeds_entry_and_the_journals_own_are_one_item():
    """Google Alerts links through a redirect: read as the article it leads to, the alert's
    entry is the journal's entry seen in a second source (no fetch: the link is data)."""
    db = _db()
    article = "http://127.0.0.2/news/kuka-shunde"
    ingest(db, PLAN.sources[1], [RawItem(source_id="robot-journal", title="KUKA opens new robot plant in Shunde",
                                         summary="KUKA has opened a new site in Shunde.", url=article,
                                         guid="journal-1", published="2026-03-02T08:00:00Z", lang="en")])
    ingest(db, PLAN.sources[0], [RawItem(source_id="fanuc-news", title="KUKA opens new <b>robot</b> plant in Shunde",
                                         summary="... the German <b>robot</b> maker doubles its capacity ...",
                                         url=f"https://www.google.com/url?rct=j&sa=t&url={article}&ct=ga&usg=AOvVaw",
                                         guid="tag:google.com,2013:googlealerts/feed:1", lang="en")])
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM item_sources").fetchone()[0] == 2


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


def test_stable_order_is_numpys_stable_argsort():
    """Equal keys keep their order (the band and anchor indexes' tie-breaks rest on it)."""
    import numpy as np

    from veille.story_index import stable_order

    rng = np.random.default_rng(5)
    for size in (0, 1, 7, 5000):
        for top in (2, 100, 1 << 62):
            keys = rng.integers(-top, top, size=size, dtype=np.int64)
            assert np.array_equal(stable_order(keys), np.argsort(keys, kind="stable"))


def test_anchors_of_french_and_english_sentences():
    """Codes, text numbers, figures with a unit and names are anchors; dates, years, small
    numbers, sentence-initial words and the capitals of an English title-case headline not.
    An EU act known by a common name (the Machinery Regulation's 2023/1230) weighs as a name."""
    from veille.references import fold
    from veille.story_anchors import CODE, FIGURE, NAME, anchor_tokens

    fr = anchor_tokens(fold("Stratasys dévoile la F5000, une imprimante FDM"),
                       fold("Le décret n° 2026-214 du 3 mars 2026 modifie le règlement (UE) 2023/1230 ; "
                            "la brochure ED 6542 de l'INRS et 2 500 exposants à Villepinte."))
    assert fr == {("f5000", CODE), ("fdm", NAME), ("2026-214", CODE), ("2023/1230", NAME),
                  ("ed6542", CODE), ("inrs", NAME), ("2500exposants", FIGURE), ("villepinte", NAME)}
    en = anchor_tokens(fold("Stratasys Introduces F5000 Industrial FDM Printer for High-Temperature Tooling"),
                       fold("Siemens has released a firmware update for SIMATIC S7-1500 CPUs, 30 kg, "
                            "effective 11 September 2026. The Lyon-based Visionik joins."))
    assert en == {("f5000", CODE), ("fdm", NAME), ("simatic", NAME), ("s7-1500", CODE), ("cpus", NAME),
                  ("30kg", FIGURE), ("lyon-based", NAME), ("visionik", NAME)}



def test_a_sentence_start_gives_an_anchor_only_when_it_is_a_code_or_an_acronym():
    """Every word opening a sentence is capitalised: a plain or compound word there is no
    name (the extraction skips plain ones early); a code or an acronym there is an anchor,
    and a name inside the sentence still is."""
    from veille.story_anchors import CODE, FIGURE, NAME, NUMBER, anchor_tokens

    found = anchor_tokens("Robots arrive", "Lancement. F5000 livre. ISO publie. Lyon-based firm. "
                                           "Mno.Pqr suit! Nouveau:Visionik, Siemens et 12 345 postes.Fin")
    assert found == {("f5000", CODE), ("iso", NAME), ("siemens", NAME), ("12345postes", FIGURE)}
    assert anchor_tokens("Robots", "Le robot. Le cobot.  Deux  robots. 2026-214 fixe 9001 pieces") == {
        ("2026-214", CODE), ("9001", NUMBER)}


def test_a_standards_number_weighs_as_a_name_and_a_models_code_as_a_code():
    """A standard is the field's vocabulary (a course, a launch and the standard's publication
    cite it alike), as an act with a common name is; a maker's code and a French decree's
    number are rare codes, and "en" in small letters is the preposition."""
    from veille.story_anchors import CODE, NAME, anchor_tokens

    found = anchor_tokens("Formation : réussir la transition vers l'ISO 14001:2026",
                          "Conforme à l'EN ISO 13849-1, à la IEC 62443-3-3 et à l'ISO 9001 ; le robot HC30PL "
                          "et le décret 2026-214 ; livré en 2026-03 lots.")
    assert {("iso14001", NAME), ("13849-1", NAME), ("62443-3-3", NAME), ("iso9001", NAME)} <= found, found
    assert {("hc30pl", CODE), ("2026-214", CODE), ("2026-03", CODE)} <= found, found


def _anchor_scores(codes, days, ids, stored, near, story=None, **options) -> list[dict[int, float]]:
    """Every batch row's anchor scores, row after row, ``story`` giving each row's story
    (by default each row a story of its own)."""
    from veille.story_anchors import AnchorScorer

    scorer = AnchorScorer(codes, days, ids, stored, near, count_days=15, near_days=4, cap=8, **options)
    return [scorer.row(n, (story or list(range(len(codes)))).__getitem__) for n in range(len(codes))]


def test_anchor_scores_count_the_batch_and_ignore_names_alone_and_common_codes():
    """Within a batch: a code two items share scores 1 for the later one; a name alone
    scores nothing; a code carried beyond the cap by stored items weighs nothing; an item
    sharing nothing has no score. A code two earlier items of one story carry is carried by
    one story: it weighs 1, not 1/2."""
    import numpy as np

    from veille.story_anchors import CODE, NAME

    code, name, common, own = (np.int64(h << 2 | kind) for h, kind in
                               ((11, CODE), (12, NAME), (13, CODE), (14, CODE)))
    codes = [np.array(c, dtype=np.int64) for c in
             ([code, name, common], [code, common], [name, own], [common])]
    stored = [np.array([0, 0, 9]), np.array([0, 9]), np.array([0, 0]), np.array([9])]
    got = _anchor_scores(codes, [100, 101, 102, 120], [1, 2, 3, 4], stored, [{}, {}, {}, {}])
    assert got == [{}, {1: 1.0}, {}, {}]
    three = [np.array([code], dtype=np.int64)] * 3
    apart = _anchor_scores(three, [100, 101, 102], [1, 2, 3], [np.array([0])] * 3, [{}] * 3)
    assert apart[2] == {1: 0.5, 2: 0.5}
    one_story = _anchor_scores(three, [100, 101, 102], [1, 2, 3], [np.array([0])] * 3, [{}] * 3,
                               story=[1, 1, 3])
    assert one_story[2] == {1: 1.0, 2: 1.0}


def _stream_pairs(rows: list[dict], order: list[int]) -> tuple[int, int, int]:
    """(same-language pairs of one event in one story, such pairs, pairs of different
    events in one story) after ingesting a labelled stream's ``rows`` (event, source, lang,
    published, title, summary) in ``order``, a source's consecutive items in one call.
    Cross-language pairs are not counted (not a target)."""
    import itertools

    plan = WatchPlan([Source(id=s, name=s, kind="feed", url=f"http://127.0.0.1/{s}.xml",
                             category="trade_journal") for s in sorted({r["source"] for r in rows})])
    db = store.memory()
    sync_plan(db, plan)
    by_id = {s.id: s for s in plan.sources}
    for source_id, group in itertools.groupby(order, key=lambda n: rows[n]["source"]):
        ingest(db, by_id[source_id], [RawItem(
            source_id=source_id, title=rows[n]["title"], summary=rows[n]["summary"],
            url=f"http://127.0.0.1/{source_id}/{n}", guid=f"item-{n}", published=rows[n]["published"],
            lang=rows[n]["lang"]) for n in group])
    cluster = {int(guid[5:]): c for guid, c in db.execute("SELECT guid, cluster_id FROM items")}
    joined = pairs = wrong = 0
    for a, b in itertools.combinations(range(len(rows)), 2):
        if rows[a]["lang"] != rows[b]["lang"]:
            continue
        together = cluster[a] == cluster[b]
        if rows[a]["event"] is not None and rows[a]["event"] == rows[b]["event"]:
            pairs += 1
            joined += together
        else:
            wrong += together
    return joined, pairs, wrong


def _in_order(rows: list[dict], seed: int | None) -> list[int]:
    """Publication order, or a shuffled one (a crawl stores what it fetched first first)."""
    import random

    order = sorted(range(len(rows)), key=lambda n: (rows[n]["published"], n))
    if seed is not None:
        random.Random(seed).shuffle(order)
    return order


def _demo_story_pairs() -> tuple[int, int, int]:
    """``_stream_pairs`` of the demo's items (their story groups) in publication order."""
    from datetime import datetime, timezone

    from veille.demo.bundle import load_content

    content = load_content()
    lang = {s.id: s.language for s in content.sources}
    now = datetime(2026, 10, 20, tzinfo=timezone.utc)
    rows = [{"event": d.story, "source": d.source, "lang": lang[d.source], "title": d.title,
             "summary": d.summary_for("http://127.0.0.1"), "published": d.published(now).isoformat()}
            for d in sorted(content.items, key=lambda d: -d.age_hours)]
    return _stream_pairs(rows, list(range(len(rows))))


def test_demo_rewrites_of_one_event_join_and_different_events_stay_apart():
    """The demo's hand-written same-story groups: 3 of 18 same-language pairs joined on
    MinHash alone, 7 with anchors, 8 with organisation keys, 11 with an anchor's rarity
    counted in stories, 10 with a standard's number weighed as a name (the two items on ISO
    10218's revision share little else); none of the other pairs (the 301 items without a
    story are all different events, dense in time) is put in one story."""
    joined, pairs, wrong = _demo_story_pairs()
    assert pairs == 18
    assert joined >= 10
    assert wrong == 0


@pytest.mark.parametrize("name, seed, least_joined, most_wrong", [
    # Streams of about 150 items over three weeks, written unseen in session 27 (helpers who
    # saw no code, one brief): about 36 events told by 2 to 5 sources each (the maker's
    # release, journals' rewrites, a newsletter's copy, briefs) among about 47 items telling
    # events of their own, hard ones close in time (one maker's other news, one regulation's
    # other stage, courses and guides citing the same acts, one fair's other exhibitors).
    # A: production technology; B: regulation and QSE; C: a mix, more events told by 3 to 5.
    # Errors not read. Publication order, then two shuffled orders (a crawl's storing order):
    #   A (116 pairs): rarity in items 57, 57, 50; in stories 58, 64, 54; with stories
    #     merged 66, 71, 64; no wrong pair
    #   B (98): 55, 52, 48 (0, 2, 2 wrong); 59, 60, 58 (3 wrong each: one item in a story of
    #     three); merged 61, 60, 60 (the same 3)
    #   C (101), written after A and B were measured, measured once with the three codes:
    #     53, 50, 53; 54, 52, 55; merged 65, 65, 65; no wrong pair
    # Session 28 read B's wrong pairs (a course "Formation : réussir la transition vers l'ISO
    # 14001:2026" joined to the three items on the standard's publication) and weighs a
    # standard's number as a name: A the same; B 60, 61, 61, no wrong pair; C 64, 64, 64
    ("stream_A.jsonl", None, 66, 0), ("stream_A.jsonl", 1, 71, 0), ("stream_A.jsonl", 2, 64, 0),
    ("stream_B.jsonl", None, 60, 0), ("stream_B.jsonl", 1, 61, 0), ("stream_B.jsonl", 2, 61, 0),
    ("stream_C.jsonl", None, 64, 0), ("stream_C.jsonl", 1, 64, 0), ("stream_C.jsonl", 2, 64, 0),
    # D (69 pairs, production technology) and E (75, regulation and QSE), written unseen in
    # session 29 and measured once with its first code: D 40, E 30 in each order, no wrong pair
    ("stream_D.jsonl", None, 40, 0), ("stream_D.jsonl", 1, 40, 0), ("stream_D.jsonl", 2, 40, 0),
    ("stream_E.jsonl", None, 30, 0), ("stream_E.jsonl", 1, 30, 0), ("stream_E.jsonl", 2, 30, 0)])
def test_streams_written_unseen_keep_their_measured_figures(name, seed, least_joined, most_wrong):
    rows = [json.loads(line) for line in (FIXTURES / "streams" / name).read_text(encoding="utf-8").splitlines()]
    joined, pairs, wrong = _stream_pairs(rows, _in_order(rows, seed))
    assert pairs == {"stream_A.jsonl": 116, "stream_B.jsonl": 98, "stream_C.jsonl": 101,
                     "stream_D.jsonl": 69, "stream_E.jsonl": 75}[name]
    assert joined >= least_joined and wrong <= most_wrong, (joined, wrong)


def test_test_pairs_through_ingest_keep_full_precision_and_recall():
    """Held-out pairs (never tuned on), ingested one after the other: MinHash and anchors
    together join every same-event pair and no different-event pair."""
    wrong = []
    for n, line in enumerate((FIXTURES / "pairs_test.jsonl").read_text(encoding="utf-8").splitlines()):
        pair = json.loads(line)
        db = _db()
        for source, side in zip(PLAN.sources, "ab"):
            ingest(db, source, [_raw(source.id, n, pair[side]["title"], pair[side]["summary"])])
        joined = db.execute("SELECT count(DISTINCT cluster_id) FROM items").fetchone()[0] == 1
        if joined != pair["same"]:
            wrong.append(pair["a"]["title"])
    assert wrong == []


def _pairs_through_ingest(name: str) -> tuple[int, int, int]:
    """(same-event pairs joined, same-event pairs, different-event pairs joined) when each
    pair of a fixture is ingested into a fresh database, one item per source."""
    joined = same = wrong = 0
    for n, line in enumerate((FIXTURES / name).read_text(encoding="utf-8").splitlines()):
        pair = json.loads(line)
        db = _db()
        for source, side in zip(PLAN.sources, "ab"):
            ingest(db, source, [_raw(source.id, n, pair[side]["title"], pair[side]["summary"])])
        together = db.execute("SELECT count(DISTINCT cluster_id) FROM items").fetchone()[0] == 1
        same += pair["same"]
        joined += together and pair["same"]
        wrong += together and not pair["same"]
    return joined, same, wrong


@pytest.mark.parametrize("name, least_joined, most_wrong", [
    # written unseen, each measured once (32 and 33 joined then), tuned on since with the
    # organisation keys: the first joins no different-event pair; the second joins three
    # (two cobot launches, a yearly report's two editions, a sale considered and completed).
    # Issue 9's target (P >= 0.95 at R >= 0.85) is not reached on rewritten announcements
    # (docs/stories.md).
    ("pairs_rewrites.jsonl", 42, 0),
    # (three wrong joins before codes and figures of one kind named apart vetoed anchor joins)
    ("pairs_rewrites_heldout.jsonl", 44, 1),
    # a third set, written unseen and measured once with the organisation keys in place:
    # precision 0.95 (a show launch and an order of the same printers; two years' half-year
    # orders), recall 0.42; without the keys 0.94 / 0.31
    ("pairs_rewrites_heldout2.jsonl", 42, 0),
    # a fourth, written unseen as paraphrases (a teaser headline, the company described and
    # not named, figures spelt out), measured once: no same-event pair joined, two wrong
    # joins (a deal agreed and completed, a foundry's receivership and its takeover). Its
    # same-event pairs share no more words than its different-event pairs (median stem
    # Jaccard 0.09 and 0.085): beyond what near-duplicate detection can see. The foundry's
    # receivership and its takeover are two kinds of event by their headlines (one wrong join left)
    ("pairs_rewrites_heldout3.jsonl", 0, 1),
    # a fifth, written unseen in session 11 as an ordinary mix of how two sources write one
    # event (a release and a journal's own article, another angle, a newsletter's brief) and
    # measured once: 19 joined, 2 wrong (two makers' cobot launches; a magnet supply deal and
    # the plant's start). Its same-event pairs share a median stem Jaccard of 0.14, its
    # different-event pairs 0.085: written independently, not republished
    ("pairs_rewrites_heldout4.jsonl", 19, 2),
    # releases as other outlets republish them (light edits, rewrites keeping the facts, briefs)
    # beside hard different events (one maker's two models, one regulation's two stages, two
    # plants), written unseen and measured once: 99 joined, 17 wrong (precision 0.85, anchors
    # joining one maker's other news); with codes, numbers and figures of one kind named on
    # both sides apart (story_anchors.conflicting) and "25,000" read whole: 98 joined, 5 wrong;
    # with years, amounts in millions and a headline's step (a draft, the text adopted) too: 3;
    # with headlines stating two kinds of event (a funding round, a subsidiary opened): 2
    ("pairs_republished.jsonl", 97, 2),
    # a second such set, harder different events, written unseen and measured once with the
    # codes' and figures' check: 96 joined, 22 wrong (precision 0.81; 29 with the session's
    # first code); with years, millions and steps: 96 joined, 10 wrong (one maker's two
    # partners, places or versions by name, a funding round and a takeover); with headlines
    # stating two kinds of event (story_headlines) and two versions (ControlOS 3.0 and 3.1): 4
    # (one maker's two partners or two places); with the towns, customers and partners a
    # headline names after "à", "in", "with", "selects", absent from the other item: 0
    ("pairs_republished2.jsonl", 95, 0),
    # two more, written unseen (makers' and vendors' news; regulators', inspectorates' and
    # institutes' news) and measured once with the session's first headline check: 90 joined,
    # 8 wrong (P 0.92; 91 and 8 with the code before it) and 91 joined, 3 wrong (P 0.97; the
    # same before it). With deal steps, versions as such, an order apart from a delivery done
    # and a consultation's outcome: 3 and 2 wrong; with the headlines' towns, customers and
    # partners: 1 and 2 (one maker's centres in two towns, whose items share most words: a
    # MinHash join from 0.6 is not checked; two sectors' or two materials' rules under one template)
    # Session 13: an institute named in full in one item and with its acronym in the other
    # now keys alike (IMRP): two of its guides, on dust and on hydrogen ATEX zoning, join (3
    # wrong in set 4); set 3 joins one more rewrite (92), set 5 too (87)
    # Session 27: an EU act known by a common name weighs as a name (the field's vocabulary):
    # set 4 loses two rewrites sharing only the AI Act's or the Batteries Regulation's number
    # and a date (91 -> 89), set 5 one (the Data Act's, 88 -> 87), set 7 a wrong join (the
    # Machinery Regulation published and applying)
    # Session 28: a standard's number weighs as a name too: set 4 loses one more rewrite (89 ->
    # 88), set 5 one (87 -> 86)
    ("pairs_republished3.jsonl", 92, 1),
    ("pairs_republished4.jsonl", 88, 3),
    # a fifth (mixed), written unseen and measured once with all the above: 88 joined, 8 wrong
    # (P 0.92; 89 and 9 with the session's first code); with a deal called off, a site's works
    # begun apart from its opening, a delivery completed, figures of one unit in the headlines
    # (250 kW and 7.5 kW): 4 wrong (two appointments, two launches of one maker, two grants).
    # Session 12: 88 -> 86, the names' second reader reading the bought company on both sides
    # of two takeovers (Mesurix, Brenner Werkzeugmaschinen): a key's word is no rare anchor, and
    # two shared keys alone are no evidence (tried: +14 joins over seven sets, but the OPC
    # Foundation's and the VDMA's two companion specifications joined too)
    ("pairs_republished5.jsonl", 86, 4),
    # a sixth, an ordinary mix written at the session's end (headlines from other angles),
    # measured once and not tuned on: 76 joined, 2 wrong (P 0.97, R 0.76), the same as with the
    # session's first code (an order to two plants' owners; a permit applied for and granted)
    ("pairs_republished6.jsonl", 75, 2),
    # a seventh, written unseen in session 10 (a third near-verbatim, a third rewritten, a third
    # strongly rewritten keeping names and figures; two thirds of the different events hard) and
    # measured once: 100 joined, 3 wrong (P 0.97, R 1.00: a regulation published and applying,
    # two countries' NIS2 laws, an order and its second order)
    ("pairs_republished7.jsonl", 100, 2)])
def test_rewritten_announcements_keep_their_measured_figures(name, least_joined, most_wrong):
    """200 pairs each: 100 same-event pairs as two outlets write them (briefs, another
    angle, abbreviations, amounts written otherwise) and 100 mostly hard different-event
    pairs (same maker other news, same deal announced and completed, same regulation at
    another stage, same fair another year)."""
    joined, same, wrong = _pairs_through_ingest(name)
    assert same == 100
    assert joined >= least_joined and wrong <= most_wrong, (joined, wrong)


def test_items_naming_their_own_codes_or_figures_of_one_kind_tell_two_events():
    from veille.story_anchors import anchor_tokens, conflicting

    launch = ("Sunagawa adds 1,000 mm SR-1000 SCARA", "The SR-1000 reaches 1,000 mm with a 20 kg payload.")
    assert conflicting(launch, ("Sunagawa launches compact SR-400 SCARA", "The SR-400 reaches 400 mm."))
    assert conflicting(("Hydrava to supply 50 MW electrolyser", "A 50 MW unit for Rotterdam."),
                       ("Hydrava wins 20 MW electrolyser order", "A 20 MW unit for Linz."))
    # a brief drops figures, another code of another shape (an article, an act) is no conflict
    assert not conflicting(launch, ("SR-1000 SCARA from Sunagawa", "A 1 000 mm reach for the SR-1000."))
    assert not conflicting(("Décret : article R4311-4 modifié", "Le décret modifie l'article R4311-4."),
                           ("Décret machines", "Il adapte le code du travail à la directive 2006/42/CE."))
    # two steps of one rule by their headlines, two years' reports, two amounts in millions
    assert conflicting(("Granulés plastiques : un projet d'arrêté soumis à consultation", "Le projet fixe des règles."),
                       ("Pertes de granulés plastiques : l'arrêté est publié", "L'arrêté fixe des règles."))
    assert conflicting(("Workplace fatalities fell to 138 in 2023", "The annual report shows a fall."),
                       ("Workplace deaths rose to 146 in 2024", "The annual report shows a rise."))
    assert conflicting(("Visserie Dauphinoise investit 9 millions d'euros à Cluses", "Une nouvelle ligne."),
                       ("Visserie Dauphinoise investit 14 millions d'euros au Maroc", "Un nouveau site."))
    assert not conflicting(("Arrêté publié : granulés plastiques", "L'arrêté fixe des règles en 2026."),
                           ("Granulés : l'arrêté est paru", "Il fixe des règles applicables en 2026."))
    # thousands written with a comma or a space are one number
    assert ("25000tonnes", 2) in anchor_tokens("Plant", "recycles 25,000 tonnes") \
        and ("25000tonnes", 2) in anchor_tokens("Usine", "recycle 25 000 tonnes")


def test_headlines_stating_two_kinds_of_event_or_two_versions_tell_two_events():
    from veille.story_anchors import conflicting
    from veille.story_headlines import apart, events

    def item(title):
        return title, "The same maker, the same product line, the same words."

    # one start-up's funding round and its takeover; a launch and a first delivery
    assert apart("Gripnetic raises €12 million to scale production", "Kronmark acquires gripper maker Gripnetic")
    assert apart("Soudia lève 6 millions d'euros", "Le groupe Schweisstec rachète la start-up Soudia")
    assert apart("Orlo unveils OR-Weld cobot package", "First OR-Weld packages delivered to trailer maker")
    assert conflicting(item("Praxia Robotics lève 22 millions d'euros"), item("Praxia Robotics ouvre sa filiale à Stuttgart"))
    # two outlets' words for one kind, a headline stating none, a deal completed is no closure
    assert not apart("Layerwise raises $19 million Series B", "Layerwise closes $19m round")
    assert not apart("Nano Dimension completes Desktop Metal acquisition", "Nano Dimension closes Desktop Metal deal")
    assert not apart("Cobotix ouvre une usine à Angers", "Cobotix inaugure son usine angevine")
    assert not apart("Atomis signe un accord de fourniture avec Inductherm", "Inductherm : Atomis fournira sa poudre")
    assert not apart("Terre cuite : un four électrique à Castelnaudary", "Les Tuileries lancent un four électrique")
    assert "closure" in events("Solvane to close TDI unit in Brunsbeck") and "closure" not in events("Solvane closes deal")
    # two versions by their headlines, though the newer item's summary names the older
    assert conflicting(("Nordtek releases ControlOS 3.0", "ControlOS 3.0 adds containers."),
                       ("Nordtek ControlOS 3.1 adds secure boot", "After ControlOS 3.0, version 3.1 adds secure boot."))
    assert conflicting(item("Planifab 5 ajoute l'ordonnancement multi-sites"), item("Planifab 6 intègre l'énergie"))
    assert conflicting(item("Atelio MES 8 ajoute un assistant"), item("Atelio publie la version 7 de son MES"))
    # one deal agreed, cleared, completed; an order and a delivery done; a consultation and its outcome
    assert apart("Kessington agrees to buy Rollmark for $640 million", "EU clears Kessington's Rollmark takeover")
    assert not apart("Nano Dimension completes Desktop Metal acquisition", "Nano Dimension finalises Desktop Metal deal")
    assert apart("First Ardmore tram delivered to West Valley Metro", "Ardmore Rail to supply 28 trams to West Valley")
    assert not apart("Fives livre quatre centres d'usinage à Dassault", "Rafale : Dassault commande des machines Fives")
    assert apart("Rubrique 2560 : consultation sur un projet d'arrêté", "Rubrique 2560 : la synthèse de la consultation")
    assert not apart("Légionelles : la synthèse de la consultation publiée", "214 contributions à la consultation")
    assert apart("Colorep remporte une commande de lignes de peinture", "Colorep : la commande de lignes suspendue")
    assert apart("Ardent Glass breaks ground on electric furnace in Wales", "Ardent Glass fires up its electric furnace")
    # a strike and its end; a trial and the rollout that follows it (a test bench is no trial)
    assert apart("Workers strike at Norbury Engines plant", "Norbury Engines strike ends after workers ratify contract")
    assert apart("Grève chez Fonderie Vallet", "Fonderie Vallet : fin de la grève après un accord salarial")
    assert not apart("Workers strike at Norbury Engines plant", "Norbury Engines workers walk out over pay")
    assert apart("Kelso Yards trials exoskeletons for welders", "Kelso Yards rolls out exoskeletons to 80 welders")
    assert not apart("Impression 3D : les PME ont leur banc d'essai", "Le Cetam inaugure une plateforme d'impression 3D")
    assert not apart("Orbis opens US assembly plant for mobile robots", "Orbis to build heavy-load AMRs in South Carolina")
    assert not apart("Commentry : 230 emplois suspendus au sort de la fonderie", "La fonderie en redressement judiciaire")
    assert conflicting(item("Kaltmann extends KD drive family to 250 kW"), item("Kaltmann launches drives up to 7.5 kW"))
    # one maker's two towns, two partners; a brief not naming the town is no other place
    assert conflicting(item("Mecavia ouvre un centre de réparation à Toulouse"), item("Mecavia s'implante à Nantes"))
    assert conflicting(item("Quellbrook partners with Stratus Cloud on MES"), item("Quellbrook partners with Nakamura Electric"))
    assert conflicting(item("Menuiseries Arvel couvrent le parking de leur site d'Angers"),
                       item("Menuiseries Arvel installent 2 MWc sur leur usine de Cholet"))
    assert not conflicting(("Menuiseries Arvel équipent leur usine de Cholet", "Des panneaux solaires."),
                           ("Des panneaux solaires pour Menuiseries Arvel", "L'usine de Cholet produit ainsi 25 %."))
    assert not conflicting(("ABB ouvre un centre robotique à Saint-Ouen-l'Aumône", "Un showroom de 1 200 m²."),
                           ("Un showroom robotique pour ABB en Île-de-France", "Le centre de Saint-Ouen-l'Aumône ouvre."))
    assert not conflicting(item("Planifab 5 ajoute l'ordonnancement multi-sites"), item("Planifab : 5 nouveautés"))
    # a French decimal comma is one figure, a peak watt a unit: 1,2 MWc and 2 MWc are two plants
    assert conflicting(item("Solarel met en service 1,2 MWc en toiture"), item("Solarel met en service 2 MWc en toiture"))
    assert not conflicting(item("Solarel met en service 1,2 MWc en toiture"),
                           ("Une toiture solaire de 1,2 MWc pour Solarel", "La centrale de 1,2 MWc produit depuis lundi."))


def test_an_organisation_key_meets_its_long_name_and_its_first_word():
    from veille.story_anchors import key_codes

    def meet(a: str, b: str) -> bool:
        return bool(set(key_codes([a])[0]) & set(key_codes([b])[0]))

    assert meet("Health and Safety Executive", "HSE")
    assert meet("Institut national de recherche et de sécurité", "INRS")
    assert meet("Mitsubishi Electric", "Mitsubishi") and meet("Stäubli", "Staubli")
    assert not meet("Health and Safety Executive", "ECHA") and not meet("Fanuc", "Kuka")
    # a key's codes are not those of its words as name anchors
    codes, groups, words = key_codes(["Mitsubishi Electric", "KUKA"])
    assert groups == [0, 1] and not set(codes) & set(words)


@pytest.mark.parametrize("course_first", [True, False])
@pytest.mark.parametrize("one_batch", [True, False])
def test_a_decree_four_sources_tell_is_one_story_and_a_course_citing_its_acts_another(course_first, one_batch):
    """The demo's decree told by four sources shares its number, 2026-214, and little
    wording: the four join on it, as one story counts once in its rarity however many
    sources told it (counted in items, it weighed a third for the fourth). A training
    course on moving from the Machinery Directive to the Machinery Regulation shares the
    decree's story those acts' numbers, rare in a new database (its first crawl): they are
    the field's vocabulary, not the event's, and it stays apart, whatever the order and
    whether the items come in one crawl group or one by one."""
    from datetime import datetime, timezone

    from veille.demo.bundle import load_content

    content = load_content()
    decree = [d for d in content.items if d.story == "decret-machines-2026"]
    course = content.item("cetim-demo", "formation-reglement-machines")
    assert len(decree) == 4 and len({d.source for d in decree}) == 4 and course.story is None
    plan = WatchPlan([Source(id=d.source, name=d.source, kind="feed", url=f"http://127.0.0.1/{d.source}.xml",
                             category="trade_journal") for d in [course, *decree]])
    db = store.memory()
    sync_plan(db, plan)
    now = datetime(2026, 10, 20, tzinfo=timezone.utc)
    told = sorted(decree, key=lambda d: -d.age_hours)
    batches = [(plan.sources[[course, *decree].index(d)], [RawItem(
        source_id=d.source, title=d.title, summary=d.summary_for("http://127.0.0.1"),
        url=f"http://127.0.0.1{d.path}", guid=d.path, published=d.published(now).isoformat())])
        for d in ([course, *told] if course_first else [*told, course])]
    if one_batch:
        ingest_many(db, [Batch(source, raws) for source, raws in batches])
    else:
        for source, raws in batches:
            ingest(db, source, raws)
    cluster = dict(db.execute("SELECT guid, cluster_id FROM items").fetchall())
    assert len({cluster[d.path] for d in decree}) == 1
    assert cluster[course.path] != cluster[decree[0].path]


def test_an_item_telling_two_stories_merges_the_later_into_the_earlier():
    """Two journals' rewrites of one launch share too few words to join (estimated Jaccard
    about 0.2); the maker's release, stored after them, is near both: the two stories are
    one, under the first item's id, whatever order the crawl stored them in."""
    plan = WatchPlan(PLAN.sources + [Source(id="vireon-news", name="Vireon news", kind="feed",
                                            url="http://127.0.0.1/vireon.xml", category="manufacturer")])
    db = store.memory()
    sync_plan(db, plan)
    first = ("Vireon lance le bras HX-4410 pour l'assemblage de précision",
             "Le constructeur grenoblois Vireon présente le HX-4410, un bras six axes de 14 kg de charge "
             "utile destiné aux ateliers d'assemblage électronique. Premières livraisons en juin.")
    second = ("HX-4410 : Vireon cible les sous-traitants de l'électronique",
              "Avec 14 kg de charge, le nouveau robot de Vireon veut séduire les sous-traitants de cartes "
              "électroniques, qui recherchent des cellules compactes et rapides à reprogrammer.")
    release = ("Vireon lance le HX-4410, un bras de 14 kg pour les sous-traitants de l'électronique",
               "Vireon présente le HX-4410, un bras six axes de 14 kg de charge utile destiné aux ateliers "
               "d'assemblage électronique. Le robot veut séduire les sous-traitants de cartes électroniques, "
               "qui recherchent des cellules compactes et rapides à reprogrammer.")
    for n, (title, summary) in enumerate((first, second, release)):
        ingest(db, plan.sources[n], [_raw(plan.sources[n].id, n, title, summary)])
        if n == 1:
            assert db.execute("SELECT count(DISTINCT cluster_id) FROM items").fetchone()[0] == 2
    ids = [db.execute("SELECT id FROM items WHERE guid = ?", [f"{s.id}-{n}"]).fetchone()[0]
           for n, s in enumerate(plan.sources)]
    assert {r[0] for r in db.execute("SELECT cluster_id FROM items")} == {ids[0]}
    assert db.execute("SELECT id, size FROM clusters").fetchall() == [(ids[0], 3)]
    assert story_store.story(db, ids[0])["sources"] == [s.id for s in plan.sources]


def test_a_shared_key_joins_with_another_rare_anchor_not_alone():
    """Scores as stories.best_matches reads them: a shared organisation key with a rare
    plain anchor (a place's name) reaches the key score; the key alone, or with a name that
    only repeats one of its words, scores nothing (one maker's other news)."""
    from veille import story_anchors as sa

    place, word = sa._code("haguenau", sa.NAME), sa._code("siemens", sa.NAME)
    codes, groups = sa.with_keys(np.array(sorted([place, word]), dtype=np.int64), ["Siemens AG"])
    key_at = [k for k, g in enumerate(groups.tolist()) if g == 0]
    assert groups[codes.tolist().index(word)] == sa.ORG_WORD and len(key_at) == 1

    def score(shared: list[int]) -> float:
        positions = [codes.tolist().index(c) for c in shared]
        found = _anchor_scores([codes], [100], [2], [np.ones(len(codes), dtype=np.int64)],
                               [{1: positions}], groups=[groups], key_score=0.7)
        return found[0].get(1, 0.0)

    key = int(codes[key_at[0]])
    assert score([key, place]) == 0.7
    assert score([key]) == 0.0 and score([key, word]) == 0.0 and score([place]) == 0.0



def test_signatures_do_not_depend_on_the_shingles_met_before():
    import zlib

    sets = [{f"w{k}" for k in range(n, n + 40)} for n in range(0, 300, 7)]
    ids = [np.array([zlib.crc32(w.encode()) for w in s], dtype=np.uint64) for s in sets]
    expected = np.stack([((i[:, None] * story_signing._MUL + story_signing._ADD) >> np.uint64(32)).min(axis=0)
                         for i in ids]).astype(np.uint32)
    small = story_signing._Vocabulary(capacity=64)     # forgets its rows several times
    saved, story_signing._VOCABULARY = story_signing._VOCABULARY, small
    try:
        first, again = story_signing.signatures(sets), story_signing.signatures(sets[::-1])[::-1]
    finally:
        story_signing._VOCABULARY = saved
    assert np.array_equal(first, expected) and np.array_equal(again, expected)
    assert np.array_equal(story_signing.signatures(sets), expected)


def test_signing_texts_gives_the_signatures_of_their_shingles():
    """Texts are signed from their runs of word characters (a run may hold several words,
    or a stopword), with a vocabulary that forgets and grows mid-batch: the signatures are
    those of the texts' shingle sets."""
    items = [RawItem(source_id="s", title=f"Cobot {k}: x.-y a..b, les robots", summary=" ".join(
        f"w{j} v{j}.-u{j}.." for j in range(k, k + 3 * k + 5))) for k in range(0, 60, 3)]
    expected = story_signing.signatures([story_signing.shingles(it.title, it.summary) for it in items])
    saved, story_signing._VOCABULARY = story_signing._VOCABULARY, story_signing._Vocabulary(capacity=64)
    try:
        small = story_signing.sign(items)
    finally:
        story_signing._VOCABULARY = saved
    too_short = [len(story_signing.shingles(it.title, it.summary)) < 5 for it in items]
    for signed in (small, story_signing.sign(items)):
        assert [f is None for f in signed] == too_short
        assert all(np.array_equal(f.signature, e) for f, e in zip(signed, expected) if f is not None)


def test_signed_batch_crosses_processes_unchanged():
    import pickle

    items = [RawItem(source_id="s", title=t, summary=s) for t, s in [
        ("Yaskawa launches Motoman HC30PL palletising cobot",
         "Yaskawa has released the Motoman HC30PL, a collaborative robot with a 30 kg payload."),
        ("Short", "too little"),
        ("Norme NF EN ISO 13849-1:2023 publiée", "La nouvelle version de la norme de sécurité des machines est parue.")]]
    signed = story_signing.sign(items)
    back = pickle.loads(pickle.dumps(signed))
    assert back[1] is None and len(back) == 3
    for a, b in zip(signed, back):
        if a is not None:
            assert a.signature.tobytes() == b.signature.tobytes()
            assert a.anchors.tobytes() == b.anchors.tobytes() and b.anchors.dtype == np.int64


def test_shingles_are_the_lowercase_words_cut_whatever_the_script():
    import re

    from veille.references import fold

    def expected(title: str, summary: str) -> set[str]:     # the definition, word by word
        words = re.findall(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", fold(f"{title} {summary}").lower())
        return {w[:story_signing.STEM] for w in words if len(w) > 1 and w not in story_signing._STOPWORDS}

    texts = ["Norme NF EN ISO 13849-1:2023 publiée. L'ÉCOLE d'été, U.S.A. e-commerce v3.1",
             "a..b -x- .5 x.-y Beforehand, the THEATER: straße ÆØÅ œuvre × 25°C £ 12.5kg",
             "Kelvin \u212a K-12 \u0130stanbul \u017fix \u212b", "Привет мир 2024-1234 ISO 9001",
             "日本語 テキスト abc-def.ghi", ""]
    for title in texts:
        for summary in texts:
            assert story_signing.shingles(title, summary) == expected(title, summary), (title, summary)
