"""What the spiders yield. Listing and sitemap spiders yield veille's own ``RawItem`` (a
dataclass Scrapy handles as an item); the page spider yields a ``PageSnapshot``, turned
into a change item (or nothing) by the pipeline once compared with the stored version."""
from __future__ import annotations

from dataclasses import dataclass

from veille.item import RawItem

__all__ = ["PageSnapshot", "RawItem"]


@dataclass
class PageSnapshot:
    source_id: str
    url: str
    text: str            # visible text of the watched region
