"""Reminders to a register entry's owner before a deadline (an application date while the
entry is not compliant, or the next review date), 14 days and again 1 day before.

Exactly once per (entry, deadline, kind, lead): the reminder row is claimed ('sending', with
its Message-ID) and committed before the message leaves, then marked 'sent'. A later run
never sends a claimed reminder again, except one left 'sending' by a process that died before
recording it: that one is sent again with the same Message-ID and Date, which mail clients
and the outbox fold into one message (the alerts' rule, docs/alerts.md). When a run finds
several leads due at once (an entry created 3 days before its deadline), only the most
urgent is sent and the others are recorded as skipped.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

import sqlite_utils

from veille import store
from veille.alerts.mail import new_message_id, truncate
from veille.alerts.notices import Notice, render_notice
from veille.alerts.transports import SendError, transport_for
from veille.capitalise.register import deadlines
from veille.config import Settings
from veille.store import register as sql
from veille.timeutil import iso, parse_iso, utcnow

LEADS = (14, 1)
STALE_AFTER = timedelta(minutes=15)
TEXTS = {
    "fr": {"subject": "[veille] Échéance réglementaire {when} : {ref}", "title": "Rappel d'échéance",
           "application": "date d'application", "review": "prochaine revue",
           "body": "{ref} — {title}\n{what} : {date} ({when}).",
           "status": "Conformité : {status}. Actions requises : {actions}",
           "open": "Ouvrir la fiche du registre", "today": "aujourd'hui", "in": "dans {n} jour(s)",
           "footer": "Vous recevez ce rappel parce que vous êtes responsable de cette exigence dans le registre réglementaire."},
    "en": {"subject": "[veille] Regulatory deadline {when}: {ref}", "title": "Deadline reminder",
           "application": "application date", "review": "next review",
           "body": "{ref} — {title}\n{what}: {date} ({when}).",
           "status": "Compliance: {status}. Required actions: {actions}",
           "open": "Open the register entry", "today": "today", "in": "in {n} day(s)",
           "footer": "You receive this reminder because you own this requirement in the regulatory register."},
}


@dataclass
class ReminderReport:
    transport: str = ""
    sent: int = 0
    resent: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def reminder_notice(entry: dict, kind: str, deadline: str, today: date, lang: str, base: str) -> Notice:
    w = TEXTS[lang]
    days = (date.fromisoformat(deadline) - today).days
    when = w["today"] if days <= 0 else w["in"].format(n=days)
    return Notice(
        to=entry["owner"], lang=lang, title=w["title"],
        subject=w["subject"].format(when=when, ref=truncate(entry["reference"], 80)),
        paragraphs=[w["body"].format(ref=entry["reference"], title=entry["title"], what=w[kind],
                                     date=deadline, when=when),
                    w["status"].format(status=entry["status"], actions=entry["actions"] or "—")],
        actions=[(w["open"], f"{base}register/{entry['id']}")], footer=w["footer"])


def _due_reminders(entry: dict, today: date, leads: tuple[int, ...]):
    """(kind, deadline, lead to send, leads to skip) for each deadline inside a lead window."""
    for kind, deadline in deadlines(entry):
        days = (date.fromisoformat(deadline) - today).days
        inside = sorted(lead for lead in leads if 0 <= days <= lead)
        if inside:
            yield kind, deadline, inside[0], inside[1:]


def send_register_reminders(db: sqlite_utils.Database, settings: Settings, today: date | None = None,
                            leads: tuple[int, ...] = LEADS, now: datetime | None = None) -> ReminderReport:
    """Send every reminder due today (and resend those a dead run left 'sending')."""
    now = now or utcnow()
    today = today or now.date()
    transport = transport_for(settings)
    report = ReminderReport(transport=transport.describe())
    with transport:
        for row in sql.stale_reminders(db, iso(now - STALE_AFTER)):
            entry = sql.get_entry(db, row["entry_id"])
            msg = _message(db, settings, entry, row["kind"], row["deadline"], today, row["message_id"],
                           parse_iso(row["claimed_at"]))
            report.resent += _send(db, transport, msg, report, now)
        for entry in sql.list_entries(db):
            if not entry["owner"]:
                continue
            for kind, deadline, lead, skip in _due_reminders(entry, today, leads):
                message_id = new_message_id(settings.mail_from)
                with store.transaction(db):
                    for other in skip:
                        report.skipped += sql.claim_reminder(db, entry["id"], deadline, kind, other,
                                                             entry["owner"], "skipped", None, iso(now))
                    claimed = sql.claim_reminder(db, entry["id"], deadline, kind, lead, entry["owner"],
                                                 "sending", message_id, iso(now))
                if claimed:
                    msg = _message(db, settings, entry, kind, deadline, today, message_id, now)
                    report.sent += _send(db, transport, msg, report, now)
    return report


def _message(db, settings: Settings, entry: dict, kind: str, deadline: str, today: date,
             message_id: str, date_: datetime):
    notice = reminder_notice(entry, kind, deadline, today, sql.subscriber_lang(db, entry["owner"]),
                             settings.base_url)
    return render_notice(notice, message_id=message_id, date=date_, mail_from=settings.mail_from)


def _send(db, transport, msg, report: ReminderReport, now: datetime) -> bool:
    try:
        transport.send(msg)
    except SendError as exc:
        report.errors.append(f"{msg['To']}: {exc}")
        if exc.permanent:
            sql.finish_reminder(db, msg["Message-ID"], "failed", iso(now), str(exc))
            report.failed += 1
        else:  # the claim is released: the next run tries again
            sql.release_reminder(db, msg["Message-ID"])
        return False
    sql.finish_reminder(db, msg["Message-ID"], "sent", iso(now))
    return True
