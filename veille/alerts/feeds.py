"""The Atom feed of a rule, and the subscriber look-ups the catalogue's pages need.

A rule's feed is what the rule matches now (``rules.preview``): it can be followed in any
feed reader, or in Teams/Slack through their RSS connectors, without an account.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import sqlite_utils

from veille.alerts.links import item_url
from veille.alerts.rules import get_rule, preview
from veille.store import alerts as store
from veille.timeutil import now_iso

ATOM = "http://www.w3.org/2005/Atom"
FEED_DAYS = 30
FEED_LIMIT = 50


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def rule_title(rule: dict) -> str:
    if rule.get("name"):
        return rule["name"]
    parts = rule["topics"] + ([f"« {rule['query']} »"] if rule.get("query") else [])
    return f"Rule {rule['id']}" + (f": {', '.join(parts)}" if parts else "")


def rule_feed(db: sqlite_utils.Database, rule_id: int, base: str) -> bytes:
    """Atom XML of the items the rule matched in the last 30 days, newest first."""
    rule = get_rule(db, rule_id)
    items = preview(db, rule_id, days=FEED_DAYS, limit=FEED_LIMIT)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"{base}rules/{rule['id']}")
    _sub(feed, "title", f"veille — {rule_title(rule)}")
    _sub(feed, "updated", items[0]["published_at"] if items else now_iso())
    _sub(feed, "link", rel="alternate", href=f"{base}subscriptions")
    _sub(feed, "generator", "veille")
    for item in items:
        entry = _sub(feed, "entry")
        _sub(entry, "id", item_url(base, item["id"]))
        _sub(entry, "title", item["title"] or item["url"] or f"#{item['id']}")
        _sub(entry, "link", rel="alternate", href=item_url(base, item["id"]))
        if item["url"] and item["url"].startswith(("http://", "https://")):
            _sub(entry, "link", rel="related", href=item["url"])
        _sub(entry, "updated", item["published_at"])
        _sub(entry, "published", item["published_at"])
        _sub(_sub(entry, "author"), "name", item["source_name"])
        for t in item["topics"]:
            _sub(entry, "category", term=t["topic"])
        if item["summary"]:
            _sub(entry, "summary", item["summary"], type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def unsubscribe(db: sqlite_utils.Database, subscriber_id: int) -> None:
    """Stop all mail to the subscriber (the one-click List-Unsubscribe target)."""
    store.mark_unsubscribed(db, int(subscriber_id), now_iso())


def subscriber_for_email(db: sqlite_utils.Database, email: str) -> dict | None:
    return store.subscriber_by_email(db, email.strip())
