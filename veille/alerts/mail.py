"""Alert and digest messages: multipart (plain text + HTML), in the subscriber's language.

Headers are built with ``email.message.EmailMessage`` under ``email.policy.SMTP``, which
refuses CR/LF in a header value; on top of that, every header value made from data is
flattened to one line first. Item titles and rule names never reach a header: they are
data in the body, escaped in the HTML part.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from zoneinfo import ZoneInfo

from veille.alerts import links
from veille.alerts.wording import TEXTS, period_title, subject, topic_label
from veille.timeutil import parse_iso

SUMMARY_CHARS = 280
# Gmail clips messages over about 100 kB, hiding the footer with the unsubscribe link:
# the first items carry their summary, the next ones are one line, the rest a count.
FULL_ITEMS = 25
MAX_SHOWN = 150
# RFC 5322 allows 998 characters a line; at the default 78 the List-Unsubscribe URL would be
# RFC 2047-encoded, and clients would no longer recognise it.
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)


@dataclass
class Letter:
    """One message to one subscriber: immediate alert or daily/weekly digest."""

    kind: str                 # immediate | daily | weekly
    subscriber: dict          # id, email, name, lang
    items: list[dict]         # store.item_summaries rows
    rule_ids: list[int]
    message_id: str
    date: datetime            # the claim time: a resend carries the same Date


def new_message_id(mail_from: str) -> str:
    """A Message-ID in the sender's domain (clients dedupe a resend by it)."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    return make_msgid("veille", domain=re.sub(r"[^A-Za-z0-9.-]", "", domain) or "localhost")


def one_line(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text or "").strip()


