"""The regulatory register: library rules (validation, optimistic locking, due dates,
all-or-nothing import, exports) and its catalogue pages through Datasette's own client;
owner reminders through a real SMTP server on 127.0.0.1."""
from __future__ import annotations

import asyncio
import io
import re
from datetime import date, timedelta
from html import unescape

import pytest

from catalogue_support import build_watch
from veille import store
from veille.capitalise import register, register_io, reminders
from veille.catalogue.app import build_datasette
from veille.config import Settings

TODAY = date(2026, 11, 26)
OWNER = "owner@example.org"


def entry_values(**over) -> dict:
    return {"reference": "Règlement (UE) 2023/1230", "title": "Machinery Regulation", "issuer": "EU",
            "application_dates": "2027-01-20", "owner": OWNER, **over}


# --- library ---------------------------------------------------------------------------

def test_compliant_needs_evidence_and_not_applicable_needs_a_reason(tmp_db):
    with pytest.raises(register.EntryError) as err:
        register.create(tmp_db, "a@example.org", entry_values(status="compliant", applicability="not_applicable"))
    assert any("evidence" in p for p in err.value.problems)
    assert any("reason" in p for p in err.value.problems)
    assert tmp_db.execute("SELECT count(*) FROM register_entries").fetchone()[0] == 0


def test_stale_update_is_refused_naming_who_changed_the_entry(tmp_db):
    entry_id = register.create(tmp_db, "a@example.org", entry_values())
    read_by_both = register.get(tmp_db, entry_id)
    register.update(tmp_db, "ana@example.org", entry_id, read_by_both["version"],
                    {**read_by_both, "status": "in_progress", "actions": "Update the risk assessment"})
    with pytest.raises(register.StaleEntry) as err:
        register.update(tmp_db, "bob@example.org", entry_id, read_by_both["version"],
                        {**read_by_both, "actions": "Nothing to do"})
    assert "ana@example.org" in str(err.value) and "reload" in str(err.value)
    kept = register.get(tmp_db, entry_id)
    assert kept["actions"] == "Update the risk assessment" and kept["updated_by"] == "ana@example.org"


def test_every_change_is_in_the_audit_trail_with_before_and_after(tmp_db):
    entry_id = register.create(tmp_db, "a@example.org", entry_values())
    e = register.get(tmp_db, entry_id)
    register.update(tmp_db, "b@example.org", entry_id, e["version"],
                    {**e, "status": "compliant", "evidence_url": "https://intranet.example/ev/1"})
    trail = register.history(tmp_db, entry_id)
    assert [(h["action"], h["actor"]) for h in trail] == [("create", "a@example.org"), ("update", "b@example.org")]
    assert trail[1]["before"]["status"] == "to_assess" and trail[1]["after"]["status"] == "compliant"
    assert set(trail[1]["changed"]) == {"status", "evidence_url"}


def test_due_lists_overdue_and_soon_and_ignores_compliant_application_dates(tmp_db):
    soon = (TODAY + timedelta(days=10)).isoformat()
    late = (TODAY - timedelta(days=3)).isoformat()
    a = register.create(tmp_db, "x@example.org", entry_values(reference="A", application_dates=soon))
    b = register.create(tmp_db, "x@example.org", entry_values(reference="B", application_dates=late))
    register.create(tmp_db, "x@example.org", entry_values(reference="C", application_dates=late, status="compliant",
                                                          evidence_url="https://ev.example/c"))
    d = register.due(tmp_db, TODAY)
    assert [x.entry["id"] for x in d.overdue] == [b] and d.overdue[0].days == -3
    assert [x.entry["id"] for x in d.due_soon] == [a]


def test_entry_from_item_is_prefilled_from_its_reference_and_never_made_twice(tmp_path):
    ids = build_watch(tmp_path / "v.db")
    db = store.connect(tmp_path / "v.db")
    draft = register.draft_from_item(db, ids["machinery-regulation"])
    assert draft["ref_key"] == "2023/1230" and "2023/1230" in draft["reference"]
    first = register.create_from_item(db, "editor@example.org", ids["machinery-regulation"], {"owner": OWNER})
    again = register.create_from_item(db, "editor@example.org", ids["machinery-regulation"])
    assert first == again
    assert db.execute("SELECT count(*) FROM register_entries").fetchone()[0] == 1


def test_import_with_bad_rows_names_each_line_and_imports_nothing(tmp_db):
    csv_text = ("reference;title;status;evidence_url;owner;next_review\n"
                "Décret 2024-1234;Ventilation des ateliers;conforme;https://ev.example/1;qse@example.org;2027-03-01\n"
                ";Sans référence;;;;\n"
                "Arrêté 2011-12-30;Bruit;conforme;;;\n"
                "ISO 45001;SST;en cours;;pas-un-email;31/02/2027\n")
    with pytest.raises(register_io.ImportRefused) as err:
        register_io.import_csv(tmp_db, "editor@example.org", csv_text.encode("utf-8"))
    lines = dict(err.value.problems)
    assert set(lines) == {3, 4, 5}
    assert "reference is required" in lines[3] and "evidence" in lines[4]
    assert "email" in lines[5] and "date" in lines[5]
    assert tmp_db.execute("SELECT count(*) FROM register_entries").fetchone()[0] == 0


