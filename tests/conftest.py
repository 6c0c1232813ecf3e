"""Shared test servers and databases: real sockets on 127.0.0.1, never the internet."""
from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
MAX_DELAY = 30.0   # a slow route never sleeps longer than this


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes | str = b""
    headers: dict = field(default_factory=dict)
    status: int = 200
    conditional: bool = True    # send ETag and Last-Modified, answer 304 when they match
    gzip: bool = False          # Content-Encoding: gzip when the client accepts it
    delay: float = 0.0          # seconds before answering (bounded by MAX_DELAY)

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


class FeedServer:
    """A loopback HTTP server answering from ``routes`` (path -> Route or (body, headers,
    status)), counting requests, conditional requests and 304 answers per path."""

    LAST_MODIFIED = "Wed, 25 Nov 2026 08:00:00 GMT"

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Route] = {}
        self.hits: Counter = Counter()
        self.conditional: Counter = Counter()
        self.not_modified: Counter = Counter()
        self.user_agents: list[str] = []
        self._lock = threading.Lock()
        server = self
        handler = type("Handler", (_Handler,), {"feed_server": server})
        self.httpd = ThreadingHTTPServer((host, 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kwargs) -> str:
        self.routes[path] = Route(body=body, **kwargs)
        return self.url(path)

    def route(self, path: str) -> Route | None:
        r = self.routes.get(path)
        if isinstance(r, tuple):
            body, headers, status = (list(r) + [{}, 200])[:3]
            r = Route(body=body, headers=dict(headers), status=status)
        return r

    def record(self, path: str, conditional: bool) -> None:
        with self._lock:
            self.hits[path] += 1
            if conditional:
                self.conditional[path] += 1

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    feed_server: FeedServer

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        srv = self.feed_server
        path = self.path
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        srv.record(path, bool(inm or ims))
        srv.user_agents.append(self.headers.get("User-Agent", ""))
        route = srv.route(path)
        if route is None:
            return self._send(404, b"not found", {"Content-Type": "text/plain"})
        if route.delay:
            time.sleep(min(route.delay, MAX_DELAY))
        body = route.payload()
        headers = {"Content-Type": "application/rss+xml; charset=utf-8", **route.headers}
        if route.conditional and route.status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", srv.LAST_MODIFIED)
            if inm == headers["ETag"] or (not inm and ims == headers["Last-Modified"]):
                with srv._lock:
                    srv.not_modified[path] += 1
                return self._send(304, b"", {"ETag": headers["ETag"]})
        if route.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(route.status, body, headers)

    def _send(self, status: int, body: bytes, headers: dict) -> None:
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (size cap, timeout): what the test wanted


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""
    from alerts_support import SmtpServer
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def tmp_db(tmp_path):
    from veille import store
    db = store.connect(tmp_path / "veille.db")
    yield db
    db.conn.close()


@pytest.fixture
def watch_plan(tmp_db, tmp_path):
    """Write a sources.yaml from (id, url[, extra keys]) tuples, load it, sync it into
    ``tmp_db``; returns the WatchPlan."""
    import yaml

    from veille.sources import load_plan
    from veille.store.sources import sync_plan

    def make(*entries) -> "WatchPlan":  # noqa: F821
        sources = []
        for entry in entries:
            sid, url, *extra = entry
            sources.append({"id": sid, "name": sid.replace("-", " ").title(), "kind": "feed",
                            "url": url, **(extra[0] if extra else {})})
        path = tmp_path / "sources.yaml"
        path.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), encoding="utf-8")
        plan = load_plan(path)
        sync_plan(tmp_db, plan)
        return plan

    return make
