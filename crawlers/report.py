"""What one run of one source observed, and every failure as a sentence a person can act
on ("HTTP 404 on URL", "selector 'article.result' matched 0 items on URL")."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_error
from twisted.python.failure import Failure

from veille.store.fetches import FetchOutcome
from veille.timeutil import now_iso

MAX_WARNINGS_SHOWN = 3


@dataclass
class CrawlReport:
    source_id: str
    url: str
    started_at: str = field(default_factory=now_iso)
    started: float = field(default_factory=time.monotonic)
    http_status: int | None = None
    error: str | None = None          # the run failed: nothing usable was read
    warnings: list[str] = field(default_factory=list)   # it worked, with something to check
    pages: int = 0
    items_found: int = 0
    items_new: int = 0
    duration_ms: int = 0

    def fail(self, message: str) -> None:
        if self.error is None:  # the first cause is the one to report
            self.error = message

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def finish(self) -> None:
        self.duration_ms = int((time.monotonic() - self.started) * 1000)

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        return "flagged" if self.warnings else "ok"

    @property
    def message(self) -> str | None:
        """The error, else the warnings (the first few, then a count)."""
        if self.error:
            return self.error
        if not self.warnings:
            return None
        shown = self.warnings[:MAX_WARNINGS_SHOWN]
        rest = len(self.warnings) - len(shown)
        return "; ".join(shown) + (f"; and {rest} more" if rest else "")

    def outcome(self) -> FetchOutcome:
        """The run as the collectors' fetch record (same error counting and backoff)."""
        return FetchOutcome(status=self.status, started_at=self.started_at, url=self.url,
                            http_status=self.http_status, duration_ms=self.duration_ms,
                            items_found=self.items_found, items_new=self.items_new,
                            error=self.message)

    def summary(self) -> dict:
        return {"source_id": self.source_id, "status": self.status, "http_status": self.http_status,
                "items_found": self.items_found, "items_new": self.items_new,
                "pages": self.pages, "duration_ms": self.duration_ms, "error": self.message}


def describe_failure(failure: Failure, url: str, settings=None) -> tuple[str, int | None]:
    """(sentence, HTTP status when there was one) for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"HTTP {status} on {url}", status
    if isinstance(exc, IgnoreRequest):
        reason = str(exc)
        if "robots.txt" in reason:
            return f"robots.txt forbids {url}", None
        if "redirections" in reason:
            request = getattr(failure, "request", None)
            if request is not None:  # name the address the loop started from
                url = (request.meta.get("redirect_urls") or [url])[0]
            limit = settings.getint("REDIRECT_MAX_TIMES") if settings else None
            more = f"more than {limit}" if limit else "too many"
            return f"{more} redirects from {url} (a redirect loop?)", None
        return f"request to {url} dropped: {reason or 'ignored'}", None
    name = type(exc).__name__
    if "Cancelled" in name or "maxsize" in str(exc).lower() or "max size" in str(exc).lower():
        cap = settings.getint("DOWNLOAD_MAXSIZE") if settings else 0
        limit = f" ({cap // (1024 * 1024)} MB)" if cap >= 1024 * 1024 else ""
        return f"page larger than the download cap{limit}: {url}", None
    if isinstance(exc, (net_error.TimeoutError, net_error.TCPTimedOutError)) or "Timeout" in name:
        return f"no answer within the timeout from {url}", None
    if isinstance(exc, net_error.DNSLookupError):
        return f"host name not found: {url}", None
    if isinstance(exc, net_error.ConnectionRefusedError):
        return f"connection refused by {url}", None
    return f"{name} on {url}: {exc}".rstrip(": "), None
