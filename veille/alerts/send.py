"""Sending pending deliveries: immediate alerts after each ingest, digests on schedule.

Delivery guarantee (the same words are in docs/alerts.md):

1. Claim. A subscriber's due deliveries are marked 'sending' in one committed transaction,
   together with the Message-ID and the claim time (which becomes the message's Date).
2. Send. One message per subscriber per run, built only from the claimed rows.
3. Record. Once the transport has accepted the message the rows are marked 'sent'.

If the process dies between 2 and 3, the rows stay 'sending'. A later run that finds
'sending' rows claimed more than ``STALE_AFTER`` ago sends the message AGAIN, rebuilt from
the same rows with the SAME Message-ID and Date: delivery is at-least-once, and the rare
repeat is the same message, which mail clients and servers recognise by its Message-ID (the
outbox rewrites the same file). We chose this over at-most-once because a regulatory alert
that never arrives costs more than a duplicate that the client folds away.

Failures: a refusal of the recipient or message (5xx) marks that subscriber's rows 'failed'
with the server's words, and the run goes on to the next subscriber. A transient failure
(connection refused, timeout, 4xx) puts the rows back to 'pending' with attempts + 1 and
``next_attempt_at`` backed off exponentially (2 min doubling, capped at 6 h); after
``MAX_ATTEMPTS`` they become 'failed'. When the server itself is unreachable the run stops:
the remaining subscribers keep their rows pending, untouched, for the next run. Every
immediate run also retries failed digests and resends stale claims of any frequency, so a
digest missed at 07:30 goes out minutes after the server is back, not the next day.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from veille import store as core
from veille.alerts.mail import Letter, new_message_id, render
from veille.alerts.transports import SendError, transport_for
from veille.config import Settings
from veille.store import alerts as store
from veille.timeutil import iso, parse_iso, utcnow

STALE_AFTER = timedelta(minutes=15)
BACKOFF_FIRST = 120
BACKOFF_CAP = 6 * 3600
MAX_ATTEMPTS = 12
PERIODS = ("daily", "weekly")


@dataclass
class SendReport:
    transport: str = ""
    messages: int = 0        # messages accepted by the transport
    items: int = 0           # deliveries they carried
    resent: int = 0          # messages sent again after an interrupted run
    deferred: int = 0        # deliveries back to pending, to retry later
    failed: int = 0          # deliveries given up (refused recipient, too many attempts)
    skipped: int = 0         # subscribers whose digest for this window was already sent
    webhooks: int = 0        # items pushed to rule webhooks
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def add(self, other: "SendReport") -> None:
        for name in ("messages", "items", "resent", "deferred", "failed", "skipped", "webhooks"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors


def backoff_seconds(attempts: int) -> int:
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def window_key(period: str, now: datetime, tz: str = "Europe/Paris") -> str:
    """The digest window 'now' falls in: the local day, or the ISO week."""
    local = now.astimezone(ZoneInfo(tz))
    if period == "daily":
        return local.date().isoformat()
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def send_immediate(db: sqlite_utils.Database, settings: Settings,
                   now: datetime | None = None) -> SendReport:
    """Deliver pending immediate alerts (one message per subscriber) and rule webhooks."""
    from veille.alerts.webhooks import send_webhooks

    now = now or utcnow()
    report = _send(db, settings, "immediate", now)
    # digests that failed at their hour are retried here (every few minutes under `veille
    # up`), not a day or a week later
    for period in PERIODS:
        report.add(_send(db, settings, period, now, retries_only=True))
    hooks = send_webhooks(db, now, base=settings.base_url)
    report.webhooks, report.errors = hooks.sent, report.errors + hooks.errors
    return report


def send_digests(db: sqlite_utils.Database, settings: Settings, period: str,
                 now: datetime | None = None) -> SendReport:
    """Send the daily or weekly digests; a subscriber gets one per day (or ISO week) at
    most, however often this runs, and an empty digest is not sent."""
    if period not in PERIODS:
        raise ValueError(f"period {period!r} is not one of daily, weekly")
    return _send(db, settings, period, now or utcnow())


def _send(db: sqlite_utils.Database, settings: Settings, frequency: str, now: datetime,
          retries_only: bool = False) -> SendReport:
    secret = core.instance_secret(db, settings.secret)
    transport = transport_for(settings)
    report = SendReport(transport=transport.describe())
    digest = frequency in PERIODS
    with transport:
        for claim in store.stale_claims(db, frequency, iso(now - STALE_AFTER)):
            date = parse_iso(claim["claimed_at"])
            err = _deliver(db, settings, secret, transport, report, frequency, claim["subscriber_id"],
                           claim["message_id"], date, now)
            report.resent += err is None
            if err is not None and err.connection:
                return report
        for sub in store.subscribers_due(db, frequency, iso(now), retries_only):
            if digest and store.digest_sent(db, sub["id"], frequency, window_key(frequency, now, settings.timezone)):
                report.skipped += 1
                continue
            message_id = new_message_id(settings.mail_from)
            if not store.claim(db, sub["id"], frequency, message_id, iso(now)):
                continue  # another sender took them first
            err = _deliver(db, settings, secret, transport, report, frequency, sub["id"], message_id, now, now)
            if err is not None and err.connection:
                break  # the server is down: the others keep their rows pending for the next run
    return report


def _deliver(db, settings: Settings, secret: str, transport, report: SendReport, frequency: str,
             subscriber_id: int, message_id: str, date: datetime, now: datetime) -> SendError | None:
    """Send one claimed message and record the outcome; returns the error, if any."""
    sub = store.subscriber_by_id(db, subscriber_id)
    item_ids = store.claimed_item_ids(db, message_id)
    if sub is None or sub["unsubscribed_at"]:
        store.release(db, message_id, "unsubscribed", None, status="cancelled")
        return None
    letter = Letter(kind=frequency, subscriber=sub, items=store.item_summaries(db, item_ids),
                    rule_ids=store.claimed_rule_ids(db, message_id), message_id=message_id, date=date)
    msg = render(letter, base=settings.base_url, secret=secret, mail_from=settings.mail_from,
                 tz=settings.timezone)
    try:
        transport.send(msg)
    except SendError as exc:
        _record_failure(db, report, message_id, len(item_ids), sub["email"], exc, now)
        return exc
    with db.atomic():
        store.mark_sent(db, message_id, iso(now))
        if frequency in PERIODS:
            store.record_digest(db, subscriber_id, frequency, window_key(frequency, date, settings.timezone),
                                message_id, len(item_ids), iso(now))
    report.messages += 1
    report.items += len(item_ids)
    return None


def _record_failure(db, report: SendReport, message_id: str, count: int, email: str,
                    exc: SendError, now: datetime) -> None:
    attempts = store.max_attempts(db, message_id)
    if exc.permanent or attempts >= MAX_ATTEMPTS:
        reason = str(exc) if exc.permanent else f"gave up after {attempts} attempts: {exc}"
        store.release(db, message_id, reason, None)
        report.failed += count
    else:
        store.release(db, message_id, str(exc), iso(now + timedelta(seconds=backoff_seconds(attempts))))
        report.deferred += count
    report.errors.append(f"{email}: {exc}")
