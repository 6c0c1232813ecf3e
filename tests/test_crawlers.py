"""Listing pages and sitemaps crawled by the real Scrapy subprocess from recorded pages
served on 127.0.0.1, with the selectors of the shipped sources.yaml."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pages_support import PageServer, plan_source, write_plan
from veille import store
from veille.pages import crawl_sources

FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0, "RANDOMIZE_DOWNLOAD_DELAY": False,
        "DOWNLOAD_MAXSIZE": 1024 * 1024, "DOWNLOAD_WARNSIZE": 0}
LISTINGS = ["inrs-publications", "travail-emploi-actualites", "cencenelec-news",
            "legifrance-jorf", "universal-robots-news", "carsat-ra-actualites"]
BROKEN = ["broken-selector", "robots-forbidden", "redirect-loop", "huge-page"]


def _serve_site(srv: PageServer) -> None:
    srv.serve_bytes("/robots.txt", b"User-agent: *\nDisallow: /prive/\n", "text/plain")
    srv.serve("/publications/nouveautes.html", "inrs_publications_page1.html")
    srv.serve("/publications/nouveautes.html?page=2", "inrs_publications_page2.html")
    srv.serve("/actualites", "ministry_news_french_dates_page1.html")
    srv.serve("/actualites?page=1", "ministry_news_french_dates_page2.html")
    srv.serve("/news-and-events/news/", "standards_news_list.html")
    srv.serve("/jorf/jo", "official_journal_list.html")
    srv.serve("/news-and-media/news-center/", "manufacturer_press_releases.html")
    # page 2 lists the same releases: a page of known items ends the crawl
    srv.serve("/news-and-media/news-center/?page=2", "manufacturer_press_releases.html")
    srv.serve("/news-and-media/news-center/ur-launches-ur15-cobot/",
              "manufacturer_press_release_article_ur15.html")
    srv.serve("/news-and-media/news-center/ai-accelerator-automotive/",
              "manufacturer_press_release_article_ai.html")
    srv.serve("/entreprises/actualites/", "listing_broken_markup.html")
    srv.serve("/prive/actualites", "standards_news_list.html")
    srv.redirect("/boucle", "/boucle2")
    srv.redirect("/boucle2", "/boucle")
    srv.serve_bytes("/enorme", b"<html><body>" + b"<p>ligne</p>" * 250_000 + b"</body></html>")
    srv.serve("/sitemap.xml", "sitemap_index.xml")
    srv.serve("/sitemap-publications.xml", "sitemap_publications.xml")
    for page in ("fiche-cobots", "fiche-poudres", "fiche-bruit", "fiche-exosquelettes"):
        srv.serve(f"/sitemap-pages/{page}.html", "sitemap_page_article.html")


def _plan(base: str) -> list[dict]:
    broken = plan_source("cencenelec-news", base + "/news-and-events/news/",
                         selectors={"item": "article.result"})
    return [
        plan_source("inrs-publications", base + "/publications/nouveautes.html", selectors={"body": None}),
        plan_source("travail-emploi-actualites", base + "/actualites", selectors={"body": None}),
        plan_source("cencenelec-news", base + "/news-and-events/news/", selectors={"body": None}),
        plan_source("legifrance-jorf", base + "/jorf/jo", selectors={"body": None}),
        plan_source("universal-robots-news", base + "/news-and-media/news-center/"),
        plan_source("carsat-ra-actualites", base + "/entreprises/actualites/"),
        plan_source("inrs-sitemap", base + "/sitemap.xml", selectors={"body": "div.content"}),
        {**broken, "id": "broken-selector"},
        {**broken, "id": "robots-forbidden", "url": base + "/prive/actualites"},
        {**broken, "id": "redirect-loop", "url": base + "/boucle"},
        {**broken, "id": "huge-page", "url": base + "/enorme"},
    ]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two passes over the same site; between them the sitemap lists one more page."""
    tmp = tmp_path_factory.mktemp("crawl")
    with PageServer() as srv:
        _serve_site(srv)
        plan = write_plan(tmp / "sources.yaml", _plan(srv.base))
        ids = LISTINGS + ["inrs-sitemap"] + BROKEN
        first = crawl_sources(tmp / "veille.db", plan, ids, settings=FAST, timeout=120)
        db = store.connect(tmp / "veille.db")
        after_first = {r["source_id"]: r["n"] for r in db.query(
            "SELECT source_id, count(*) AS n FROM items GROUP BY source_id")}
        hits_first = list(srv.hits)
        srv.serve("/sitemap-publications.xml", "sitemap_publications_grown.xml")
        second = crawl_sources(tmp / "veille.db", plan, ids, settings=FAST, timeout=120)
        hits_second = srv.hits[len(hits_first):]
        yield {"db": db, "first": {o.source_id: o for o in first}, "base": srv.base,
               "second": {o.source_id: o for o in second}, "after_first": after_first,
               "hits_first": hits_first, "hits_second": hits_second}