def test_import_of_good_rows_in_cp1252_with_french_headers(tmp_db):
    data = ("Référence;Titre;Conformité;Applicabilité;Motif\n"
            "Décret 2024-1234;Aération des locaux;en cours;applicable;\n"
            "Loi 2021-1018;Santé au travail;à évaluer;non applicable;Pas de salariés exposés\n").encode("cp1252")
    report = register_io.import_csv(tmp_db, "editor@example.org", data)
    assert len(report.imported) == 2
    rows = register.list_entries(tmp_db, today=TODAY)
    assert {r["reference"]: (r["status"], r["applicability"]) for r in rows} == {
        "Décret 2024-1234": ("in_progress", "applicable"), "Loi 2021-1018": ("to_assess", "not_applicable")}
    assert [h["action"] for h in register.history(tmp_db, report.imported[0])] == ["import"]


def test_exports_open_and_neutralise_formulas(tmp_db):
    from openpyxl import load_workbook

    register.create(tmp_db, "a@example.org", entry_values(title="=HYPERLINK(\"http://evil\")"))
    csv_text = register_io.export_csv(tmp_db)
    assert csv_text.startswith("\ufeffid,reference,title")
    assert "'=HYPERLINK" in csv_text
    wb = load_workbook(io.BytesIO(register_io.export_xlsx(tmp_db, {"reference": "Référence"})))
    ws = wb.active
    assert ws["B1"].value == "Référence" and ws["B2"].value == "Règlement (UE) 2023/1230"
    assert ws["C2"].value.startswith("'=") and ws["C2"].data_type == "s"


# --- reminders -------------------------------------------------------------------------

def test_reminder_reaches_the_owner_once_across_runs(tmp_db, smtp):
    settings = Settings(smtp_url=smtp.url, base_url="http://catalogue.test/")
    deadline = TODAY + timedelta(days=12)
    entry_id = register.create(tmp_db, "a@example.org", entry_values(application_dates=deadline.isoformat()))
    first = reminders.send_register_reminders(tmp_db, settings, today=TODAY)
    second = reminders.send_register_reminders(tmp_db, settings, today=TODAY)
    assert (first.sent, second.sent) == (1, 0)
    mails = smtp.box.to(OWNER)
    assert len(mails) == 1
    body = mails[0].get_body(("plain",)).get_content()
    assert deadline.isoformat() in body and f"http://catalogue.test/register/{entry_id}" in body
    assert mails[0]["Content-Language"] == "fr" and "12" in mails[0]["Subject"]
    # the day before, the second reminder goes, once
    last = reminders.send_register_reminders(tmp_db, settings, today=deadline - timedelta(days=1))
    reminders.send_register_reminders(tmp_db, settings, today=deadline - timedelta(days=1))
    assert last.sent == 1 and len(smtp.box.to(OWNER)) == 2


def test_reminder_waits_while_the_server_is_down_then_goes(tmp_db, smtp):
    register.create(tmp_db, "a@example.org", entry_values(application_dates=(TODAY + timedelta(days=1)).isoformat()))
    settings = Settings(smtp_url=smtp.url)
    smtp.stop()
    down = reminders.send_register_reminders(tmp_db, settings, today=TODAY)
    assert down.sent == 0 and down.errors
    smtp.start()
    up = reminders.send_register_reminders(tmp_db, settings, today=TODAY)
    assert up.sent == 1 and len(smtp.box.to(OWNER)) == 1


# --- catalogue pages ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def watch(tmp_path_factory):
    path = tmp_path_factory.mktemp("register") / "veille.db"
    return path, build_watch(path)


@pytest.fixture(scope="module")
def ds(watch):
    d = build_datasette(watch[0], Settings(db_path=watch[0], base_url="http://catalogue.test/"))
    asyncio.run(d.invoke_startup())
    return d


def get(ds, url, **kw):
    return asyncio.run(ds.client.get(url, **kw))


def post(ds, url, **kw):
    return asyncio.run(ds.client.post(url, **kw))


def session(ds, email: str, page: str = "/register/new") -> tuple[dict, str]:
    cookies = {"ds_actor": ds.sign({"a": {"id": email}}, "actor")}
    r = get(ds, page, cookies=cookies)
    token = re.search(r'name="csrftoken" value="([^"]+)"', r.text).group(1)
    cookies["ds_csrftoken"] = r.cookies.get("ds_csrftoken")
    return cookies, token


def form_values(html: str) -> dict:
    return {k: unescape(v) for k, v in re.findall(r'<input type="[a-z]+" name="(\w+)" value="([^"]*)"', html)}


def test_anonymous_visitors_cannot_write_the_register(ds):
    r = post(ds, "/register/new", data={"reference": "X", "title": "Y"})
    assert r.status_code == 403
    assert get(ds, "/register/new").status_code == 302


