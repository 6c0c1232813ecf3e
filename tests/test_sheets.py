"""Watch sheets: the library (versions, optimistic locking, search, audit) and the catalogue
pages through Datasette's own client (forms, permissions, stale edits, item page links)."""
from __future__ import annotations

import asyncio
import re
from html import unescape

import pytest

from catalogue_support import build_watch
from veille import store
from veille.capitalise import sheets
from veille.catalogue.app import build_datasette
from veille.config import Settings
from veille.store import audit
from veille.store import sheets as sheet_store


def pbf_draft(item_ids: list[int]) -> sheets.SheetDraft:
    return sheets.SheetDraft(
        title="Fusion laser sur lit de poudre métallique", technique="Fabrication additive métal",
        summary="Machines multi-lasers pour pièces de moteurs.", maturity="industrial",
        vendor="EOS, Nikon SLM, Farsoon", price_range="500 k€ – 2 M€", available_since="2016",
        strengths="Pièces complexes", weaknesses="Poudres fines : exposition des opérateurs",
        comparison=sheets.Comparison(["Lasers", "Volume"], [{"solution": "EOS M 400-4", "values": ["4", "400 mm"]},
                                                           {"solution": "NXG XII 600", "values": ["12", "600 mm"]}]),
        item_ids=item_ids)


