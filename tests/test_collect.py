"""The crawl pass end to end: loopback feeds -> crawl -> items and fetch rows in SQLite."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES
from veille.collect import CrawlError, crawl
from veille.http_policy import HttpPolicy

FEEDS = FIXTURES / "feeds"
FAST = HttpPolicy(timeout_seconds=2, retry_base_delay=0.01, retries=1)


def serve(server, name: str, **kwargs) -> str:
    return server.add(f"/{name}", (FEEDS / name).read_bytes(), **kwargs)


def items_of(db, source_id: str) -> list[dict]:
    return list(db.query("SELECT i.* FROM items i JOIN item_sources s ON s.item_id = i.id "
                         "WHERE s.source_id = ? ORDER BY i.id", [source_id]))


def last_fetch(db, source_id: str) -> dict:
    return next(db.query("SELECT * FROM fetches WHERE source_id = ? ORDER BY id DESC LIMIT 1",
                         [source_id]))


def test_every_entry_of_every_readable_feed_lands_once(feed_server, tmp_db, watch_plan):
    names = {"robotique": "rss20_content_encoded.xml", "usine": "rss091_netscape.xml",
             "normes": "rss10_rdf_dublin_core.xml", "additive": "atom10_relative_links.xml",
             "iiot": "atom03_legacy.xml", "qse": "jsonfeed11_items.json",
             "wp": "rss_whitespace_before_declaration.xml"}
    plan = watch_plan(*[(sid, serve(feed_server, name)) for sid, name in names.items()])
    summary = crawl(tmp_db, plan, policy=FAST)
    assert summary.totals()["failed"] == 0, summary.to_dict()
    expected = {"robotique": 3, "usine": 2, "normes": 2, "additive": 2, "iiot": 1, "qse": 2, "wp": 1}
    assert {sid: len(items_of(tmp_db, sid)) for sid in names} == expected
    assert summary.items_new == sum(expected.values())
    rows = items_of(tmp_db, "additive")
    assert rows[0]["url"] == "https://fabrication-additive.example.org/blog/posts/alloy-qualified"
    assert rows[1]["url"] == "https://fabrication-additive.example.org/news/binder-jetting-rail"


def test_a_pass_checkpoints_the_wal_off_the_writer_and_restores_automatic_checkpoints(
        feed_server, tmp_db, watch_plan):
    """The writer's commits skip checkpoints during a pass (a thread does them); when the
    pass ends, automatic checkpoints are back on."""
    seen = []
    plan = watch_plan(("robotique", serve(feed_server, "rss20_content_encoded.xml")),
                      ("qse", serve(feed_server, "jsonfeed11_items.json")))
    crawl(tmp_db, plan, policy=FAST,
          progress=lambda o: seen.append(tmp_db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]))
    assert seen and set(seen) == {0}
    assert tmp_db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert tmp_db.execute("SELECT count(*) FROM items").fetchone()[0] == 5


def test_second_crawl_adds_nothing_and_is_answered_304(feed_server, tmp_db, watch_plan):
    plan = watch_plan(("robotique", serve(feed_server, "rss20_content_encoded.xml")),
                      ("qse", serve(feed_server, "jsonfeed11_items.json")))
    first = crawl(tmp_db, plan, policy=FAST)
    assert first.items_new == 5
    second = crawl(tmp_db, plan, policy=FAST)
    assert second.items_new == 0
    assert second.count("not_modified") == 2
    assert feed_server.conditional["/rss20_content_encoded.xml"] == 1
    assert feed_server.not_modified["/jsonfeed11_items.json"] == 1
    assert tmp_db.execute("SELECT count(*) FROM items").fetchone()[0] == 5
    assert [r["status"] for r in tmp_db.query("SELECT status FROM fetches WHERE source_id = 'qse' "
                                               "ORDER BY id")] == ["ok", "not_modified"]


def test_server_ignoring_conditional_requests_adds_no_duplicates(feed_server, tmp_db, watch_plan):
    plan = watch_plan(("robotique", serve(feed_server, "rss20_content_encoded.xml",
                                           conditional=False)))
    crawl(tmp_db, plan, policy=FAST)
    again = crawl(tmp_db, plan, policy=FAST)
    assert again.items_new == 0 and again.count("ok") == 1
    assert len(items_of(tmp_db, "robotique")) == 3


def test_dead_or_hostile_sources_do_not_stop_the_others(feed_server, tmp_db, watch_plan):
    plan = watch_plan(
        ("good", serve(feed_server, "rss20_content_encoded.xml")),
        ("missing", feed_server.url("/gone.xml")),
        ("crashing", feed_server.add("/500.xml", "oops", status=500)),
        ("laughs", serve(feed_server, "rss_billion_laughs.xml")),
        ("html", serve(feed_server, "not_a_feed.html", headers={"Content-Type": "text/html"})),
        ("refused", "http://127.0.0.1:9/feed.xml"),
    )
    summary = crawl(tmp_db, plan, policy=FAST)
    by_id = {o.source_id: o for o in summary.outcomes}
    assert by_id["good"].status == "ok" and by_id["good"].items_new == 3
    assert by_id["missing"].error == f"HTTP 404 Not Found on {feed_server.url('/gone.xml')}"
    assert by_id["crashing"].error.startswith("HTTP 500 Internal Server Error")
    assert feed_server.hits["/500.xml"] == 2          # one bounded retry on a server error
    assert by_id["html"].error.startswith("not a feed: HTML page received")
    assert "could not connect to 127.0.0.1:9" in by_id["refused"].error
    laughs = items_of(tmp_db, "laughs")
    assert all("lollol" not in (r["title"] + r["summary"]) for r in laughs)
    assert all("root:" not in r["summary"] for r in laughs)
    row = tmp_db.execute("SELECT last_status, error_count, last_error FROM sources "
                         "WHERE id = 'missing'").fetchone()
    assert row[0] == "failed" and row[1] == 1 and "404" in row[2]


def test_malformed_feed_is_ingested_and_flagged(feed_server, tmp_db, watch_plan):
    plan = watch_plan(("broken", serve(feed_server, "rss_malformed_recoverable.xml")))
    summary = crawl(tmp_db, plan, policy=FAST)
    assert summary.outcomes[0].status == "flagged"
    assert len(items_of(tmp_db, "broken")) == 2
    fetch = last_fetch(tmp_db, "broken")
    assert fetch["error"].startswith("malformed XML, 2 entries recovered: ")
    assert tmp_db.execute("SELECT flag FROM sources WHERE id='broken'").fetchone()[0] == fetch["error"]


def test_unusable_entries_are_skipped_with_a_reason(feed_server, tmp_db, watch_plan):
    plan = watch_plan(("journal", serve(feed_server, "rss_no_guid_missing_dates.xml")))
    summary = crawl(tmp_db, plan, policy=FAST)
    outcome = summary.outcomes[0]
    assert outcome.status == "flagged" and outcome.items_new == 4
    assert "1 of 5 entries skipped (entry 5: entry has no title, link or id)" in outcome.error


def test_oversized_and_slow_responses_fail_with_readable_errors(feed_server, tmp_db, watch_plan):
    big = b"<rss><channel>" + b"x" * (6 * 2**20) + b"</channel></rss>"
    plan = watch_plan(("big", feed_server.add("/big.xml", big)),
                      ("slow", feed_server.add("/slow.xml", "<rss/>", delay=3)))
    policy = HttpPolicy(timeout_seconds=0.5, retries=0)
    summary = crawl(tmp_db, plan, policy=policy)
    by_id = {o.source_id: o for o in summary.outcomes}
    assert by_id["big"].error == "response larger than 5 MB cap"
    assert by_id["slow"].error.startswith("timed out after 0.5 s")


def test_gzip_and_permanent_redirect_are_followed_and_recorded(feed_server, tmp_db, watch_plan):
    target = serve(feed_server, "rss20_content_encoded.xml", gzip=True)
    old = feed_server.add("/old.xml", "", status=301, headers={"Location": "/rss20_content_encoded.xml"},
                          conditional=False)
    plan = watch_plan(("moved", old))
    summary = crawl(tmp_db, plan, policy=FAST)
    assert summary.outcomes[0].items_new == 3
    assert tmp_db.execute("SELECT moved_to FROM sources WHERE id='moved'").fetchone()[0] == target
    crawl(tmp_db, plan, policy=FAST)
    assert feed_server.hits["/old.xml"] == 1            # the next pass asks the new address
    assert feed_server.not_modified["/rss20_content_encoded.xml"] == 1


def test_retry_after_and_backoff_delay_the_next_fetch(feed_server, tmp_db, watch_plan):
    plan = watch_plan(("busy", feed_server.add("/busy.xml", "", status=429,
                                               headers={"Retry-After": "7200"})),
                      ("dead", feed_server.url("/dead.xml"), {"schedule": "1h"}))
    crawl(tmp_db, plan, policy=FAST)
    assert feed_server.hits["/busy.xml"] == 1          # a long Retry-After is not waited for here
    crawl(tmp_db, plan, policy=FAST)
    rows = {r["id"]: r for r in tmp_db.query("SELECT * FROM sources")}
    assert rows["dead"]["error_count"] == 2
    from veille.timeutil import parse_iso
    delay = (parse_iso(rows["dead"]["next_fetch_at"]) - parse_iso(rows["dead"]["last_fetch_at"]))
    assert delay.total_seconds() == 4 * 3600
    busy = parse_iso(rows["busy"]["next_fetch_at"]) - parse_iso(rows["busy"]["last_fetch_at"])
    assert busy.total_seconds() >= 7200
    due = crawl(tmp_db, plan, due_only=True, policy=FAST)
    assert due.outcomes == []


def test_user_agent_names_the_product(feed_server, tmp_db, watch_plan):
    plan = watch_plan(("robotique", serve(feed_server, "rss20_content_encoded.xml")))
    crawl(tmp_db, plan, policy=FAST)
    assert feed_server.user_agents[0].startswith("veille/")
    assert "(+https://github.com/veille-project/veille)" in feed_server.user_agents[0]


def test_unknown_source_id_is_a_configuration_error(feed_server, tmp_db, watch_plan):
    plan = watch_plan(("robotique", serve(feed_server, "rss20_content_encoded.xml")))
    with pytest.raises(CrawlError, match="unknown source id 'nope'"):
        crawl(tmp_db, plan, source_ids=["nope"])


def test_a_dead_page_source_is_recorded_and_feeds_still_land(feed_server, tmp_db, watch_plan):
    plan = watch_plan(
        ("robotique", serve(feed_server, "rss20_content_encoded.xml")),
        ("listing", "http://127.0.0.1:9/list",
         {"kind": "html", "selectors": {"item": "li", "link": "a::attr(href)", "title": "a::text"}}))
    summary = crawl(tmp_db, plan, page_settings={"DOWNLOAD_DELAY": 0, "RETRY_TIMES": 0})
    by_id = {o.source_id: o for o in summary.outcomes}
    assert by_id["robotique"].status == "ok" and by_id["robotique"].items_new > 0
    assert by_id["listing"].status == "failed"
    row = tmp_db.execute("SELECT error FROM fetches WHERE source_id = 'listing'").fetchone()
    assert row[0] and "127.0.0.1:9" in row[0]


def test_killed_crawl_leaves_a_consistent_database(feed_server, tmp_path, watch_plan, tmp_db):
    fast = [(f"fast-{n}", serve(feed_server, name)) for n, name in enumerate(
        ["rss20_content_encoded.xml", "rss10_rdf_dublin_core.xml", "atom03_legacy.xml"])]
    slow = ("slow", feed_server.add("/slow.xml", (FEEDS / "jsonfeed11_items.json").read_bytes(),
                                    delay=20))
    watch_plan(*fast, slow)
    db_path, sources = tmp_path / "veille.db", tmp_path / "sources.yaml"
    env = {**os.environ, "VEILLE_DB": str(db_path), "VEILLE_SOURCES": str(sources)}
    proc = subprocess.Popen([sys.executable, "-m", "veille", "crawl"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while feed_server.hits["/slow.xml"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)   # let the fast sources reach the database
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert tmp_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    feed_server.routes["/slow.xml"].delay = 0
    rerun = subprocess.run([sys.executable, "-m", "veille", "crawl"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    counts = dict(tmp_db.execute("SELECT source_id, count(*) FROM item_sources GROUP BY source_id"))
    assert counts == {"fast-0": 3, "fast-1": 2, "fast-2": 1, "slow": 2}
    assert tmp_db.execute("SELECT count(*) FROM items").fetchone()[0] == 8


def test_a_bug_on_one_source_of_a_group_is_recorded_and_the_group_still_lands(feed_server, tmp_db,
                                                                           watch_plan, monkeypatch):
    """The writer ingests the feeds fetched meanwhile as one group: a failure inside the group
    falls back to one source at a time, so only the source at fault fails."""
    from veille import collect
    from veille.fetch import FetchResult

    plain = collect.ingest_many

    def buggy(db, batches, **kw):
        if any(b.source.id == "buggy" for b in batches):
            raise RuntimeError("a bug in a step")
        return plain(db, batches, **kw)
    monkeypatch.setattr(collect, "ingest_many", buggy)
    names = {"robotique": "rss20_content_encoded.xml", "buggy": "rss091_netscape.xml",
             "additive": "atom10_relative_links.xml"}
    plan = watch_plan(*[(sid, feed_server.url(f"/{name}")) for sid, name in names.items()])
    fetched = [(s, FetchResult(url=s.url, started_at="2026-11-26T10:00:00Z", http_status=200,
                               body=(FEEDS / names[s.id]).read_bytes())) for s in plan.sources]
    outcomes = {o.source_id: o for o in collect.process_group(tmp_db, fetched)}
    assert (outcomes["robotique"].items_new, outcomes["additive"].items_new) == (3, 2)
    assert outcomes["buggy"].status == "failed"
    assert outcomes["buggy"].error == "internal error while processing the feed: RuntimeError: a bug in a step"
    assert len(items_of(tmp_db, "buggy")) == 0
    assert last_fetch(tmp_db, "buggy")["status"] == "failed"


def test_a_large_pass_prepared_in_a_worker_process_stores_what_the_writer_alone_stores(
        feed_server, tmp_db, tmp_path, watch_plan, monkeypatch):
    """From _POOL_FEEDS feeds on, parsing, normalising, reference extraction, story signatures
    and topic predictions run in a forked worker process: items, references, stories and every fetch outcome (including
    malformed, hostile and unusable feeds), topics and stories must be what the single-process
    path gives."""
    from veille import collect, store
    from veille.store.sources import sync_plan

    names = sorted(p.name for p in FEEDS.iterdir())
    entries = [(f"{name.split('.')[0].replace('_', '-')}-{n}",
                feed_server.add(f"/copy{n}/{name}", (FEEDS / name).read_bytes()))
               for n in range(2) for name in names]
    assert len(entries) >= collect._POOL_FEEDS
    plan = watch_plan(*entries)
    alone = store.connect(tmp_path / "alone.db")
    sync_plan(alone, plan)

    def snapshot(db, summary) -> tuple:
        items = db.execute("SELECT url, title, summary, lang, content_hash, CASE WHEN published_at = "
                           "fetched_at THEN 'at fetch' ELSE published_at END, "
                           "(SELECT min(url) FROM items j WHERE j.id = i.cluster_id) FROM items i "
                           "ORDER BY url, title").fetchall()
        refs = db.execute("SELECT i.url, e.kind, e.key FROM entities e JOIN items i ON i.id = "
                          "e.item_id ORDER BY 1, 2, 3").fetchall()
        topics = db.execute("SELECT i.url, i.title, t.topic, t.score, t.origin FROM item_topics t "
                            "JOIN items i ON i.id = t.item_id ORDER BY 1, 2, 3").fetchall()
        outcomes = sorted((o.source_id, o.status, o.items_found, o.items_new, o.error)
                          for o in summary.outcomes)
        return items, refs, topics, outcomes

    pooled = snapshot(tmp_db, crawl(tmp_db, plan, policy=FAST))
    monkeypatch.setattr(collect, "_POOL_FEEDS", 10_000)
    single = snapshot(alone, crawl(alone, plan, policy=FAST))
    alone.conn.close()
    assert pooled[0] and pooled[1] and pooled[2], "the fixtures hold items, references, topics"
    assert pooled == single


def test_a_json_feed_escaping_half_a_surrogate_pair_still_lands(feed_server, tmp_db, watch_plan):
    """json reads "\\ud800" as a lone surrogate, which no UTF-8 encoder (SQLite's included)
    takes: the entry lands with U+FFFD there, and the feed's other entries land too."""
    body = ('{"version": "https://jsonfeed.org/version/1.1", "title": "Atelier", "items": ['
            '{"id": "1", "url": "http://127.0.0.1/a", "title": "Cobot \\ud800 de soudage",'
            ' "content_text": "Texte \\udfff coup\\u00e9 en deux."},'
            '{"id": "2", "url": "http://127.0.0.1/b", "title": "Capteurs sans fil \\ud83d\\ude00",'
            ' "content_text": "Une paire entière reste un caractère."}]}')
    plan = watch_plan(("atelier", feed_server.add("/feed.json", body.encode(),
                                                  headers={"Content-Type": "application/feed+json"})))
    summary = crawl(tmp_db, plan, policy=FAST)
    assert summary.totals()["failed"] == 0, summary.to_dict()
    titles = [r["title"] for r in items_of(tmp_db, "atelier")]
    assert titles == ["Cobot \ufffd de soudage", "Capteurs sans fil \U0001F600"]


@pytest.mark.parametrize("dies", ["before its transaction", "after its commit"])
def test_sources_a_dead_worker_process_left_are_crawled_by_the_crawling_process(
        feed_server, tmp_db, watch_plan, monkeypatch, dies):
    """A worker process that dies mid-share (killed, out of memory) loses nothing and repeats
    nothing: what it wrote but did not report is read back from the database, the feeds it
    had not written are fetched and written by the crawling process, each once."""
    from veille import collect

    names = sorted(p.name for p in FEEDS.iterdir() if p.name.startswith(("rss20", "atom10")))
    entries = [(f"feed-{n}", feed_server.add(f"/c{n}/{names[n % len(names)]}",
                                             (FEEDS / names[n % len(names)]).read_bytes()))
               for n in range(collect._POOL_FEEDS + 4)]
    plan = watch_plan(*entries)
    prepare_group, process_group = collect.prepare_group, collect.process_group

    def dying_before(batches):
        if any(b.source.id == "feed-3" for b in batches):
            os._exit(3)      # the worker dies here, its group not written
        prepare_group(batches)

    def dying_after(db, fetched, **kw):
        outcomes = process_group(db, fetched, **kw)
        if any(source.id == "feed-3" for source, _ in fetched):
            os._exit(3)      # the group is committed, its outcomes never sent
        return outcomes
    if dies == "before its transaction":
        monkeypatch.setattr(collect, "prepare_group", dying_before)
    else:
        monkeypatch.setattr(collect, "process_group", dying_after)
    summary = crawl(tmp_db, plan, policy=FAST)
    assert sorted(o.source_id for o in summary.outcomes) == sorted(sid for sid, _ in entries)
    assert tmp_db.execute("SELECT count(DISTINCT source_id), count(*) FROM fetches").fetchone() \
        == (len(entries), len(entries))
    per_source = dict(tmp_db.execute("SELECT source_id, count(*) FROM item_sources GROUP BY 1"))
    assert set(per_source) == {sid for sid, _ in entries}
    by_feed: dict[str, set[int]] = {}   # sources serving the same feed hold the same entries
    for n, (sid, _) in enumerate(entries):
        by_feed.setdefault(names[n % len(names)], set()).add(per_source[sid])
    assert all(len(counts) == 1 for counts in by_feed.values()), by_feed
    assert summary.count("failed") == 0, summary.to_dict()
    assert [o.items_found for o in summary.outcomes if o.source_id == "feed-3"] \
        == [per_source["feed-3"]]


def test_each_host_is_fetched_by_one_worker_and_the_shares_are_even():
    """The per-host politeness limit holds across worker processes: all of a host's feeds go
    to one worker; hosts spread so that no worker gets much more than another."""
    from veille.feed_workers import shares
    from veille.sources import Source
    from veille.store.fetches import SourceState

    urls = [f"http://h{n % 7}.example.org/feed{n}" for n in range(40)] + \
        ["https://big.example.org/a", "https://BIG.example.org/b"]
    feeds = [Source(id=f"s{n}", name="s", kind="feed", url=u) for n, u in enumerate(urls)]
    states = {s.id: SourceState(s.id, s.url, None, None, None, 0, None, 3600) for s in feeds}
    states["s0"].moved_to = "http://big.example.org/moved"     # a moved feed goes by its new host
    parts = shares(feeds, states, 3)
    assert sorted(s.id for p in parts for s in p) == sorted(s.id for s in feeds)
    host_of = {s.id: states[s.id].fetch_url.split("/")[2].lower() for s in feeds}
    owners = {}
    for n, part in enumerate(parts):
        for s in part:
            assert owners.setdefault(host_of[s.id], n) == n
    sizes = sorted(len(p) for p in parts)
    assert sizes[-1] - sizes[0] <= 6        # at most one host's worth apart
    assert shares(feeds[:1], states, 4) == [[feeds[0]]]
