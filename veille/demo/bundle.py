"""The bundled demo content: the demo watch plan and the demo items, loaded once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"
BASE_PLACEHOLDER = "{base}"

# Feed format follows the extension of the feed's path (see content/sources.yaml).
FEED_FORMATS = {".rss": "rss2", ".atom": "atom", ".rdf": "rss1", ".json": "jsonfeed"}


@dataclass(frozen=True)
class DemoItem:
    source: str
    slug: str
    title: str
    summary: str
    age_hours: float
    author: str | None = None
    story: str | None = None

    @property
    def path(self) -> str:
        return f"/a/{self.source}/{self.slug}"

    def published(self, now: datetime) -> datetime:
        """Publication time: age_hours before `now`, plus a stable few minutes so that
        items do not all fall on the hour."""
        minutes = int(hashlib.sha1(self.path.encode()).hexdigest()[:4], 16) % 50
        return (now - timedelta(hours=self.age_hours, minutes=minutes)).replace(microsecond=0)

    def summary_for(self, base_url: str) -> str:
        return self.summary.replace(BASE_PLACEHOLDER, base_url)


@dataclass(frozen=True)
class DemoSource:
    id: str
    name: str
    kind: str
    path: str
    language: str
    category: str
    selectors: dict = field(default_factory=dict)

    @property
    def feed_format(self) -> str | None:
        if self.kind != "feed":
            return None
        return FEED_FORMATS[Path(self.path).suffix]


@dataclass(frozen=True)
class DemoContent:
    sources: tuple[DemoSource, ...]
    items: tuple[DemoItem, ...]
    sources_yaml_template: str

    def source(self, source_id: str) -> DemoSource:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def items_of(self, source_id: str) -> list[DemoItem]:
        """The source's items, newest first."""
        return sorted((i for i in self.items if i.source == source_id), key=lambda i: i.age_hours)

    def item(self, source_id: str, slug: str) -> DemoItem | None:
        for item in self.items:
            if item.source == source_id and item.slug == slug:
                return item
        return None

    def source_at(self, path: str) -> DemoSource | None:
        for source in self.sources:
            if source.path == path:
                return source
        return None


def load_content(directory: Path = CONTENT_DIR) -> DemoContent:
    """Read content/sources.yaml and content/items.yaml; fail loudly on an item whose
    source is unknown, since the demo would silently lose it."""
    template = (directory / "sources.yaml").read_text(encoding="utf-8")
    sources = []
    for entry in yaml.safe_load(template)["sources"]:
        url = entry["url"]
        if not url.startswith(BASE_PLACEHOLDER + "/"):
            raise ValueError(f"demo source {entry['id']}: url must start with {BASE_PLACEHOLDER}/")
        sources.append(DemoSource(
            id=entry["id"], name=entry["name"], kind=entry["kind"],
            path=urlsplit(url[len(BASE_PLACEHOLDER):]).path, language=entry.get("language", "fr"),
            category=entry.get("category", "other"), selectors=entry.get("selectors") or {},
        ))
    known = {s.id for s in sources}
    raw_items = yaml.safe_load((directory / "items.yaml").read_text(encoding="utf-8"))["items"]
    items = []
    for raw in raw_items:
        if raw["source"] not in known:
            raise ValueError(f"demo item {raw.get('slug')!r}: unknown source {raw['source']!r}")
        items.append(DemoItem(
            source=raw["source"], slug=str(raw["slug"]), title=raw["title"],
            summary=raw["summary"], age_hours=float(raw["age_hours"]),
            author=raw.get("author"), story=raw.get("story"),
        ))
    return DemoContent(sources=tuple(sources), items=tuple(items), sources_yaml_template=template)
