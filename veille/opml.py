"""OPML subscription lists in and out of the watch plan.

Import appends new feeds to sources.yaml *as text*, so the file keeps its comments, order
and layout; the result is validated before it is written.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml
from lxml import etree

from veille.sources import SourcesError, WatchPlan, parse_plan

_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_LIST_ITEM = re.compile(r"^( *)- ", re.M)


class OpmlError(ValueError):
    """The file is not a usable OPML list; the message says why."""


@dataclass
class OpmlFeed:
    title: str
    xml_url: str
    html_url: str | None = None


def read_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an xmlUrl, in document order (nested folders included)."""
    try:
        root = etree.fromstring(data.lstrip(), _SAFE)
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"not an OPML file: {exc}") from None
    if etree.QName(root).localname.lower() != "opml":
        raise OpmlError(f"not an OPML file: the root element is <{etree.QName(root).localname}>")
    feeds = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            title = (outline.get("title") or outline.get("text") or url).strip()
            feeds.append(OpmlFeed(title, url, outline.get("htmlUrl") or None))
    return feeds


def slug(text: str) -> str:
    """'INRS : Actualités' -> 'inrs-actualites'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:50].strip("-")
    return s or "feed"


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def plan_with_feeds(text: str, plan: WatchPlan, feeds: list[OpmlFeed]) -> tuple[str, list[dict], list[str]]:
    """The new sources.yaml text with the feeds not yet watched appended, the entries added
    and the URLs skipped because a source already watches them."""
    known = {s.url.rstrip("/") for s in plan.sources}
    taken = {s.id for s in plan.sources}
    added, skipped = [], []
    for feed in feeds:
        key = feed.xml_url.rstrip("/")
        if key in known:
            skipped.append(feed.xml_url)
            continue
        known.add(key)
        added.append({"id": _unique(slug(feed.title), taken), "name": feed.title or feed.xml_url,
                      "kind": "feed", "url": feed.xml_url})
    if not added:
        return text, [], skipped
    return _append_entries(text, added), added, skipped


def _append_entries(text: str, entries: list[dict]) -> str:
    m = _LIST_ITEM.search(text)
    indent = m.group(1) if m else "  "
    if not re.search(r"^sources:\s*(#.*)?$", text, re.M):
        text = re.sub(r"^sources:\s*\[\s*\]\s*$", "sources:", text, flags=re.M)
        if not re.search(r"^sources:", text, re.M):
            text = (text.rstrip("\n") + "\n" if text.strip() else "") + "sources:\n"
    block = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, default_flow_style=False,
                           width=1000)
    block = "".join(indent + line if line.strip() else line
                    for line in block.splitlines(keepends=True))
    return text.rstrip("\n") + "\n" + block


def import_opml(sources_path: Path, plan: WatchPlan, data: bytes) -> tuple[list[dict], list[str]]:
    """Append the OPML's new feeds to sources.yaml (validated, then written atomically)."""
    feeds = read_opml(data)
    text = sources_path.read_text(encoding="utf-8") if sources_path.exists() else ""
    new_text, added, skipped = plan_with_feeds(text, plan, feeds)
    if added:
        try:
            parse_plan(new_text, origin=str(sources_path))
        except SourcesError as exc:
            raise OpmlError(f"the feeds could not be added to {sources_path}: {exc}") from None
        tmp = sources_path.with_name(sources_path.name + ".tmp")
        tmp.write_text(new_text, encoding="utf-8")
        os.replace(tmp, sources_path)
    return added, skipped


def export_opml(plan: WatchPlan, title: str = "veille: watched feeds") -> bytes:
    """An OPML 2.0 list of the plan's feed sources, grouped by category."""
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(opml, "body")
    groups: dict[str, ET.Element] = {}
    for src in plan.sources:
        if src.kind != "feed":
            continue
        group = groups.get(src.category)
        if group is None:
            group = groups[src.category] = ET.SubElement(body, "outline", text=src.category)
        ET.SubElement(group, "outline", type="rss", text=src.name, title=src.name,
                      xmlUrl=src.url, **({"language": src.language} if src.language else {}))
    ET.indent(opml)
    return ET.tostring(opml, encoding="utf-8", xml_declaration=True) + b"\n"
