"""The served catalogue in real headless Chromium on 127.0.0.1: what a person sees.
Screenshots go to tests/artifacts/ (and refresh docs/screenshots/ when VEILLE_SCREENSHOTS_TO_DOCS=1)."""
from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from catalogue_support import PASSWORD, build_watch
from veille.catalogue.app import build_datasette, serve
from veille.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts" / "catalogue"
DOCS_SHOTS = ROOT / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium "
                       "(.ci/run installs it)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "veille.db"
    build_watch(path)
    port = free_port()
    ds = build_datasette(path, Settings(db_path=path, base_url=f"http://127.0.0.1:{port}/"))
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, args=(ds, "127.0.0.1", port, ready, stop), daemon=True)
    thread.start()
    assert ready.wait(20), "the catalogue did not start"
    yield f"http://127.0.0.1:{port}"
    stop.set()
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    pg = context.new_page()
    pg.set_default_timeout(10000)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    if os.environ.get("VEILLE_SCREENSHOTS_TO_DOCS"):
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(target, DOCS_SHOTS / f"{name}.png")


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
