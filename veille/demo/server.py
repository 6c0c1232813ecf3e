"""Loopback HTTP server for `veille demo`: serves the bundled demo sources so that the
product's normal collectors can crawl them offline.

    server = start_demo_server()          # http://127.0.0.1:<free port>
    Path("sources.yaml").write_text(server.sources_yaml_text())
    ...                                   # crawl, classify, alert
    server.advance()                      # or GET /_demo/advance: the page source changes
    server.stop()

Routes: the demo sources' own paths (feeds, listing pages with ?page=N, the regulation
page), /a/<source>/<slug> (articles), /robots.txt, / (index), and under /_demo/: advance,
state, pixel.gif (counts hits from tracking pixels in demo items) and img/<name>.
Feeds, listings and articles carry ETag and Last-Modified and answer 304 to a matching
If-None-Match or a recent enough If-Modified-Since.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import render
from .bundle import BASE_PLACEHOLDER, DemoContent, load_content
from .regulation import VERSIONS, render_regulation_page

LOOPBACK_HOSTS = {"127.0.0.1", "localhost"}
PIXEL_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")
PLACEHOLDER_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180">'
                   b'<rect width="100%" height="100%" fill="#dde3ea"/></svg>')


class Response:
    """A response body with the validators conditional requests are checked against."""

    def __init__(self, body: bytes, content_type: str, last_modified: datetime | None = None,
                 cacheable: bool = True, status: int = 200):
        self.body = body
        self.content_type = content_type
        self.last_modified = last_modified
        self.status = status
        self.etag = f'"{hashlib.sha1(body).hexdigest()[:20]}"' if cacheable else None

    def not_modified(self, if_none_match: str | None, if_modified_since: str | None) -> bool:
        if self.etag is None:
            return False
        if if_none_match is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or self.etag in tags
        if if_modified_since and self.last_modified is not None:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=timezone.utc)
            return self.last_modified.replace(microsecond=0) <= since
        return False


class DemoSite:
    """What the server knows: the content, the start time every date is computed from,
    and the few counters that change while it runs."""

    def __init__(self, content: DemoContent, now: datetime):
        self.content = content
        self.now = now.astimezone(timezone.utc).replace(microsecond=0)
        self.base_url = ""
        self.page_version = 0
        self.page_visits = 48_210  # a page that has been consulted before the demo starts
        self.pixel_hits = 0
        self._lock = threading.Lock()
        self._cache: dict[str, Response] = {}

    def advance(self) -> int:
        with self._lock:
            self.page_version = min(self.page_version + 1, len(VERSIONS) - 1)
            return self.page_version

    def state(self) -> dict:
        with self._lock:
            return {"page_version": self.page_version, "page_versions": len(VERSIONS),
                    "page_visits": self.page_visits, "pixel_hits": self.pixel_hits,
                    "started_at": render.rfc3339(self.now), "items": len(self.content.items)}

    def respond(self, target: str) -> Response:
        parts = urlsplit(target)
        path = parts.path.rstrip("/") or "/"
        query = parse_qs(parts.query)
        if path.startswith("/_demo/"):
            return self._control(path)
        source = self.content.source_at(path)
        if source is not None and source.kind == "page":
            return self._regulation_page()
        key = path + ("?page=" + query["page"][0] if "page" in query else "")
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._static(path, query)
            if cached.status == 200:
                with self._lock:
                    self._cache[key] = cached
        return cached

    def _static(self, path: str, query: dict) -> Response:
        content, base, now = self.content, self.base_url, self.now
        if path == "/":
            return Response(render.render_index(content, base), render.CONTENT_TYPES["html"])
        if path == "/robots.txt":
            return Response(b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")
        source = content.source_at(path)
        if source is not None and source.kind == "feed":
            body, content_type = render.render_feed(content, source, base, now)
            return Response(body, content_type, render.newest(content.items_of(source.id), now))
        if source is not None and source.kind == "html":
            try:
                page = int(query.get("page", ["1"])[0])
            except ValueError:
                page = 0
            body = render.render_listing(content, source, page, now)
            if body is None:
                return _not_found(path)
            return Response(body, render.CONTENT_TYPES["html"], render.newest(content.items_of(source.id), now))
        segments = path.split("/")
        if len(segments) == 4 and segments[1] == "a":
            item = content.item(segments[2], segments[3])
            if item is not None:
                source = content.source(item.source)
                return Response(render.render_article(source, item, base, now),
                                render.CONTENT_TYPES["html"], item.published(now))
        return _not_found(path)

    def _regulation_page(self) -> Response:
        with self._lock:
            self.page_visits += 1
            version, visits = self.page_version, self.page_visits
        body = render_regulation_page(version, visits, datetime.now(timezone.utc))
        return Response(body, render.CONTENT_TYPES["html"], cacheable=False)

    def _control(self, path: str) -> Response:
        if path == "/_demo/advance":
            self.advance()
            return _json(self.state())
        if path == "/_demo/state":
            return _json(self.state())
        if path == "/_demo/pixel.gif":
            with self._lock:
                self.pixel_hits += 1
            return Response(PIXEL_GIF, "image/gif", cacheable=False)
        if path.startswith("/_demo/img/"):
            return Response(PLACEHOLDER_SVG, "image/svg+xml")
        return _not_found(path)


def _json(data: dict) -> Response:
    return Response(json.dumps(data).encode(), "application/json", cacheable=False)


def _not_found(path: str) -> Response:
    body = f"<h1>404 Not Found</h1><p>{html.escape(path[:200])}</p>"
    return Response(render.html_page("Not found", body, "en"), render.CONTENT_TYPES["html"],
                    cacheable=False, status=404)


class _Handler(BaseHTTPRequestHandler):
    server_version = "veille-demo/1"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; don't wait for ACKs

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._serve(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(with_body=False)

    def do_POST(self) -> None:  # noqa: N802 (only /_demo/advance is meant to be posted to)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._serve(with_body=True)

    def _serve(self, with_body: bool) -> None:
        site: DemoSite = self.server.site  # type: ignore[attr-defined]
        response = site.respond(self.path)
        if response.not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")):
            self.send_response(304)
            self._validators(response)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self._validators(response)
        if response.etag is None:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def _validators(self, response: Response) -> None:
        if response.etag:
            self.send_header("ETag", response.etag)
            if response.last_modified is not None:
                self.send_header("Last-Modified", render.http_date(response.last_modified))

    def log_message(self, format: str, *args) -> None:  # the demo's own output stays readable
        pass


class DemoServer:
    """A running demo server. `base_url` is http://127.0.0.1:PORT (no trailing slash)."""

    def __init__(self, httpd: ThreadingHTTPServer, site: DemoSite, thread: threading.Thread):
        self._httpd = httpd
        self._thread = thread
        self.site = site
        self.host, self.port = httpd.server_address[:2]
        self.base_url = f"http://{self.host}:{self.port}"

    @property
    def started_at(self) -> datetime:
        """The moment every demo date is counted back from."""
        return self.site.now

    @property
    def page_version(self) -> int:
        return self.site.page_version

    def url(self, path: str) -> str:
        return self.base_url + path

    def sources_yaml_text(self) -> str:
        """The demo watch plan with {base} replaced by this server's address."""
        return self.site.content.sources_yaml_template.replace(BASE_PLACEHOLDER, self.base_url)

    def advance(self) -> int:
        """Move the page source to its next version (once); returns the version."""
        return self.site.advance()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "DemoServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_demo_server(host: str = "127.0.0.1", port: int = 0, now: datetime | None = None) -> DemoServer:
    """Serve the demo content on loopback in a daemon thread; port 0 picks a free port.
    Dates are counted back from `now` (default: the current time)."""
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"the demo server only binds to loopback (127.0.0.1), not {host!r}")
    site = DemoSite(load_content(), now or datetime.now(timezone.utc))
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    httpd.daemon_threads = True
    httpd.site = site  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="veille-demo-server", daemon=True)
    server = DemoServer(httpd, site, thread)
    site.base_url = server.base_url
    thread.start()
    return server
