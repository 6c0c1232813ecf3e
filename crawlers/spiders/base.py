"""What every source spider shares: the source, its run report, and errbacks that turn a
failed request into a sentence (fatal for the source's own URL, a warning otherwise)."""
from __future__ import annotations

from typing import Iterable

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawlers.report import CrawlReport, describe_failure
from veille.sources import Source


class SourceSpider(scrapy.Spider):
    """Base of the config-driven spiders; subclasses implement ``parse_start``."""

    def __init__(self, source: Source, report: CrawlReport, known_urls: Iterable[str] = (),
                 db=None, **kwargs):
        super().__init__(name=f"{self.name}-{source.id}", **kwargs)
        self.db = db  # handed to the pipeline, which alone writes (through veille.store)
        self.source = source
        self.report = report
        self.known_urls = set(known_urls)

    def cap(self, name: str) -> int:
        return self.crawler.settings.getint(name)

    async def start(self):
        yield scrapy.Request(self.source.url, callback=self._on_start_page,
                             errback=self.on_start_error, dont_filter=True)

    def _on_start_page(self, response: Response):
        self.report.http_status = response.status
        self.report.pages += 1
        yield from self.parse_start(response)

    def parse_start(self, response: Response):  # pragma: no cover - abstract
        raise NotImplementedError

    def on_start_error(self, failure: Failure):
        """The source's own URL failed: the run failed."""
        url = failure.request.url if hasattr(failure, "request") else self.source.url
        message, status = describe_failure(failure, url, self.crawler.settings)
        self.report.http_status = status or self.report.http_status
        self.report.fail(message)
        return []

    def on_later_error(self, failure: Failure):
        """Another page failed (next listing page, article, child sitemap): worth a flag."""
        url = failure.request.url if hasattr(failure, "request") else "?"
        message, _ = describe_failure(failure, url, self.crawler.settings)
        self.report.warn(message)
        return []

    def require_html(self, response: Response) -> bool:
        if isinstance(response, TextResponse):
            return True
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or "unknown type"
        self.report.fail(f"not an HTML page ({ctype}) at {response.url}")
        return False
