"""Reference pages, the calendar of application dates, its iCalendar export, following a
reference, story notes and the complete rule form, through Datasette's own client on a watch
built through the real ingest path (catalogue_support plus items citing references)."""
from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
import yaml

from catalogue_support import build_watch
from test_catalogue import csrf_session, get, post
from veille import store
from veille.alerts import rules
from veille.catalogue.app import build_datasette
from veille.catalogue.references_ics import escape_text, fold
from veille.config import Settings
from veille.ingest import ingest
from veille.item import RawItem
from veille.sources import parse_plan
from veille.timeutil import iso, utcnow

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE_ITEMS = FIXTURES / "references_ui" / "items_citing_references.yaml"
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
FUTURE = date.today() + timedelta(days=400)
FUTURE_CRA = date.today() + timedelta(days=500)
PAST = date.today() - timedelta(days=800)


def french(d: date) -> str:
    return f"{d.day} {MONTHS_FR[d.month - 1]} {d.year}"


def add_reference_items(path: Path) -> dict[str, int]:
    """Ingest the items citing references into the catalogue test watch; ids by slug."""
    sample = yaml.safe_load((FIXTURES / "catalogue" / "watch_sample.yaml").read_text(encoding="utf-8"))
    by_id = parse_plan(yaml.safe_dump({"sources": sample["sources"]}, allow_unicode=True)).by_id()
    values = {"future_fr": french(FUTURE), "past_fr": french(PAST),
              "future_en": f"{FUTURE_CRA.day} {MONTHS_EN[FUTURE_CRA.month - 1]} {FUTURE_CRA.year}"}
    db = store.connect(path)
    ids, now = {}, utcnow()
    for entry in yaml.safe_load(REFERENCE_ITEMS.read_text(encoding="utf-8"))["items"]:
        src = by_id[entry["source"]]
        raw = RawItem(source_id=src.id, title=entry["title"].format(**values), summary=entry["summary"],
                      url=f"http://127.0.0.1:9/r/{src.id}/{entry['slug']}", lang=src.language,
                      published=iso(now - timedelta(days=entry["age_days"], hours=2)))
        result = ingest(db, src, [raw])
        assert result.new == 1, result
        ids[entry["slug"]] = result.new_ids[0]
    db.conn.close()
    return ids


@pytest.fixture(scope="module")
def watch(tmp_path_factory):
    path = tmp_path_factory.mktemp("references") / "veille.db"
    ids = build_watch(path)
    ids.update(add_reference_items(path))
    return path, ids


@pytest.fixture(scope="module")
def ds(watch):
    path = watch[0]
    datasette = build_datasette(path, Settings(db_path=path, base_url="http://catalogue.test/"))
    asyncio.run(datasette.invoke_startup())
    return datasette