def truncate(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _primary_topic(item: dict) -> str:
    return item["topics"][0]["topic"] if item["topics"] else ""


def _score(item: dict) -> float:
    return item["topics"][0]["score"] if item["topics"] else 0.0


def groups(letter: Letter, tz: str = "Europe/Paris") -> list[tuple[str, list[dict]]]:
    """Digests group by topic (largest group first); within a group newest day first, then
    highest score. An immediate alert is one list, newest first."""
    # the day as the reader sees it (local), so that the order matches the dates shown
    day = {it["id"]: parse_iso(it["published_at"]).astimezone(ZoneInfo(tz)).date() for it in letter.items}
    order = sorted(letter.items, key=lambda it: (day[it["id"]], _score(it), it["published_at"]),
                   reverse=True)
    if letter.kind == "immediate":
        return [("", order)]
    by_topic: dict[str, list[dict]] = {}
    for it in order:
        by_topic.setdefault(_primary_topic(it), []).append(it)
    return sorted(by_topic.items(), key=lambda kv: (-len(kv[1]), kv[0] == "", kv[0]))


def layout(grouped: list[tuple[str, list[dict]]]) -> tuple[list, set[int], int]:
    """(groups cut to MAX_SHOWN items, ids shown with their summary, how many left out)."""
    shown, full, count = [], set(), 0
    for topic, items in grouped:
        room = max(MAX_SHOWN - count, 0)
        if room:
            shown.append((topic, items[:room]))
            full |= {it["id"] for it in items[:max(FULL_ITEMS - count, 0)]}
        count += len(items)
    return shown, full, max(count - MAX_SHOWN, 0)


def _local_date(iso_text: str, lang: str, tz: str) -> str:
    d = parse_iso(iso_text).astimezone(ZoneInfo(tz))
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.strftime("%d %b %Y")


def _meta(item: dict, lang: str, tz: str) -> str:
    topics = ", ".join(topic_label(t["topic"], lang) for t in item["topics"])
    parts = [item["source_name"], _local_date(item["published_at"], lang, tz)] + ([topics] if topics else [])
    return " · ".join(parts)


def _safe_href(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def render(letter: Letter, *, base: str, secret: str, mail_from: str,
           tz: str = "Europe/Paris") -> EmailMessage:
    """The complete message, ready for a transport."""
    lang = letter.subscriber.get("lang") if letter.subscriber.get("lang") in TEXTS else "fr"
    sub_id = letter.subscriber["id"]
    unsub = links.unsubscribe_url(base, secret, sub_id)
    feeds = [links.rule_feed_url(base, secret, r) for r in letter.rule_ids]
    grouped = groups(letter, tz)
    topics = [t for t, _ in grouped if t] or sorted({_primary_topic(i) for i in letter.items} - {""})
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = one_line(subject(letter.kind, len(letter.items), topics, lang))
    msg["From"] = one_line(mail_from)
    msg["To"] = formataddr((one_line(letter.subscriber.get("name") or ""), letter.subscriber["email"]))
    msg["Date"] = format_datetime(letter.date)
    msg["Message-ID"] = letter.message_id
    msg["List-Unsubscribe"] = f"<{unsub}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["List-Id"] = f"veille <alerts.{parseaddr(mail_from)[1].rpartition('@')[2] or 'localhost'}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    shown, full, hidden = layout(grouped)
    ctx = dict(letter=letter, lang=lang, base=base, tz=tz, grouped=shown, unsub=unsub, feeds=feeds,
               full=full, hidden=hidden)
    msg.set_content(_text(**ctx))
    msg.add_alternative(_html(**ctx), subtype="html")
    msg["Content-Language"] = lang  # after the parts exist, so it stays on the whole message
    return msg


def _text(letter: Letter, lang: str, base: str, tz: str, grouped, unsub: str, feeds: list[str],
          full: set[int], hidden: int) -> str:
    w = TEXTS[lang]
    lines = [period_title(letter.kind, lang), ""]
    for topic, items in grouped:
        if topic or letter.kind != "immediate":
            label = topic_label(topic, lang) if topic else w["other"]
            lines += [f"== {label} ({len(items)}) ==", ""]
        for it in items:
            lines.append(f"* {one_line(it['title']) or it['url']}")
            lines.append(f"  {_meta(it, lang, tz)}")
            if it["summary"] and it["id"] in full:
                lines.append(f"  {truncate(it['summary'])}")
            lines.append(f"  {links.item_url(base, it['id'])}")
            if _safe_href(it["url"]):
                lines.append(f"  {w['original']}{w['colon']}{it['url']}")
            lines.append("")
    c = w["colon"]
    if hidden:
        lines += [w["more"].format(n=hidden) + c + base, ""]
    lines += ["-- ", w["why"], f"{w['manage']}{c}{links.subscriptions_url(base)}", f"{w['unsubscribe']}{c}{unsub}"]
    lines += [f"{w['feed']}{c}{f}" for f in feeds]
    return "\n".join(lines) + "\n"


_A = "color:#1d4ed8;text-decoration:none;"


def _html(letter: Letter, lang: str, base: str, tz: str, grouped, unsub: str, feeds: list[str],
          full: set[int], hidden: int) -> str:
    w, e = TEXTS[lang], html.escape
    rows = []
    for topic, items in grouped:
        if topic or letter.kind != "immediate":
            label = topic_label(topic, lang) if topic else w["other"]
            rows.append('<tr><td style="padding:16px 24px 4px;font-size:13px;font-weight:bold;'
                        f'text-transform:uppercase;color:#374151;">{e(label)} ({len(items)})</td></tr>')
        rows += [_html_item(it, lang, base, tz, it["id"] in full) for it in items]
    if hidden:
        rows.append(f'<tr><td style="padding:12px 24px;font-size:14px;"><a href="{e(base)}" style="{_A}">'
                    f'{e(w["more"].format(n=hidden))}</a></td></tr>')
    feed_links = "".join(f' · <a href="{e(f)}" style="{_A}">{e(w["feed"])}</a>' for f in feeds)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{e(period_title(letter.kind, lang))}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;color:#111827;">
<tr><td style="padding:20px 24px;border-bottom:3px solid #1d4ed8;font-size:20px;font-weight:bold;">{e(period_title(letter.kind, lang))}</td></tr>
{''.join(rows)}
<tr><td style="padding:16px 24px;font-size:12px;line-height:1.5;color:#6b7280;border-top:1px solid #e5e7eb;">
{e(w['why'])}<br>
<a href="{e(links.subscriptions_url(base))}" style="{_A}">{e(w['manage'])}</a> · <a href="{e(unsub)}" style="{_A}">{e(w['unsubscribe'])}</a>{feed_links}
</td></tr>
</table></td></tr></table></body></html>
"""


def _html_item(it: dict, lang: str, base: str, tz: str, with_summary: bool) -> str:
    e, w = html.escape, TEXTS[lang]
    original = _safe_href(it["url"])
    summary = (f'<div style="font-size:14px;line-height:1.45;margin-top:6px;">{e(truncate(it["summary"]))}</div>'
               if it["summary"] and with_summary else "")
    source_link = (f'<div style="font-size:12px;margin-top:6px;"><a href="{e(original)}" style="{_A}">'
                   f'{e(w["original"])}</a></div>' if original else "")
    return (f'<tr><td style="padding:12px 24px;border-bottom:1px solid #e5e7eb;">'
            f'<a href="{e(links.item_url(base, it["id"]))}" style="{_A}font-size:16px;font-weight:bold;">'
            f'{e(one_line(it["title"]) or it["url"] or "#" + str(it["id"]))}</a>'
            f'<div style="font-size:12px;color:#6b7280;margin-top:4px;">{e(_meta(it, lang, tz))}</div>'
            f'{summary}{source_link}</td></tr>')
