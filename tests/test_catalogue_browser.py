"""The served catalogue in real headless Chromium on 127.0.0.1: what a person sees.
Screenshots go to tests/artifacts/."""
from __future__ import annotations

import pytest

from catalogue_support import (BROWSER_MARKS, PASSWORD, browser, browser_page, build_watch, log_in, page,  # noqa: F401
                               screenshot, served_catalogue)

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "veille.db"
    build_watch(path)
    with served_catalogue(path) as base:
        yield base


def shot(page, name: str) -> None:
    screenshot(page, "catalogue", name)


def test_search_box_finds_an_item_without_accents(page, catalogue):
    page.goto(catalogue + "/")
    page.fill("form.searchbar input[name=q]", "securite cobots")
    page.press("form.searchbar input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    first = page.locator("article.card h3 a").first
    assert "Sécurité des cobots" in first.inner_text()
    shot(page, "search")
    first.click()
    page.wait_for_url("**/item/*")
    assert page.locator("h1").inner_text().startswith("Sécurité des cobots")
    assert page.locator(".summary-html script, .summary-html img").count() == 0
    shot(page, "item")


def test_a_facet_filters_the_results(page, catalogue):
    page.goto(catalogue + "/search")
    before = page.locator("article.card").count()
    page.locator('section[data-facet="category"] a', has_text="Réglementaire").click()
    page.wait_for_url("**category=regulatory*")
    after = page.locator("article.card")
    assert 0 < after.count() < before
    assert all("EUR-Lex" in after.nth(i).inner_text() for i in range(after.count()))


def test_overview_chart_renders(page, catalogue):
    page.goto(catalogue + "/")
    bars = page.locator("svg.chart rect.bar")
    assert bars.count() > 0
    box = bars.first.bounding_box()
    assert box and box["height"] > 0 and box["width"] > 0
    shot(page, "overview")


def test_sources_page_shows_the_failing_source(page, catalogue):
    page.goto(catalogue + "/sources")
    row = page.locator("tr#makers-test")
    assert "En erreur" in row.inner_text() and "HTTP 404" in row.inner_text()
    shot(page, "sources")


def test_logged_in_user_creates_a_rule_and_sees_its_preview(page, catalogue):
    page.goto(catalogue + "/subscriptions")
    page.click("text=Connexion")
    page.fill("input[name=username]", "reader@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(catalogue + "/")
    page.goto(catalogue + "/subscriptions")
    page.click("text=Nouvelle alerte")
    page.fill("input[name=name]", "Robots collaboratifs")
    page.check("input[name=topics][value=robotics]")
    page.fill("input[name=query]", "cobot*")
    page.click("button[value=preview]")
    assert page.locator("section.preview article.card").count() > 0
    page.click("button[value=save]")
    page.wait_for_url("**/subscriptions/*/edit?saved=1")
    preview = page.locator("section.preview article.card")
    assert preview.count() > 0 and "cobot" in preview.first.inner_text().lower()
    shot(page, "subscription_form")
    page.goto(catalogue + "/subscriptions")
    assert "Robots collaboratifs" in page.locator(".rule").first.inner_text()
    shot(page, "subscriptions")


def test_navigation_keeps_to_one_line_on_a_1280_px_screen(page, catalogue):
    log_in(page, catalogue, "editor@example.org")
    for lang in ("fr", "en"):
        page.goto(f"{catalogue}/?lang={lang}")
        links = page.locator("header nav a")
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert len(tops) == 1, f"the navigation wraps in {lang}"


@pytest.mark.parametrize("path", ["/", "/search?q=robot*", "/sources", "/references", "/register", "/sheets/new",
                                  "/reports", "/subscriptions"])
def test_pages_fit_a_390_px_phone_screen(browser, catalogue, path):
    with browser_page(browser, width=390) as phone:
        log_in(phone, catalogue, "editor@example.org")
        phone.goto(catalogue + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, f"{path} scrolls sideways"


def test_chart_legend_labels_do_not_overlap(page):
    # the report orders topics by volume: the long QSE label may come first
    from veille.catalogue.chart import weekly_bars
    from veille.catalogue.i18n import Translator
    topics = ["qse", "regulation", "robotics", "additive_manufacturing", "iot"]
    weeks = ["2026-11-02", "2026-11-09"]
    rows = [{"topic": t, "week": w, "n": 3} for t in topics for w in weeks]
    for lang in ("fr", "en"):
        t = Translator(lang)
        page.set_content(weekly_bars(rows, weeks, topics, {x: t.topic(x) for x in topics}, "chart"))
        boxes = [b for b in (x.bounding_box() for x in page.locator("svg.chart text.legend").all()) if b]
        assert len(boxes) == 5
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or abs(a["y"] - b["y"]) >= a["height"]
                assert apart, f"two legend labels overlap in {lang}"
