"""The watch plan and the offline demo content: the demo server on 127.0.0.1 serves every
demo source in its format, as the product's collectors will see it."""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import httpx
import pytest
import yaml
from parsel import Selector

from veille.demo.bundle import CONTENT_DIR, load_content
from veille.demo.server import start_demo_server

ROOT = Path(__file__).resolve().parents[1]
ALLOWED_KEYS = {"id", "name", "kind", "url", "category", "language", "schedule", "topics",
                "reliability", "selectors"}
CATEGORIES = {"manufacturer", "trade_journal", "regulatory", "standards", "institution",
              "event", "training", "other"}
TOPICS = {"robotics", "additive_manufacturing", "iot", "regulation", "qse"}
FEEDPARSER_VERSIONS = {"rss2": "rss20", "atom": "atom10", "rss1": "rss10"}
FRENCH_DATE = re.compile(r"^\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|"
                         r"septembre|octobre|novembre|décembre) \d{4}$")

CONTENT = load_content()
FEEDS = [s for s in CONTENT.sources if s.kind == "feed"]
LISTINGS = [s for s in CONTENT.sources if s.kind == "html"]


@pytest.fixture(scope="module")
def demo():
    server = start_demo_server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def select(node, selector: str):
    return node.xpath(selector) if selector.startswith(("/", "(")) else node.css(selector)


# --------------------------------------------------------------------------- real watch plan

def load_watch_plan() -> list[dict]:
    return yaml.safe_load((ROOT / "sources.yaml").read_text(encoding="utf-8"))["sources"]


def test_watch_plan_has_the_required_mix_of_source_kinds():
    kinds = Counter(s["kind"] for s in load_watch_plan())
    assert kinds["feed"] >= 45 and kinds["html"] >= 10
    assert kinds["page"] == 3 and kinds["sitemap"] == 1


def test_watch_plan_entries_use_only_contract_keys_and_values():
    plan = load_watch_plan()
    ids = [s["id"] for s in plan]
    assert len(ids) == len(set(ids))
    for s in plan:
        assert set(s) <= ALLOWED_KEYS, s["id"]
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", s["id"])
        assert s["url"].startswith(("https://", "http://"))
        assert s["category"] in CATEGORIES and s["language"] in {"fr", "en"}
        assert set(s["topics"]) <= TOPICS
        assert s["reliability"] in set("ABCDE")
        if s["kind"] == "html":
            assert {"item", "link", "title"} <= set(s["selectors"]), s["id"]
    assert {s["category"] for s in plan} == CATEGORIES


def test_watch_plans_pass_the_product_validator(demo):
    sources = pytest.importorskip("veille.sources")
    assert len(sources.load_plan(ROOT / "sources.yaml").sources) == len(load_watch_plan())
    assert len(sources.parse_plan(demo.sources_yaml_text(), "demo").sources) == len(CONTENT.sources)


# --------------------------------------------------------------------------- demo items

def test_demo_items_are_numerous_bilingual_and_attached_to_demo_sources():
    languages = Counter(CONTENT.source(i.source).language for i in CONTENT.items)
    assert len(CONTENT.items) >= 320
    assert languages["fr"] >= 100 and languages["en"] >= 100
    assert {s.id for s in CONTENT.sources if s.kind != "page"} == {i.source for i in CONTENT.items}
    assert {CONTENT.source(i.source).category for i in CONTENT.items} == CATEGORIES
    paths = [i.path for i in CONTENT.items]
    assert len(paths) == len(set(paths))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i.slug) for i in CONTENT.items)


def test_demo_items_spread_over_sixty_days_denser_in_the_last_week():
    ages = [i.age_hours for i in CONTENT.items]
    assert 0 < min(ages) and max(ages) <= 60 * 24
    assert sum(a <= 7 * 24 for a in ages) >= 0.3 * len(ages)
    assert sum(a > 30 * 24 for a in ages) >= 0.2 * len(ages)


