"""Run the crawl of some sources in this process and print one JSON summary line.

    python -m crawlers.run --db veille.db --sources sources.yaml --source ID [--source ID ...]
                           [--set SETTING=VALUE ...]

veille runs this as a subprocess (veille/pages.py) because Twisted's reactor cannot be
restarted within one process: each scheduled pass gets a fresh one. Each source is one
Scrapy crawler; all run concurrently in one reactor. Each source's run is recorded as a
fetches row by the pipeline; the summary line is
{"outcomes": [{"source_id", "status", "http_status", "items_found", "items_new", "error", ...}]}.
"""
from __future__ import annotations

import argparse
import json
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawlers import extract
from crawlers.pipelines import record_run
from crawlers.report import CrawlReport
from crawlers.spiders.listing import ListingSpider
from crawlers.spiders.page import PageWatchSpider
from crawlers.spiders.sitemap import SitemapSourceSpider
from veille import store
from veille.sources import Source, SourcesError, load_plan
from veille.store import pages as page_store

SPIDERS = {"html": ListingSpider, "page": PageWatchSpider, "sitemap": SitemapSourceSpider}


def crawl_settings(overrides: list[str] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    for pair in overrides or []:
        key, _, value = pair.partition("=")
        settings.set(key.strip(), value.strip(), priority="cmdline")
    return settings


def _selectors(src: Source) -> list[str]:
    if src.selectors is None:
        return []
    values = src.selectors.model_dump(exclude_none=True)
    values.pop("date_format", None)
    return list(values.values())


def _spider_kwargs(db, src: Source) -> dict:
    kwargs = {"known_urls": page_store.known_urls(db, src.id)}
    if src.kind == "sitemap":
        kwargs["seen_urls"] = page_store.sitemap_seen(db, src.id)
    return kwargs


def run(db_path: str, sources_path: str, source_ids: list[str],
        overrides: list[str] | None = None) -> list[dict]:
    """Crawl the named sources (one reactor run); returns one summary per source."""
    plan = load_plan(sources_path)
    by_id = plan.by_id()
    db = store.connect(db_path)
    from veille.store.sources import sync_plan
    sync_plan(db, plan)  # fetch rows and items refer to the sources table
    process = CrawlerProcess(crawl_settings(overrides))
    reports: list[CrawlReport] = []
    summaries: list[dict] = []
    for sid in source_ids:
        src = by_id.get(sid)
        if src is None or src.kind not in SPIDERS:
            why = (f"no source {sid!r} in {sources_path}" if src is None
                   else f"source {sid!r} is a {src.kind} source, not a page to crawl")
            summaries.append({"source_id": sid, "status": "failed", "items_found": 0,
                              "items_new": 0, "error": why})
            continue
        report = CrawlReport(source_id=src.id, url=src.url)
        reports.append(report)
        try:
            for expr in _selectors(src):
                extract.check(expr)
        except extract.SelectorSyntaxError as exc:
            report.fail(str(exc))
            report.finish()
            record_run(db, report)
            continue
        process.crawl(SPIDERS[src.kind], source=src, report=report, db=db,
                      **_spider_kwargs(db, src))
    if process.crawlers:
        process.start()
    return [r.summary() for r in reports] + summaries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--sources", required=True)
    parser.add_argument("--source", action="append", required=True, dest="source_ids")
    parser.add_argument("--set", action="append", default=[], metavar="SETTING=VALUE",
                        help="override a Scrapy setting (tests set DOWNLOAD_DELAY=0)")
    args = parser.parse_args(argv)
    try:
        outcomes = run(args.db, args.sources, args.source_ids, args.set)
    except SourcesError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps({"outcomes": outcomes}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
