"""Reference pages and the calendar in real headless Chromium on 127.0.0.1. Screenshots go to
tests/artifacts/references/."""
from __future__ import annotations

import pytest

from catalogue_support import BROWSER_MARKS, browser, build_watch, page, screenshot, served_catalogue  # noqa: F401
from test_catalogue_references import FUTURE, add_reference_items, french

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    path = tmp_path_factory.mktemp("references_browser") / "veille.db"
    ids = build_watch(path)
    ids.update(add_reference_items(path))
    with served_catalogue(path) as base:
        yield base, ids


def shot(pg, name: str) -> None:
    screenshot(pg, "references", name)


def test_calendar_renders_upcoming_dates_by_month(page, catalogue):
    url, _ = catalogue
    page.goto(url + "/")
    page.click("header nav >> text=Calendrier")
    page.wait_for_url(url + "/calendar")
    first_month = page.locator("section.month").first
    assert first_month.locator("h2").is_visible()
    entry = page.locator("ul.dates li", has_text=french(FUTURE))
    assert entry.count() >= 1 and entry.first.is_visible()
    assert entry.first.locator("a.ref", has_text="2023/1230").count() == 1
    shot(page, "calendar")


def test_reference_page_is_reachable_from_an_item(page, catalogue):
    url, ids = catalogue
    page.goto(f"{url}/item/{ids['machinery-fr']}")
    page.click("ul.refs a.ref >> text=règlement (UE) 2023/1230")
    page.wait_for_url("**/reference/eu_act/2023%2F1230")
    assert page.locator("h1").inner_text().startswith("2023/1230")
    history = page.locator("ol.history li")
    assert history.count() == 3
    assert history.first.locator("a", has_text="Règlement machines").count() == 1   # oldest first
    assert page.locator("a.button", has_text="Connectez-vous pour suivre").is_visible()
    shot(page, "references")


def test_reference_index_filter_box_finds_acts_by_their_name(page, catalogue):
    url, _ = catalogue
    page.goto(url + "/references")
    page.fill("form.refbar input[name=q]", "machines")
    page.press("form.refbar input[name=q]", "Enter")
    page.wait_for_url("**/references?q=machines")
    keys = page.locator("table.refs a.ref").all_inner_texts()
    assert "2023/1230" in keys and "2006/42" in keys and "ISO 13849-1" not in keys
    shot(page, "reference_index")


def test_item_of_a_story_names_the_other_source(page, catalogue):
    url, ids = catalogue
    page.goto(f"{url}/item/{ids['cra-maker']}")
    note = page.locator("p.story-note")
    assert note.is_visible() and "EUR-Lex (test)" in note.inner_text()
    shot(page, "story_item")


def test_search_shows_a_story_once_with_its_other_source(page, catalogue):
    url, _ = catalogue
    page.goto(url + "/search?q=ENISA")
    cards = page.locator("section.results article.card")
    assert cards.count() == 1
    assert "Makers (test)" in page.locator("section.results p.story-note").inner_text()
    shot(page, "story_search")
