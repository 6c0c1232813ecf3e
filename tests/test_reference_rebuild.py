"""`veille references rebuild`: stored items read again with the current extraction."""
from __future__ import annotations

import json

from click.testing import CliRunner

from veille import store
from veille.cli import main
from veille.ingest import ingest
from veille.item import RawItem
from veille.sources import Source, WatchPlan
from veille.store.sources import sync_plan

PLAN = WatchPlan([Source(id="dgt", name="DGT", kind="feed", url="http://127.0.0.1/dgt.xml",
                         category="regulatory", language="fr")])
TEXTS = [
    ("Machines : le règlement (UE) 2023/1230 s'applique à partir du 20 janvier 2027",
     "Les fabricants doivent revoir l'analyse des risques selon la norme EN ISO 12100 et la "
     "norme NF EN ISO 13849-1:2023 pour les fonctions de sécurité."),
    ("Décret n° 2024-1234 : vérifications des équipements de levage",
     "Le décret modifie l'article R. 4323-23 du Code du travail ; les employeurs ont jusqu'au "
     "1er juillet 2026 pour s'y conformer."),
    ("Salon Global Industrie à Lyon", "Le salon ouvre ses portes du 10 au 13 mars 2026."),
]


def _run(db_path, *args):
    env = {"VEILLE_DB": str(db_path), "VEILLE_SECRET": "s", "VEILLE_SMTP_URL": ""}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _filled(tmp_path):
    path = tmp_path / "veille.db"
    db = store.connect(path)
    sync_plan(db, PLAN)
    ingest(db, PLAN.sources[0], [
        RawItem(source_id="dgt", title=t, summary=s, url=f"http://127.0.0.1/dgt/{n}", guid=str(n),
                published="2026-03-02T08:00:00Z") for n, (t, s) in enumerate(TEXTS)])
    return path, db


def _entities(db):
    return sorted(db.execute("SELECT item_id, kind, key, text FROM entities").fetchall())


def test_rebuild_restores_what_the_current_extraction_reads_and_sends_nothing(tmp_path):
    path, db = _filled(tmp_path)
    fresh = _entities(db)
    assert {(k, key) for _, k, key, _ in fresh} >= {
        ("eu_act", "2023/1230"), ("standard", "ISO 13849-1"), ("date", "2027-01-20"),
        ("fr_text", "décret 2024-1234"), ("date", "2026-07-01")}
    deliveries = db.execute("SELECT count(*) FROM deliveries").fetchone()[0]
    # as an earlier version left them: a date missed, a standard misread, an item unread
    with store.transaction(db):
        db.execute("DELETE FROM entities WHERE kind = 'date' AND key = '2026-07-01'")
        db.execute("UPDATE entities SET key = 'ISO 13849' WHERE key = 'ISO 13849-1'")
        db.execute("DELETE FROM entities WHERE item_id = 1 AND kind = 'eu_act'")
        db.execute("INSERT INTO entities (item_id, kind, key, text) VALUES (3, 'date', '2026-03-10', 'du 10')")
    assert _entities(db) != fresh

    out = _run(path, "references", "rebuild", "--batch", "2", "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"items": 3, "changed": 3, "kinds": {
        "date": {"added": 1, "removed": 1}, "eu_act": {"added": 1, "removed": 0},
        "standard": {"added": 1, "removed": 1}}}
    assert _entities(db) == fresh
    assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == deliveries

    again = _run(path, "references", "rebuild")
    assert again.output.strip() == "3 items read, 0 with new references"


def test_an_unchanged_item_keeps_its_rows(tmp_path):
    path, db = _filled(tmp_path)
    before = db.execute("SELECT rowid, item_id, key FROM entities ORDER BY rowid").fetchall()
    with store.transaction(db):
        db.execute("DELETE FROM entities WHERE item_id = 2 AND kind = 'date'")
    assert _run(path, "references", "rebuild", "--batch", "1").exit_code == 0
    after = db.execute("SELECT rowid, item_id, key FROM entities ORDER BY rowid").fetchall()
    assert [r for r in after if r[1] != 2] == [r for r in before if r[1] != 2]
    assert sorted(r[1:] for r in after) == sorted(r[1:] for r in before)


def test_the_offline_form_still_needs_its_files_and_rebuild_takes_none(tmp_path):
    bare = _run(tmp_path / "v.db", "references")
    assert bare.exit_code == 2 and "Missing option '--input' and '--output'" in bare.output
    mixed = _run(tmp_path / "v.db", "references", "--input", str(tmp_path / "in.jsonl"), "rebuild")
    assert mixed.exit_code == 2 and "--input and --output are for offline extraction" in mixed.output
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a", "title": TEXTS[0][0]}) + "\n")
    offline = _run(tmp_path / "v.db", "references", "--input", str(tmp_path / "in.jsonl"),
                   "--output", str(tmp_path / "out.jsonl"))
    assert offline.exit_code == 0, offline.output
    refs = json.loads((tmp_path / "out.jsonl").read_text())["references"]
    assert {(r["kind"], r["key"]) for r in refs} >= {("eu_act", "2023/1230"), ("date", "2027-01-20")}
    assert not (tmp_path / "v.db").exists()
