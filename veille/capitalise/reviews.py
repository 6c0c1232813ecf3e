"""Stakeholder review: an item or a register entry is sent to a reviewer group (CSE, R&D,
QSE, any named group) for an opinion. Each member gets one mail with signed links and
answers once — relevant, not relevant, or a comment — from the mail without logging in, or
in the catalogue. The thread stays with the item or entry.

Mail: one message per (request, reviewer), claimed before it leaves (the rule of the
register reminders and of alerts: a message left 'sending' by a dead process is sent again
with the same Message-ID, which clients fold away).
"""
from __future__ import annotations

import base64
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

import sqlite_utils

from veille import store
from veille.alerts import links
from veille.alerts.mail import new_message_id, truncate
from veille.alerts.notices import Notice, render_notice
from veille.alerts.transports import SendError, transport_for
from veille.config import Settings
from veille.store import audit
from veille.store import register as register_sql
from veille.store import reviews as sql
from veille.timeutil import iso, now_iso, parse_iso, utcnow

PURPOSE = "review"
VERDICTS = ("relevant", "not_relevant", "comment")
LINK_DAYS_AFTER_DUE = 30     # a late opinion is still worth having for a month
LINK_DAYS_WITHOUT_DUE = 60
STALE_AFTER = timedelta(minutes=15)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_GROUP = re.compile(r"^[\w][\w &'+.-]{0,39}$")


class ReviewError(ValueError):
    """The request or answer cannot be accepted as given; the message says why."""


class BadLink(ReviewError):
    """Not a link this instance made (400)."""


class ExpiredLink(ReviewError):
    """A genuine link past its date (410)."""


class AlreadyAnswered(ReviewError):
    def __init__(self, answer: dict):
        super().__init__(f"{answer['email']} already answered on {answer['at'][:16].replace('T', ' ')} UTC "
                         f"({answer['verdict']}); the answer is kept as it was")
        self.answer = answer


# --- groups --------------------------------------------------------------------------------

def set_group(db: sqlite_utils.Database, actor: str, name: str, emails: list[str]) -> dict:
    """Create or replace a reviewer group; every member must be an email address."""
    name = (name or "").strip()
    if not _GROUP.match(name):
        raise ReviewError(f"group name {name!r}: use letters, digits, spaces and & ' + . - (40 at most)")
    members = sorted({e.strip().lower() for e in emails if e.strip()})
    bad = [e for e in members if not _EMAIL.match(e)]
    if bad:
        raise ReviewError(f"not email addresses: {', '.join(bad)}")
    if not members:
        raise ReviewError("a group needs at least one member")
    with store.transaction(db):
        before = sql.get_group(db, name)
        sql.put_group(db, name, members, actor, now_iso())
        after = sql.get_group(db, name)
        audit.record(db, actor, "update" if before else "create", "review_group", name,
                     {"emails": before["emails"]} if before else None, {"emails": after["emails"]})
    return after


def groups(db: sqlite_utils.Database) -> list[dict]:
    return sql.list_groups(db)


# --- requests ------------------------------------------------------------------------------

def request_review(db: sqlite_utils.Database, actor: str, group: str, question: str, *,
                   item_id: int | None = None, entry_id: int | None = None,
                   due_on: str | None = None) -> int:
    """A review request to every member of ``group`` about one item or register entry;
    the mail goes out with ``send_review_requests``. Returns the request id."""
    if (item_id is None) == (entry_id is None):
        raise ReviewError("a review is about one item or one register entry")
    question = (question or "").strip()
    if not question:
        raise ReviewError("the question to the reviewers is required")
    if due_on:
        try:
            due_on = date.fromisoformat(due_on.strip()).isoformat()
        except ValueError:
            raise ReviewError(f"due date {due_on!r} is not a date (YYYY-MM-DD)") from None
    with store.transaction(db):
        found = sql.get_group(db, group.strip())
        if found is None:
            raise ReviewError(f"there is no reviewer group {group!r}")
        if item_id is not None and register_sql.item_for_register(db, item_id) is None:
            raise ReviewError(f"item {item_id} does not exist")
        if entry_id is not None and register_sql.get_entry(db, entry_id) is None:
            raise ReviewError(f"register entry {entry_id} does not exist")
        values = {"item_id": item_id, "entry_id": entry_id, "group_name": found["name"], "question": question,
                  "due_on": due_on or None, "requested_by": actor, "created_at": now_iso()}
        request_id = sql.insert_request(db, values, found["emails"])
        audit.record(db, actor, "create", "review_request", request_id, None,
                     {**values, "reviewers": found["emails"]}, at=values["created_at"])
    return request_id


