"""Parsing feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.x) into RawItems.

Order of work, each step for a reason:
1. bytes are cleaned (BOM, whitespace before the declaration) and re-encoded to UTF-8 with
   the HTTP charset, the XML declaration, then detection, so every parser sees one encoding;
2. a strict, safe lxml parse (no entity expansion, no network, size limits on) tells a
   well-formed feed from a broken one and a feed from an HTML page or other XML;
3. fastfeedparser reads the entries (fast path); feedparser (imported only then) takes over
   when fastfeedparser raises, finds nothing, finds fewer entries than the document holds,
   or the document relies on xml:base, which only feedparser resolves;
4. a broken document that still yields entries is ingested with a warning; one that yields
   none is a ``FeedError``.
"""
from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lxml import etree

from veille.item import RawItem

FEED_ROOTS = {"rss", "RDF", "feed", "channel"}
_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"'][^>]*\?>", re.I)
_XML_DECL = re.compile(rb"^<\?xml[^>]*\?>")
_HTML_HEAD = re.compile(rb"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|"
                        rb"meta[\s>]|title[\s>]|div[\s>]|p[\s>]|a\s)", re.I | re.S)
_FEED_LINK = re.compile(rb"<link[^>]+type=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.I)
_HREF = re.compile(rb"href=[\"']([^\"']+)", re.I)
_UTF8 = {"utf-8", "utf8", "us-ascii", "ascii"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
# Safe by construction: entities are kept as references (never expanded, so neither
# "billion laughs" nor external SYSTEM entities), no network, libxml2's size limits on.
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          load_dtd=False, recover=False)  # collect_ids=False would fetch DTDs


_CDATA_OPEN = b"<![CDATA["
_NOT_XML_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20))  # control characters
_MAX_TEXT_NODE = 10_000_000     # libxml2's limit without huge_tree: emptying must not hide it


class FeedError(ValueError):
    """The document cannot be read as a feed; the message says why, for a person."""


@dataclass
class ParsedFeed:
    items: list[RawItem] = field(default_factory=list)
    title: str = ""
    link: str | None = None
    lang: str | None = None
    warning: str | None = None        # set when the feed was read despite a defect
    parser: str = "fastfeedparser"


def parse_feed(body: bytes, *, url: str, source_id: str, content_type: str | None = None) -> ParsedFeed:
    """Read a feed document fetched from ``url``. Raises FeedError when nothing is usable."""
    data = _strip_start(body)
    if not data:
        raise FeedError("empty response: the server sent no content")
    if data[:2] == b"\x1f\x8b":
        raise FeedError("not a feed: compressed (gzip) data received without Content-Encoding")
    if data[:1] in (b"{", b"["):
        return parse_json_feed(data, url=url, source_id=source_id)
    if b"\x00" in data[:1024]:
        raise FeedError("not a feed: binary data received")
    if _HTML_HEAD.match(data):
        raise FeedError(_html_message(data))
    data, warning = to_utf8(data, _http_charset(content_type))
    root, reason = _strict_root(data)
    if root is not None:
        _check_root(root)
    feed = _read_entries(data, url=url, source_id=source_id, expected=_count(root),
                         force_fallback=root is None or b"xml:base" in data)
    if root is None:
        if not feed.items:
            raise FeedError(f"malformed XML, no entries could be read: {reason}")
        warning = f"malformed XML, {len(feed.items)} entries recovered: {reason}"
    elif not feed.items:
        raise FeedError(f"no entries in the feed{_named(feed.title)}")
    feed.warning = warning
    return feed


