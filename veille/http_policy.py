"""HTTP politeness and caching rules for collectors, in one table-tested object.

Conditional headers, "is it modified", Retry-After, the next check from Cache-Control or
Expires, the body cap, timeouts and redirect limits live here and nowhere else; the feed
fetcher and the page crawler both read them.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Mapping

from veille import __version__
from veille.timeutil import iso

USER_AGENT = f"veille/{__version__} (+https://github.com/veille-project/veille)"
DAY = 86400
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.I)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.I)


@dataclass(frozen=True)
class HttpPolicy:
    timeout_seconds: float = 20.0
    max_body_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2                    # extra attempts on a transient error, within one pass
    retry_base_delay: float = 0.5       # seconds; doubled per attempt
    max_inline_retry_delay: float = 5.0 # a longer Retry-After waits for the next pass instead
    max_cache_age: int = DAY            # Cache-Control never delays a check more than this
    max_backoff: int = 7 * DAY          # a dead source is still polled weekly
    global_limit: int = 64              # requests in flight
    per_host_limit: int = 4             # requests in flight to one host
    user_agent: str = USER_AGENT

    # -- requests ---------------------------------------------------------------------
    def request_headers(self, etag: str | None = None, last_modified: str | None = None) -> dict:
        headers = {"User-Agent": self.user_agent,
                   "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                             "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
                   "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return headers

    # -- responses --------------------------------------------------------------------
    @staticmethod
    def is_modified(status: int, headers: Mapping[str, str], etag: str | None = None,
                    last_modified: str | None = None) -> bool:
        """False on 304, or when a 200 repeats the validators we already hold (some servers
        ignore conditional headers yet send the same ETag)."""
        if status == 304:
            return False
        new_etag, new_lm = headers.get("etag"), headers.get("last-modified")
        if etag and new_etag and etag == new_etag:
            return False
        if last_modified and new_lm and last_modified == new_lm and not new_etag:
            return False
        return True

    def retry_delay(self, headers: Mapping[str, str], now: datetime) -> int | None:
        """Seconds asked by Retry-After (delta or HTTP date), capped by max_backoff."""
        value = (headers.get("retry-after") or "").strip()
        if not value:
            return None
        if value.isdigit():
            return min(int(value), self.max_backoff)
        when = _http_date(value)
        if when is None:
            return None
        return max(0, min(int((when - now).total_seconds()), self.max_backoff))

    def cache_max_age(self, headers: Mapping[str, str], now: datetime) -> int | None:
        """How long the server says the response stays fresh, capped by max_cache_age."""
        cc = headers.get("cache-control") or ""
        if _NO_CACHE.search(cc):
            return None
        m = _MAX_AGE.search(cc)
        if m:
            return min(int(m.group(1)), self.max_cache_age)
        expires = _http_date(headers.get("expires") or "")
        if expires is None:
            return None
        served = _http_date(headers.get("date") or "") or now
        return max(0, min(int((expires - served).total_seconds()), self.max_cache_age))

    @staticmethod
    def is_transient(status: int | None) -> bool:
        """Worth another attempt: the server or the network may answer next time."""
        return status is None or status in TRANSIENT_STATUSES

    def inline_retry_wait(self, attempt: int, retry_after: int | None) -> float | None:
        """Seconds to wait before retry number ``attempt`` (1-based) in this pass, or None
        when the retry belongs to a later pass."""
        if attempt > self.retries:
            return None
        if retry_after is not None:
            return float(retry_after) if retry_after <= self.max_inline_retry_delay else None
        return self.retry_base_delay * 2 ** (attempt - 1)

    def next_fetch_at(self, schedule_seconds: int, error_count: int, now: datetime, *,
                      retry_after: int | None = None, cache_max_age: int | None = None,
                      jitter_key: str = "") -> str:
        """When to poll again. Success: the schedule (±10 %, stable per source so that sources
        spread out and tests are reproducible), but not before the server's max-age. Failure:
        schedule × 2^errors, capped at max_backoff, and never before Retry-After."""
        if error_count <= 0:
            delay = schedule_seconds * (1 + _jitter(jitter_key))
            if cache_max_age:
                delay = max(delay, min(cache_max_age, self.max_cache_age))
        else:
            delay = min(schedule_seconds * 2 ** min(error_count, 30), self.max_backoff)
        if retry_after:
            delay = max(delay, min(retry_after, self.max_backoff))
        return iso(now + timedelta(seconds=int(delay)))

    def status_error(self, status: int, reason: str | None, url: str) -> str:
        return f"HTTP {status} {reason or _REASONS.get(status, '')}".rstrip() + f" on {url}"


def _jitter(key: str) -> float:
    """A stable value in [-0.1, 0.1) derived from the key."""
    if not key:
        return 0.0
    h = int.from_bytes(hashlib.sha1(key.encode()).digest()[:4], "big")
    return (h / 2 ** 32 - 0.5) / 5


def _http_date(value: str) -> datetime | None:
    try:
        dt = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 408: "Request Timeout", 410: "Gone",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable", 504: "Gateway Timeout"}

DEFAULT_POLICY = HttpPolicy()


def next_fetch_at(schedule_seconds: int, error_count: int, now: datetime,
                  retry_after: int | None = None, cache_max_age: int | None = None,
                  jitter_key: str = "") -> str:
    """The default policy's backoff, for collectors that have no policy object of their own."""
    return DEFAULT_POLICY.next_fetch_at(schedule_seconds, error_count, now, retry_after=retry_after,
                                        cache_max_age=cache_max_age, jitter_key=jitter_key)
