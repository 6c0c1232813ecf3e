"""Names read in real items: the 413 real FR/EN items of ../shared/corpus/classify (a headline
and a teaser each, rewritten from real pages), their organisations and products labelled by the
contract's rules (docs/references.md, "Names on real items"). The labels are kept here as keys
only, by item id; the items are read from ../shared at test time, never copied.

The items are split by their site's name (CRC-32 of the host, even: "dev", odd: "test"): the
dev half's errors may be read and worked on, the test half's are measured only."""
from __future__ import annotations

import json
import zlib
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, SHARED
from test_references import label_key, spelling, tally
from veille.references import NAME_KINDS, item_references

ITEMS = SHARED / "corpus" / "classify" / "dev.jsonl"
LABELS = FIXTURES / "references" / "real_items" / "names_classify.jsonl"

# floors a little under the figures measured when the labels were written (session 21),
# so that a change that loses real names fails here
REAL_TARGETS = {"dev": {"organisation": (0.85, 0.68), "product": (0.72, 0.56)},
                "test": {"organisation": (0.82, 0.60), "product": (0.50, 0.50)}}

pytestmark = pytest.mark.skipif(not ITEMS.exists(), reason="../shared/corpus/classify is not here")


def _items() -> dict[str, dict]:
    return {item["id"]: item for item in map(json.loads, ITEMS.read_text(encoding="utf-8").splitlines())}


def half_of(url: str) -> str:
    host = urlsplit(url).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return "dev" if zlib.crc32(host.encode()) % 2 == 0 else "test"


def test_every_item_is_labelled_once_in_the_half_of_its_site_and_its_keys_are_written_in_it():
    items = _items()
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    assert sorted(label["id"] for label in labels) == sorted(items)
    for label in labels:
        item = items[label["id"]]
        assert label["half"] == half_of(item["url"]), label["id"]
        text = f"{item['title']}\n{item.get('summary') or ''}"
        for ref in label["references"]:
            assert ref["kind"] in NAME_KINDS and ref["key"] in text, (label["id"], ref)


@pytest.mark.parametrize("half", list(REAL_TARGETS))
def test_names_in_real_items_keep_their_figures(half):
    items, cases = _items(), []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        if label["half"] == half:
            item = items[label["id"]]
            cases.append(({(r["kind"], label_key(r["key"])) for r in label["references"]},
                          {(r.kind, spelling(r.key)) for r in item_references(
                              item["title"], item.get("summary") or "", "", item["lang"]) if r.kind in NAME_KINDS}))
    for kind, (precision, recall) in tally(cases, NAME_KINDS).items():
        least_precision, least_recall = REAL_TARGETS[half][kind]
        print(half, kind, f"P={precision:.3f} R={recall:.3f}")
        assert precision >= least_precision and recall >= least_recall, (kind, precision, recall)
