"""Page-change monitoring: versions of a monitored page, what counts as a change, and the
change item with its readable diff — on the pure functions, then through the real crawl."""
from __future__ import annotations

import pytest

from pages_support import FIXTURES, PageServer, plan_source, write_plan
from veille import pagewatch, store
from veille.pages import crawl_sources
from veille.sources import Source
from veille.store import pages as page_store

FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RANDOMIZE_DOWNLOAD_DELAY": False}
REGION = "#document1"


def _text(fixture: str, region: str | None = REGION) -> str:
    return pagewatch.extract_text((FIXTURES / fixture).read_text(encoding="utf-8"), region)


def test_region_text_leaves_out_scripts_and_the_rest_of_the_page():
    text = _text("regulation_consolidated_v1.html")
    assert text.startswith("RÈGLEMENT (UE) 2023/1230")
    assert "Article 54" in text and "consultations" not in text and "visits" not in text


def test_whole_page_leaves_out_navigation_header_and_footer():
    text = _text("regulation_consolidated_v1.html", None)
    assert "Article 2" in text
    assert "Accueil" not in text and "Page générée" not in text


def test_dates_and_counters_alone_are_no_change():
    v1, restamped = _text("regulation_consolidated_v1.html"), _text("regulation_consolidated_v1_restamped.html")
    assert v1 != restamped
    assert pagewatch.text_hash(v1) == pagewatch.text_hash(restamped)
    whole = [_text(f, None) for f in ("regulation_consolidated_v1.html",
                                      "regulation_consolidated_v1_restamped.html")]
    assert pagewatch.text_hash(whole[0]) == pagewatch.text_hash(whole[1])


def test_a_date_inside_the_text_of_a_provision_is_a_change():
    old = "Il est applicable à partir du 20 janvier 2027, sauf pour les articles 6 et 48 qui " \
          "s'appliquent dès l'entrée en vigueur du présent règlement et pour les organismes notifiés."
    new = old.replace("20 janvier 2027", "20 janvier 2028")
    assert pagewatch.text_hash(old) != pagewatch.text_hash(new)


def test_diff_says_what_was_added_and_removed_in_the_page_language():
    diff = pagewatch.readable_diff(_text("regulation_consolidated_v1.html"),
                                   _text("regulation_consolidated_v2.html"), "fr")
    lines = diff.splitlines()
    assert "Ajouté : Article 50" in lines
    assert any(l.startswith("Supprimé : Le présent règlement s'applique aux machines") for l in lines)
    assert any(l.startswith("Ajouté : ") and "dispositifs amovibles" in l for l in lines)
    assert not any("consolidé" in l or "mise à jour" in l for l in lines)
    assert pagewatch.readable_diff("a\nb", "a\nc", "en").splitlines() == ["Removed: b", "Added: c"]


def test_long_diff_is_cut_with_a_count():
    old = "\n".join(f"Exigence {i} inchangée" for i in range(60))
    new = "\n".join(f"Exigence {i} modifiée" for i in range(60))
    lines = pagewatch.readable_diff(old, new, "fr").splitlines()
    assert len(lines) == pagewatch.MAX_DIFF_LINES + 1
    assert lines[-1] == "… et 100 autres modifications"


def test_missing_region_is_a_readable_error():
    with pytest.raises(pagewatch.RegionMissing, match="selector '#document1' matched nothing on https://x"):
        pagewatch.extract_text((FIXTURES / "regulation_status_page_no_region.html").read_text(),
                               REGION, url="https://x")


def test_observe_records_versions_and_yields_one_item_per_change():
    db = store.memory()
    src = Source(id="reg", name="Règlement machines", kind="page", url="https://e.eu/reg", language="fr")
    db.execute("INSERT INTO sources (id, name, kind, url, added_at, updated_at) "
               "VALUES ('reg', 'x', 'page', 'u', 't', 't')")
    v1, v2 = _text("regulation_consolidated_v1.html"), _text("regulation_consolidated_v2.html")
    first = pagewatch.observe(db, src, src.url, v1, "2025-03-12T09:00:00Z")
    same = pagewatch.observe(db, src, src.url, _text("regulation_consolidated_v1_restamped.html"),
                             "2025-03-19T09:00:00Z")
    change = pagewatch.observe(db, src, src.url, v2, "2025-04-01T09:00:00Z")
    assert (first.version, first.item, same.version, same.item) == (1, None, 1, None)
    assert change.version == 2 and change.item.page_version == 2
    assert change.item.title == "Règlement machines : modifications du 1er avril 2025"
    assert change.item.summary.startswith(("Ajouté : ", "Supprimé : "))
    assert [v.version for v in page_store.versions(db, "reg")] == [1, 2]


def test_monitored_page_through_the_crawler(tmp_path):
    """First visit: no item; date/counter change: none; real change: exactly one."""
    with PageServer() as srv:
        url = srv.base + "/legal-content/FR/TXT/HTML/"
        plan = write_plan(tmp_path / "sources.yaml", [
            plan_source("machinery-regulation-2023-1230", url),
            plan_source("iso-10218-1-status", srv.base + "/standard/73933.html")])
        srv.serve("/standard/73933.html", "regulation_status_page_no_region.html")
        db_path = tmp_path / "veille.db"
        ids = ["machinery-regulation-2023-1230"]
        news = []
        for fixture in ("regulation_consolidated_v1.html", "regulation_consolidated_v1_restamped.html",
                        "regulation_consolidated_v2.html"):
            srv.serve("/legal-content/FR/TXT/HTML/", fixture)
            run_ids = ids + (["iso-10218-1-status"] if not news else [])
            out = crawl_sources(db_path, plan, run_ids, settings=FAST, timeout=60)
            news.append(out[0].items_new)
            if len(out) > 1:
                missing = out[1]
        assert news == [0, 0, 1]
        db = store.connect(db_path)
        items = list(db.query("SELECT * FROM items WHERE source_id = 'machinery-regulation-2023-1230'"))
        assert len(items) == 1 and items[0]["page_version"] == 2 and items[0]["url"] == url
        assert "Ajouté : Article 50" in items[0]["summary"]
        name = plan_source("machinery-regulation-2023-1230", url)["name"]
        assert items[0]["title"].startswith(f"{name} : modifications du ")
        assert missing.status == "failed"
        assert missing.error == f"selector 'section#product-details' matched nothing on {srv.base}/standard/73933.html"
