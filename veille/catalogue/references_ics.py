"""The calendar of application dates as iCalendar (RFC 5545): one all-day event per date an
item states, so that a team can subscribe to deadlines from its own calendar software.

Written by hand: the format needs only text escaping (section 3.3.11), line folding at 75
octets (3.1) and CRLF line ends, and the events are all-day dates.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Iterable

PRODID = "-//veille//Calendar of application dates//FR"
_FOLD_AT = 75  # octets per line, CRLF excluded


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, continuation lines starting with
    a space, never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = _FOLD_AT if not out else _FOLD_AT - 1  # continuation lines carry the leading space
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def _day_span(key: str) -> tuple[str, str] | None:
    """DTSTART and DTEND (exclusive) of a date key: a day, or a whole month for 'YYYY-MM'."""
    try:
        if len(key) == 7:
            start = date(int(key[:4]), int(key[5:7]), 1)
            end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        else:
            start = date.fromisoformat(key)
            end = date.fromordinal(start.toordinal() + 1)
    except ValueError:
        return None
    return start.strftime("%Y%m%d"), end.strftime("%Y%m%d")


def calendar_ics(entries: Iterable[dict], base_url: str, title: str) -> str:
    """The VCALENDAR text of calendar entries (as store.references_view.calendar_entries gives
    them): summary = references and item title; description = the date as written; URL = the
    item's catalogue page."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    base = base_url.rstrip("/")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(title)}"]
    for e in entries:
        span = _day_span(e["date"])
        if span is None:
            continue
        refs = ", ".join(r["key"] for r in e["refs"])
        summary = f"{refs} — {e['title']}" if refs else (e["title"] or e["date"])
        lines += ["BEGIN:VEVENT", f"UID:{e['date']}-{e['item_id']}@veille", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{span[0]}", f"DTEND;VALUE=DATE:{span[1]}",
                  f"SUMMARY:{escape_text(summary)}",
                  f"DESCRIPTION:{escape_text(e['text'] + chr(10) + (e['url'] or ''))}",
                  f"URL:{base}/item/{e['item_id']}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
