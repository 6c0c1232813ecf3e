"""A French text cited by its number or by its date alone is one reference: keyed by its
number once an item gives both, in the entities table, alert rules, the reference page and
``veille references rebuild`` (veille/store/entities.py, migration 0097)."""
from __future__ import annotations

import asyncio
from urllib.parse import unquote

from click.testing import CliRunner

from veille import store
from veille.alerts import rules
from veille.capitalise import register
from veille.alerts.rules import RuleSpec
from veille.catalogue.app import build_datasette
from veille.cli import main
from veille.config import Settings
from veille.ingest import ingest
from veille.item import RawItem
from veille.references import extract
from veille.sources import Source, WatchPlan
from veille.store.sources import sync_plan

PLAN = WatchPlan([Source(id="dgt", name="DGT", kind="feed", url="http://127.0.0.1/dgt.xml",
                         category="regulatory", language="fr")])
BY_DATE = ("Chariots automoteurs : ce que change le décret du 9 mars 2026",
           "Le décret du 9 mars 2026 renforce la formation des conducteurs d'engins de levage.")
BY_NUMBER = ("Publication du décret n° 2026-187 du 9 mars 2026 sur les engins de levage",
             "Le texte modifie le Code du travail pour la conduite des chariots automoteurs.")
ANOTHER_BY_DATE = ("Engins de levage : la formation des conducteurs revue",
                   "Selon le décret du 9 mars 2026, l'autorisation de conduite est renouvelée tous les cinq ans.")
SECOND_NUMBER = ("Décret n° 2026-190 du 9 mars 2026 relatif aux appareils à pression",
                 "Un second décret publié le même jour porte sur les équipements sous pression.")


def _fr_texts(text: str) -> list[str]:
    return [r.key for r in extract(text) if r.kind == "fr_text"]


def test_one_text_citing_a_decree_both_ways_gives_its_number_once():
    assert _fr_texts("Le décret n° 2026-187 du 9 mars 2026 fixe les règles. Ce décret du 9 mars 2026 "
                     "entre en vigueur le 1er juillet 2026.") == ["décret 2026-187"]
    assert _fr_texts("Le décret du 9 mars 2026 entre en vigueur.") == ["décret 2026-03-09"]
    # two decrees of one day: the date alone names neither
    assert _fr_texts("Le décret n° 2026-187 du 9 mars 2026 et le décret n° 2026-190 du 9 mars 2026 ; "
                     "le décret du 9 mars 2026 s'applique.") == [
        "décret 2026-187", "décret 2026-190", "décret 2026-03-09"]
    # the number without a date teaches nothing
    assert _fr_texts("Le décret n° 2026-187 puis le décret du 9 mars 2026.") == [
        "décret 2026-187", "décret 2026-03-09"]


def _watch(tmp_path):
    path = tmp_path / "veille.db"
    db = store.connect(path)
    sync_plan(db, PLAN)
    return path, db


def _add(db, n: int, title_summary: tuple[str, str]) -> int:
    title, summary = title_summary
    result = ingest(db, PLAN.sources[0], [RawItem(
        source_id="dgt", title=title, summary=summary, url=f"http://127.0.0.1/dgt/{n}", guid=str(n),
        published=f"2026-03-{10 + n:02d}T08:00:00Z")])
    assert result.new == 1, result
    return result.new_ids[0]


def _keys(db) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for item_id, key in db.execute("SELECT item_id, key FROM entities WHERE kind = 'fr_text'"):
        out.setdefault(item_id, set()).add(key)
    return out


def test_a_date_moves_to_the_number_an_item_gives_and_back_when_a_second_number_shares_it(tmp_path):
    _, db = _watch(tmp_path)
    first = _add(db, 1, BY_DATE)
    assert _keys(db) == {first: {"décret 2026-03-09"}}
    numbered = _add(db, 2, BY_NUMBER)
    assert _keys(db) == {first: {"décret 2026-187"}, numbered: {"décret 2026-187"}}
    later = _add(db, 3, ANOTHER_BY_DATE)
    assert _keys(db)[later] == {"décret 2026-187"}
    # the text as written stays: the reference page shows both spellings
    assert {t for t, in db.execute("SELECT text FROM entities WHERE key = 'décret 2026-187'")} == {
        "décret du 9 mars 2026", "décret n° 2026-187"}

    second = _add(db, 4, SECOND_NUMBER)
    assert _keys(db) == {first: {"décret 2026-03-09"}, numbered: {"décret 2026-187"},
                         later: {"décret 2026-03-09"}, second: {"décret 2026-190"}}
    # and a date two numbers share is stored as written from then on
    last = _add(db, 5, BY_DATE[::-1])
    assert _keys(db)[last] == {"décret 2026-03-09"}


