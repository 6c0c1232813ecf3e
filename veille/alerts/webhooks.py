"""Rule webhooks: the rule's new items as one JSON POST (Teams, Slack or any endpoint).

The body carries ``text`` (what Slack and Teams incoming webhooks display) and the items
as structured data. A push is retried a few times at once (connection errors, 408, 429,
5xx); if it still fails the items stay pending and are retried on a later run with the
same exponential backoff as mail. Another 4xx answer is final: the items are marked failed
with the answer, so a wrong URL does not retry forever.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import sqlite_utils

from veille.alerts.links import item_url
from veille.store import alerts as store
from veille.timeutil import iso

TRIES = 3
PAUSE = 0.5
TIMEOUT = 10.0
MAX_ATTEMPTS = 12


@dataclass
class WebhookReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def payload(batch: dict, items: list[dict], base: str) -> dict:
    title = batch["name"] or f"Rule {batch['rule_id']}"
    lines = [f"veille — {title}: {len(items)}"]
    lines += [f"• {it['title']} ({it['source_name']}) {item_url(base, it['id'])}" for it in items]
    return {
        "text": "\n".join(lines),
        "rule": {"id": batch["rule_id"], "name": batch["name"]},
        "items": [{"id": it["id"], "title": it["title"], "url": it["url"],
                   "link": item_url(base, it["id"]), "source": it["source_name"],
                   "published_at": it["published_at"], "summary": it["summary"],
                   "topics": [t["topic"] for t in it["topics"]]} for it in items],
    }


def post(client: httpx.Client, url: str, body: dict, tries: int = TRIES,
         pause: float = PAUSE) -> tuple[str | None, bool]:
    """(error or None, permanent?) after up to ``tries`` attempts."""
    error = None
    for attempt in range(tries):
        if attempt:
            time.sleep(pause * 2 ** (attempt - 1))
        try:
            resp = client.post(url, json=body)
        except httpx.HTTPError as exc:
            error = f"webhook {url}: {type(exc).__name__}: {exc}"
            continue
        if resp.is_success:
            return None, False
        error = f"webhook {url}: HTTP {resp.status_code}"
        if resp.status_code < 500 and resp.status_code not in (408, 429):
            return error, True
    return error, False


def send_webhooks(db: sqlite_utils.Database, now: datetime, base: str = "",
                  pause: float = PAUSE) -> WebhookReport:
    from veille.alerts.send import backoff_seconds

    report = WebhookReport()
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
        for batch in store.webhook_batches(db, iso(now)):
            items = store.item_summaries(db, batch["item_ids"])
            error, permanent = post(client, batch["webhook_url"], payload(batch, items, base), pause=pause)
            ids = batch["item_ids"]
            if error is None:
                store.record_webhook(db, batch["rule_id"], ids, iso(now))
                report.sent += len(ids)
                continue
            attempts = store.webhook_attempts(db, batch["rule_id"], ids) + 1
            retry = None if permanent or attempts >= MAX_ATTEMPTS else iso(
                now + timedelta(seconds=backoff_seconds(attempts)))
            store.record_webhook(db, batch["rule_id"], ids, iso(now), error=error, retry_at=retry)
            report.errors.append(error)
            if retry:
                report.deferred += len(ids)
            else:
                report.failed += len(ids)
    return report
