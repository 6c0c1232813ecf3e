"""The plain data that flows through the pipeline.

Every collector (feeds, Scrapy listing pages, sitemaps, page-change monitoring) yields
``RawItem``; ``normalise`` turns it into an ``Item``; ``ingest`` stores items.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class RawItem:
    """One entry as a source gave it, before any cleaning."""

    source_id: str
    title: str = ""
    url: str | None = None            # as written in the source (may be relative)
    guid: str | None = None
    summary: str = ""                 # HTML or text
    content: str = ""                 # HTML or text of the full body, when given
    published: datetime | str | None = None
    author: str | None = None
    lang: str | None = None           # declared by the entry or the feed
    base_url: str | None = None       # for relative links (xml:base, feed or page URL)
    page_version: int | None = None   # page-change items: the version they describe


@dataclass
class Item:
    """A normalised item, ready to store."""

    source_id: str
    key: str                          # identity within its source: guid, else URL, else hash
    title: str
    summary: str                      # clean text
    summary_html: str                 # sanitised HTML
    content: str                      # clean text
    published_at: str                 # ISO 8601 UTC
    fetched_at: str
    content_hash: str
    url: str | None = None            # canonical
    guid: str | None = None
    author: str | None = None
    lang: str | None = None
    page_version: int | None = None
    id: int | None = None             # set once stored
    topics: list[tuple[str, float, str]] = field(default_factory=list)  # (topic, score, origin)
