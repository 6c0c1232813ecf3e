"""The item pipeline: hands each source's items to veille's one ingest, in one batch per
source when its spider closes, then records the run as a fetches row (status, HTTP
status, duration, items found and new, the readable error)."""
from __future__ import annotations

from crawlers.items import PageSnapshot
from crawlers.report import CrawlReport
from veille import pagewatch, store
from veille.ingest import ingest
from veille.item import RawItem
from veille.store import pages as page_store
from veille.store.fetches import record_fetch
from veille.timeutil import now_iso


class IngestPipeline:
    def open_spider(self, spider) -> None:
        self.raws: list[RawItem] = []
        self.snapshots: list[PageSnapshot] = []

    def process_item(self, item, spider):
        (self.snapshots if isinstance(item, PageSnapshot) else self.raws).append(item)
        return item

    def close_spider(self, spider) -> None:
        report: CrawlReport = spider.report
        try:
            self._store(spider, report)
        except Exception as exc:  # noqa: BLE001 - one source's failure is recorded, not raised
            report.fail(f"could not store the items of {spider.source.url}: {exc}")
        report.finish()
        record_run(spider.db, report)

    def _store(self, spider, report: CrawlReport) -> None:
        db, source = spider.db, spider.source
        fetched_at = now_iso()
        raws = list(self.raws)
        with store.transaction(db):  # a page version and its change item, or neither
            for snap in self.snapshots:
                seen = pagewatch.observe(db, source, snap.url, snap.text, fetched_at)
                if seen.item is not None:
                    raws.append(seen.item)
            if hasattr(spider, "to_record") and not report.error:
                page_store.add_sitemap_urls(db, source.id, spider.to_record(), fetched_at)
            if raws:
                result = ingest(db, source, raws, fetched_at=fetched_at)
                report.items_new = result.new
                if result.skipped:
                    report.warn(f"{len(result.skipped)} entries unusable ({result.skipped[0]})")


def record_run(db, report: CrawlReport) -> None:
    """One fetches row per source and run, with the same error counting and backoff as feeds."""
    record_fetch(db, report.source_id, report.outcome())
