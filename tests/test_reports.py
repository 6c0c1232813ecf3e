"""Watch reports: built over a period with items and over an empty one, the Word document
(opened with python-docx: stories, chart image), register changes from the audit trail,
saved reports, the pages and the command."""
from __future__ import annotations

import asyncio
import io
import re
from datetime import date, timedelta
from html import unescape

import docx
import pytest
from click.testing import CliRunner

from catalogue_support import build_watch
from veille import store
from veille.capitalise import reports, sheets
from veille.capitalise.chart_png import COLOURS, weekly_bars_png
from veille.capitalise.docx_report import report_docx
from veille.catalogue.app import build_datasette
from veille.cli import main
from veille.config import Settings
from veille.store import audit

TODAY = date.today()
EMPTY = ("2001-01-01", "2001-01-31")


@pytest.fixture(scope="module")
def watch(tmp_path_factory):
    path = tmp_path_factory.mktemp("reports") / "veille.db"
    ids = build_watch(path)
    db = store.connect(path)
    sheets.create_sheet(db, sheets.SheetDraft(title="Réseau 5G privé pour l'usine", item_ids=[ids["private-5g-plant"]]),
                        "ana@example.org")
    # a register change, as the register records it, dated inside the period
    audit.record(db, "qse@example.org", "update", "register_entry", 41, {"reference": "Règlement (UE) 2023/1230",
                 "title": "Règlement machines", "status": "to_assess"},
                 {"reference": "Règlement (UE) 2023/1230", "title": "Règlement machines", "status": "compliant"})
    db.conn.close()
    return path, ids


@pytest.fixture
def db(watch):
    conn = store.connect(watch[0])
    yield conn
    conn.conn.close()


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_report_of_the_last_weeks_has_stories_sheets_register_and_weeks(db):
    report = reports.build_report(db, TODAY - timedelta(days=29), TODAY)
    assert report.total_items == 11 and not report.empty
    robotics = [s["title"] for s in report.stories["robotics"]]
    assert "New cobot with a 30 kg payload for palletising" in robotics
    assert [s["title"] for s in report.new_sheets] == ["Réseau 5G privé pour l'usine"]
    change = report.register_changes[0]
    assert change["reference"] == "Règlement (UE) 2023/1230" and change["changed"] == ["status"]
    assert sum(r["n"] for r in report.weekly if r["topic"] == "robotics") == report.per_topic["robotics"]
    assert all(r["week"] in report.weeks for r in report.weekly)


def test_topic_and_group_narrow_the_report(db):
    report = reports.build_report(db, TODAY - timedelta(days=29), TODAY, topic="additive_manufacturing")
    assert set(report.stories) == {"additive_manufacturing"} and report.new_sheets == []
    regulatory = reports.build_report(db, TODAY - timedelta(days=29), TODAY, group="regulatory")
    assert regulatory.total_items == 2


def test_empty_period_is_a_report_that_says_so(db):
    report = reports.build_report(db, *EMPTY)
    assert report.empty and report.stories == {}
    text = text_of(report_docx(report, "fr"))
    assert "Rien dans cette période" in text and "2001-01-01" in text


@pytest.mark.parametrize("start, end, message", [("2026-13-01", None, "YYYY-MM-DD"),
                                                 ("2026-05-02", "2026-05-01", "starts"),
                                                 ("2020-01-01", "2026-01-01", "at most")])
def test_bad_periods_are_refused_clearly(db, start, end, message):
    with pytest.raises(reports.ReportError, match=message):
        reports.build_report(db, start, end)


def test_document_has_the_stories_the_register_and_the_chart_image(db):
    report = reports.build_report(db, TODAY - timedelta(days=29), TODAY)
    data = report_docx(report, "en")
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1
    image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[image].blob.startswith(b"\x89PNG")
    text = text_of(data)
    for expected in ("Key stories", "New cobot with a 30 kg payload for palletising", "Réseau 5G privé pour l'usine",
                     "Règlement (UE) 2023/1230", "Items per topic per week"):
        assert expected in text


def _pixels(png: bytes) -> tuple[int, int, set[tuple[int, int, int]]]:
    """Width, height and colours of a PNG as chart_png writes it (RGB, filter 0)."""
    import struct
    import zlib
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", data[:8])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + 3 * width
    colours = {tuple(raw[y * stride + 1 + 3 * x: y * stride + 4 + 3 * x]) for y in range(height) for x in range(width)}
    return width, height, colours