def test_a_rule_on_either_spelling_reaches_the_items_citing_the_other(tmp_path):
    _, db = _watch(tmp_path)
    _add(db, 1, BY_NUMBER)
    by_date = rules.add_rule(db, RuleSpec(email="qse@example.org", refs=["décret du 9 mars 2026"]))
    by_number = rules.add_rule(db, RuleSpec(email="methodes@example.org", refs=["décret n° 2026-187"]))
    assert {r["id"]: r["refs"] for r in rules.list_rules(db)} == {
        by_date: ["décret 2026-03-09"], by_number: ["décret 2026-187"]}
    cites_number = _add(db, 2, (BY_NUMBER[0].replace("Publication", "Parution"), BY_NUMBER[1]))
    cites_date = _add(db, 3, ANOTHER_BY_DATE)
    sent = {(rule, item) for rule, item in db.execute("SELECT rule_id, item_id FROM deliveries")}
    assert sent >= {(by_date, cites_number), (by_date, cites_date),
                    (by_number, cites_number), (by_number, cites_date)}


def test_the_date_s_page_leads_to_the_number_s_page_listing_both(tmp_path):
    path, db = _watch(tmp_path)
    ids = [_add(db, 1, BY_DATE), _add(db, 2, BY_NUMBER)]
    db.conn.close()
    ds = build_datasette(path, Settings(db_path=path, base_url="http://catalogue.test/"))
    asyncio.run(ds.invoke_startup())
    moved = asyncio.run(ds.client.get("/reference/fr_text/d%C3%A9cret%202026-03-09"))
    assert moved.status_code == 302
    assert unquote(moved.headers["location"]) == "/reference/fr_text/décret 2026-187"
    page = asyncio.run(ds.client.get(moved.headers["location"]))
    assert page.status_code == 200
    assert [f'href="/item/{i}"' in page.text for i in ids] == [True, True]
    assert "décret du 9 mars 2026" in page.text and "décret n° 2026-187" in page.text


def test_rebuild_teaches_the_aliases_items_stored_before_them_give(tmp_path):
    path, db = _watch(tmp_path)
    first, numbered = _add(db, 1, BY_DATE), _add(db, 2, BY_NUMBER)
    with store.transaction(db):      # as a database from before the aliases holds them
        db.execute("DELETE FROM reference_aliases")
        db.execute("UPDATE entities SET key = 'décret 2026-03-09' WHERE item_id = ?", [first])
    assert _keys(db)[first] == {"décret 2026-03-09"}
    env = {"VEILLE_DB": str(path), "VEILLE_SECRET": "s", "VEILLE_SMTP_URL": ""}
    out = CliRunner().invoke(main, ["references", "rebuild", "--batch", "1"], env=env, catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert _keys(db) == {first: {"décret 2026-187"}, numbered: {"décret 2026-187"}}
    again = CliRunner().invoke(main, ["references", "rebuild"], env=env, catch_exceptions=False)
    assert again.output.strip() == "2 items read, 0 with new references"


def test_an_item_citing_the_number_and_apart_the_date_holds_one_reference(tmp_path):
    path, db = _watch(tmp_path)
    _add(db, 1, BY_NUMBER)
    both = _add(db, 2, ("Levage : le décret n° 2026-187 en pratique",
                        "Ce que le décret du 9 mars 2026 change pour la conduite des chariots."))
    assert db.execute("SELECT key, text FROM entities WHERE item_id = ? AND kind = 'fr_text'",
                      [both]).fetchall() == [("décret 2026-187", "décret n° 2026-187")]
    env = {"VEILLE_DB": str(path), "VEILLE_SECRET": "s", "VEILLE_SMTP_URL": ""}
    out = CliRunner().invoke(main, ["references", "rebuild"], env=env, catch_exceptions=False)
    assert out.output.strip() == "2 items read, 0 with new references"


def test_a_register_entry_is_one_for_the_text_under_either_key(tmp_path):
    _, db = _watch(tmp_path)
    by_date = _add(db, 1, BY_DATE)
    entry = register.create_from_item(db, "qse@example.org", by_date)
    assert register.get(db, entry)["ref_key"] == "décret 2026-03-09"
    # an item gives the number: the decree's entry is the one entered under its date
    assert register.create_from_item(db, "qse@example.org", _add(db, 2, BY_NUMBER)) == entry
    assert db.execute("SELECT count(*) FROM register_entries").fetchone()[0] == 1
