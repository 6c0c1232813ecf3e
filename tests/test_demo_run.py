"""`veille demo` end to end: bundled sources served on loopback reach the catalogue and the
outbox, and the knowledge base is seeded."""
from __future__ import annotations

import email
import threading
from email import policy

import httpx
import pytest

from catalogue_support import free_port
from veille import store
from veille.demo.run import DEMO_LOGIN, DemoRun


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    lines: list[str] = []
    run = DemoRun(directory=tmp_path_factory.mktemp("demo"), port=free_port(), say=lines.append)
    run.prepare()
    stop = threading.Event()
    server = threading.Thread(target=run.serve, kwargs={"stop": stop}, daemon=True)
    server.start()
    for _ in range(200):
        if any(line.startswith("Catalogue: ") for line in lines):
            break
        stop.wait(0.1)
    yield run, lines
    stop.set()
    server.join(10)


def test_demo_announces_the_catalogue_and_a_login(demo):
    run, lines = demo
    assert f"Catalogue: http://127.0.0.1:{run.port}/" in lines
    assert any(DEMO_LOGIN in line for line in lines)


def test_every_demo_source_is_collected_and_the_page_change_is_an_item(demo):
    run, _ = demo
    db = store.connect(run.settings.db_path)
    failed = db.execute("SELECT source_id, error FROM fetches WHERE status = 'failed'").fetchall()
    assert failed == []
    assert db.execute("SELECT count(*) FROM items").fetchone()[0] >= 320
    assert db.execute("SELECT count(*) FROM items WHERE page_version IS NOT NULL").fetchone()[0] == 1
    tagged = db.execute("SELECT count(DISTINCT item_id) FROM item_topics").fetchone()[0]
    assert tagged >= 200


def test_alerts_reach_the_outbox_in_the_subscribers_language(demo):
    run, _ = demo
    files = sorted(run.settings.outbox.glob("*.eml"))
    assert files
    messages = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    alerts = [m for m in messages if m["List-Unsubscribe"]]
    assert alerts and all(m["Message-ID"] for m in messages)
    french = [m for m in alerts if "usine-demo.fr" in str(m["To"])]
    english = [m for m in alerts if "plant-demo.com" in str(m["To"])]
    assert french and all("nouveaux" in str(m["Subject"]) or "Synthèse" in str(m["Subject"])
                          for m in french)
    assert not english  # the English subscriber's rule is weekly: nothing sent on day one


def test_the_catalogue_shows_items_sources_register_and_sheets(demo):
    run, _ = demo
    base = f"http://127.0.0.1:{run.port}"
    with httpx.Client(base_url=base, timeout=10) as client:
        overview = client.get("/")
        assert overview.status_code == 200 and "<svg" in overview.text
        found = client.get("/search", params={"q": "securite"})
        assert found.status_code == 200 and "sécurité" in found.text.lower()
        assert client.get("/sources").status_code == 200
        assert client.get("/register").status_code == 200
        sheets = client.get("/sheets")
        assert sheets.status_code == 200 and "/sheets/" in sheets.text