def _items(db, source_id: str) -> dict[str, dict]:
    return {r["title"]: r for r in db.query(
        "SELECT i.* FROM items i JOIN item_sources s ON s.item_id = i.id "
        "WHERE s.source_id = ? ORDER BY i.id", [source_id])}


def test_listing_gives_every_item_with_title_link_and_date(crawled):
    items = _items(crawled["db"], "inrs-publications")
    base = crawled["base"]
    assert items["Robots collaboratifs : prévention des risques"]["url"] == \
        base + "/media.html?refINRS=ED%206471"
    assert items["Robots collaboratifs : prévention des risques"]["published_at"].startswith("2025-03-14")
    assert items["Aide-mémoire juridique : machines"]["url"].startswith("https://www.inrs.fr/media.html")
    assert items["Fabrication additive métallique : poudres et sécurité"]["summary"].startswith(
        "Les dangers des poudres")
    assert all(it["url"] and it["title"] and it["published_at"] for it in items.values())


def test_pagination_is_followed(crawled):
    assert "/publications/nouveautes.html?page=2" in crawled["hits_first"]
    assert set(_items(crawled["db"], "inrs-publications")) >= {
        "Bruit en atelier d'usinage", "Exosquelettes : points de vigilance"}
    assert crawled["first"]["inrs-publications"].items_new == 5
    assert "Accidents du travail : les chiffres 2024" in _items(crawled["db"], "travail-emploi-actualites")


def test_french_dates_without_a_format_are_read(crawled):
    ministry = _items(crawled["db"], "travail-emploi-actualites")
    dates = {t: r["published_at"][:10] for t, r in ministry.items()}
    assert dates["Quatrième plan santé au travail : bilan d'étape"] == "2025-04-01"
    assert dates["Fortes chaleurs : les obligations de l'employeur"] == "2025-02-05"
    assert dates["Accidents du travail : les chiffres 2024"] == "2025-01-28"
    journal = _items(crawled["db"], "legifrance-jorf")
    assert {r["published_at"][:10] for r in journal.values()} == {"2025-03-14", "2025-03-01"}
    assert len(journal) == 3


def test_second_run_adds_nothing_and_stops_at_known_items(crawled):
    for sid in LISTINGS:
        assert crawled["second"][sid].items_new == 0, sid
        assert crawled["second"][sid].status in ("ok", "flagged"), crawled["second"][sid]
    count = {r["source_id"]: r["n"] for r in crawled["db"].query(
        "SELECT source_id, count(*) AS n FROM items WHERE source_id != 'inrs-sitemap' GROUP BY source_id")}
    assert count == {k: v for k, v in crawled["after_first"].items() if k != "inrs-sitemap"}
    assert "/publications/nouveautes.html?page=2" not in crawled["hits_second"]
    assert "/news-and-media/news-center/ur-launches-ur15-cobot/" not in crawled["hits_second"]


def test_article_body_is_fetched_for_new_items(crawled):
    items = _items(crawled["db"], "universal-robots-news")
    ur15 = items["Universal Robots launches a faster UR15 cobot"]
    assert "complies with ISO 10218-1:2025" in ur15["content"]
    assert "Contact press office" not in ur15["content"]
    assert ur15["published_at"].startswith("2025-03-11")
    assert crawled["hits_first"].count("/news-and-media/news-center/?page=2") == 1


def test_missing_or_impossible_date_falls_back_to_fetch_time(crawled):
    standards = _items(crawled["db"], "cencenelec-news")
    undated = standards["Workshop on additive manufacturing qualification"]
    assert undated["published_at"] == undated["fetched_at"]
    assert standards["EN ISO 10218-1 and -2:2025 published"]["published_at"].startswith("2025-02-24")


def test_broken_markup_is_read(crawled):
    items = _items(crawled["db"], "carsat-ra-actualites")
    assert set(items) == {"Subvention Prévention TMS Pros", "Risque chimique en fabrication additive",
                          "Mise en conformité des machines anciennes"}
    impossible = items["Mise en conformité des machines anciennes"]
    assert impossible["published_at"] == impossible["fetched_at"]  # 31/02/2025 is no date


def _last_fetch(db, source_id: str) -> dict:
    return next(db.query("SELECT * FROM fetches WHERE source_id = ? ORDER BY id DESC LIMIT 1",
                         [source_id]))


def test_broken_selector_is_a_recorded_failure(crawled):
    url = crawled["base"] + "/news-and-events/news/"
    expected = f"selector 'article.result' matched 0 items on {url}"
    assert crawled["first"]["broken-selector"].status == "failed"
    assert crawled["first"]["broken-selector"].error == expected
    fetch = _last_fetch(crawled["db"], "broken-selector")
    assert (fetch["status"], fetch["error"], fetch["http_status"]) == ("failed", expected, 200)
    source = next(crawled["db"].query("SELECT * FROM sources WHERE id = 'broken-selector'"))
    assert source["error_count"] == 2 and source["last_error"].startswith(expected)


