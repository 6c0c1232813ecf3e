"""Page-change monitoring: a page that changes in place (a consolidated regulation, a
standard's status page, a product page) becomes one item per meaningful change.

    extract the visible text of the watched region -> mask what changes without meaning
    (dates in metadata lines, times, counters, "last updated" lines) -> hash -> compare
    with the last stored version -> on a change, store the new version and describe it
    as a readable diff ("Added: ...", "Removed: ...").

The first visit only records version 1: a page's existing text is not news.
"""
from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils
from lxml import etree, html as lxml_html

from veille.item import RawItem
from veille.sources import Source
from veille.store import pages as page_store
from veille.timeutil import parse_iso

# Never visible; dropped everywhere.
_INVISIBLE = {"script", "style", "noscript", "template", "svg", "iframe", "object"}
# Site furniture; dropped when the whole page is watched (no region given).
_CHROME = {"nav", "footer", "header", "aside", "form", "button"}
_BLOCKS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
           "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "br", "hr",
           "blockquote", "pre", "figure", "figcaption", "header", "footer", "nav", "aside",
           "address", "details", "summary", "caption", "tbody", "thead"}


class RegionMissing(ValueError):
    """The watched region's selector matched nothing: the page layout changed."""


# --- visible text ----------------------------------------------------------------------

def element_text(el: etree._Element, *, drop_chrome: bool = False) -> str:
    """The visible text of an element, one line per block, whitespace collapsed."""
    parts: list[str] = []
    _walk(el, parts, drop_chrome)
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(el, parts: list[str], drop_chrome: bool) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag or tag in _INVISIBLE or (drop_chrome and tag in _CHROME):
        if el.tail:  # comments and dropped elements keep the text that follows them
            parts.append(el.tail)
        return
    block = tag in _BLOCKS
    if block:
        parts.append("\n")
    if el.text:
        parts.append(el.text)
    for child in el:
        _walk(child, parts, drop_chrome)
    if block:
        parts.append("\n")
    if el.tail:
        parts.append(el.tail)


def _select(root: etree._Element, selector: str) -> list:
    from parsel import Selector  # Scrapy's selector library: the same syntax as sources.yaml

    sel = Selector(root=root)
    found = sel.xpath(selector) if selector.lstrip().startswith(("/", "(", "./")) else sel.css(selector)
    return [s.root for s in found if isinstance(s.root, etree._Element)]


def extract_text(page: str | bytes, region: str | None = None, *, url: str = "") -> str:
    """The text a reader sees in the region (CSS or XPath), else in the page's body
    without navigation, header and footer. Broken markup is repaired by lxml."""
    if not page or not str(page).strip():
        return ""
    root = lxml_html.fromstring(page)
    if region:
        found = _select(root, region)
        if not found:
            raise RegionMissing(f"selector {region!r} matched nothing on {url or 'the page'}")
        return "\n".join(element_text(el) for el in found)
    body = root.find(".//body")
    return element_text(body if body is not None else root, drop_chrome=True)


# --- what counts as a change --------------------------------------------------------

_MONTHS = (r"janv(?:ier|\.)?|f[ée]v(?:rier|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?|"
           r"ao[uû]t|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?|"
           r"january|february|march|april|may|june|july|august|september|october|november|"
           r"december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec")
_DATE_PATTERNS = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2})?(?:z|[+-]\d{2}:?\d{2})?)?\b"),
    re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b"),
    re.compile(rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{_MONTHS})\.?\s+\d{{4}}\b"),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"),
]
_TIME = re.compile(r"\b\d{1,2}\s*(?:h|:)\s*\d{2}(?::\d{2})?\b")
_COUNTER = re.compile(
    r"\b\d[\d\s.,\u202f\u00a0]*\s*(?:vues?|views?|visites?|visits?|consultations?|"
    r"lectures?|reads?|t[ée]l[ée]chargements?|downloads?|commentaires?|comments?|likes?|"
    r"partages?|shares?|abonn[ée]s?|followers?|r[ée]sultats?|results?)\b")
_COUNTER_LABEL = re.compile(
    r"\b(?:vues?|views?|visites?|visits?|consultations?|t[ée]l[ée]chargements?|downloads?|"
    r"comments?|commentaires?|hits?)\s*:?\s*\d[\d\s.,\u202f\u00a0]*")
