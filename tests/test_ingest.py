"""Ingest: the one path into the database — exact duplicates, sightings, unusable entries,
page versions, topics, full-text index, and one transaction per batch."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from veille import store
from veille.classify import load_classifier
from veille.ingest import SOURCE_PRIOR_MIN_SCORE, ingest
from veille.item import RawItem
from veille.sources import Source, WatchPlan
from veille.store.sources import sync_plan

PLAN = WatchPlan([
    Source(id="maker", name="Maker news", kind="feed", url="http://127.0.0.1/maker.xml",
           category="manufacturer", language="fr"),
    Source(id="journal", name="Trade journal", kind="feed", url="http://127.0.0.1/journal.xml",
           category="trade_journal", language="fr"),
    Source(id="robot-maker", name="Robot maker", kind="feed", url="http://127.0.0.1/robots.xml",
           category="manufacturer", language="en", topics=("robotics",)),
    Source(id="regulation-page", name="Regulation text", kind="page", url="http://127.0.0.1/reg"),
])
SOURCES = {s.id: s for s in PLAN.sources}
STORY = ("Nouveau cobot de soudage pour les ateliers de chaudronnerie",
         "Le fabricant présente un cobot de soudage MIG avec capteur de force et programmation "
         "par démonstration, destiné aux petites séries.")


def _db(tmp_path=None):
    db = store.connect(tmp_path / "veille.db") if tmp_path else store.memory()
    sync_plan(db, PLAN)
    return db


def _raw(source_id: str, n: int, title: str = "", summary: str = "", **kw) -> RawItem:
    defaults = dict(url=f"http://127.0.0.1/{source_id}/{n}?utm_source=rss", guid=f"{source_id}-{n}",
                    published="2026-03-02T08:00:00Z")
    return RawItem(source_id=source_id, title=title or f"Article {n} sur la maintenance prédictive",
                   summary=summary or f"Résumé {n} : capteurs vibratoires et analyse des roulements.",
                   **{**defaults, **kw})


def _count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_second_pass_over_the_same_entries_adds_nothing():
    db = _db()
    raws = [_raw("journal", n) for n in range(5)]
    first = ingest(db, SOURCES["journal"], raws)
    counts = {t: _count(db, t) for t in ("items", "item_sources", "item_topics", "entities", "clusters")}
    second = ingest(db, SOURCES["journal"], raws)
    assert (first.new, second.new, second.duplicates) == (5, 0, 5)
    assert {t: _count(db, t) for t in counts} == counts


def test_same_link_from_another_source_is_one_item_seen_twice():
    db = _db()
    ingest(db, SOURCES["maker"], [_raw("maker", 1, *STORY, url="http://127.0.0.1/news/cobot?utm_source=rss")])
    result = ingest(db, SOURCES["journal"], [_raw("journal", 7, "Un autre titre", "Un autre résumé du même article.",
                                                  url="http://127.0.0.1/news/cobot?utm_medium=feed")])
    assert (result.new, result.duplicates) == (0, 1)
    assert _count(db, "items") == 1
    assert sorted(r[0] for r in db.execute("SELECT source_id FROM item_sources")) == ["journal", "maker"]


def test_same_text_from_another_source_is_one_item_seen_twice():
    db = _db()
    ingest(db, SOURCES["maker"], [_raw("maker", 1, *STORY, url="http://127.0.0.1/maker/cobot")])
    result = ingest(db, SOURCES["journal"], [_raw("journal", 1, *STORY, url="http://127.0.0.1/journal/cobot")])
    assert (result.new, result.duplicates) == (0, 1)
    item_id = db.execute("SELECT id FROM items").fetchone()[0]
    assert {r[0] for r in db.execute("SELECT source_id FROM item_sources WHERE item_id = ?", [item_id])} == {
        "maker", "journal"}


def test_entries_repeated_within_a_feed_are_stored_once():
    db = _db()
    raws = [_raw("journal", 1), _raw("journal", 2), _raw("journal", 1),
            _raw("journal", 3, url="http://127.0.0.1/journal/2?utm_source=rss")]   # same link as entry 2
    result = ingest(db, SOURCES["journal"], raws)
    assert (result.found, result.new, result.duplicates) == (4, 2, 2)
    assert _count(db, "items") == 2


def test_unusable_entry_is_skipped_with_a_message_naming_it_and_the_others_are_kept():
    db = _db()
    raws = [_raw("journal", 1), RawItem(source_id="journal", summary="Ni titre, ni lien, ni identifiant."),
            _raw("journal", 3)]
    result = ingest(db, SOURCES["journal"], raws)
    assert result.new == 2
    assert len(result.skipped) == 1 and result.skipped[0].startswith("entry 2:")
    assert "no title, link or id" in result.skipped[0]


def test_each_page_version_is_its_own_item_even_at_the_same_address():
    db = _db()
    page = SOURCES["regulation-page"]

    def version(v: int) -> RawItem:
        return RawItem(source_id=page.id, title=f"Règlement machines : version {v}", url="http://127.0.0.1/reg",
                       guid=f"http://127.0.0.1/reg#v{v}", summary=f"Ajouté : article {v}.",
                       published="2026-03-02T08:00:00Z", page_version=v)

    assert ingest(db, page, [version(2)]).new == 1
    assert ingest(db, page, [version(3)]).new == 1
    assert ingest(db, page, [version(3)]).new == 0
    assert sorted(r[0] for r in db.execute("SELECT page_version FROM items")) == [2, 3]


def test_new_items_are_searchable_and_tagged_by_the_model_with_their_origin():
    db = _db()
    result = ingest(db, SOURCES["maker"], [_raw("maker", 1, *STORY)])
    item_id = result.new_ids[0]
    assert [r[0] for r in db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'soudage'")] == [item_id]
    assert [r[0] for r in db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'demonstration'")] == [item_id]
    topics = {r[0]: r[1] for r in db.execute("SELECT topic, origin FROM item_topics WHERE item_id = ?", [item_id])}
    assert topics.get("robotics") == "model"
    assert db.execute("SELECT classified_at FROM items WHERE id = ?", [item_id]).fetchone()[0] is not None
    assert store.get_setting(db, "fts_deferred") is None


def test_a_source_default_topic_is_a_prior_on_the_model_score_not_a_blanket_tag():
    db = _db()
    source = SOURCES["robot-maker"]
    texts = [("Quarterly results: revenue up 4 percent", "The group reports third-quarter revenue and "
              "confirms its dividend policy for shareholders."),
             ("New palletising cell for end-of-line packaging", "The cell stacks cartons on pallets with a "
              "gripper and a vision system, for food and beverage plants.")]
    result = ingest(db, source, [_raw(source.id, n, *t, url=f"http://127.0.0.1/r/{n}") for n, t in enumerate(texts)])
    predictions = load_classifier().predict([(t, s, "en") for t, s in texts])
    for item_id, pred in zip(result.new_ids, predictions):
        row = db.execute("SELECT origin FROM item_topics WHERE item_id = ? AND topic = 'robotics'",
                         [item_id]).fetchone()
        if "robotics" in pred.topics:
            assert row == ("model",)
        elif pred.scores["robotics"] >= SOURCE_PRIOR_MIN_SCORE:
            assert row == ("rule",)
        else:
            assert row is None
    finance = db.execute("SELECT count(*) FROM item_topics WHERE item_id = ? AND topic = 'robotics'",
                         [result.new_ids[0]]).fetchone()[0]
    assert finance == 0


def test_near_duplicate_from_another_source_joins_the_story_of_the_first():
    db = _db()
    first = ingest(db, SOURCES["journal"], [_raw("journal", 1, *STORY)]).new_ids[0]
    second = ingest(db, SOURCES["maker"], [_raw("maker", 1, "Cobot de soudage MIG pour la chaudronnerie",
                                                STORY[1].replace("Le fabricant présente", "Nous lançons"))]).new_ids[0]
    clusters = dict(db.execute("SELECT id, cluster_id FROM items").fetchall())
    assert clusters[second] == clusters[first] == first


_WRITER = textwrap.dedent("""
    import sys
    from veille import store
    from veille.ingest import ingest
    from veille.item import RawItem
    from veille.sources import Source
    from veille.store.sources import sync_plan
    from veille.sources import WatchPlan
    source = Source(id="journal", name="J", kind="feed", url="http://127.0.0.1/j.xml", language="fr")
    db = store.connect(sys.argv[1])
    sync_plan(db, WatchPlan([source]))
    for b in range(100000):
        ingest(db, source, [RawItem(source_id="journal", title=f"Article {b}-{k} sur les capteurs",
                                    summary=f"Capteurs {b} {k} pour la maintenance des lignes.",
                                    url=f"http://127.0.0.1/{b}/{k}", published="2026-03-02T08:00:00Z")
                            for k in range(20)])
        print(b, flush=True)
