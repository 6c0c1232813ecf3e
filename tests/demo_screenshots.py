"""Refresh docs/screenshots/ from the demo's own watch: `python tests/demo_screenshots.py`.
Runs `veille demo` in a temporary folder on a free loopback port, logs in with the demo
account and photographs each page at 1280 px in French with Debian's headless Chromium."""
from __future__ import annotations

import re
import sys
import tempfile
import threading
from email import message_from_bytes, policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalogue_support import DOCS_SHOTS, browser_page, chromium, free_port, log_in  # noqa: E402
from veille.demo.run import DEMO_LOGIN, DEMO_PASSWORD, DemoRun  # noqa: E402

# name -> (page, whole page or first screen); ids are those of the bundled demo content
PAGES = {
    "overview": ("/", False), "search": ("/search?q=s%C3%A9curit%C3%A9+machines", False),
    "item": ("/item/{machinery_item}", True), "sources": ("/sources", False),
    "subscriptions": ("/subscriptions", False), "subscription_form": ("/subscriptions/1/edit", False),
    "references": ("/reference/eu_act/2023%2F1230", False), "calendar": ("/calendar", False),
    "register": ("/register", False), "sheet": ("/sheets/1", False), "report": ("/reports/1", False),
}


def _review_link(outbox: Path) -> str:
    for path in sorted(outbox.glob("*.eml")):
        body = message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
        hit = re.search(r"(http://\S+/review/answer\?t=\S+?&verdict=relevant)", body)
        if hit:
            return hit.group(1)
    raise SystemExit("the demo sent no review request")


def _machinery_item(run: DemoRun) -> int:
    import sqlite3
    with sqlite3.connect(run.settings.db_path) as conn:
        row = conn.execute("SELECT id FROM items WHERE title LIKE 'Mise sur le marché des machines%'").fetchone()
    return row[0] if row else 1


def main() -> None:
    lines: list[str] = []
    run = DemoRun(directory=Path(tempfile.mkdtemp(prefix="veille-shots-")), port=free_port(), say=lines.append)
    run.prepare()
    stop = threading.Event()
    threading.Thread(target=run.serve, kwargs={"stop": stop}, daemon=True).start()
    while not any(line.startswith("Catalogue: ") for line in lines):
        stop.wait(0.1)
    base = f"http://127.0.0.1:{run.port}"
    with chromium() as browser, browser_page(browser) as page:
        page.goto(_review_link(run.settings.outbox))
        page.screenshot(path=str(DOCS_SHOTS / "review.png"))
        log_in(page, base, DEMO_LOGIN, DEMO_PASSWORD)
        for name, (path, full) in PAGES.items():
            page.goto(base + path.format(machinery_item=_machinery_item(run)))
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(DOCS_SHOTS / f"{name}.png"), full_page=full)
            print(f"{name}.png  {path}")
    stop.set()


if __name__ == "__main__":
    main()
