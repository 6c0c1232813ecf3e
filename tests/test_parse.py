"""Parsing and normalising feed entries, on fixtures in many real-world shapes."""
from __future__ import annotations

import json
import sys

import pytest

from conftest import FIXTURES, SHARED
from veille.item import RawItem
from veille.normalise import (Unusable, canonical_url, clean_text, content_hash, normalise,
                              published_at, sanitise_html)
from veille.parse import FeedError, _fallback, _strip_start, parse_feed, to_utf8

FEEDS = FIXTURES / "feeds"
URL = "https://feeds.example.org/path/feed.xml"
FETCHED = "2026-11-26T13:00:00Z"
AGREEMENT_MAX_BYTES = 60_000


def parse(name: str):
    return parse_feed((FEEDS / name).read_bytes(), url=URL, source_id="s")


def items(name: str, default_lang=None):
    out = []
    for raw in parse(name).items:
        try:
            out.append(normalise(raw, default_lang=default_lang, fetched_at=FETCHED))
        except Unusable:
            pass
    return out


@pytest.mark.parametrize("name, count, first_title", [
    ("rss20_content_encoded.xml", 3, "Nouveau cobot pour la palettisation"),
    ("rss091_netscape.xml", 2, "Maintenance prédictive des convoyeurs"),
    ("rss10_rdf_dublin_core.xml", 2, "ISO 13849-1 revision published"),
    ("atom10_relative_links.xml", 2, "Powder bed fusion: new alloy qualified"),
    ("atom03_legacy.xml", 1, "OPC UA over MQTT in brownfield plants"),
    ("jsonfeed11_items.json", 2, "ISO 45001 : audit de surveillance"),
    ("rss_whitespace_before_declaration.xml", 1, "Energy audit of a press shop"),
    ("rss_wrong_charset.xml", 2, "Réduction des rebuts en fonderie"),
    ("rss_html_in_titles.xml", 3, "Composite fuselage panels & rivets"),
])
def test_feed_shapes_are_read(name, count, first_title):
    got = items(name)
    assert len(got) == count
    assert got[0].title == first_title


def test_relative_links_resolve_against_xml_base_and_document():
    atom = items("atom10_relative_links.xml")
    assert atom[0].url == "https://fabrication-additive.example.org/blog/posts/alloy-qualified"
    assert 'href="https://fabrication-additive.example.org/reports/alloy.pdf"' in atom[0].summary_html
    assert atom[1].url == "https://fabrication-additive.example.org/news/binder-jetting-rail"
    json_items = items("jsonfeed11_items.json")
    assert json_items[1].url == "https://feeds.example.org/bilan-carbone"


def test_wrong_charset_is_decoded_and_flagged():
    feed = parse("rss_wrong_charset.xml")
    assert feed.warning == "declared encoding 'utf-8' and the bytes are not UTF-8: read as cp1252"
    assert items("rss_wrong_charset.xml")[1].summary == "Étalonnage et traçabilité."


def test_html_in_titles_becomes_clean_text():
    titles = [i.title for i in items("rss_html_in_titles.xml")]
    assert titles == ["Composite fuselage panels & rivets",
                      "Rail maintenance digital twin édition",
                      "AT&T – 5G private networks in plants"]


def test_missing_future_and_ancient_dates_fall_back_to_fetch_time():
    got = {i.title: i for i in items("rss_no_guid_missing_dates.xml")}
    assert got["Plant of the year shortlist"].published_at == FETCHED
    assert got["Date in the far future"].published_at == FETCHED
    assert got["Date before the web"].published_at == FETCHED
    assert items("rss20_content_encoded.xml")[0].published_at == "2026-11-24T08:30:00Z"


def test_entries_without_guid_are_keyed_by_url_then_hash():
    got = {i.title: i for i in items("rss_no_guid_missing_dates.xml")}
    assert got["Plant of the year shortlist"].key == "https://journal.example.org/plant-of-the-year"
    untitled = got["Only a title, no link"]
    assert untitled.url is None and len(untitled.key) == 40