@pytest.mark.parametrize("area, pattern, at_least", [
    ("robotics", r"robot|cobot", 40),
    ("additive_manufacturing", r"impression 3D|3D print|fabrication additive|additive manufacturing|"
                               r"fusion laser|frittage|binder jetting|\bFDM\b", 30),
    ("iot", r"\bI?IoT\b|capteur|sensor|OPC UA|\b5G\b|MQTT|connect|automate|\bPLC|edge|"
            r"IEC 62443|LoRaWAN|cyber", 35),
    ("regulation", r"règlement|directive|décret|regulation|arrêté|code du travail", 40),
    ("qse", r"sécurité|safety|santé|health|qualité|quality|environnement|TMS|musculo", 50),
    ("augmented_reality", r"réalité augmentée|réalité mixte|augmented reality|headset|casque", 8),
    ("industrial_software", r"jumeau numérique|digital twin|\bMES\b|\bPLM\b|logiciel|software|GMAO", 15),
])
def test_demo_items_cover_every_topic_area(area, pattern, at_least):
    hits = [i for i in CONTENT.items if re.search(pattern, i.title + " " + i.summary, re.I)]
    assert len(hits) >= at_least, area


def test_demo_items_tell_some_stories_from_several_sources():
    stories = defaultdict(set)
    for item in CONTENT.items:
        if item.story:
            stories[item.story].add(item.source)
    assert 6 <= len(stories) <= 10
    assert all(len(sources) >= 2 for sources in stories.values())


def test_some_demo_items_carry_hostile_html_for_the_sanitiser():
    hostile = [i for i in CONTENT.items
               if re.search(r"<script|\son\w+=|width='1' height='1'|javascript:|<iframe", i.summary)]
    assert len(hostile) >= 3


# --------------------------------------------------------------------------- demo server

def test_demo_server_listens_on_loopback_only(demo, client):
    assert demo.base_url.startswith("http://127.0.0.1:")
    assert client.get(demo.url("/")).status_code == 200
    with pytest.raises(ValueError):
        start_demo_server(host="0.0.0.0")


def test_demo_watch_plan_points_at_the_server(demo):
    text = demo.sources_yaml_text()
    assert "{base}" not in text
    plan = yaml.safe_load(text)["sources"]
    assert 18 <= len(plan) <= 24
    assert all(s["url"].startswith(demo.base_url + "/") for s in plan)
    formats = Counter(s.feed_format for s in FEEDS)
    assert formats["rss1"] == 1 and formats["jsonfeed"] == 1 and formats["atom"] >= 3
    assert formats["rss2"] > len(FEEDS) / 2
    assert Counter(s["kind"] for s in plan)["html"] == 2
    assert Counter(s["kind"] for s in plan)["page"] == 1


@pytest.mark.parametrize("source", FEEDS, ids=lambda s: s.id)
def test_every_demo_feed_parses_with_all_its_items(demo, client, source):
    response = client.get(demo.url(source.path))
    assert response.status_code == 200
    expected = CONTENT.items_of(source.id)
    if source.feed_format == "jsonfeed":
        assert response.headers["content-type"].startswith("application/feed+json")
        feed = json.loads(response.content)
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        entries = [(e["title"], e["url"], datetime.fromisoformat(e["date_published"].replace("Z", "+00:00")))
                   for e in feed["items"]]
    else:
        feed = feedparser.parse(response.content, response_headers=dict(response.headers))
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == FEEDPARSER_VERSIONS[source.feed_format]
        entries = [(e.title, e.link, datetime(*(e.get("published_parsed") or e.updated_parsed)[:6],
                                               tzinfo=timezone.utc)) for e in feed.entries]
    assert len(entries) == len(expected)
    assert [title for title, _, _ in entries] == [i.title for i in expected]
    for (_, link, published), item in zip(entries, expected):
        assert link == demo.base_url + item.path
        assert abs(published - item.published(demo.started_at)) < timedelta(seconds=1)


