"""A real HTTP server on 127.0.0.1 serving recorded pages for the crawler tests, and the
helpers to point a source of the real watch plan at it."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
REPO = Path(__file__).resolve().parents[1]

_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain"}


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    location: str | None = None


class PageServer:
    """Serves routes set by the test ({base} in a body becomes the server's address);
    unknown paths are 404. ``hits`` lists every path requested, in order."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.hits.append(self.path)
                route = server.routes.get(self.path) or Route(404, b"not found", "text/plain")
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.location:
                    self.send_header("Location", route.location)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> "PageServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def serve(self, path: str, fixture: str, status: int = 200) -> None:
        file = FIXTURES / fixture
        body = file.read_text(encoding="utf-8").replace("{base}", self.base).encode("utf-8")
        self.routes[path] = Route(status, body, _TYPES.get(file.suffix, "text/html"))

    def serve_bytes(self, path: str, body: bytes, content_type: str = "text/html") -> None:
        self.routes[path] = Route(200, body, content_type)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.routes[path] = Route(status, b"", "text/plain", location=to)

    def requested(self, path: str) -> int:
        return sum(1 for h in self.hits if h == path)


def plan_source(source_id: str, url: str, **changes) -> dict:
    """The entry of the real sources.yaml for ``source_id``, pointed at ``url``: the test
    crawls with the selectors the product ships."""
    doc = yaml.safe_load((REPO / "sources.yaml").read_text(encoding="utf-8"))
    original = next(s for s in doc["sources"] if s["id"] == source_id)
    entry = {**original, "url": url, **changes}
    if changes.get("selectors") is not None:  # a None selector value removes that selector
        merged = {**original.get("selectors", {}), **changes["selectors"]}
        entry["selectors"] = {k: v for k, v in merged.items() if v is not None}
    return entry


def write_plan(path: Path, entries: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path
