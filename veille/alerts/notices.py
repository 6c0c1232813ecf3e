"""Notices: one-off messages to one person (a register reminder, a review request), built
with the same conventions as alert mail — multipart text + HTML, the person's language,
a Message-ID in the sender's domain, Auto-Submitted — and sent through the same transports.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from veille.alerts.mail import MAIL_POLICY, one_line

_A = "color:#1d4ed8;text-decoration:none;"


@dataclass
class Notice:
    to: str
    lang: str                          # fr | en
    subject: str
    title: str
    paragraphs: list[str]              # plain text, escaped in the HTML part
    actions: list[tuple[str, str]] = field(default_factory=list)   # (label, URL): buttons
    footer: str = ""


def render_notice(notice: Notice, *, message_id: str, date: datetime, mail_from: str) -> EmailMessage:
    """The complete message, ready for ``transport.send``."""
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = one_line(notice.subject)
    msg["From"] = one_line(mail_from)
    msg["To"] = one_line(notice.to)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(_text(notice))
    msg.add_alternative(_html(notice), subtype="html")
    msg["Content-Language"] = notice.lang if notice.lang in ("fr", "en") else "fr"
    return msg


def _text(n: Notice) -> str:
    lines = [n.title, ""]
    for p in n.paragraphs:
        lines += [p, ""]
    colon = " :" if n.lang == "fr" else ":"   # French puts a space before the colon
    lines += [f"{label}{colon} {url}" for label, url in n.actions]
    if n.footer:
        lines += ["", "-- ", n.footer]
    return "\n".join(lines) + "\n"


def _html(n: Notice) -> str:
    e = html.escape
    body = "".join(f'<p style="font-size:14px;line-height:1.5;margin:0 0 12px;white-space:pre-line;">{e(p)}</p>'
                   for p in n.paragraphs)
    buttons = " ".join(
        f'<a href="{e(url)}" style="display:inline-block;margin:4px 8px 4px 0;padding:8px 14px;'
        f'background:#1d4ed8;color:#ffffff;border-radius:4px;text-decoration:none;font-size:14px;">{e(label)}</a>'
        for label, url in n.actions)
    footer = (f'<tr><td style="padding:16px 24px;font-size:12px;color:#6b7280;border-top:1px solid #e5e7eb;">'
              f'{e(n.footer)}</td></tr>' if n.footer else "")
    return f"""<!DOCTYPE html>
<html lang="{e(n.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{e(n.title)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;color:#111827;">
<tr><td style="padding:20px 24px;border-bottom:3px solid #1d4ed8;font-size:20px;font-weight:bold;">{e(n.title)}</td></tr>
<tr><td style="padding:16px 24px;">{body}<div>{buttons}</div></td></tr>
{footer}
</table></td></tr></table></body></html>
"""
