"""The watch plan is validated on load: a mistake is one message naming the line."""
from __future__ import annotations

from pathlib import Path

import pytest

from veille import store
from veille.sources import SourcesError, load_plan, parse_plan
from veille.store.sources import source_rows, sync_plan

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
sources:
  - id: inrs-actualites
    name: "INRS : actualités"
    kind: feed
    url: https://www.example.org/rss.xml
    category: institution
    language: fr
    schedule: 6h
    topics: [qse, regulation]
    reliability: A
  - id: inrs-publications
    name: "INRS : publications"
    kind: html
    url: https://www.example.org/publications
    selectors:
      item: "article.result"
      link: "h3 a::attr(href)"
      title: "h3 a::text"
"""


def test_a_valid_plan_gives_typed_sources():
    plan = parse_plan(GOOD)
    first, second = plan.sources
    assert first.id == "inrs-actualites" and first.schedule_seconds == 6 * 3600
    assert first.topics == ("qse", "regulation") and first.language == "fr"
    assert second.selectors.item == "article.result" and second.category == "other"


@pytest.mark.parametrize("change, line, words", [
    (("    reliability: A\n", "    reliability: A\n    colour: blue\n"), 11, "unknown key 'colour'"),
    (("url: https://www.example.org/rss.xml", "url: ftp://example.org/x"), 5, "http or https"),
    (("schedule: 6h", "schedule: often"), 8, "schedule"),
    (("topics: [qse, regulation]", "topics: [qse, cooking]"), 9, "unknown topic 'cooking'"),
    (("id: inrs-publications", "id: inrs-actualites"), 11, "duplicate id 'inrs-actualites'"),
    (('      title: "h3 a::text"\n', ""), 15, "needs selectors.title"),
    (("kind: feed", "kind: podcast"), 4, "kind"),
    (('    name: "INRS : actualités"\n', ""), 2, "missing required key 'name'"),
])
def test_a_mistake_is_reported_with_its_line(change, line, words):
    text = GOOD.replace(*change, 1)
    with pytest.raises(SourcesError) as err:
        parse_plan(text, origin="sources.yaml")
    message = str(err.value)
    assert f"sources.yaml line {line}:" in message, message
    assert words in message, message


def test_every_mistake_of_the_file_is_reported_at_once():
    text = GOOD.replace("schedule: 6h", "schedule: often").replace("kind: html", "kind: podcast")
    with pytest.raises(SourcesError) as err:
        parse_plan(text, origin="sources.yaml")
    lines = str(err.value).splitlines()
    assert lines[0].startswith("sources.yaml line 8:") and "schedule" in lines[0]
    assert lines[1].startswith("sources.yaml line 13:") and "kind" in lines[1]
    assert lines[-1] == "(2 mistakes)"


def test_broken_yaml_names_the_line():
    with pytest.raises(SourcesError, match=r"line 3: not valid YAML"):
        parse_plan("sources:\n  - id: a\n  name: [unclosed\n")


def test_the_shipped_watch_plan_is_valid_and_covers_the_watch():
    plan = load_plan(ROOT / "sources.yaml")
    kinds = [s.kind for s in plan.sources]
    assert kinds.count("feed") >= 40 and kinds.count("html") >= 8
    assert {"manufacturer", "trade_journal", "regulatory", "standards"} <= {s.category for s in plan.sources}
    assert {"fr", "en"} <= {s.language for s in plan.sources}


def test_sync_adds_updates_and_disables_without_losing_rows():
    db = store.memory()
    assert sync_plan(db, parse_plan(GOOD))["added"] == 2
    assert sync_plan(db, parse_plan(GOOD)) == {"added": 0, "updated": 0, "unchanged": 2, "disabled": 0}
    moved = GOOD.replace("https://www.example.org/rss.xml", "https://www.example.org/feed.xml")
    only_first = moved.split("  - id: inrs-publications")[0]
    counts = sync_plan(db, parse_plan(only_first))
    assert counts["updated"] == 1 and counts["disabled"] == 1
    rows = {r["id"]: r for r in source_rows(db)}
    assert rows["inrs-actualites"]["url"].endswith("/feed.xml")
    assert rows["inrs-publications"]["enabled"] == 0  # kept, not deleted