@pytest.fixture(scope="module")
def watch(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "veille.db"
    return path, build_watch(path)


@pytest.fixture
def db(watch):
    conn = store.connect(watch[0])
    yield conn
    conn.conn.close()


@pytest.fixture(scope="module")
def ds(watch):
    ds = build_datasette(watch[0], Settings(db_path=watch[0], base_url="http://catalogue.test/"))
    asyncio.run(ds.invoke_startup())
    return ds


def get(ds, url, **kw):
    return asyncio.run(ds.client.get(url, **kw))


def post(ds, url, **kw):
    return asyncio.run(ds.client.post(url, **kw))


def session(ds, email: str, page: str = "/sheets/new") -> tuple[dict, str]:
    cookies = {"ds_actor": ds.sign({"a": {"id": email}}, "actor")}
    resp = get(ds, page, cookies=cookies)
    token = re.search(r'name="csrftoken" value="([^"]+)"', resp.text).group(1)
    cookies["ds_csrftoken"] = resp.cookies.get("ds_csrftoken")
    return cookies, token


def test_create_keeps_version_one_items_and_an_audit_row(db, watch):
    ids = watch[1]
    sheet_id = sheets.create_sheet(db, pbf_draft([ids["powder-bed-printer"], ids["impression-3d-safran"]]), "ana@example.org")
    sheet = sheets.get_sheet(db, sheet_id)
    assert sheet["version"] == 1 and sheet["slug"].startswith("fusion-laser-sur-lit-de-poudre-metallique")
    assert sorted(sheet["item_ids"]) == sorted([ids["powder-bed-printer"], ids["impression-3d-safran"]])
    assert sheet["comparison"].rows[1] == {"solution": "NXG XII 600", "values": ["12", "600 mm"]}
    trail = audit.history(db, "sheet", sheet_id)
    assert [(r["actor"], r["action"]) for r in trail] == [("ana@example.org", "create")]
    assert sheet_store.sheets_citing(db, ids["powder-bed-printer"])[0]["id"] == sheet_id


def test_edit_adds_a_full_version_and_the_diff_shows_the_change(db, watch):
    sheet_id = sheets.create_sheet(db, pbf_draft([]), "ana@example.org")
    draft = sheets.draft_of(sheets.get_sheet(db, sheet_id))
    draft.maturity, draft.note = "mature", "parc installé"
    assert sheets.update_sheet(db, sheet_id, draft, 1, "bob@example.org") == 2
    v1, v2 = (sheets.draft_of(sheet_store.version(db, sheet_id, n)["content"]) for n in (1, 2))
    assert v1.maturity == "industrial" and v2.maturity == "mature"
    assert sheets.diff(v1, v2) == [{"field": "maturity", "lines": [("-", "industrial"), ("+", "mature")]}]
    assert [v["author"] for v in sheet_store.versions(db, sheet_id)] == ["bob@example.org", "ana@example.org"]
    assert audit.history(db, "sheet", sheet_id)[-1]["changed"] == ["maturity"]


def test_stale_edit_is_refused_and_nothing_is_overwritten(db):
    sheet_id = sheets.create_sheet(db, pbf_draft([]), "ana@example.org")
    first = sheets.draft_of(sheets.get_sheet(db, sheet_id))
    first.summary = "Texte de Bob"
    sheets.update_sheet(db, sheet_id, first, 1, "bob@example.org")
    late = sheets.draft_of(sheets.get_sheet(db, sheet_id))
    late.summary = "Texte de Chloé, ouvert à la version 1"
    with pytest.raises(sheets.StaleEdit) as refused:
        sheets.update_sheet(db, sheet_id, late, 1, "chloe@example.org")
    assert "bob@example.org" in str(refused.value) and refused.value.draft.summary.startswith("Texte de Chloé")
    current = sheets.get_sheet(db, sheet_id)
    assert current["summary"] == "Texte de Bob" and current["version"] == 2


@pytest.mark.parametrize("query", ["metallique", "MÉTALLIQUE", "nxg", "fusion laser"])
def test_search_finds_a_sheet_with_or_without_accents(db, query):
    sheets.create_sheet(db, pbf_draft([]), "ana@example.org")
    assert any("métallique" in s["title"] for s in sheets.search(db, query))
    assert sheets.search(db, "aspirateur") == []


@pytest.mark.parametrize("change, message", [
    ({"title": "  "}, "needs a title"),
    ({"maturity": "almost"}, "maturity"),
    ({"item_ids": [999999]}, "No item with id 999999"),
])
def test_bad_input_is_refused_with_a_clear_message(db, change, message):
    draft = pbf_draft([])
    for k, v in change.items():
        setattr(draft, k, v)
    with pytest.raises(sheets.SheetError, match=message):
        sheets.create_sheet(db, draft, "ana@example.org")


def test_empty_grid_rows_and_columns_are_dropped():
    grid = sheets.Comparison(["Prix", "", "Charge"], [{"solution": "UR20", "values": ["40 k€", "", "20 kg"]},
                                                       {"solution": "", "values": ["", "", ""]}]).cleaned()
    assert grid.criteria == ["Prix", "Charge"] and grid.rows == [{"solution": "UR20", "values": ["40 k€", "20 kg"]}]


def _form(token: str, **fields) -> dict:
    base = {"csrftoken": token, "title": "Cobots de palettisation", "technique": "Robotique collaborative",
            "summary": "Palettisation en fin de ligne.", "maturity": "mature", "vendor": "Universal Robots, FANUC",
            "criterion-0": "Charge utile", "criterion-1": "Prix", "solution-0": "UR20", "cell-0-0": "20 kg",
            "cell-0-1": "45 k€", "solution-3": "CRX-25iA", "cell-3-0": "25 kg", "cell-3-1": "55 k€"}
    return {**base, **fields}


def test_anonymous_visitors_cannot_create_or_edit(ds):
    assert get(ds, "/sheets/new").status_code == 403
    assert post(ds, "/sheets/new", data={"title": "x"}).status_code == 403
    assert get(ds, "/sheets/1/edit").status_code == 403


def test_sheet_created_through_the_form_is_shown_and_linked_from_its_item(ds, watch):
    item = watch[1]["new-cobot-payload"]
    cookies, token = session(ds, "editor@example.org", f"/sheets/new?items={item}")
    created = post(ds, "/sheets/new", data=_form(token, items=str(item)), cookies=cookies)
    assert created.status_code == 302
    page = get(ds, created.headers["location"])
    text = unescape(page.text)
    assert "Cobots de palettisation" in text and "CRX-25iA" in text and "55 k€" in text
    assert f'href="/item/{item}"' in page.text
    assert "Cobots de palettisation" in unescape(get(ds, f"/item/{item}").text)
    assert "Cobots de palettisation" in unescape(get(ds, "/sheets?sq=palettisation").text)


def test_stale_form_gets_409_with_the_users_text_and_the_saved_one_kept(ds):
    cookies, token = session(ds, "editor@example.org")
    sheet_url = post(ds, "/sheets/new", data=_form(token), cookies=cookies).headers["location"].split("?")[0]
    first = post(ds, sheet_url + "/edit", data=_form(token, base_version="1", summary="Version de l'éditeur"),
                 cookies=cookies)
    assert first.status_code == 302
    other, other_token = session(ds, "admin@example.org")
    late = post(ds, sheet_url + "/edit", data=_form(other_token, base_version="1", summary="Texte tardif de l'admin"),
                cookies=other)
    assert late.status_code == 409
    text = unescape(late.text)
    assert "Texte tardif de l'admin" in text and "editor@example.org" in text
    assert 'name="base_version" value="2"' in late.text
    assert "Version de l'éditeur" in unescape(get(ds, sheet_url).text)


def test_versions_page_and_diff_between_versions(ds):
    cookies, token = session(ds, "editor@example.org")
    url = post(ds, "/sheets/new", data=_form(token), cookies=cookies).headers["location"].split("?")[0]
    post(ds, url + "/edit", data=_form(token, base_version="1", price_range="40–60 k€"), cookies=cookies)
    old = get(ds, url + "/versions/1")
    assert old.status_code == 200 and "40–60 k€" not in unescape(old.text)
    diff = unescape(get(ds, url + "?a=1&b=2").text)
    assert "+ 40–60 k€" in diff
    assert get(ds, url + "/versions/9").status_code == 404


def test_demo_seed_adds_three_sheets_citing_items_and_a_report_once(tmp_path):
    from veille.capitalise.demo_sheets import seed_sheets_demo
    from veille.capitalise.reports import saved_report

    path = tmp_path / "veille.db"
    build_watch(path)
    db = store.connect(path)
    first = seed_sheets_demo(db)
    assert first["sheets"] == 3 and seed_sheets_demo(db) == {"sheets": 0, "report": None}
    listed = sheet_store.list_sheets(db)
    assert len(listed) == 3 and all(s["items"] >= 1 for s in listed)
    row, report = saved_report(db, first["report"])
    assert [s["title"] for s in report.new_sheets] and row["title"].startswith("Rapport de veille")
    db.conn.close()
