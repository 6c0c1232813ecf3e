"""Alert rules, matching at ingest, deliveries, mail and digests.

    rules.py      what subscribers ask for, validated at creation (CLI and catalogue forms)
    match.py      new items x rules -> pending deliveries (called by ingest and classify)
    send.py       claim, send, record: immediate alerts and digests, exactly-once design
    mail.py       the multipart message; wording.py its French and English words
    transports.py SMTP or the outbox folder; webhooks.py JSON POST per rule
    feeds.py      Atom feed per rule, unsubscribe; links.py signed links in mail
"""
from veille.alerts.match import queue_deliveries
from veille.alerts.send import SendReport, send_digests, send_immediate

__all__ = ["queue_deliveries", "send_immediate", "send_digests", "SendReport"]