# Lines that only say when the page was generated, read or last touched.
_STAMP_LINE = re.compile(
    r"(derni[èe]re mise [àa] jour|mis[e]? [àa] jour le|last updated|last modified|updated on|"
    r"consult[ée] le|page g[ée]n[ée]r[ée]e|generated on|imprim[ée] le|printed on|"
    r"date de consultation|accessed on|retrieved on|version en vigueur au|"
    r"texte consolid[ée] au|copyright|©)", re.IGNORECASE)
_SHORT_LINE = 120  # a date in a short line is metadata; in prose it is content


def comparable(text: str) -> str:
    """The text with what changes without meaning masked, for hashing and diffing."""
    return "\n".join(filter(None, (comparable_line(line) for line in text.split("\n"))))


def comparable_line(line: str) -> str:
    low = re.sub(r"\s+", " ", line.lower()).strip()
    if not low or _STAMP_LINE.search(low):
        return ""
    low = _COUNTER.sub("<n>", low)
    low = _COUNTER_LABEL.sub("<n>", low)
    if len(low) <= _SHORT_LINE:
        for pattern in _DATE_PATTERNS:
            low = pattern.sub("<date>", low)
        low = _TIME.sub("<time>", low)
    return low


def text_hash(text: str) -> str:
    return hashlib.sha256(comparable(text).encode("utf-8")).hexdigest()


# --- describing a change -----------------------------------------------------------

_LABELS = {"fr": ("Ajouté : ", "Supprimé : ", "… et {n} autres modifications"),
           "en": ("Added: ", "Removed: ", "… and {n} more changes")}
MAX_DIFF_LINES = 20
MAX_LINE_CHARS = 300


def _units(text: str) -> list[str]:
    """Lines, with long paragraphs cut into sentences so that one changed word shows one
    sentence, not a whole article."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if len(line) > 200:
            out.extend(s.strip() for s in re.split(r"(?<=[.;!?])\s+(?=[A-ZÀ-Ý0-9«\"(])", line) if s.strip())
        elif line:
            out.append(line)
    return out


def _clip(text: str) -> str:
    return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS - 1].rstrip() + "…"


def readable_diff(old: str, new: str, lang: str | None = "en") -> str:
    """'Added: …' / 'Removed: …' lines for the meaningful differences, at most
    MAX_DIFF_LINES of them; empty when only masked parts changed."""
    added_label, removed_label, more = _LABELS["fr" if lang == "fr" else "en"]
    a, b = _units(old), _units(new)
    keys_a = [comparable_line(u) for u in a]
    keys_b = [comparable_line(u) for u in b]
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        lines += [removed_label + _clip(a[i]) for i in range(i1, i2) if keys_a[i]]
        lines += [added_label + _clip(b[j]) for j in range(j1, j2) if keys_b[j]]
    if len(lines) > MAX_DIFF_LINES:
        rest = len(lines) - MAX_DIFF_LINES
        lines = lines[:MAX_DIFF_LINES] + [more.format(n=rest)]
    return "\n".join(lines)


_FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]


def change_title(name: str, when: datetime, lang: str | None) -> str:
    if lang == "fr":
        day = "1er" if when.day == 1 else str(when.day)
        return f"{name} : modifications du {day} {_FR_MONTHS[when.month - 1]} {when.year}"
    return f"{name}: changes on {when.day} {when.strftime('%B')} {when.year}"


# --- one observation ---------------------------------------------------------------

@dataclass
class Observation:
    version: int            # the version the page is at after this visit
    changed: bool
    item: RawItem | None    # the change item, when there is one


def observe(db: sqlite_utils.Database, source: Source, url: str, text: str,
            fetched_at: str) -> Observation:
    """Compare the page's text with its last stored version; store a new version and
    return its change item when the meaningful text differs. Call inside the same
    transaction as the ingest of the item, so a version never exists without its item."""
    digest = text_hash(text)
    last = page_store.latest_version(db, source.id)
    if last is not None and last.text_hash == digest:
        return Observation(last.version, False, None)
    version = 1 if last is None else last.version + 1
    page_store.add_version(db, page_store.PageVersion(source.id, version, fetched_at, url,
                                                      digest, text))
    if last is None:
        return Observation(version, False, None)
    diff = readable_diff(last.text, text, source.language)
    item = RawItem(source_id=source.id, url=url, title=change_title(
        source.name, parse_iso(fetched_at), source.language), summary=diff, content=text,
        published=fetched_at, lang=source.language, base_url=url, page_version=version,
        guid=f"{url}#version-{version}")
    return Observation(version, True, item)