# --- signed links --------------------------------------------------------------------------

def _expiry(request: dict) -> int:
    if request["due_on"]:
        end = datetime.fromisoformat(request["due_on"]).replace(tzinfo=timezone.utc) + timedelta(days=LINK_DAYS_AFTER_DUE)
    else:
        end = parse_iso(request["created_at"]) + timedelta(days=LINK_DAYS_WITHOUT_DUE)
    return int(end.timestamp())


def make_token(secret: str, request_id: int, email: str, expires: int) -> str:
    mail = base64.urlsafe_b64encode(email.lower().encode()).rstrip(b"=").decode()
    return links.sign(secret, PURPOSE, f"{int(request_id)}:{mail}:{int(expires)}")


def answer_url(base: str, secret: str, request: dict, email: str) -> str:
    return f"{base}review/answer?t={quote(make_token(secret, request['id'], email, _expiry(request)))}"


def read_token(secret: str, token: str, now: float | None = None) -> tuple[int, str]:
    """(request id, reviewer email) from a link; BadLink or ExpiredLink."""
    try:
        value = links.verify(secret, PURPOSE, token or "")
        rid, mail, expires = value.split(":")
        email = base64.urlsafe_b64decode(mail + "=" * (-len(mail) % 4)).decode()
        rid_int, expires_int = int(rid), int(expires)
    except (links.BadToken, ValueError, UnicodeDecodeError):
        raise BadLink("this review link is not valid: it was altered or not made by this catalogue") from None
    if (now if now is not None else time.time()) > expires_int:
        raise ExpiredLink("this review link has expired; ask the requester for a new one")
    return rid_int, email


# --- answers and the thread ----------------------------------------------------------------

def answer(db: sqlite_utils.Database, request_id: int, email: str, verdict: str, comment: str = "",
           via: str = "catalogue") -> int:
    """Record one reviewer's answer; AlreadyAnswered keeps the first one untouched."""
    if verdict not in VERDICTS:
        raise ReviewError(f"answer {verdict!r} is not one of {', '.join(VERDICTS)}")
    comment = (comment or "").strip()[:4000]
    if verdict == "comment" and not comment:
        raise ReviewError("a comment needs some text")
    with store.transaction(db):
        if not sql.is_member(db, request_id, email):
            raise ReviewError(f"{email} was not asked for this review")
        now = now_iso()
        answer_id = sql.insert_answer(db, request_id, email, verdict, comment, via, now)
        if answer_id is None:
            raise AlreadyAnswered(sql.answer_of(db, request_id, email))
        audit.record(db, f"mail:{email}" if via == "mail" else email, "answer", "review_request", request_id,
                     None, {"email": email, "verdict": verdict, "comment": comment, "via": via}, at=now)
    return answer_id


def request_with_thread(db: sqlite_utils.Database, request_id: int) -> dict | None:
    request = sql.get_request(db, request_id)
    if request is None:
        return None
    request["recipients"] = sql.recipients(db, request_id)
    request["answers"] = sql.answers(db, request_id)
    asked, answered = len(request["recipients"]), len(request["answers"])
    request["asked"], request["answered"] = asked, answered
    request["state"] = "answered" if asked and answered >= asked else "awaiting"
    return request


def thread(db: sqlite_utils.Database, item_id: int | None = None, entry_id: int | None = None) -> list[dict]:
    """Every review request about an item or entry, with who was asked, the answers and a
    state: 'awaiting' (n of m answered) or 'answered'."""
    return [request_with_thread(db, r["id"]) for r in sql.requests_for(db, item_id, entry_id)]


