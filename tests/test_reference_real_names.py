"""References read in real items: the 413 real FR/EN items of ../shared/corpus/classify (a
headline and a teaser each, rewritten from real pages), their organisations and products
(docs/references.md, "Names on real items") and their standards, EU acts, French texts and
application dates ("References on real items") labelled by the contract's rules. The labels are
kept here by item id (keys, and for the second set the span each is written in); the items
are read from ../shared at test time, never copied.

The items are split by their site's name (CRC-32 of the host, even: "dev", odd: "test"): the
dev half's errors may be read and worked on, the test half's are measured only."""
from __future__ import annotations

import json
import zlib
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, SHARED
from test_references import label_key, spelling, tally
from veille.references import KINDS, NAME_KINDS, item_references

ITEMS = SHARED / "corpus" / "classify" / "dev.jsonl"
LABELS = FIXTURES / "references" / "real_items" / "names_classify.jsonl"
REFERENCE_LABELS = FIXTURES / "references" / "real_items" / "refs_classify.jsonl"

# floors a little under the figures measured when the labels were written (session 21),
# so that a change that loses real names fails here
REAL_TARGETS = {"dev": {"organisation": (0.85, 0.68), "product": (0.72, 0.56)},
                "test": {"organisation": (0.82, 0.60), "product": (0.50, 0.50)}}

# standards, EU acts, French texts and dates: floors a little under session 22's figures
REFERENCE_TARGETS = {"dev": {"standard": (0.97, 0.97), "eu_act": (0.97, 0.80), "fr_text": (0.97, 0.83),
                             "date": (0.93, 0.95)},
                     "test": {"standard": (0.95, 0.95), "eu_act": (0.95, 0.78), "fr_text": (0.85, 0.85),
                              "date": (0.93, 0.88)}}

pytestmark = pytest.mark.skipif(not ITEMS.exists(), reason="../shared/corpus/classify is not here")


def _items() -> dict[str, dict]:
    return {item["id"]: item for item in map(json.loads, ITEMS.read_text(encoding="utf-8").splitlines())}


def half_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return "dev" if zlib.crc32(host.encode()) % 2 == 0 else "test"


@pytest.mark.parametrize("labels, kinds, written", [
    (LABELS, NAME_KINDS, "key"),                # a name's key is as the item writes it
    (REFERENCE_LABELS, KINDS, "text"),          # a reference's key is normalised: its span is kept
])
def test_every_item_is_labelled_once_in_the_half_of_its_site_and_each_label_is_written_in_it(labels, kinds, written):
    items = _items()
    labels = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    assert sorted(label["id"] for label in labels) == sorted(items)
    for label in labels:
        item = items[label["id"]]
        assert label["half"] == half_of(item["url"]), label["id"]
        text = f"{item['title']}\n{item.get('summary') or ''}"
        for ref in label["references"]:
            assert ref["kind"] in kinds and ref[written] in text, (label["id"], ref)


def _figures(labels, half: str, kinds: tuple[str, ...], key, read_key) -> dict[str, tuple[float, float]]:
    """Precision and recall per kind on one half: labelled (kind, ``key``) against what ingest
    reads (kind, ``read_key``)."""
    items, cases = _items(), []
    for line in labels.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        if label["half"] == half:
            item = items[label["id"]]
            got = item_references(item["title"], item.get("summary") or "", "", item["lang"])
            cases.append(({(r["kind"], key(r["key"])) for r in label["references"]},
                          {(r.kind, read_key(r.key)) for r in got if r.kind in kinds}))
    return tally(cases, kinds)


def _hold(figures: dict[str, tuple[float, float]], floors: dict[str, tuple[float, float]], half: str) -> None:
    for kind, (precision, recall) in figures.items():
        least_precision, least_recall = floors[kind]
        print(half, kind, f"P={precision:.3f} R={recall:.3f}")
        assert precision >= least_precision and recall >= least_recall, (kind, precision, recall)


@pytest.mark.parametrize("half", list(REAL_TARGETS))
def test_names_in_real_items_keep_their_figures(half):
    _hold(_figures(LABELS, half, NAME_KINDS, label_key, spelling), REAL_TARGETS[half], half)


def _reference_key(key: str) -> str:
    return " ".join(key.split()).lower()


@pytest.mark.parametrize("half", list(REFERENCE_TARGETS))
def test_references_in_real_items_keep_their_figures(half):
    _hold(_figures(REFERENCE_LABELS, half, KINDS, _reference_key, _reference_key), REFERENCE_TARGETS[half], half)