def item_links(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a href="/item/(\d+)">', html)]


# --- references ------------------------------------------------------------------------------

def test_reference_page_lists_every_citing_item_oldest_first(ds, watch):
    ids = watch[1]
    r = get(ds, "/reference/eu_act/2023%2F1230")
    assert r.status_code == 200
    history = r.text.split('<ol class="history">')[1].split("</ol>")[0]
    assert item_links(history) == [ids["machinery-fr"], ids["machinery-regulation"], ids["machinery-standards"]]
    text = unescape(r.text)
    assert "règlement (UE) 2023/1230" in text and "Regulation (EU) 2023/1230" in text  # as written
    assert "règlement machines" in text.lower()                                        # common name
    assert french(FUTURE) in text                                                      # its dates


def test_reference_key_with_spaces_and_unknown_reference(ds, watch):
    r = get(ds, "/reference/standard/ISO%2013849-1")
    assert r.status_code == 200
    assert set(item_links(r.text.split('<ol class="history">')[1])) >= {
        watch[1]["machinery-fr"], watch[1]["machinery-standards"]}
    assert get(ds, "/reference/standard/ISO%2099999").status_code == 404


def test_reference_index_filters_by_number_name_and_kind(ds):
    def keys(url):
        return {unescape(k) for k in re.findall(r'<a class="ref" href="[^"]+">([^<]+)</a>', get(ds, url).text)}
    assert {"2023/1230", "ISO 13849-1", "2006/42", "2024/2847"} <= keys("/references")
    assert keys("/references?q=13849") == {"ISO 13849-1"}
    by_name = keys("/references?q=machines")
    assert {"2023/1230", "2006/42"} <= by_name and "ISO 13849-1" not in by_name
    assert "2023/1230" in keys("/references?q=2023/1230")
    assert keys("/references?kind=standard") >= {"ISO 13849-1"}
    assert not keys("/references?kind=standard") & {"2023/1230", "2006/42"}


def test_item_page_links_its_references(ds, watch):
    r = get(ds, f"/item/{watch[1]['machinery-fr']}")
    assert 'href="/reference/standard/ISO%2013849-1"' in r.text
    assert 'href="/reference/eu_act/2023%2F1230"' in r.text
    page = get(ds, "/reference/standard/ISO%2013849-1")
    assert page.status_code == 200


# --- following a reference ----------------------------------------------------------------

def test_follow_reference_creates_a_rule_for_the_logged_in_user(ds, watch):
    cookies, token = csrf_session(ds, "other@example.org")
    page = get(ds, "/reference/eu_act/2024%2F2847", cookies=cookies)
    assert 'action="/reference/eu_act/2024%2F2847"' in page.text
    r = post(ds, "/reference/eu_act/2024%2F2847", data={"csrftoken": token}, cookies=cookies)
    assert r.status_code == 302 and re.match(r"/subscriptions/\d+/edit\?saved=1", r.headers["location"])
    db = store.connect(watch[0])
    mine = rules.list_rules(db, "other@example.org")
    db.conn.close()
    assert [r_["refs"] for r_ in mine] == [["2024/2847"]]
    again = get(ds, "/reference/eu_act/2024%2F2847", cookies=cookies)
    assert 'class="following"' in again.text   # the page says it is followed, no second button


def test_anonymous_cannot_follow_a_reference(ds, watch):
    page = get(ds, "/reference/eu_act/2023%2F1230")
    assert 'href="/-/login"' in page.text and 'class="follow"' not in page.text
    r = post(ds, "/reference/eu_act/2023%2F1230", data={})
    assert r.status_code == 403


# --- calendar ----------------------------------------------------------------------------------

def test_calendar_shows_upcoming_dates_and_hides_past_ones_by_default(ds, watch):
    text = unescape(get(ds, "/calendar").text)
    assert french(FUTURE) in text and french(FUTURE_CRA) in text
    assert f"{MONTHS_FR[FUTURE.month - 1]} {FUTURE.year}" in text          # month heading
    assert french(PAST) not in text
    with_past = unescape(get(ds, "/calendar?past=1").text)
    assert french(PAST) in with_past
    assert with_past.index(french(PAST)) < with_past.index(french(FUTURE))  # time order


def test_calendar_filters_by_reference_and_links_items_and_references(ds, watch):
    r = get(ds, "/calendar?ref=Cyber+Resilience+Act")   # a name, normalised to its key
    text = unescape(r.text)
    assert french(FUTURE_CRA) in text and french(FUTURE) not in text
    story = [f'href="/item/{watch[1][slug]}"' in r.text for slug in ("cra-maker", "cra-regulator")]
    assert story.count(True) == 1          # the story's deadline shows once
    assert 'href="/reference/eu_act/2024%2F2847"' in r.text
    assert "/calendar.ics?ref=2024%2F2847" in r.text


def unfold(body: str) -> list[str]:
    assert "\n" not in body.replace("\r\n", ""), "every line ends with CRLF"
    physical = body.split("\r\n")
    assert physical[-1] == ""
    assert all(len(line.encode("utf-8")) <= 75 for line in physical), "lines folded at 75 octets"
    logical: list[str] = []
    for line in physical[:-1]:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def events(body: str) -> list[dict[str, str]]:
    """A strict reading of the calendar: nesting, one value per property."""
    out, current, stack = [], None, []
    for line in unfold(body):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            current = {} if value == "VEVENT" else current
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                out.append(current)
        else:
            assert stack, f"property outside a component: {line}"
            if current is not None and stack[-1] == "VEVENT":
                current[name] = value
    assert not stack
    return out


def test_calendar_ics_parses_and_holds_upcoming_dates(ds, watch):
    r = get(ds, "/calendar.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    found = events(r.text)
    starts = {e["DTSTART;VALUE=DATE"] for e in found}
    assert FUTURE.strftime("%Y%m%d") in starts and PAST.strftime("%Y%m%d") not in starts
    for e in found:
        assert {"UID", "DTSTAMP", "SUMMARY", "DTEND;VALUE=DATE", "URL"} <= e.keys()
        assert e["DTEND;VALUE=DATE"] > e["DTSTART;VALUE=DATE"]
        assert re.fullmatch(r"http://catalogue\.test/item/\d+", e["URL"])
    cra = [e for e in found if e["DTSTART;VALUE=DATE"] == FUTURE_CRA.strftime("%Y%m%d")]
    assert len(cra) == 1 and cra[0]["SUMMARY"].startswith("2024/2847 — ")   # one event per story
    assert len({e["UID"] for e in found}) == len(found)


def test_ics_text_escaping_and_folding_of_long_accented_lines():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Règlement (UE) 2023/1230, sécurité des machines ; " * 6
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


# --- stories --------------------------------------------------------------------------------

def test_item_page_says_also_in_the_other_source(ds, watch):
    ids = watch[1]
    r = get(ds, f"/item/{ids['cra-maker']}")
    note = re.search(r'<p class="story-note[^"]*" data-also-in="(\d+)">(.*?)</p>', r.text, re.S)
    assert note and note.group(1) == "1"
    assert "EUR-Lex (test)" in note.group(2) and f'href="/item/{ids["cra-regulator"]}"' in note.group(2)


def test_search_shows_a_story_once_with_its_note(ds, watch):
    ids = watch[1]
    r = get(ds, "/search?q=vulnerabilities+ENISA")
    shown = [int(i) for i in re.findall(r'<h3><a href="/item/(\d+)">', r.text)]
    story = {ids["cra-maker"], ids["cra-regulator"]}
    assert len([i for i in shown if i in story]) == 1
    assert ids["cra-regulator"] in shown          # the regulator's text leads the story
    assert 'data-also-in="1"' in r.text and "Makers (test)" in r.text


# --- the rule form ----------------------------------------------------------------------------

def test_rule_form_saves_categories_and_normalised_references(ds, watch):
    cookies, token = csrf_session(ds, "reader@example.org")
    form = get(ds, "/subscriptions/new", cookies=cookies).text
    assert 'name="categories" value="regulatory"' in form and 'name="refs"' in form
    r = post(ds, "/subscriptions/new", cookies=cookies, data={
        "csrftoken": token, "name": "Machines", "categories": "regulatory", "action": "save",
        "refs": "Règlement (UE) 2023/1230 ; NF EN ISO 13849-1:2023, décret 2024-1234", "frequency": "weekly"})
    assert r.status_code == 302, r.text
    rule_id = int(re.search(r"/subscriptions/(\d+)/edit", r.headers["location"]).group(1))
    db = store.connect(watch[0])
    rule = rules.get_rule(db, rule_id)
    db.conn.close()
    assert rule["categories"] == ["regulatory"]
    assert rule["refs"] == ["2023/1230", "ISO 13849-1", "décret 2024-1234"]
    edit = unescape(get(ds, f"/subscriptions/{rule_id}/edit", cookies=cookies).text)
    assert 'value="2023/1230, ISO 13849-1, décret 2024-1234"' in edit


def test_rule_form_refuses_an_unknown_category_with_the_rule_message(ds):
    cookies, token = csrf_session(ds, "reader@example.org")
    data = {"csrftoken": token, "categories": "blogs", "action": "save", "frequency": "daily"}
    r = post(ds, "/subscriptions/new", cookies=cookies, data=data)
    assert r.status_code == 400 and "Catégorie inconnue 'blogs'" in unescape(r.text)
    r = post(ds, "/subscriptions/new", cookies={**cookies, "veille_lang": "en"}, data=data)
    assert r.status_code == 400 and "unknown category 'blogs'" in unescape(r.text)


def test_reference_index_accepts_a_spelling_and_shows_the_latest_mention(ds, watch):
    r = get(ds, "/references?q=NF+EN+ISO+13849-1%3A2023")
    keys = re.findall(r'<a class="ref" href="[^"]+">([^<]+)</a>', r.text)
    assert keys == ["ISO 13849-1"]
    row = r.text.split('<a class="ref"')[1].split("</tr>")[0]
    latest = (date.today() - timedelta(days=2)).isoformat()   # machinery-standards, 2 days old
    assert re.search(rf"<td>{latest}|<td>{(date.today() - timedelta(days=3)).isoformat()}", row)


def test_a_private_catalogue_s_calendar_is_subscribed_to_through_its_signed_link(watch):
    from html import unescape as html_unescape

    from test_catalogue import logged_in
    path = watch[0]
    private = build_datasette(path, Settings(db_path=path, base_url="http://catalogue.test/"),
                              public=False)
    asyncio.run(private.invoke_startup())
    assert get(private, "/calendar.ics").status_code in (302, 403)
    page = get(private, "/calendar", cookies=logged_in(private, "reader@example.org"))
    href = html_unescape(re.search(r'href="(/calendar\.ics\?[^"]+)"', page.text).group(1))
    assert "t=" in href
    feed = get(private, href)   # a calendar application: no cookies
    assert feed.status_code == 200 and "BEGIN:VCALENDAR" in feed.text
    assert get(private, href.replace("t=", "t=forged")).status_code in (302, 403)