# --- mail ----------------------------------------------------------------------------------

TEXTS = {
    "fr": {"subject": "[veille] Avis demandé ({group}) : {title}", "title": "Votre avis est demandé",
           "body": "{who} demande l'avis du groupe {group} sur :\n{title}", "question": "Question : {q}",
           "due": "Réponse souhaitée avant le {d}.", "relevant": "Pertinent", "not_relevant": "Non pertinent",
           "comment": "Commenter", "open": "Voir dans le catalogue",
           "footer": "Ces liens sont personnels : ils enregistrent votre réponse sans connexion."},
    "en": {"subject": "[veille] Your opinion ({group}): {title}", "title": "Your opinion is requested",
           "body": "{who} asks the {group} group for an opinion on:\n{title}", "question": "Question: {q}",
           "due": "Please answer before {d}.", "relevant": "Relevant", "not_relevant": "Not relevant",
           "comment": "Comment", "open": "See it in the catalogue",
           "footer": "These links are personal: they record your answer without a login."},
}


def review_notice(request: dict, email: str, lang: str, base: str, secret: str) -> Notice:
    w = TEXTS[lang]
    url = answer_url(base, secret, request, email)
    target = f"{base}item/{request['item_id']}" if request["item_id"] else f"{base}register/{request['entry_id']}"
    paragraphs = [w["body"].format(who=request["requested_by"], group=request["group_name"],
                                   title=request["subject_title"]), w["question"].format(q=request["question"])]
    if request["due_on"]:
        paragraphs.append(w["due"].format(d=request["due_on"]))
    actions = [(w[v], f"{url}&verdict={v}") for v in VERDICTS] + [(w["open"], target)]
    return Notice(to=email, lang=lang, subject=w["subject"].format(group=request["group_name"],
                                                                   title=truncate(request["subject_title"], 80)),
                  title=w["title"], paragraphs=paragraphs, actions=actions, footer=w["footer"])


@dataclass
class ReviewMailReport:
    transport: str = ""
    sent: int = 0
    resent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def send_review_requests(db: sqlite_utils.Database, settings: Settings,
                         now: datetime | None = None) -> ReviewMailReport:
    """Mail every reviewer not mailed yet (one message per request and reviewer)."""
    now = now or utcnow()
    secret = store.instance_secret(db, settings.secret)
    transport = transport_for(settings)
    report = ReviewMailReport(transport=transport.describe())
    with transport:
        for row in sql.stale_recipients(db, iso(now - STALE_AFTER)):
            report.resent += _mail_one(db, settings, secret, transport, row, row["message_id"],
                                       parse_iso(row["claimed_at"]), report, now)
        for row in sql.pending_recipients(db):
            message_id = new_message_id(settings.mail_from)
            if sql.claim_recipient(db, row["request_id"], row["email"], message_id, iso(now)):
                report.sent += _mail_one(db, settings, secret, transport, row, message_id, now, report, now)
    return report


def _mail_one(db, settings: Settings, secret: str, transport, row: dict, message_id: str,
              date_: datetime, report: ReviewMailReport, now: datetime) -> bool:
    request = sql.get_request(db, row["request_id"])
    notice = review_notice(request, row["email"], register_sql.subscriber_lang(db, row["email"]),
                           settings.base_url, secret)
    msg = render_notice(notice, message_id=message_id, date=date_, mail_from=settings.mail_from)
    try:
        transport.send(msg)
    except SendError as exc:
        report.errors.append(f"{row['email']}: {exc}")
        # a refused address is final; an unreachable server leaves the mail pending for the next run
        status = "failed" if exc.permanent else "pending"
        report.failed += exc.permanent
        sql.finish_recipient(db, row["request_id"], row["email"], status, iso(now), str(exc))
        return False
    sql.finish_recipient(db, row["request_id"], row["email"], "sent", iso(now))
    return True
