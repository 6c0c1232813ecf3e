"""`veille up`'s scheduler: each source on its own job, crawled soon after start, and
immediate alerts sent after the crawl — the wiring only; the work is tested elsewhere."""
from __future__ import annotations

import time
from pathlib import Path

from veille import store
from veille.alerts.rules import RuleSpec, add_rule
from veille.config import Settings
from veille.scheduler import WatchScheduler

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"


def _wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_scheduler_crawls_each_source_and_sends_immediate_alerts(feed_server, watch_plan, tmp_db, tmp_path):
    url = feed_server.add("/feed.xml", (FEEDS / "rss20_content_encoded.xml").read_bytes())
    plan = watch_plan(("robotique", url))
    add_rule(tmp_db, RuleSpec(email="methodes@example.org", frequency="immediate"))
    settings = Settings(db_path=tmp_path / "veille.db", sources_path=plan.path,
                        outbox=tmp_path / "outbox")
    scheduler = WatchScheduler(settings)
    scheduler.start()
    try:
        assert {j.id for j in scheduler.scheduler.get_jobs()} >= {
            "source:robotique", "digest-daily", "digest-weekly", "plan"}
        db = store.connect(settings.db_path)
        assert _wait_for(lambda: db.execute("SELECT count(*) FROM items").fetchone()[0] > 0)
        assert _wait_for(lambda: any(settings.outbox.glob("*.eml")))
        fetched = db.execute("SELECT status FROM fetches WHERE source_id = 'robotique'").fetchall()
        assert fetched and fetched[0][0] == "ok"
    finally:
        scheduler.stop()