""")


@pytest.mark.timeout(60)
def test_killed_ingest_leaves_whole_batches_each_indexed_and_seen(tmp_path):
    path = tmp_path / "veille.db"
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        for _ in range(3):              # a few batches committed, then killed in the middle of more
            assert proc.stdout.readline(), "the writer stopped before ingesting"
        time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    db = store.connect(path)
    items = _count(db, "items")
    assert items >= 60 and items % 20 == 0
    assert _count(db, "item_sources") == items
    assert db.execute("SELECT count(*) FROM items_fts_docsize").fetchone()[0] == items
    assert db.execute("SELECT count(*) FROM items WHERE classified_at IS NULL").fetchone()[0] == 0
    assert store.get_setting(db, "fts_deferred") is None
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


REWRITE = ("Cobot de soudage MIG pour la chaudronnerie",
           STORY[1].replace("Le fabricant présente", "Nous lançons"))


def _cluster(db, item_id):
    return db.execute("SELECT cluster_id FROM items WHERE id = ?", [item_id]).fetchone()[0]


def test_a_story_is_found_by_a_writer_that_did_not_sign_its_first_item(tmp_path):
    """The band index is kept per process: items another process (or connection) signed
    since are read back before each probe, and a process starting afresh loads them."""
    from veille.store import stories as story_store
    first_db, second_db = _db(tmp_path), store.connect(tmp_path / "veille.db")
    ingest(second_db, SOURCES["journal"], [_raw("journal", 9, "Une autre nouvelle sans rapport aucun",
                                                "Le salon ouvre ses portes lundi avec trois cents exposants.")])
    first = ingest(first_db, SOURCES["journal"], [_raw("journal", 1, *STORY)]).new_ids[0]
    second = ingest(second_db, SOURCES["maker"], [_raw("maker", 1, *REWRITE)]).new_ids[0]
    assert _cluster(second_db, second) == first
    story_store._INDEXES.clear()            # a new process
    third = ingest(second_db, SOURCES["journal"], [_raw("journal", 2, STORY[0] + " !", STORY[1])]).new_ids[0]
    assert _cluster(second_db, third) == first


def test_the_band_index_forgets_what_a_rolled_back_batch_held(tmp_path):
    """Ids of a rolled-back batch are given again to other items, here by another process:
    the index, which had read the first ones, must hold the items stored under them."""
    from veille.store import stories as story_store
    db = _db(tmp_path)
    with pytest.raises(RuntimeError):
        with store.transaction(db):
            ingest(db, SOURCES["journal"], [_raw("journal", 7, "Salon de la sous-traitance à Lyon",
                                                "Les exposants présentent usinage, tôlerie et traitement de surface.")])
            ingest(db, SOURCES["journal"], [_raw("journal", 5, "Journée technique sur la maintenance prédictive",
                                                "Capteurs vibratoires, analyse d'huile et thermographie sur les lignes.")])
            raise RuntimeError("a later step of the group failed")
    ours = dict(story_store._INDEXES)
    story_store._INDEXES.clear()             # another process writes meanwhile
    other = store.connect(tmp_path / "veille.db")
    first = ingest(other, SOURCES["journal"], [
        _raw("journal", 1, *STORY), _raw("journal", 2, "Bilan annuel du salon de Lyon", "Trois cents exposants."),
        _raw("journal", 3, "Formation sécurité machines en atelier", "Deux jours sur la directive.")]).new_ids[0]
    story_store._INDEXES.clear()
    story_store._INDEXES.update(ours)        # back to this process
    second = ingest(db, SOURCES["maker"], [_raw("maker", 1, *REWRITE)]).new_ids[0]
    assert first == 1 and _cluster(db, second) == first


def test_stories_rebuild_drops_the_band_index(tmp_path):
    from veille import stories
    db = _db(tmp_path)
    first = ingest(db, SOURCES["journal"], [_raw("journal", 1, *STORY)]).new_ids[0]
    second = ingest(db, SOURCES["maker"], [_raw("maker", 1, *REWRITE)]).new_ids[0]
    assert stories.rebuild(db) == 1
    third = ingest(db, SOURCES["journal"], [_raw("journal", 2, STORY[0] + " !", STORY[1])]).new_ids[0]
    assert _cluster(db, second) == _cluster(db, third) == first


def test_one_group_of_sources_gives_the_same_items_as_one_source_at_a_time():
    """A crawl ingests the feeds fetched meanwhile as one group: duplicates across the
    group's sources are found as they are across batches."""
    from veille.ingest import Batch, ingest_many

    def batches():
        return [Batch(SOURCES["maker"], [_raw("maker", 1, *STORY, url="http://127.0.0.1/news/cobot"),
                                         _raw("maker", 2, "Titre répété", "Même résumé.", url=None),
                                         _raw("maker", 3, "Titre répété", "Même résumé.", url=None)]),
                Batch(SOURCES["journal"], [_raw("journal", 1, *STORY, url="http://127.0.0.1/news/cobot?utm_source=rss"),
                                           _raw("journal", 2, "Titre répété", "Même résumé.", url=None),
                                           _raw("journal", 3)])]

    grouped, alone = _db(), _db()
    results = ingest_many(grouped, batches())
    one_by_one = [ingest(alone, b.source, b.raws) for b in batches()]
    assert [(r.new, r.duplicates) for r in results] == [(r.new, r.duplicates) for r in one_by_one] \
        == [(3, 0), (1, 2)]   # same URL, same text from another source; same text in one source is kept
    for table in ("items", "item_sources", "items_fts", "clusters"):
        assert _count(grouped, table) == _count(alone, table)
    assert grouped.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'chaudronnerie'"
                           ).fetchone()[0] == 1


