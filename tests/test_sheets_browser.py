"""Watch sheets and reports in real headless Chromium against the served catalogue on
127.0.0.1: a sheet created from an item (comparison grid grown with the page's buttons),
edited, found by search; a report downloaded and opened with python-docx.
Screenshots go to tests/artifacts/sheets/."""
from __future__ import annotations

import pytest

from catalogue_support import BROWSER_MARKS, browser, build_watch, log_in, page, screenshot, served_catalogue  # noqa: F401

pytestmark = BROWSER_MARKS
docx = pytest.importorskip("docx", reason="python-docx is not installed")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets-browser") / "veille.db"
    ids = build_watch(path)
    with served_catalogue(path) as base:
        yield base, ids


def shot(page, name: str) -> None:
    screenshot(page, "sheets", name)


def test_sheet_created_from_an_item_edited_and_found_by_search(page, catalogue):
    base, ids = catalogue
    log_in(page, base, "editor@example.org")
    page.goto(f"{base}/item/{ids['new-cobot-payload']}")
    page.click("text=Créer une fiche de veille")
    page.wait_for_url("**/sheets/new?items=*")
    assert page.input_value("input[name=title]") == "New cobot with a 30 kg payload for palletising"
    page.fill("input[name=title]", "Cobots de palettisation en fin de ligne")
    page.fill("input[name=technique]", "Robotique collaborative")
    page.select_option("select[name=maturity]", "industrial")
    page.fill("textarea[name=summary]", "Palettiser sans cage : charges de 20 à 30 kg, mise en service en une semaine.")
    page.fill("input[name=vendor]", "Universal Robots, FANUC, Doosan")
    # the grid grows with the page's own buttons (local script, no network)
    for _ in range(2):
        page.click("#add-column")
    for _ in range(2):
        page.click("#add-row")
    page.fill("input[name=criterion-0]", "Charge utile")
    page.fill("input[name=criterion-1]", "Prix indicatif")
    page.fill("input[name=solution-0]", "UR20")
    page.fill("input[name=cell-0-0]", "20 kg")
    page.fill("input[name=cell-0-1]", "45 k€")
    page.fill("input[name=solution-1]", "CRX-25iA")
    page.fill("input[name=cell-1-0]", "25 kg")
    page.fill("input[name=cell-1-1]", "55 k€")
    page.click("form.sheetform button[type=submit]")
    page.wait_for_url("**/sheets/*?saved=1")
    assert page.locator("table.comparison tbody tr").count() == 2
    assert page.locator("table.comparison").inner_text().count("k€") == 2
    sheet_url = page.url.split("?")[0]

    page.click("text=Modifier la fiche")
    page.fill("input[name=price_range]", "40 – 60 k€ la cellule")
    page.click("#add-row")
    page.fill("input[name=solution-2]", "Doosan H2017")
    page.fill("input[name=cell-2-0]", "20 kg")
    page.fill("input[name=note]", "ajout Doosan")
    page.click("form.sheetform button[type=submit]")
    page.wait_for_url("**/sheets/*?saved=1*")
    assert page.locator("table.comparison tbody tr").count() == 3
    page.select_option("select[name=a]", "1")
    page.select_option("select[name=b]", "2")
    page.click("form.compare button")
    assert any("Doosan H2017" in t for t in page.locator(".diff .dins").all_inner_texts())
    page.goto(sheet_url)
    shot(page, "sheet")

    page.goto(base + "/sheets")
    page.fill("input[name=sq]", "palettisation fin de ligne")  # without accents or case
    page.click("form.sheet-search button")
    assert page.locator("article.sheet-card h3 a").first.inner_text() == "Cobots de palettisation en fin de ligne"
    page.goto(f"{base}/item/{ids['new-cobot-payload']}")
    assert page.locator("section.sheets-citing a", has_text="Cobots de palettisation").count() == 1


def test_report_downloaded_and_opened(page, catalogue, tmp_path):
    base, _ = catalogue
    page.goto(base + "/reports")
    page.select_option("select[name=topic]", "robotics")
    page.click("form.reportform button[type=submit]")
    page.wait_for_url("**/reports?*topic=robotics*")     # the report page loaded, not the form's
    assert page.locator("li.story").count() >= 2
    assert page.locator("svg.chart rect.bar").count() >= 1
    shot(page, "report")
    with page.expect_download() as info:
        page.click("#report-download")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".docx"
    document = docx.Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "New cobot with a 30 kg payload for palletising" in text and "Faits marquants" in text
    assert len(document.inline_shapes) == 1  # the chart of items per topic per week
