"""The real-world corpus (../shared/corpus/feeds): every file served on loopback with a
realistic Content-Type and crawled in one pass, then checked against its manifest entry."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import SHARED, FeedServer
from veille import store
from veille.collect import crawl
from veille.http_policy import HttpPolicy
from veille.sources import load_plan
from veille.store.sources import sync_plan

CORPUS = SHARED / "corpus" / "feeds"
MANIFEST = CORPUS / "manifest.json"
pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason="shared corpus not present")

# Where this collector knowingly differs from the manifest, and why.
DISAGREEMENTS = {
    "broken/node-feedparser__rss-with-trailing-meta.xml":
        "well-formed RSS 2.0 (channel elements after the items are valid): ingested without a flag",
    "real/fastfeedparser__cc314ce5dfbb3adc":
        "entries without guid or link are told apart by title and summary, not by title alone",
}
CONTENT_TYPES = {"json": "application/feed+json", "json-invalid": "application/json",
                 "html": "text/html; charset=utf-8", "atom1": "application/atom+xml",
                 "atom0.3": "application/atom+xml", "opml": "text/x-opml"}


def _entries():
    return json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else []


def _source_id(entry: dict, n: int) -> str:
    return f"c{n:03d}-" + re.sub(r"[^a-z0-9]+", "-", entry["file"].lower()).strip("-")[:40]


@pytest.fixture(scope="module")
def corpus_crawl(tmp_path_factory):
    """One server, one database, one crawl over the whole corpus."""
    tmp = tmp_path_factory.mktemp("corpus")
    server = FeedServer()
    entries = _entries()
    sources = []
    for n, entry in enumerate(entries):
        path = f"/{n}"
        server.add(path, (CORPUS / entry["file"]).read_bytes(),
                   headers={"Content-Type": CONTENT_TYPES.get(entry["format"], "application/rss+xml")})
        sources.append({"id": _source_id(entry, n), "name": entry["file"], "kind": "feed",
                        "url": server.url(path)})
    (tmp / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    plan = load_plan(tmp / "sources.yaml")
    db = store.connect(tmp / "veille.db")
    sync_plan(db, plan)
    summary = crawl(db, plan, policy=HttpPolicy(timeout_seconds=20, retries=0))
    yield db, {o.source_id: o for o in summary.outcomes}
    db.conn.close()
    server.close()


def _expected_stored(entry: dict) -> int:
    """Distinct keys; where distinct entries share a link, one item per link (the database
    holds one item per canonical URL, and ingest keeps the first entry of each)."""
    links = entry.get("distinct_links") or 0
    if entry.get("links_total") == entry.get("expected_entries") and 0 < links < entry["distinct_keys"]:
        return links
    return entry["distinct_keys"]


def _stored(db, source_id: str) -> int:
    return db.execute("SELECT count(*) FROM item_sources WHERE source_id = ?", [source_id]).fetchone()[0]


@pytest.mark.parametrize("n, entry", list(enumerate(_entries())), ids=lambda v: v["file"] if isinstance(v, dict) else str(v))
def test_corpus_file(corpus_crawl, n, entry):
    db, outcomes = corpus_crawl
    sid = _source_id(entry, n)
    outcome = outcomes[sid]
    stored = _stored(db, sid)
    action = entry.get("expected_action", "ingest")
    if entry["file"] in DISAGREEMENTS:
        assert outcome.status in ("ok", "flagged") and stored > 0
        pytest.xfail(DISAGREEMENTS[entry["file"]])
    if action == "ingest" and entry["distinct_keys"] == 0:
        assert outcome.status == "failed" and outcome.error.startswith("no usable entries")
    elif action == "ingest":
        assert outcome.status in ("ok", "flagged"), outcome.error
        assert stored == _expected_stored(entry)
    elif action == "must_not_expand":
        texts = " ".join(r[0] + r[1] for r in db.execute(
            "SELECT i.title, i.summary FROM items i JOIN item_sources s ON s.item_id = i.id "
            "WHERE s.source_id = ?", [sid]))
        assert "boot" not in texts.lower() and "[boot loader]" not in texts
        assert outcome.status in ("failed", "flagged", "ok")
    elif outcome.status == "flagged":
        assert "ingest_flagged" in (entry.get("acceptable_actions") or [action])
        assert stored == _expected_stored(entry) and outcome.error
    else:
        assert "fail_recorded" in (entry.get("acceptable_actions") or [action]), \
            f"expected {action}, got a failure: {outcome.error}"
        assert outcome.status == "failed" and stored == 0
        assert outcome.error and "Traceback" not in outcome.error