def test_a_group_prepared_ahead_skips_stored_entries_and_stores_what_ingest_alone_stores():
    """A crawl's worker prepares a group before its transaction, but not the entries already
    stored (a changed feed's old ones): ingest computes anything missing, so the database
    ends up the same as without preparation."""
    from functools import partial

    from veille.ingest import Batch, ingest_many, prepare_group
    from veille.store.items import known_keys

    def batches(first: int, last: int):
        regulation = ("Règlement (UE) 2023/1230 : la cellule robotisée de soudage de Fanuc",
                      "Mise en conformité selon NF EN ISO 10218-2:2025 avant le 20 janvier 2027.")
        return [Batch(SOURCES["maker"], [_raw("maker", n, *regulation, url=f"http://127.0.0.1/m/{n}")
                                         for n in range(first, last)], "2026-03-02T09:00:00Z"),
                Batch(SOURCES["journal"], [_raw("journal", n) for n in range(first, last)],
                      "2026-03-02T09:00:00Z")]

    ahead, plain = _db(), _db()
    for db in (ahead, plain):
        ingest_many(db, batches(0, 3))
    group = batches(0, 5)          # two new entries per source, three already stored
    prepare_group(group, partial(known_keys, ahead))
    prepared = [b.prepared for b in group]
    assert [len(p.items) for p in prepared] == [5, 5]
    assert [sorted(p.items.index(it) for it in p.items if id(it) in p.references) for p in prepared] \
        == [[3, 4], [3, 4]]
    assert all(set(p.references) == set(p.signatures) == set(p.predictions) for p in prepared)
    results = ingest_many(ahead, group)
    assert [(r.new, r.duplicates) for r in results] == [(2, 3), (2, 3)]
    ingest_many(plain, batches(0, 5))

    def rows(db):
        return [db.execute(sql).fetchall() for sql in (
            "SELECT id, url, title, cluster_id FROM items ORDER BY id",
            "SELECT item_id, kind, key FROM entities ORDER BY 1, 2, 3",
            "SELECT item_id, topic, score, origin FROM item_topics ORDER BY 1, 2")]
    assert rows(ahead) == rows(plain)
    assert rows(ahead)[1], "the maker's entries hold references"


