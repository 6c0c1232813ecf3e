"""The sitemap spider (kind: sitemap): the pages a sitemap.xml lists for the first time
become items. The first run records every listed page and makes items of the most recent
ones only (a site's archive is not news); later runs make items of the pages not listed
before, newest first, up to a cap per run."""
from __future__ import annotations

import gzip

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap

from crawlers import extract
from crawlers.dates import parse_listing_date
from crawlers.spiders.base import SourceSpider
from veille.item import RawItem
from veille.pagewatch import element_text


class SitemapSourceSpider(SourceSpider):
    name = "sitemap"

    def __init__(self, *args, seen_urls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.seen_urls = set(seen_urls)       # listed by an earlier run
        self.first_run = not self.seen_urls
        self.listed: dict[str, str | None] = {}  # url -> lastmod, this run
        self.chosen: list[tuple[str, str | None]] | None = None

    def parse_start(self, response: Response):
        yield from self.parse_sitemap(response, top=True)

    def parse_sitemap(self, response: Response, top: bool = False):
        if not top:
            self.report.pages += 1
        sitemap = self._read(response)
        if sitemap is None:
            message = f"not a sitemap (no <urlset> or <sitemapindex>): {response.url}"
            self.report.fail(message) if top else self.report.warn(message)
            return
        if sitemap.type == "sitemapindex":
            children = [e["loc"] for e in sitemap if e.get("loc")]
            for loc in children[: self.cap("VEILLE_MAX_SITEMAP_FILES")]:
                yield scrapy.Request(response.urljoin(loc), callback=self.parse_sitemap,
                                     errback=self.on_later_error)
            return
        for entry in sitemap:
            if entry.get("loc"):
                self.listed.setdefault(response.urljoin(entry["loc"]), entry.get("lastmod"))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    def _on_idle(self) -> None:
        """Every sitemap file is read: now choose the new pages and read them."""
        if self.chosen is not None or self.report.error:
            return
        self.chosen = self.new_pages()
        self.report.items_found = len(self.listed)
        for url, lastmod in self.chosen:
            self.crawler.engine.crawl(scrapy.Request(
                url, callback=self.parse_page, errback=self.on_later_error,
                cb_kwargs={"lastmod": lastmod}))
        if self.chosen:
            raise DontCloseSpider

    def to_record(self) -> list[tuple[str, str | None]]:
        """Pages to remember as listed: all of them on the first run, else those read."""
        return list(self.listed.items()) if self.first_run else list(self.chosen or [])

    def _read(self, response: Response) -> Sitemap | None:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gzip.decompress(body)[: self.cap("DOWNLOAD_MAXSIZE")]
            except OSError:
                return None
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml raises several types on what is not XML at all
            return None
        return sitemap if sitemap.type in ("urlset", "sitemapindex") else None

    def new_pages(self) -> list[tuple[str, str | None]]:
        """The pages to read this run: not listed before, newest first, capped."""
        fresh = [(u, m) for u, m in self.listed.items()
                 if u not in self.seen_urls and u not in self.known_urls]
        fresh.sort(key=lambda um: um[1] or "", reverse=True)
        return fresh[: self.cap("VEILLE_MAX_SITEMAP_PAGES")]

    def parse_page(self, response: Response, lastmod: str | None):
        self.report.pages += 1
        if not hasattr(response, "css"):
            return
        sel = self.source.selectors
        title = extract.joined(response, sel.title if sel and sel.title else "title::text")
        if not title:
            title = extract.joined(response, "h1::text") or response.url
        body = ""
        if sel and sel.body:
            found = extract.select(response, sel.body)
            body = "\n".join(element_text(n.root) for n in found if not isinstance(n.root, str))
        yield RawItem(source_id=self.source.id, url=response.url, title=title, content=body,
                      summary=extract.first(response, 'meta[name="description"]::attr(content)') or "",
                      published=parse_listing_date(lastmod, None, self.source.language),
                      lang=self.source.language, base_url=response.url)
