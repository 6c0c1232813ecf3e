"""The page-change spider (kind: page): fetches the monitored page and hands the visible
text of its watched region to the pipeline, which compares it with the stored version."""
from __future__ import annotations

from scrapy.http import Response

from crawlers.items import PageSnapshot
from crawlers.spiders.base import SourceSpider
from veille.pagewatch import RegionMissing, extract_text


class PageWatchSpider(SourceSpider):
    name = "page"

    def parse_start(self, response: Response):
        if not self.require_html(response):
            return
        region = self.source.selectors.region if self.source.selectors else None
        try:
            text = extract_text(response.text, region, url=response.url)
        except RegionMissing as exc:
            self.report.fail(str(exc))
            return
        if not text:
            self.report.fail(f"no visible text on {response.url}")
            return
        self.report.items_found = 1
        yield PageSnapshot(source_id=self.source.id, url=response.url, text=text)