def test_a_batch_of_any_length_is_stored_whole_each_item_searchable_by_its_own_words():
    """Items are written a few statements per batch (chunks of powers of two): every entry
    lands once, with its own fields, and the full-text index holds each exactly once."""
    db = _db()
    words = [f"mot{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(131)]
    raws = [_raw("journal", n, f"Titre {words[n]} numéro {n}", f"Résumé {n} sur {words[n]}.")
            for n in range(131)]
    result = ingest(db, SOURCES["journal"], raws)
    assert result.new == 131 and result.new_ids == list(range(result.new_ids[0], result.new_ids[0] + 131))
    stored = dict(db.execute("SELECT id, title FROM items").fetchall())
    assert [stored[i] for i in result.new_ids] == [r.title for r in raws]
    for n in (0, 63, 127, 128, 129, 130):
        hits = [r[0] for r in db.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ?", [words[n]])]
        assert hits == [result.new_ids[n]]
    assert _count(db, "items_fts") == 131
    assert store.get_setting(db, "fts_deferred") is None


def test_language_comes_from_function_words_else_the_feed():
    from veille.normalise import quick_lang

    assert quick_lang("Le fabricant présente un cobot de soudage pour les petites séries") == "fr"
    assert quick_lang("The maker shows a welding cobot for small batches and the new sensors") == "en"
    assert quick_lang("Cobot UR15") is None
    undecided = Source(id="journal-x", name="x", kind="feed", url="http://127.0.0.1/x")
    db = _db()
    sync_plan(db, WatchPlan([*PLAN.sources, undecided]))
    ingest(db, undecided, [_raw("journal-x", 1, "Cobot UR15 : 15 kg", "Charge utile 15 kg."),
                           _raw("journal-x", 2, "Un cobot pour la chaudronnerie",
                                "Le fabricant présente un cobot de soudage pour les ateliers.")])
    # the short entry has no function word: it takes the language of its feed's other entry
    assert [r[0] for r in db.execute("SELECT lang FROM items ORDER BY id")] == ["fr", "fr"]


def test_a_long_running_band_index_starts_afresh_once_it_holds_old_dates_beyond_its_cap(
        tmp_path, monkeypatch):
    """`veille up` adds every new item to its index: past the cap, an index holding dates
    older than twice the first load's margin is rebuilt on recent dates only, and recent
    stories are still found."""
    from datetime import datetime, timedelta, timezone

    from veille.store import stories as story_store
    from veille.timeutil import iso
    monkeypatch.setattr(story_store, "_MAX_INDEXED", 0)
    db = _db(tmp_path)
    now = datetime.now(timezone.utc)
    old = iso(now - timedelta(days=300))
    ingest(db, SOURCES["journal"], [_raw("journal", 1, *STORY, published=old)])
    ingest(db, SOURCES["journal"], [_raw("journal", 2, "Journée technique sur la maintenance prédictive",
                                          "Capteurs vibratoires, analyse d'huile et thermographie.",
                                          published=old)])
    path = db.execute("PRAGMA database_list").fetchone()[2]
    assert story_store._INDEXES[path].covered[0][0] < iso(now - timedelta(days=250))
    recent = iso(now - timedelta(days=1))
    first = ingest(db, SOURCES["journal"], [_raw("journal", 3, *STORY, published=recent,
                                                 url="http://127.0.0.1/journal/3")]).new_ids[0]
    assert story_store._INDEXES[path].covered[0][0] >= iso(now - timedelta(days=61))
    second = ingest(db, SOURCES["maker"], [_raw("maker", 1, *REWRITE, published=recent)]).new_ids[0]
    assert _cluster(db, second) == _cluster(db, first)
