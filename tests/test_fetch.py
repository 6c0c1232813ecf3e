"""The HTTP policy (table-tested) and the fetcher against a loopback server."""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from veille.fetch import Fetcher
from veille.http_policy import DAY, HttpPolicy, next_fetch_at
from veille.timeutil import parse_iso

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=timezone.utc)
P = HttpPolicy()


def seconds_after_now(iso_text: str) -> int:
    return int((parse_iso(iso_text) - NOW).total_seconds())


@pytest.mark.parametrize("etag, lm, expected", [
    (None, None, {}),
    ('"abc"', None, {"If-None-Match": '"abc"'}),
    (None, "Wed, 25 Nov 2026 08:00:00 GMT", {"If-Modified-Since": "Wed, 25 Nov 2026 08:00:00 GMT"}),
    ('"abc"', "Wed, 25 Nov 2026 08:00:00 GMT",
     {"If-None-Match": '"abc"', "If-Modified-Since": "Wed, 25 Nov 2026 08:00:00 GMT"}),
])
def test_conditional_headers(etag, lm, expected):
    headers = P.request_headers(etag, lm)
    assert {k: v for k, v in headers.items() if k.startswith("If-")} == expected
    assert headers["User-Agent"].startswith("veille/")


@pytest.mark.parametrize("status, headers, etag, lm, modified", [
    (304, {}, '"a"', None, False),
    (200, {"etag": '"a"'}, '"a"', None, False),
    (200, {"etag": '"b"'}, '"a"', None, True),
    (200, {"last-modified": "X"}, None, "X", False),
    (200, {"last-modified": "Y"}, None, "X", True),
    (200, {}, None, None, True),
])
def test_is_modified(status, headers, etag, lm, modified):
    assert P.is_modified(status, headers, etag, lm) is modified


@pytest.mark.parametrize("value, expected", [
    ("120", 120),
    ("Thu, 26 Nov 2026 12:10:00 GMT", 600),
    ("Thu, 26 Nov 2026 11:00:00 GMT", 0),
    ("99999999", 7 * DAY),
    ("soon", None),
    ("", None),
])
def test_retry_after(value, expected):
    assert P.retry_delay({"retry-after": value}, NOW) == expected


@pytest.mark.parametrize("headers, expected", [
    ({"cache-control": "public, max-age=600"}, 600),
    ({"cache-control": "s-maxage=300"}, None),   # for shared caches, not for us
    ({"cache-control": "max-age=9999999"}, DAY),
    ({"cache-control": "no-cache, max-age=600"}, None),
    ({"expires": "Thu, 26 Nov 2026 13:00:00 GMT", "date": "Thu, 26 Nov 2026 12:00:00 GMT"}, 3600),
    ({"expires": "0"}, None),
    ({}, None),
])
def test_cache_max_age(headers, expected):
    assert P.cache_max_age(headers, NOW) == expected


@pytest.mark.parametrize("errors, retry_after, max_age, expected", [
    (0, None, None, 3600),
    (0, None, 7200, 7200),            # the server says fresh for longer than our schedule
    (0, None, 10 * DAY, DAY),         # but never more than a day
    (1, None, None, 7200),
    (3, None, None, 8 * 3600),
    (20, None, None, 7 * DAY),        # a dead source is still polled weekly
    (1, 86400, None, 86400),          # Retry-After wins when longer
])
def test_next_fetch_at(errors, retry_after, max_age, expected):
    when = next_fetch_at(3600, errors, NOW, retry_after=retry_after, cache_max_age=max_age)
    assert seconds_after_now(when) == expected


def test_jitter_is_stable_and_within_ten_percent():
    a = P.next_fetch_at(3600, 0, NOW, jitter_key="inrs-actualites")
    assert a == P.next_fetch_at(3600, 0, NOW, jitter_key="inrs-actualites")
    spread = {seconds_after_now(P.next_fetch_at(3600, 0, NOW, jitter_key=f"s{i}")) for i in range(50)}
    assert len(spread) > 10 and min(spread) >= 3240 and max(spread) <= 3960


@pytest.mark.parametrize("attempt, retry_after, expected", [
    (1, None, 0.5), (2, None, 1.0), (3, None, None), (1, 2, 2.0), (1, 3600, None),
])
def test_inline_retry_wait(attempt, retry_after, expected):
    assert P.inline_retry_wait(attempt, retry_after) == expected


def fetch(url, policy=HttpPolicy(timeout_seconds=2, retry_base_delay=0.01), **kwargs):
    async def go():
        async with Fetcher(policy) as f:
            return await f.fetch(url, **kwargs)
    return asyncio.run(go())


def test_redirect_loop_is_bounded(feed_server):
    feed_server.add("/a", status=302, headers={"Location": "/b"}, conditional=False)
    feed_server.add("/b", status=302, headers={"Location": "/a"}, conditional=False)
    result = fetch(feed_server.url("/a"))
    assert result.error == f"more than 5 redirects from {feed_server.url('/a')}"
    assert feed_server.hits["/a"] + feed_server.hits["/b"] == 6


def test_temporary_redirect_is_not_recorded_as_a_move(feed_server):
    feed_server.add("/feed", "<rss/>")
    feed_server.add("/tmp", status=302, headers={"Location": "/feed"}, conditional=False)
    result = fetch(feed_server.url("/tmp"))
    assert result.body == b"<rss/>" and result.moved_to is None
    assert result.final_url == feed_server.url("/feed")


def test_503_with_short_retry_after_is_retried_once(feed_server):
    feed_server.add("/busy", status=503, headers={"Retry-After": "0"}, conditional=False)
    result = fetch(feed_server.url("/busy"), HttpPolicy(retries=1))
    assert feed_server.hits["/busy"] == 2 and result.http_status == 503
    assert result.error == f"HTTP 503 Service Unavailable on {feed_server.url('/busy')}"


def test_gzip_bomb_stops_at_the_cap(feed_server):
    feed_server.add("/bomb", b"<" * (3 * 2**20), gzip=True)
    result = fetch(feed_server.url("/bomb"), HttpPolicy(max_body_bytes=2**20))
    assert result.error == "response larger than 1 MB cap"


def test_conditional_request_gets_304(feed_server):
    url = feed_server.add("/feed", "<rss/>")
    first = fetch(url)
    second = fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body is None and second.error is None
    assert feed_server.not_modified["/feed"] == 1
