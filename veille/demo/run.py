"""`veille demo`: the whole watch cycle on bundled content, offline.

The demo feeds and pages are served on 127.0.0.1, crawled by the real collector, classified,
alerted on (mail to an outbox folder), and the catalogue opens. Everything it writes lives in
one folder (default ./veille-demo/), never in ./veille.db.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from veille import store
from veille.config import Settings
from veille.sources import load_plan

DEMO_LOGIN = "demo@veille.local"
DEMO_PASSWORD = "veille-demo"

# Subscribers a QSE team, an R&D team and the demo user would have: (email, name, mail
# language, rule fields).
DEMO_SUBSCRIPTIONS = [
    ("qse@usine-demo.fr", "Équipe QSE", "fr",
     {"name": "Sécurité machines et réglementation", "topics": ["qse", "regulation"],
      "frequency": "immediate"}),
    ("rd@usine-demo.fr", "R&D procédés", "fr",
     {"name": "Robotique et fabrication additive", "topics": ["robotics", "additive_manufacturing"],
      "frequency": "daily"}),
    ("methods@plant-demo.com", "Methods engineering", "en",
     {"name": "Industrial IoT", "topics": ["iot"], "frequency": "weekly"}),
    (DEMO_LOGIN, "Demo", "fr",
     {"name": "Règlement Machines 2023/1230", "refs": ["2023/1230"],
      "frequency": "daily"}),
]


# The demo server is our own, on loopback: no politeness delay is owed to it.
DEMO_PAGE_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}


@dataclass
class DemoRun:
    directory: Path
    port: int
    say: Callable[[str], None] = print
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("veille.demo"))

    @property
    def settings(self) -> Settings:
        d = self.directory
        return Settings(db_path=d / "veille.db", sources_path=d / "sources.yaml",
                        outbox=d / "outbox", smtp_url=None,
                        base_url=f"http://127.0.0.1:{self.port}/")

    def prepare(self) -> None:
        """Serve the demo content, collect it, classify, alert: everything but the catalogue."""
        from veille.alerts.send import send_digests, send_immediate
        from veille.collect import crawl
        from veille.demo.server import start_demo_server
        from veille.store.sources import sync_plan

        self.directory.mkdir(parents=True, exist_ok=True)
        _log_to(self.directory / "veille.log")
        settings = self.settings
        self.site = start_demo_server()
        settings.sources_path.write_text(self.site.sources_yaml_text(), encoding="utf-8")
        plan = load_plan(settings.sources_path)
        db = store.connect(settings.db_path)
        try:
            sync_plan(db, plan)
            self._accounts(db)
            self.say(f"Demo sources served on {self.site.base_url} ({len(plan.sources)} sources)")
            first = crawl(db, plan, page_settings=DEMO_PAGE_SETTINGS)
            self.say(_crawl_line("Collected", first.totals()))
            self.site.advance()  # the watched regulation page changes in place
            pages = [s.id for s in plan.sources if s.kind == "page"]
            again = (crawl(db, plan, source_ids=pages, page_settings=DEMO_PAGE_SETTINGS)
                     if pages else None)
            if again is not None:
                self.say(_crawl_line("Page watch", again.totals()))
            self._knowledge_base(db)
            sent = send_immediate(db, settings)
            digest = send_digests(db, settings, "daily")
            self.say(f"Mail: {sent.messages + digest.messages} messages "
                     f"({sent.items + digest.items} items) written to {settings.outbox}/")
        finally:
            db.conn.close()

    def _accounts(self, db) -> None:
        from veille.alerts.rules import RuleSpec, add_rule, list_rules
        from veille.store.users import add_user

        add_user(db, DEMO_LOGIN, DEMO_PASSWORD, role="admin")
        for email, name, lang, fields in DEMO_SUBSCRIPTIONS:
            if not list_rules(db, email=email):
                add_rule(db, RuleSpec(email=email, subscriber_name=name, mail_lang=lang, **fields))

    def _knowledge_base(self, db) -> None:
        """What a team keeps from its watch: a regulatory register with a review, watch
        sheets comparing solutions, and a saved report (each seeded once)."""
        from veille.capitalise.demo_seed import seed_register_demo
        from veille.capitalise.demo_sheets import seed_sheets_demo
        from veille.capitalise.reviews import send_review_requests

        entries = seed_register_demo(db)
        sheets = seed_sheets_demo(db, author=DEMO_LOGIN)
        send_review_requests(db, self.settings)
        if entries or sheets["sheets"]:
            self.say(f"Knowledge base: {len(entries)} register entries, {sheets['sheets']} watch "
                     "sheets, 1 saved report")

    def serve(self, stop: threading.Event | None = None) -> None:
        """Open the catalogue and serve until Ctrl-C (or ``stop``)."""
        from veille.catalogue.app import build_datasette, serve

        ds = build_datasette(self.settings.db_path, self.settings, public=True)
        ready = threading.Event()

        def announce() -> None:
            if ready.wait(60):
                self.say(f"Catalogue: http://127.0.0.1:{self.port}/")
                self.say(f"Login: {DEMO_LOGIN} / {DEMO_PASSWORD}   (Ctrl-C to stop)")

        threading.Thread(target=announce, daemon=True).start()
        try:
            serve(ds, "127.0.0.1", self.port, ready=ready, stop=stop)
        finally:
            self.site.stop()


def _crawl_line(label: str, totals: dict) -> str:
    return (f"{label}: {totals['sources']} sources, {totals['items_new']} new items "
            f"({totals['ok']} ok, {totals['not_modified']} unchanged, {totals['flagged']} flagged, "
            f"{totals['failed']} failed) in {totals['duration']:.1f} s")


def _log_to(path: Path) -> None:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("veille")
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.FileHandler) for h in root.handlers):
        root.addHandler(handler)