def test_robots_txt_is_obeyed(crawled):
    assert "/prive/actualites" not in crawled["hits_first"] + crawled["hits_second"]
    assert _last_fetch(crawled["db"], "robots-forbidden")["error"] == \
        f"robots.txt forbids {crawled['base']}/prive/actualites"


def test_redirect_loop_and_huge_page_end_within_caps(crawled):
    assert crawled["hits_first"].count("/boucle") <= 4
    loop = _last_fetch(crawled["db"], "redirect-loop")
    assert loop["status"] == "failed" and "redirects" in loop["error"]
    huge = _last_fetch(crawled["db"], "huge-page")
    assert huge["status"] == "failed"
    assert huge["error"] == f"page larger than the download cap (1 MB): {crawled['base']}/enorme"


def test_one_failing_source_never_stops_the_others(crawled):
    statuses = {sid: o.status for sid, o in crawled["first"].items()}
    assert all(statuses[sid] in ("ok", "flagged") for sid in LISTINGS), statuses
    assert all(statuses[sid] == "failed" for sid in BROKEN), statuses


def test_sitemap_new_pages_become_items(crawled):
    assert crawled["first"]["inrs-sitemap"].items_new == 3
    assert crawled["second"]["inrs-sitemap"].items_new == 1
    urls = {r["url"]: r for r in crawled["db"].query(
        "SELECT * FROM items WHERE source_id = 'inrs-sitemap'")}
    new = urls[crawled["base"] + "/sitemap-pages/fiche-exosquelettes.html"]
    assert new["published_at"].startswith("2025-03-21")
    assert new["title"] == "Fiche pratique de prévention"
    assert "mesures de prévention" in new["content"]
    assert crawled["hits_second"].count("/sitemap-pages/fiche-cobots.html") == 0


def test_page_cap_limits_listing_pages(tmp_path):
    with PageServer() as srv:
        srv.serve("/publications/nouveautes.html", "inrs_publications_page1.html")
        srv.serve("/publications/nouveautes.html?page=2", "inrs_publications_page2.html")
        plan = write_plan(tmp_path / "sources.yaml", [plan_source(
            "inrs-publications", srv.base + "/publications/nouveautes.html", selectors={"body": None})])
        out = crawl_sources(tmp_path / "v.db", plan, ["inrs-publications"],
                            settings={**FAST, "VEILLE_MAX_LISTING_PAGES": 1}, timeout=60)
        assert out[0].items_new == 3
        assert "/publications/nouveautes.html?page=2" not in srv.hits


def test_unknown_source_is_reported_not_crawled(tmp_path):
    plan = write_plan(tmp_path / "sources.yaml", [plan_source(
        "inrs-publications", "http://127.0.0.1:9/publications")])
    out = crawl_sources(tmp_path / "v.db", plan, ["nope"], settings=FAST, timeout=60)
    assert out[0].status == "failed" and "no source 'nope'" in out[0].error


def test_parse_listing_date_forms():
    from crawlers.dates import parse_listing_date as parse

    now = datetime(2025, 6, 1, tzinfo=timezone.utc)
    assert parse("Publié le lundi 3 février 2025 à 14h30", None, "fr").isoformat() == \
        "2025-02-03T14:30:00+00:00"
    assert parse("03/12/2025", "%m/%d/%Y", "en").date().isoformat() == "2025-03-12"
    assert parse("March 12, 2025", None, "en").date().isoformat() == "2025-03-12"
    assert parse("2025-03-12T09:00:00Z", None, "fr").date().isoformat() == "2025-03-12"
    assert parse("12 décembre", None, "fr", now=now).date().isoformat() == "2024-12-12"
    assert parse("Nouveau", None, "fr") is None
    assert parse("page 3", None, "fr") is None


def test_veille_crawl_runs_an_html_source_from_the_cli(tmp_path):
    import json

    from click.testing import CliRunner

    from veille.cli import main

    with PageServer() as srv:
        srv.serve("/publications/nouveautes.html", "inrs_publications_page1.html")
        srv.serve("/publications/nouveautes.html?page=2", "inrs_publications_page2.html")
        plan = write_plan(tmp_path / "sources.yaml", [plan_source(
            "inrs-publications", srv.base + "/publications/nouveautes.html", selectors={"body": None})])
        args = ["--db", str(tmp_path / "veille.db"), "--sources", str(plan),
                "crawl", "--source", "inrs-publications", "--json"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        summary = json.loads(result.output)
        text = json.dumps(summary)
        assert '"inrs-publications"' in text and '"items_new": 5' in text
        assert srv.requested("/publications/nouveautes.html?page=2") == 1