def test_register_entry_from_an_item_then_a_conflicting_edit_is_refused(ds, watch):
    item_id = watch[1]["cyber-resilience-act"]
    item_page = get(ds, f"/item/{item_id}", cookies=session(ds, "editor@example.org")[0])
    assert f"/register/from-item/{item_id}" in item_page.text
    cookies, token = session(ds, "editor@example.org", f"/register/from-item/{item_id}")
    prefilled = form_values(get(ds, f"/register/from-item/{item_id}", cookies=cookies).text)
    assert "2024/2847" in prefilled["reference"] or "Cyber" in prefilled["reference"]
    r = post(ds, f"/register/from-item/{item_id}", cookies=cookies,
             data={**prefilled, "csrftoken": token, "owner": OWNER, "applicability": "applicable",
                   "status": "in_progress"})
    assert r.status_code == 302
    entry_url = r.headers["location"].split("?")[0]
    page = get(ds, entry_url, cookies=cookies).text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    base = {**form_values(page), "csrftoken": token, "applicability": "applicable", "status": "in_progress"}
    ok = post(ds, entry_url, cookies=cookies, data={**base, "version": version, "actions": "Inventory connected products"})
    assert ok.status_code == 302
    other, other_token = session(ds, "reader@example.org", entry_url)
    stale = post(ds, entry_url, cookies=other, data={**base, "csrftoken": other_token, "version": version,
                                                     "actions": "Nothing"})
    assert stale.status_code == 409
    assert "editor@example.org" in unescape(stale.text) and "Nothing" in stale.text  # typed text kept
    shown = get(ds, entry_url).text
    assert "Inventory connected products" in shown and "reader@example.org" not in shown


def test_import_page_is_for_editors_and_reports_bad_lines(ds):
    reader, _ = session(ds, "reader@example.org", "/register")
    assert get(ds, "/register/import", cookies=reader).status_code == 403
    cookies, token = session(ds, "editor@example.org", "/register/import")
    body = "reference,title,status\nOK-1,Fine,\nBAD,,nonsense\n"
    r = post(ds, f"/register/import?csrftoken={token}", cookies=cookies,
             files={"file": ("register.csv", body.encode(), "text/csv")}, data={"csrftoken": token})
    assert r.status_code == 400
    assert "<td>3</td>" in r.text and "title is required" in r.text
    assert "OK-1" not in get(ds, "/register").text


def test_register_list_highlights_overdue_and_exports_download(ds, watch):
    db = store.connect(watch[0])
    late = (date.today() - timedelta(days=5)).isoformat()
    entry_id = register.create(db, "editor@example.org", entry_values(reference="Décret 2099-1", application_dates=late))
    db.conn.close()
    page = get(ds, "/register").text
    assert re.search(rf'<tr class="overdue" data-entry="{entry_id}">', page)
    assert get(ds, "/register?status=compliant").text.count('data-entry=') == 0
    csv_r = get(ds, "/register.csv")
    assert csv_r.status_code == 200 and "Décret 2099-1" in csv_r.text
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(get(ds, "/register.xlsx").content))
    assert any(c.value == "Décret 2099-1" for row in wb.active.iter_rows() for c in row)


def test_import_without_the_csrf_token_is_refused(ds):
    cookies, token = session(ds, "editor@example.org", "/register/import")
    r = post(ds, "/register/import", cookies=cookies,
             files={"file": ("register.csv", b"reference,title\nCSRF-1,x\n", "text/csv")})
    assert r.status_code == 403
    assert "CSRF-1" not in get(ds, "/register").text


def test_good_import_through_the_page(ds):
    cookies, token = session(ds, "editor@example.org", "/register/import")
    r = post(ds, f"/register/import?csrftoken={token}", cookies=cookies,
             files={"file": ("r.csv", "reference;title\nArrêté 2011-12-30;Bruit\n".encode("cp1252"), "text/csv")})
    assert r.status_code == 200 and 'role="status"' in r.text
    assert "Arrêté 2011-12-30" in get(ds, "/register").text


def test_demo_seed_fills_each_state_from_regulation_items(tmp_path):
    from veille.capitalise.demo_seed import seed_register_demo
    from veille.capitalise import reviews

    build_watch(tmp_path / "v.db")
    db = store.connect(tmp_path / "v.db")
    ids = seed_register_demo(db, today=TODAY)
    assert seed_register_demo(db, today=TODAY) == []
    rows = {r["id"]: r for r in register.list_entries(db, today=TODAY)}
    assert [rows[i]["status"] for i in ids] == ["compliant", "in_progress", "non_compliant", "to_assess"]
    assert rows[ids[0]]["evidence_url"] and rows[ids[0]]["item_id"]
    assert [rows[i]["urgency"] for i in ids[1:3]] == ["due_soon", "overdue"]
    assert rows[ids[3]]["applicability"] == "not_applicable" and rows[ids[3]]["applicability_reason"]
    (req,) = reviews.thread(db, entry_id=ids[1])
    assert req["answered"] == 1