def _strip_start(body: bytes) -> bytes:
    """Drop a BOM (re-encoding UTF-16/32 to UTF-8) and whitespace before the declaration,
    which WordPress and FeedBurner often send and strict parsers reject."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            if enc == "utf-8":
                body = body[len(bom):]
            else:
                try:
                    text = body[len(bom):].decode(enc)
                except UnicodeDecodeError:
                    raise FeedError(f"not a feed: bytes are not valid {enc.upper()} "
                                    f"despite the byte-order mark") from None
                body = _XML_DECL.sub(b"", text.lstrip().encode("utf-8"), count=1)
            break
    return body.lstrip()


def _http_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return m.group(1).lower() if m else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def to_utf8(data: bytes, http_charset: str | None = None) -> tuple[bytes, str | None]:
    """The document as UTF-8 bytes with a matching declaration, and a warning when the
    declared encoding was wrong or missing."""
    m = _DECLARATION.match(data)
    declared = m.group(1).decode("ascii", "replace").strip().lower() if m else None
    try:
        data.decode("utf-8")
        if declared is None or declared in _UTF8:
            return data, None
        codec = _codec(declared)
        if data.isascii() and codec and not codec.startswith(("utf-16", "utf-32")):
            return _redeclare(data), None  # ASCII reads the same in any single-byte encoding
        return _redeclare(data), f"declared encoding {declared!r} but the content is UTF-8"
    except UnicodeDecodeError:
        pass
    for name in (http_charset, declared, "windows-1252", "latin-1"):
        enc = _codec(name)
        if enc is None or enc.startswith(("utf-16", "utf-32", "utf_16", "utf_32", "utf-8")):
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        fixed = _redeclare(text.encode("utf-8"))
        if enc == _codec(declared) or (declared is None and enc == _codec(http_charset)):
            return fixed, None
        said = f"declared encoding {declared!r}" if declared else "no declared encoding"
        return fixed, f"{said} and the bytes are not UTF-8: read as {enc}"
    raise FeedError("unreadable text encoding")  # latin-1 decodes anything; kept for safety


def _redeclare(data: bytes) -> bytes:
    return _XML_DECL.sub(b'<?xml version="1.0" encoding="utf-8"?>', data, count=1)


def _strict_root(data: bytes):
    """The document's root when it is well-formed, else None and libxml2's reason.

    libxml2 reads CDATA a character at a time (a third of the whole parse of a feed with
    content:encoded), so the document is first parsed with its CDATA sections emptied;
    only a failure there costs the full parse, which gives the reason."""
    emptied = _cdata_emptied(data)
    if emptied is not None:
        try:
            return etree.fromstring(emptied, _STRICT), None
        except etree.XMLSyntaxError:
            pass
    try:
        return etree.fromstring(data, _STRICT), None
    except etree.XMLSyntaxError as exc:
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        return None, re.sub(r"\s*\(<string>.*", "", msg) or "not well-formed"


def _cdata_emptied(data: bytes) -> bytes | None:
    """``data`` with its CDATA sections emptied, when the strict parse of that succeeds only
    if the parse of ``data`` does: the sections hold no character XML forbids, and outside
    them is no comment, DOCTYPE or processing instruction (but the declaration) in which a
    "<![CDATA[" would open no section. None when there is no CDATA or that is not so."""
    pieces, at = [], 0
    while (start := data.find(_CDATA_OPEN, at)) >= 0:
        end = data.find(b"]]>", start + len(_CDATA_OPEN))
        if end < 0:
            return None
        pieces.append(data[at:start + len(_CDATA_OPEN)])
        at = end
    if not pieces or len(data) >= _MAX_TEXT_NODE:
        return None
    pieces.append(data[at:])
    emptied = b"".join(pieces)
    if b"<!--" in emptied or b"<!DOCTYPE" in emptied or emptied.find(b"<?", 1) >= 0 or \
            emptied.find(b"?>") > emptied.find(_CDATA_OPEN):
        return None
    if len(data.translate(None, _NOT_XML_BYTES)) != len(data) or \
            b"\xef" in data and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):  # U+FFFE, U+FFFF
        return None
    return emptied


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _check_root(root) -> None:
    name = _local(root.tag)
    if name in FEED_ROOTS:
        return
    if name.lower() == "opml":
        raise FeedError("not a feed: an OPML subscription list (add its feeds with "
                        "'veille sources import-opml')")
    if name.lower() == "html":
        raise FeedError("not a feed: HTML page received")
    raise FeedError(f"not a feed: XML document whose root element is <{name}>")


def _count(root) -> int:
    """Elements named item or entry in any namespace, the root included (as an XPath
    count over local-name(), at a third of its cost)."""
    return sum(1 for _ in root.iter("{*}item", "{*}entry")) if root is not None else 0


def _named(title: str) -> str:
    return f" ({title})" if title else ""


def _html_message(data: bytes) -> str:
    m = _FEED_LINK.search(data[:200_000])
    href = _HREF.search(m.group(0)) if m else None
    if href:
        return ("not a feed: HTML page received (the page links to a feed at "
                f"{href.group(1).decode('utf-8', 'replace')})")
    return "not a feed: HTML page received"


# -- entries --------------------------------------------------------------------------

def _read_entries(data: bytes, *, url: str, source_id: str, expected: int,
                  force_fallback: bool) -> ParsedFeed:
    fast = None
    if not force_fallback:
        try:
            fast = _fast(data, url, source_id)
        except Exception:  # noqa: BLE001 - any fast-path failure means: ask feedparser
            fast = None
        if fast is not None and fast.items and len(fast.items) >= expected and \
                all(i.title and i.url for i in fast.items):
            return fast  # else: feedparser reads titles in XHTML and links it cannot see
    slow = _fallback(data, url, source_id)
    if fast is not None and len(fast.items) > len(slow.items):
        return fast
    return slow


def load_fast_parser() -> None:
    """Import the fast parser ahead (40 ms): a crawl does it before forking its worker
    processes, which then share it instead of each importing it."""
    import fastfeedparser  # noqa: F401


def _fast(data: bytes, url: str, source_id: str) -> ParsedFeed:
    import fastfeedparser
    # tags, media and enclosures are not read here: asking for none spares their parsing
    doc = fastfeedparser.parse(data, include_tags=False, include_media=False,
                               include_enclosures=False)
    info = doc.get("feed", {})
    feed = ParsedFeed(title=info.get("title") or "", link=info.get("link") or None,
                      lang=info.get("language") or None)
    for e in doc.get("entries", []):
        content = e.get("content")
        body = content[0].get("value", "") if isinstance(content, list) and content else ""
        feed.items.append(RawItem(
            source_id=source_id, title=e.get("title") or "", url=e.get("link") or None,
            guid=e.get("id") or None, summary=e.get("description") or "", content=body or "",
            published=e.get("published") or e.get("updated"), author=e.get("author") or None,
            lang=feed.lang, base_url=url))
    return feed


def _fallback(data: bytes, url: str, source_id: str) -> ParsedFeed:
    import feedparser  # heavy: imported only when the fast path is not enough
    # no document URL given: feedparser would resolve relative guids against it as links;
    # normalise resolves links against base_url instead
    doc = feedparser.parse(data, sanitize_html=False)
    info = doc.get("feed", {})
    feed = ParsedFeed(title=info.get("title") or "", link=info.get("link") or None,
                      lang=info.get("language") or None, parser="feedparser")
    for e in doc.get("entries", []):
        content = e.get("content") or []
        # dict.get: FeedParserDict.get maps missing keys onto others, with a warning
        stamp = dict.get(e, "published_parsed") or dict.get(e, "updated_parsed")
        feed.items.append(RawItem(
            source_id=source_id, title=e.get("title") or "", url=e.get("link") or None,
            guid=e.get("id") or None, summary=e.get("summary") or "",
            content=content[0].get("value", "") if content else "",
            published=datetime(*stamp[:6], tzinfo=timezone.utc) if stamp else
            (dict.get(e, "published") or dict.get(e, "updated")),
            author=e.get("author") or None,
            lang=(e.get("title_detail") or {}).get("language") or feed.lang, base_url=url))
    return feed


# -- JSON Feed ------------------------------------------------------------------------

def parse_json_feed(data: bytes, *, url: str, source_id: str) -> ParsedFeed:
    """JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        doc = json.loads(data.decode("utf-8-sig", errors="strict"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError(f"not a feed: invalid JSON ({exc})") from None
    if not isinstance(doc, dict) or "jsonfeed.org/version/" not in str(doc.get("version", "")) \
            or not isinstance(doc.get("items"), list):
        raise FeedError("not a feed: JSON document that is not a JSON Feed")
    feed = ParsedFeed(title=str(doc.get("title") or ""), link=doc.get("home_page_url") or None,
                      lang=doc.get("language") or None, parser="json")
    for e in doc["items"]:
        if not isinstance(e, dict):
            continue
        authors = e.get("authors") or ([e["author"]] if isinstance(e.get("author"), dict) else [])
        author = next((a.get("name") for a in authors if isinstance(a, dict) and a.get("name")), None)
        feed.items.append(RawItem(
            source_id=source_id, title=str(e.get("title") or ""),
            url=e.get("url") or e.get("external_url") or None,
            guid=str(e["id"]) if e.get("id") not in (None, "") else None,
            summary=str(e.get("summary") or ""),
            content=str(e.get("content_html") or e.get("content_text") or ""),
            published=e.get("date_published") or e.get("date_modified"), author=author,
            lang=e.get("language") or feed.lang, base_url=url))
    if not feed.items:
        raise FeedError(f"no entries in the feed{_named(feed.title)}")
    return feed