def test_chart_png_draws_one_colour_per_topic_with_items():
    rows = [{"topic": "robotics", "week": "2026-11-02", "n": 4}, {"topic": "iot", "week": "2026-11-09", "n": 2}]
    width, height, colours = _pixels(weekly_bars_png(rows, ["2026-11-02", "2026-11-09"], ["robotics", "iot"], height=200))
    assert height == 200 and width > 2 * 18
    # each topic in its taxonomy colour: robotics first, iot third; additive (second) absent
    assert COLOURS[0] in colours and COLOURS[2] in colours and COLOURS[1] not in colours


def test_saved_report_keeps_its_content_and_document(db):
    report = reports.build_report(db, TODAY - timedelta(days=29), TODAY)
    report_id = reports.save_report(db, report, report_docx(report), "ana@example.org", "Revue mensuelle")
    row, kept = reports.saved_report(db, report_id)
    assert row["title"] == "Revue mensuelle" and kept.total_items == report.total_items
    assert audit.history(db, "report", report_id)[0]["actor"] == "ana@example.org"


@pytest.fixture(scope="module")
def ds(watch):
    ds = build_datasette(watch[0], Settings(db_path=watch[0], base_url="http://catalogue.test/"))
    asyncio.run(ds.invoke_startup())
    return ds


def get(ds, url, **kw):
    return asyncio.run(ds.client.get(url, **kw))


def test_report_page_and_download(ds):
    page = get(ds, "/reports")
    assert page.status_code == 200 and "New cobot with a 30 kg payload" in unescape(page.text) and "<svg" in page.text
    download = get(ds, "/reports/report.docx?topic=robotics")
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "New cobot with a 30 kg payload for palletising" in text_of(download.content)


def test_report_page_over_an_empty_period_and_a_bad_one(ds):
    empty = get(ds, f"/reports?from={EMPTY[0]}&to={EMPTY[1]}")
    assert empty.status_code == 200 and "Rien dans cette période" in unescape(empty.text)
    bad = get(ds, "/reports?from=2026-05-02&to=2026-05-01")
    assert bad.status_code == 400 and "starts" in bad.text


def test_saving_a_report_needs_a_login_and_keeps_it(ds):
    assert asyncio.run(ds.client.post("/reports/save", data={"from": "2026-01-01"})).status_code == 403
    cookies = {"ds_actor": ds.sign({"a": {"id": "editor@example.org"}}, "actor")}
    page = get(ds, "/reports", cookies=cookies)
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    cookies["ds_csrftoken"] = page.cookies.get("ds_csrftoken")
    saved = asyncio.run(ds.client.post("/reports/save", data={"csrftoken": token, "title": "Point robotique",
                                                              "topic": "robotics"}, cookies=cookies))
    assert saved.status_code == 302
    kept = get(ds, saved.headers["location"])
    assert "Point robotique" in unescape(kept.text)
    assert "New cobot" in text_of(get(ds, saved.headers["location"] + ".docx").content)


def test_report_command_writes_the_document(watch, tmp_path):
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["--db", str(watch[0]), "report", "--from", EMPTY[0], "--to", EMPTY[1],
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Nothing in" in result.output and "Rien dans cette période" in text_of(out.read_bytes())
    bad = CliRunner().invoke(main, ["--db", str(watch[0]), "report", "--from", "x", "--output", str(out)])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_a_topic_has_the_same_colour_on_every_chart():
    import re as _re

    from veille.catalogue.chart import weekly_bars

    weeks = ["2026-11-16", "2026-11-23"]
    rows = [{"topic": "qse", "week": weeks[1], "n": 3}, {"topic": "robotics", "week": weeks[1], "n": 1}]

    def fills(topics):
        svg = weekly_bars(rows, weeks, topics, {t: t for t in topics}, "chart")
        return dict(_re.findall(r'fill="(#[0-9a-f]{6})"/?>\s*<text[^>]*>([^<]+)<', svg))

    overview = {label: colour for colour, label in fills(
        ["robotics", "additive_manufacturing", "iot", "regulation", "qse"]).items()}
    report = {label: colour for colour, label in fills(["qse", "robotics"]).items()}  # by count
    assert report["qse"] == overview["qse"] and report["robotics"] == overview["robotics"]