def test_feed_dates_are_counted_back_from_server_start(client):
    start = datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc)
    with start_demo_server(now=start) as server:
        feed = feedparser.parse(client.get(server.url("/feeds/usine-nouvelle.rss")).content)
    newest = datetime(*feed.entries[0].published_parsed[:6], tzinfo=timezone.utc)
    youngest = min(i.age_hours for i in CONTENT.items_of("usine-nouvelle-demo"))
    assert timedelta(hours=youngest) <= start - newest <= timedelta(hours=youngest + 1)


def test_feed_answers_304_to_its_etag_and_last_modified(demo, client):
    url = demo.url("/feeds/the-robot-report.rss")
    first = client.get(url)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    assert parsedate_to_datetime(last_modified) <= datetime.now(timezone.utc)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200
    assert client.get(url).headers["etag"] == etag


def test_hostile_html_is_served_escaped_inside_well_formed_feeds(demo, client):
    body = client.get(demo.url("/feeds/numerama.rss")).text
    assert "&lt;script&gt;" in body and "<script>" not in body


@pytest.mark.parametrize("source", LISTINGS, ids=lambda s: s.id)
def test_listing_pages_contain_what_the_selectors_name(demo, client, source):
    sel = source.selectors
    url, seen, pages = demo.url(source.path), [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200 and "etag" in response.headers
        page = Selector(text=response.text)
        rows = select(page, sel["item"])
        assert rows, f"{sel['item']} matched nothing on {url}"
        for row in rows:
            link = select(row, sel["link"]).get()
            title = select(row, sel["title"]).get()
            date = select(row, sel["date"]).get().strip()
            assert link and title and select(row, sel["summary"]).get()
            if "date_format" in sel:
                datetime.strptime(date, sel["date_format"])
            else:
                assert FRENCH_DATE.match(date), date
            seen.append((urljoin(url, link), title))
        pages += 1
        next_link = select(page, sel["next"]).get()
        url = urljoin(url, next_link) if next_link else None
    expected = CONTENT.items_of(source.id)
    assert pages == 2
    assert seen == [(demo.base_url + i.path, i.title) for i in expected]
    article = Selector(text=client.get(seen[0][0]).text)
    assert select(article, sel["body"]).xpath("string()").get().strip() == expected[0].summary


def test_every_item_link_leads_to_its_article(demo, client):
    for item in CONTENT.items:
        response = client.get(demo.base_url + item.path)
        assert response.status_code == 200, item.path
        assert Selector(text=response.text).css("h1::text").get() == item.title
    assert client.get(demo.url("/a/usine-nouvelle-demo/no-such-item")).status_code == 404
    assert client.get(demo.url("/inrs/publications?page=3")).status_code == 404


def test_page_source_changes_only_after_advance(client):
    with start_demo_server() as server:
        source = next(s for s in CONTENT.sources if s.kind == "page")
        region = source.selectors.get("region", "body")

        def fetch() -> tuple[str, str]:
            page = Selector(text=client.get(server.url(source.path)).text)
            watched = " ".join(select(page, region).xpath(".//text()").getall())
            return re.sub(r"Consulté le [\d/]+ à [\d:]+", "", watched), page.css("#compteur::text").get()

        first_text, first_counter = fetch()
        second_text, second_counter = fetch()
        assert first_text == second_text and first_counter != second_counter
        assert client.post(server.url("/_demo/advance")).json()["page_version"] == 1
        changed_text, _ = fetch()
        assert changed_text != first_text and "Rectificatif" in changed_text
        client.get(server.url("/_demo/advance"))
        assert fetch()[0] == changed_text  # the page advances once


def test_demo_content_files_are_packaged_next_to_the_code():
    assert (CONTENT_DIR / "sources.yaml").is_file() and (CONTENT_DIR / "items.yaml").is_file()
