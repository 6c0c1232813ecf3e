"""The item store as ingest uses it: a group of sources' batches resolved against the
database and written in one go (exact duplicates, sightings, full-text entries), and the
file settings a new database gets."""
from __future__ import annotations

import json
import sqlite3

from veille import store
from veille.item import Item
from veille.sources import Source, WatchPlan
from veille.store import items as item_store
from veille.store.sources import sync_plan

AT = "2026-11-26T08:00:00Z"
SOURCES = ("maker", "journal", "agency")


def _db(tmp_path):
    db = store.connect(tmp_path / "veille.db")
    sync_plan(db, WatchPlan([Source(id=s, name=s, kind="feed", url=f"http://127.0.0.1/{s}.xml")
                             for s in SOURCES]))
    return db


def _item(source_id: str, n: int, *, url: str | None = None, text: str | None = None) -> Item:
    text = text or f"Article {n} de {source_id} sur la sécurité des machines"
    return Item(source_id=source_id, key=f"{source_id}-{n}", title=text, summary=f"Résumé {text}",
                summary_html=f"<p>Résumé {text}</p>", content=f"Corps {text}", published_at=AT,
                fetched_at=AT, content_hash=f"h-{text}",
                url=url or f"https://{source_id}.example.org/{n}", guid=f"{source_id}-{n}")


def _store_group(db, batches):
    with store.transaction(db):
        resolved = item_store.resolve_group(db, [(s, items, AT) for s, items in batches])
        item_store.insert_group(db, resolved)
    return resolved


def _rows(db, sql):
    return db.execute(sql).fetchall()


def test_new_database_has_large_pages_and_one_fts_segment_per_transaction(tmp_path):
    db = _db(tmp_path)
    assert db.execute("PRAGMA page_size").fetchone()[0] == store.PAGE_SIZE
    assert _rows(db, "SELECT v FROM items_fts_config WHERE k = 'hashsize'") == [(8388608,)]


