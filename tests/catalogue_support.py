"""A small populated watch for the catalogue tests, built through the real ingest path."""
from __future__ import annotations

import importlib.util
import socket
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from veille import store
from veille.ingest import ingest
from veille.item import RawItem
from veille.sources import WatchPlan, parse_plan
from veille.store.fetches import FetchOutcome, record_fetch
from veille.store.sources import sync_plan
from veille.store.users import add_user
from veille.timeutil import iso, now_iso, utcnow

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "catalogue" / "watch_sample.yaml"
PASSWORD = "correct-horse-9"
USERS = {"reader@example.org": "reader", "other@example.org": "reader",
         "editor@example.org": "editor", "admin@example.org": "admin"}
FAILING_SOURCE = "makers-test"
FAILING_ERROR = "HTTP 404 on http://127.0.0.1:9/makers.xml"


def build_watch(path: Path) -> dict[str, int]:
    """Create the database with the sample sources, items, accounts and one failing source;
    returns item ids by slug."""
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    plan: WatchPlan = parse_plan(yaml.safe_dump({"sources": data["sources"]}, allow_unicode=True))
    db = store.connect(path)
    sync_plan(db, plan)
    by_id = plan.by_id()
    ids: dict[str, int] = {}
    now = utcnow()
    for entry in data["items"]:
        src = by_id[entry["source"]]
        raw = RawItem(source_id=src.id, title=entry["title"], summary=entry["summary"],
                      url=f"http://127.0.0.1:9/a/{src.id}/{entry['slug']}",
                      published=iso(now - timedelta(days=entry["age_days"], hours=1)), lang=src.language)
        result = ingest(db, src, [raw])
        assert result.new == 1, result
        ids[entry["slug"]] = result.new_ids[0]
    for sid in by_id:
        record_fetch(db, sid, FetchOutcome(status="ok", started_at=now_iso(), http_status=200))
    record_fetch(db, FAILING_SOURCE, FetchOutcome(status="failed", started_at=now_iso(), http_status=404,
                                                  error=FAILING_ERROR))
    for email, role in USERS.items():
        add_user(db, email, PASSWORD, role)
    db.conn.close()
    return ids


# --- serving the catalogue on 127.0.0.1 and driving it with headless Chromium -------------

ROOT = Path(__file__).resolve().parents[1]
DOCS_SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NO_CHROMIUM = "Debian chromium is not installed at /usr/bin/chromium (.ci/run installs it)"


def free_port() -> int:
    """A port nobody listens on yet, for a server the test starts itself."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_catalogue(path: Path, **settings) -> Iterator[str]:
    """Serve the catalogue over ``path`` on a free loopback port (extra ``settings`` go to
    Settings); yields its base address, without a trailing slash."""
    from veille.catalogue.app import build_datasette, serve
    from veille.config import Settings

    port = free_port()
    ds = build_datasette(path, Settings(db_path=path, base_url=f"http://127.0.0.1:{port}/", **settings))
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, args=(ds, "127.0.0.1", port, ready, stop), daemon=True)
    thread.start()
    assert ready.wait(20), "the catalogue did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        thread.join(10)


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's headless Chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_page(browser, width: int = 1280, height: int = 900, locale: str = "fr-FR") -> Iterator[object]:
    """A fresh browsing context (no cookies) and its page."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        yield page
    finally:
        context.close()


def screenshot(page, area: str, name: str) -> Path:
    """Full-page screenshot into tests/artifacts/<area>/ (docs/screenshots/ shows the demo's
    pages instead: `python tests/demo_screenshots.py`)."""
    target = ROOT / "tests" / "artifacts" / area / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target


def log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the catalogue's login form; lands on the overview."""
    page.goto(base + "/-/login")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is not installed"),
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (import this fixture into the module)."""
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    """A French-speaking 1280 px wide page with no cookies."""
    with browser_page(browser) as pg:
        yield pg
