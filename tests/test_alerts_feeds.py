"""Rule webhooks against a real loopback HTTP server, and the Atom feed of a rule."""
from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.alerts_support import add_item, add_source
from veille import store
from veille.alerts import match, rules
from veille.alerts.feeds import rule_feed
from veille.alerts.rules import RuleSpec
from veille.alerts.webhooks import send_webhooks
from veille.timeutil import utcnow

ATOM = "{http://www.w3.org/2005/Atom}"


class Hook:
    """A loopback endpoint that answers the statuses it is given, then 200."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.bodies: list[dict] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = hook.statuses.pop(0) if hook.statuses else 200
                if status == 200:
                    hook.bodies.append(json.loads(body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def db():
    db = store.memory()
    add_source(db, "journal", name="Journal de l'usine")
    return db


def test_webhook_retries_a_failing_endpoint_then_posts_each_item_once(db):
    hook = Hook([503, 500])
    try:
        rules.add_rule(db, RuleSpec(email="a@example.org", name="Cobots", topics=["robotics"],
                                    webhook_url=hook.url))
        ids = [add_item(db, "Cobot", {"robotics": 0.9}, "journal"), add_item(db, "Robot", {"robotics": 0.8}, "journal")]
        match.queue_deliveries(db, ids)
        report = send_webhooks(db, utcnow(), base="http://veille.example/", pause=0.01)
        assert (report.sent, report.errors) == (2, [])
        assert send_webhooks(db, utcnow(), pause=0.01).sent == 0
        [body] = hook.bodies
        assert body["rule"] == {"id": 1, "name": "Cobots"}
        assert {i["title"] for i in body["items"]} == {"Cobot", "Robot"}
        assert "http://veille.example/item/" in body["text"]
    finally:
        hook.close()


def test_webhook_down_keeps_items_pending_and_a_wrong_url_fails_for_good(db):
    down = Hook([500, 500, 500])
    gone = Hook([404])
    try:
        rules.add_rule(db, RuleSpec(email="a@example.org", topics=["iot"], webhook_url=down.url))
        rules.add_rule(db, RuleSpec(email="b@example.org", topics=["iot"], webhook_url=gone.url))
        match.queue_deliveries(db, [add_item(db, "Capteur", {"iot": 0.9}, "journal")])
        report = send_webhooks(db, utcnow(), pause=0.01)
        assert (report.sent, report.deferred, report.failed) == (0, 1, 1)
        assert any("HTTP 404" in e for e in report.errors)
        statuses = dict(db.execute("SELECT rule_id, status FROM webhook_deliveries").fetchall())
        assert statuses == {1: "pending", 2: "failed"}
    finally:
        down.close()
        gone.close()


def test_rule_feed_is_atom_of_what_the_rule_matches(db):
    rid = rules.add_rule(db, RuleSpec(email="a@example.org", name="Fabrication additive",
                                      topics=["additive_manufacturing"]))
    add_item(db, "Impression 3D <métal> & poudre", {"additive_manufacturing": 0.9}, "journal", summary="Résumé")
    add_item(db, "Robot", {"robotics": 0.9}, "journal")
    feed = ET.fromstring(rule_feed(db, rid, "http://veille.example/"))
    assert feed.find(f"{ATOM}title").text == "veille — Fabrication additive"
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Impression 3D <métal> & poudre"
    assert entry.find(f"{ATOM}link").get("href").startswith("http://veille.example/item/")
    assert entry.find(f"{ATOM}category").get("term") == "additive_manufacturing"
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Journal de l'usine"