def test_existing_database_keeps_its_page_size(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size=4096")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert store.connect(path).execute("PRAGMA page_size").fetchone()[0] == 4096


def test_a_group_of_many_sources_is_stored_with_every_sighting_and_search_entry(tmp_path):
    db = _db(tmp_path)
    # 300 items per source: several multi-row statements, and more than one lookup chunk
    batches = [(s, [_item(s, n) for n in range(300)]) for s in SOURCES]
    resolved = _store_group(db, batches)
    assert [len(r.new) for r in resolved] == [300, 300, 300]
    assert _rows(db, "SELECT count(*), min(id), max(id) FROM items") == [(900, 1, 900)]
    assert _rows(db, "SELECT count(*) FROM item_sources") == [(900,)]
    hits = _rows(db, "SELECT rowid FROM items_fts WHERE items_fts MATCH 'securite' ORDER BY rowid")
    assert [h[0] for h in hits] == list(range(1, 901))
    stored = _rows(db, "SELECT source_id, url, guid, title FROM items WHERE id = 301")
    assert stored == [("journal", "https://journal.example.org/0", "journal-0",
                       "Article 0 de journal sur la sécurité des machines")]


def test_known_keys_of_each_source_are_duplicates_in_a_later_group(tmp_path):
    db = _db(tmp_path)
    _store_group(db, [(s, [_item(s, n) for n in range(3)]) for s in SOURCES])
    again = _store_group(db, [("journal", [_item("journal", n) for n in range(5)]),
                              ("maker", [_item("maker", 1)])])
    assert [it.key for it in again[0].new] == ["journal-3", "journal-4"]
    assert (again[0].duplicates, again[1].duplicates, again[1].new) == (3, 1, [])
    assert _rows(db, "SELECT count(*) FROM items") == [(11,)]


def test_same_url_or_text_from_another_source_is_a_sighting_not_an_item(tmp_path):
    db = _db(tmp_path)
    first = _item("maker", 1, text="Nouveau cobot de soudage")
    same_url = _item("journal", 7, url=first.url, text="Un cobot de soudage, vu par la presse")
    same_text = _item("agency", 2, text="Nouveau cobot de soudage")
    same_text_same_source = _item("maker", 2, text="Nouveau cobot de soudage")
    resolved = _store_group(db, [("maker", [first, same_text_same_source]),
                                 ("journal", [same_url]), ("agency", [same_text])])
    assert [[it.key for it in r.new] for r in resolved] == [["maker-1", "maker-2"], [], []]
    seen = _rows(db, "SELECT item_id, source_id, key FROM item_sources ORDER BY rowid")
    assert seen == [(1, "maker", "maker-1"), (2, "maker", "maker-2"), (1, "journal", "journal-7"),
                    (1, "agency", "agency-2")]


def test_topics_keep_the_best_score_and_never_replace_a_human_tag(tmp_path):
    db = _db(tmp_path)
    _store_group(db, [("maker", [_item("maker", n) for n in range(2)])])
    db.execute("INSERT INTO item_topics (item_id, topic, score, origin) VALUES (2, 'qse', 1.0, 'human')")
    rows = [(1, "robotics", 0.4, "model"), (1, "robotics", 0.7, "model"), (1, "robotics", 0.5, "rule"),
            (2, "qse", 0.3, "model")] + [(1, f"t{n}", n / 300, "model") for n in range(300)]
    item_store.add_topics(db, rows)
    assert _rows(db, "SELECT item_id, topic, score, origin FROM item_topics "
                     "WHERE topic IN ('robotics', 'qse', 't299') ORDER BY item_id") == [
        (1, "robotics", 0.7, "model"), (1, "t299", 299 / 300, "model"), (2, "qse", 1.0, "human")]
    assert _rows(db, "SELECT count(*) FROM item_topics") == [(302,)]


def test_a_reference_already_stored_keeps_its_first_spelling(tmp_path):
    from veille.references import Reference
    from veille.store import entities

    db = _db(tmp_path)
    _store_group(db, [("maker", [_item("maker", 1)])])
    first = Reference(kind="standard", key="ISO 13849-1", text="EN ISO 13849-1")
    again = Reference(kind="standard", key="ISO 13849-1", text="NF EN ISO 13849-1:2023")
    assert entities.add_references(db, [(1, [first, again]), (1, [again])]) == 3
    assert _rows(db, "SELECT item_id, kind, key, text FROM entities") == [
        (1, "standard", "ISO 13849-1", "EN ISO 13849-1")]


def test_organisation_references_stored_under_a_long_name_move_to_its_acronym(tmp_path):
    """Migration 0094: one key per body, however the items stored before named it."""
    db = _db(tmp_path)
    _store_group(db, [("maker", [_item("maker", n) for n in range(3)])])
    ids = [r[0] for r in db.execute("SELECT id FROM items ORDER BY id")]
    rows = [(ids[0], "Institut national de recherche et de sécurité"),                 # long name only
            (ids[1], "INRS"), (ids[1], "Institut national de recherche et de sécurité"),  # both
            (ids[2], "Agence nationale de sécurité sanitaire"),                            # two long names
            (ids[2], "Agence nationale de sécurité sanitaire de l'alimentation, de l'environnement et du travail"),
            (ids[2], "KUKA")]
    db.conn.executemany("INSERT INTO entities (item_id, kind, key, text) VALUES (?, 'organisation', ?, ?)",
                        [(i, key, key) for i, key in rows])
    db.execute("DELETE FROM _migrations WHERE name = '0094_organisation_aliases'")
    assert store.apply_migrations(db) == ["0094_organisation_aliases"]
    got = sorted(db.execute("SELECT item_id, key FROM entities").fetchall())
    assert got == sorted([(ids[0], "INRS"), (ids[1], "INRS"), (ids[2], "ANSES"), (ids[2], "KUKA")])
    texts = {r[0] for r in db.execute("SELECT text FROM entities WHERE item_id = ?", [ids[1]])}
    assert texts == {"INRS"}                                   # the acronym's own row stays


def test_the_general_knowledge_bodies_stored_under_a_long_name_move_to_their_acronym(tmp_path):
    """Migration 0095: session 15's list of public bodies, keyed on their acronyms."""
    db = _db(tmp_path)
    _store_group(db, [("maker", [_item("maker", n) for n in range(2)])])
    ids = [r[0] for r in db.execute("SELECT id FROM items ORDER BY id")]
    rows = [(ids[0], "Engineering and Physical Sciences Research Council"), (ids[0], "KUKA"),
            (ids[1], "EPSRC"), (ids[1], "Engineering and Physical Sciences Research Council")]
    db.conn.executemany("INSERT INTO entities (item_id, kind, key, text) VALUES (?, 'organisation', ?, ?)",
                        [(i, key, key) for i, key in rows])
    db.execute("DELETE FROM _migrations WHERE name = '0095_more_organisation_aliases'")
    assert store.apply_migrations(db) == ["0095_more_organisation_aliases"]
    got = sorted(db.execute("SELECT item_id, key FROM entities").fetchall())
    assert got == sorted([(ids[0], "EPSRC"), (ids[0], "KUKA"), (ids[1], "EPSRC")])
    # and extraction now gives the acronym's key itself
    from veille.references import extract
    assert ("organisation", "EPSRC") in {(r.kind, r.key) for r in extract("The Engineering and Physical Sciences Research Council opens bids.", "en", names=True)}


def test_european_adoptions_of_iec_standards_stored_before_move_to_the_iec_key(tmp_path):
    """Migration 0096: `EN 60204-1` is `IEC 60204-1` (references, alert rules, register), as
    extraction now keys it; `EN 50126`, a CENELEC standard of its own, stays."""
    db = _db(tmp_path)
    _store_group(db, [("maker", [_item("maker", n) for n in range(2)])])
    ids = [r[0] for r in db.execute("SELECT id FROM items ORDER BY id")]
    rows = [(ids[0], "EN 60204-1"), (ids[0], "EN 50126"), (ids[0], "ISO 13849-1"),
            (ids[1], "EN 61439-2"), (ids[1], "IEC 61439-2")]
    db.conn.executemany("INSERT INTO entities (item_id, kind, key, text) VALUES (?, 'standard', ?, ?)",
                        [(i, key, key) for i, key in rows])
    db.execute("INSERT INTO subscribers (id, email, created_at) VALUES (1, 'qse@example.org', '2026-01-01')")
    db.execute("INSERT INTO alert_rules (subscriber_id, refs, created_at, updated_at) VALUES "
               "(1, '[\"EN 60204-1\", \"2023/1230\", \"EN 50126\"]', '2026-01-01', '2026-01-01')")
    db.execute("DELETE FROM _migrations WHERE name = '0096_en_iec_standards'")
    assert store.apply_migrations(db) == ["0096_en_iec_standards"]
    got = sorted(db.execute("SELECT item_id, key FROM entities").fetchall())
    assert got == sorted([(ids[0], "IEC 60204-1"), (ids[0], "EN 50126"), (ids[0], "ISO 13849-1"),
                          (ids[1], "IEC 61439-2")])
    assert json.loads(db.execute("SELECT refs FROM alert_rules").fetchone()[0]) == \
        ["IEC 60204-1", "2023/1230", "EN 50126"]
    from veille.references import extract
    assert [r.key for r in extract("Conforme à la NF EN 60204-1:2018 et à l'EN 50126.")] == ["IEC 60204-1", "EN 50126"]
