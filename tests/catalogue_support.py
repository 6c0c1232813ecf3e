"""A small populated watch for the catalogue tests, built through the real ingest path."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

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
