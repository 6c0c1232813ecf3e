"""Spiders driven by sources.yaml: one per source kind (html, sitemap, page)."""
