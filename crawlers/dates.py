"""Dates as listing pages write them: '12/03/2025', '12 mars 2025', '1er avril 2025',
'March 12, 2025', '2025-03-12T09:00:00Z', 'Publié le lundi 3 février 2025 à 14h30'.

The source's date_format is tried first; then dateutil with French month and day names
put into English. A text without a readable date gives None (the item is then dated at
fetch time by the ingest)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

_FR_MONTHS = {
    "janvier": "January", "janv": "January", "février": "February", "fevrier": "February",
    "févr": "February", "fevr": "February", "fév": "February", "mars": "March",
    "avril": "April", "avr": "April", "mai": "May", "juin": "June", "juillet": "July",
    "juil": "July", "août": "August", "aout": "August", "septembre": "September",
    "sept": "September", "octobre": "October", "oct": "October", "novembre": "November",
    "nov": "November", "décembre": "December", "decembre": "December", "déc": "December",
    "dec": "December",
}
_FR_NOISE = re.compile(
    r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|publié|publiée|publie|"
    r"mis|mise|à|a|jour|le|du|en|date|de|parution|modifié|modifiée)\b", re.IGNORECASE)
_MONTH_WORD = re.compile(r"\b(" + "|".join(sorted(_FR_MONTHS, key=len, reverse=True)) + r")\.?(?=\s|$|,)",
                         re.IGNORECASE)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_SENTINELS = (datetime(2001, 1, 1), datetime(2002, 2, 2))
_FUTURE_SLACK = timedelta(days=2)


def _frenchless(text: str) -> str:
    text = re.sub(r"\b1er\b", "1", text, flags=re.IGNORECASE)
    text = re.sub(r"(\d{1,2})\s*h\s*(\d{2})", r"\1:\2", text)
    text = _MONTH_WORD.sub(lambda m: _FR_MONTHS[m.group(1).lower()], text)
    return _FR_NOISE.sub(" ", text)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def parse_listing_date(text: str | None, date_format: str | None = None,
                       lang: str | None = None, *, now: datetime | None = None) -> datetime | None:
    """The date written in ``text``, timezone-aware (UTC when the page gives no zone)."""
    if not text or not re.search(r"\d", text):
        return None
    text = " ".join(text.split())
    if date_format:
        try:
            return _aware(datetime.strptime(text, date_format))
        except ValueError:
            pass  # the page may mix forms: try the general reader
    iso = _ISO.match(text)
    if iso:  # ISO 8601 is never day-first, whatever the language
        try:
            return _aware(datetime.fromisoformat(iso.group(0).replace("Z", "+00:00")))
        except ValueError:
            pass
    now = now or datetime.now(timezone.utc)
    candidate = _frenchless(text) if lang != "en" else text
    found = []
    for default in _SENTINELS:  # two defaults tell a written year/month/day from a filled one
        try:
            found.append(dateutil_parser.parse(candidate, default=default, fuzzy=True,
                                               dayfirst=lang != "en"))
        except (ValueError, OverflowError):
            return None
    a, b = found
    if a.year != b.year and a.month != b.month:
        return None  # neither year nor month written: a bare number, not a date
    result = a
    if a.year != b.year:  # '12 mars': this year, or last year if that would be the future
        result = a.replace(year=now.year)
        if _aware(result) > now + _FUTURE_SLACK:
            result = result.replace(year=now.year - 1)
    if a.day != b.day and a.month == b.month:
        result = result.replace(day=1)  # 'mars 2025'
    return _aware(result)