def test_entry_with_nothing_to_identify_is_unusable():
    with pytest.raises(Unusable, match="no title, link or id"):
        normalise(RawItem(source_id="s", summary="text only"), default_lang=None, fetched_at=FETCHED)


def test_summary_html_is_sanitised():
    first = items("rss20_content_encoded.xml")[0]
    html = first.summary_html
    assert "<script" not in html and "alert(1)" not in html and "pixel.gif" not in html
    assert 'rel="noopener nofollow"' in html
    assert first.summary == "Un cobot de palettisation conforme à l' ISO 10218 ."
    assert "steal" not in first.content and "Mise en service en une journée." in first.content


@pytest.mark.parametrize("html, kept, dropped", [
    ('<a href="javascript:alert(1)">x</a>', ">x</a>", "javascript"),
    ('<img src="data:image/png;base64,AAA" alt="a">', "<img", "data:"),
    ('<img src="https://x.org/p.gif" width="1" height="1">', "", "p.gif"),
    ('<img src="https://x.org/chart.png" width="600">', "chart.png", "onerror"),
    ('<p style="color:red" onmouseover="x()">t</p>', "<p>t</p>", "onmouseover"),
    ('<iframe src="https://evil.example"></iframe>ok', "ok", "iframe"),
])
def test_sanitiser_table(html, kept, dropped):
    out = sanitise_html(html, "https://site.example.org/")
    assert kept in out and dropped not in out


@pytest.mark.parametrize("url, expected", [
    ("HTTPS://Example.ORG:443/a?utm_source=rss&b=2&a=1#xtor=RSS-1", "https://example.org/a?a=1&b=2"),
    ("https://example.org/post#comments", "https://example.org/post"),
    ("https://example.org/post#more-1234", "https://example.org/post"),
    ("http://scripting.com/2017/06/26.html#a080605", "http://scripting.com/2017/06/26.html#a080605"),
    ("http://example.org:80", "http://example.org/"),
    ("http://example.org:8080/x?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&xtor=RSS-1&at_medium=x",
     "http://example.org:8080/x"),
    ("/relative/page", "https://feeds.example.org/relative/page"),
    ("mailto:someone@example.org", None),
    ("javascript:alert(1)", None),
    ("", None),
])
def test_canonical_url(url, expected):
    assert canonical_url(url, URL) == expected


def test_content_hash_ignores_case_accents_and_punctuation():
    assert content_hash("Sécurité des machines !", "Le règlement.") == \
        content_hash("securite des MACHINES", "le reglement")
    assert content_hash("Безопасность машин", "") != content_hash("Охрана труда", "")


@pytest.mark.parametrize("value, expected", [
    ("Tue, 24 Nov 2026 09:30:00 +0100", "2026-11-24T08:30:00Z"),
    ("2026-11-24T09:30:00+01:00", "2026-11-24T08:30:00Z"),
    ("2026-11-24", "2026-11-24T00:00:00Z"),
    ("24 novembre 2026 garbage", FETCHED),
    ("1990-01-01T00:00:00Z", FETCHED),
    (None, FETCHED),
])
def test_published_at(value, expected):
    assert published_at(value, FETCHED) == expected


def test_language_declared_then_source_default_then_detected():
    raw = RawItem(source_id="s", title="Maintenance prédictive des presses hydrauliques",
                  url="https://x.org/1")
    assert normalise(raw, default_lang=None, fetched_at=FETCHED).lang == "fr"
    assert normalise(raw, default_lang="en", fetched_at=FETCHED).lang == "en"
    raw.lang = "de-DE"
    assert normalise(raw, default_lang="en", fetched_at=FETCHED).lang == "de"


@pytest.mark.parametrize("name, message", [
    ("not_a_feed.html", "not a feed: HTML page received (the page links to a feed at "
                        "https://site.example.org/feed.xml)"),
])
def test_unreadable_documents_raise_readable_errors(name, message):
    with pytest.raises(FeedError) as err:
        parse(name)
    assert str(err.value) == message


