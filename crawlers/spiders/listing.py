"""The generic listing spider (kind: html): one configuration-driven spider for every
listing page of sources.yaml. Reads the listed items with the source's selectors, follows
`next` up to a cap, stops at a page that lists only known items (incremental crawl), and
fetches the article page of each new item when a `body` selector is given."""
from __future__ import annotations

from dataclasses import dataclass

import scrapy
from scrapy.http import Response

from crawlers import extract
from crawlers.dates import parse_listing_date
from crawlers.spiders.base import SourceSpider
from veille.item import RawItem
from veille.pagewatch import element_text

# Where an article page states its date when the listing did not.
_ARTICLE_DATES = ('meta[property="article:published_time"]::attr(content)',
                  'meta[name="date"]::attr(content)', 'meta[name="DC.date"]::attr(content)',
                  "time::attr(datetime)")


@dataclass
class _PageStats:
    listed: int = 0
    new: int = 0
    without_link: int = 0
    undated: int = 0


class ListingSpider(SourceSpider):
    name = "listing"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.articles_requested = 0

    def parse_start(self, response: Response):
        if self.require_html(response):
            yield from self.parse_listing(response, page=1)

    def parse_listing(self, response: Response, page: int):
        sel = self.source.selectors
        if page > 1:
            self.report.pages += 1
        nodes = extract.select(response, sel.item)
        if not nodes:
            message = f"selector {sel.item!r} matched 0 items on {response.url}"
            self.report.fail(message) if page == 1 else self.report.warn(message)
            return
        stats = _PageStats()
        for node in nodes:
            yield from self._entry(node, response, stats)
        self._check_page(stats, response)
        if stats.new and sel.next and page < self.cap("VEILLE_MAX_LISTING_PAGES"):
            href = extract.first(response, sel.next)
            if href:
                yield response.follow(href, callback=self.parse_listing, errback=self.on_later_error,
                                      cb_kwargs={"page": page + 1})

    def _entry(self, node, response: Response, stats: _PageStats):
        sel = self.source.selectors
        stats.listed += 1
        href = extract.first(node, sel.link)
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            stats.without_link += 1
            return
        url = response.urljoin(href)
        self.report.items_found += 1
        if url in self.known_urls:
            return
        self.known_urls.add(url)  # the same article listed on two pages is one item
        stats.new += 1
        date_text = extract.first(node, sel.date)
        published = parse_listing_date(date_text, sel.date_format, self.source.language)
        if sel.date and published is None:
            stats.undated += 1
        raw = RawItem(source_id=self.source.id, url=url, base_url=response.url,
                      title=extract.joined(node, sel.title) or "",
                      summary=extract.joined(node, sel.summary) or "",
                      published=published, lang=self.source.language)
        if sel.body and self.articles_requested < self.cap("VEILLE_MAX_ARTICLE_PAGES"):
            self.articles_requested += 1
            yield scrapy.Request(url, callback=self.parse_article, errback=self.on_article_error,
                                 cb_kwargs={"raw": raw})
        else:
            yield raw

    def _check_page(self, stats: _PageStats, response: Response) -> None:
        sel = self.source.selectors
        if stats.without_link == stats.listed:
            self.report.fail(f"selector {sel.link!r} matched no link in any of the "
                             f"{stats.listed} items on {response.url}")
        elif stats.without_link:
            self.report.warn(f"{stats.without_link} of {stats.listed} items on {response.url} "
                             f"have no link for {sel.link!r}")
        if stats.undated and stats.undated == stats.new:
            self.report.warn(f"selector {sel.date!r} gave no readable date on {response.url} "
                             "(items dated when fetched)")

    def parse_article(self, response: Response, raw: RawItem):
        self.report.pages += 1
        body = self.source.selectors.body
        found = extract.select(response, body) if hasattr(response, "css") else []
        if found:
            raw.content = "\n".join(element_text(n.root) for n in found if not isinstance(n.root, str))
        else:
            self.report.warn(f"selector {body!r} matched nothing on {response.url}")
        if raw.published is None and hasattr(response, "css"):
            for expr in _ARTICLE_DATES:
                raw.published = parse_listing_date(extract.first(response, expr), None,
                                                   self.source.language)
                if raw.published:
                    break
        yield raw

    def on_article_error(self, failure):
        """The article page failed: keep the listed item without its body."""
        self.on_later_error(failure)
        raw = failure.request.cb_kwargs.get("raw")
        return [raw] if raw is not None else []
