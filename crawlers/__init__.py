"""The Scrapy project for sources without usable feeds: one generic listing spider driven
by sources.yaml selectors, a sitemap spider and a page-change spider. Items go through
veille's one ingest (see pipelines.py); `python -m crawlers.run` is the entry point."""