@pytest.mark.parametrize("body, message", [
    (b"", "empty response: the server sent no content"),
    (b"\x1f\x8b\x08\x00garbage", "not a feed: compressed (gzip) data received without Content-Encoding"),
    (b'{"hello": 1}', "not a feed: JSON document that is not a JSON Feed"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "not a feed: invalid JSON"),
    (b"<opml version='2.0'><body/></opml>", "not a feed: an OPML subscription list"),
    (b"<catalog><book/></catalog>", "not a feed: XML document whose root element is <catalog>"),
    (b"<rss><channel><title>t</title></channel></rss>", "no entries in the feed (t)"),
    (b"<rss><channel><title>cut", "malformed XML, no entries could be read"),
])
def test_bad_input_messages(body, message):
    with pytest.raises(FeedError) as err:
        parse_feed(body, url=URL, source_id="s")
    assert str(err.value).startswith(message)


_ITEM = b"<item><title>t</title><link>https://x.org/1</link><description><![CDATA[%s]]></description></item>"


@pytest.mark.parametrize("before, cdata, after, well_formed", [
    (b"", b"<p>a</p><!-- wp:paragraph --> -- ?> <x", b"", True),   # anything goes in CDATA
    (b"", b"bell \x07 in the body", b"", False),                     # not an XML character
    (b"", "\ufffe".encode(), b"", False),
    (b"<!-- ", b" -- ", b" -->", False),          # in a comment "<![CDATA[" opens nothing
    (b"<?pi ", b" ?> <x ", b" ?>", False),           # nor in a processing instruction
    (b"", b"cut", b"", False),
])
def test_cdata_is_checked_as_the_full_parse_checks_it(before, cdata, after, well_formed):
    """The strict parse runs first on the document with its CDATA sections emptied."""
    body = b"<rss><channel><title>t</title>" + before + _ITEM % cdata + after + b"</channel></rss>"
    if cdata == b"cut":
        body = body.replace(b"]]>", b"")
    try:
        read_cleanly = parse_feed(body, url=URL, source_id="s").warning is None
    except FeedError:
        read_cleanly = False
    assert read_cleanly == well_formed


def test_entities_never_expand():
    feed = parse("rss_billion_laughs.xml")
    text = json.dumps([vars(i) for i in feed.items], default=str)
    assert "lollol" not in text and "root:" not in text
    assert feed.warning.startswith("malformed XML, 1 entries recovered")


def test_malformed_feed_is_recovered_with_a_reason():
    feed = parse("rss_malformed_recoverable.xml")
    assert len(feed.items) == 2
    assert feed.warning.startswith("malformed XML, 2 entries recovered: ")


def test_feedparser_is_not_imported_on_the_fast_path():
    import subprocess
    code = ("import sys; from veille.parse import parse_feed; from pathlib import Path; "
            f"parse_feed(Path({str(FEEDS / 'rss20_content_encoded.xml')!r}).read_bytes(), "
            "url='https://x.org/', source_id='s'); print('feedparser' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _documents():
    docs = [p for p in sorted(FEEDS.iterdir()) if p.suffix == ".xml"]
    real = SHARED / "corpus" / "feeds" / "real"
    if real.is_dir():
        # feedparser takes about a second per large document: the big ones add time, not cases
        docs += [p for p in sorted(real.iterdir())
                 if not p.name.endswith(".json") and p.stat().st_size <= AGREEMENT_MAX_BYTES]
    return docs


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_fast_path_agrees_with_feedparser(path):
    """Where the fast path is trusted, feedparser reads the same entries, titles and links."""
    body = path.read_bytes()
    try:
        feed = parse_feed(body, url=URL, source_id="s")
    except FeedError:
        pytest.skip("unreadable document: no entries to compare")
    if feed.parser != "fastfeedparser":
        pytest.skip(f"read by {feed.parser}")
    data, _ = to_utf8(_strip_start(body))
    slow = _fallback(data, URL, "s").items
    key = lambda r: (clean_text(r.title), canonical_url(r.url, URL))  # noqa: E731
    assert [key(r) for r in feed.items] == [key(r) for r in slow]
