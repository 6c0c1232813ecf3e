"""OPML import appends to sources.yaml as text; export lists the plan's feeds."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from veille.cli import main
from veille.sources import load_plan

PLAN = """\
# Watch plan of the methods team: keep this comment
sources:
  # regulatory first
  - id: inrs-actualites
    name: "INRS : actualités"
    kind: feed
    url: https://www.example.org/inrs.xml
    language: fr
"""

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Export</title></head>
  <body>
    <outline text="Regulation">
      <outline type="rss" text="INRS (again)" xmlUrl="https://www.example.org/inrs.xml"/>
      <outline type="rss" text="Usine Nouvelle : Industrie 4.0" xmlUrl="https://usine.example.org/rss.xml"/>
    </outline>
    <outline type="rss" title="Usine Nouvelle : industrie 4.0" text="x" xmlUrl="https://usine.example.org/other.xml"/>
    <outline type="rss" text="Robotics &amp; Automation" xmlUrl="https://robots.example.org/feed"/>
    <outline text="A folder without a feed"/>
  </body>
</opml>
"""


def run(tmp_path: Path, *args: str):
    env = {"VEILLE_DB": str(tmp_path / "veille.db"), "VEILLE_SOURCES": str(tmp_path / "sources.yaml")}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_import_appends_new_feeds_and_keeps_the_file(tmp_path):
    (tmp_path / "sources.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "subs.opml").write_text(OPML, encoding="utf-8")
    result = run(tmp_path, "sources", "import-opml", str(tmp_path / "subs.opml"))
    assert result.exit_code == 0, result.output
    assert "3 feeds added" in result.output and "1 already watched" in result.output
    text = (tmp_path / "sources.yaml").read_text(encoding="utf-8")
    assert text.startswith(PLAN)                       # comments, order and layout kept
    plan = load_plan(tmp_path / "sources.yaml")
    assert [s.id for s in plan.sources] == ["inrs-actualites", "usine-nouvelle-industrie-4-0",
                                             "usine-nouvelle-industrie-4-0-2", "robotics-automation"]
    assert plan.sources[3].name == "Robotics & Automation"
    listed = run(tmp_path, "sources", "list", "--json")
    assert '"usine-nouvelle-industrie-4-0-2"' in listed.output


def test_import_twice_adds_nothing(tmp_path):
    (tmp_path / "sources.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "subs.opml").write_text(OPML, encoding="utf-8")
    run(tmp_path, "sources", "import-opml", str(tmp_path / "subs.opml"))
    before = (tmp_path / "sources.yaml").read_text(encoding="utf-8")
    again = run(tmp_path, "sources", "import-opml", str(tmp_path / "subs.opml"))
    assert "0 feeds added" in again.output
    assert (tmp_path / "sources.yaml").read_text(encoding="utf-8") == before


def test_import_into_a_missing_plan_creates_it(tmp_path):
    (tmp_path / "subs.opml").write_text(OPML, encoding="utf-8")
    result = run(tmp_path, "sources", "import-opml", str(tmp_path / "subs.opml"))
    assert result.exit_code == 0, result.output
    assert len(load_plan(tmp_path / "sources.yaml").sources) == 4


def test_not_an_opml_file_is_a_clear_error(tmp_path):
    (tmp_path / "sources.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "feed.xml").write_text("<rss><channel/></rss>", encoding="utf-8")
    result = run(tmp_path, "sources", "import-opml", str(tmp_path / "feed.xml"))
    assert result.exit_code == 2
    assert "not an OPML file: the root element is <rss>" in result.output
    assert (tmp_path / "sources.yaml").read_text(encoding="utf-8") == PLAN


def test_export_lists_feed_sources(tmp_path):
    (tmp_path / "sources.yaml").write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out.opml"
    assert run(tmp_path, "sources", "export-opml", str(out)).exit_code == 0
    root = etree.fromstring(out.read_bytes())
    feeds = root.findall(".//outline[@xmlUrl]")
    assert [(f.get("text"), f.get("xmlUrl")) for f in feeds] == [
        ("INRS : actualités", "https://www.example.org/inrs.xml")]


def test_init_reports_counts_and_rejects_a_bad_plan(tmp_path):
    (tmp_path / "sources.yaml").write_text(PLAN, encoding="utf-8")
    ok = run(tmp_path, "init")
    assert ok.exit_code == 0 and "1 added" in ok.output
    (tmp_path / "sources.yaml").write_text(PLAN + "    colour: blue\n", encoding="utf-8")
    bad = run(tmp_path, "init")
    assert bad.exit_code == 2
    assert "line 9" in bad.output and "unknown key 'colour'" in bad.output


@pytest.mark.parametrize("args", [["crawl", "--source", "nope"]])
def test_crawl_with_unknown_source_exits_2(tmp_path, args):
    (tmp_path / "sources.yaml").write_text(PLAN, encoding="utf-8")
    result = run(tmp_path, *args)
    assert result.exit_code == 2 and "unknown source id 'nope'" in result.output
