"""The cheap tests extraction runs before its costly patterns give the patterns' own answers:
a frame's pattern is tried only where a set lookup says it can match, and that lookup never
says no where the pattern matches (the labelled sentences, and letters that match others
case-insensitively)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.name_frames import acts_at, type_after
from veille.name_lexicon import ACTS_AFTER, TYPE_AFTER
from veille.reference_text import fold
from veille.references import extract

FIXTURES = Path(__file__).parent / "fixtures" / "references"

# a product type and a verb written with the dotless i, the long s and the Kelvin sign, which
# match i, s and k case-insensitively, and in capitals
LOOKALIKES = [
    "the NexaLink edge gateway ships", "les capteurs \u017fenſors X1", "le ROBOTS R2D2 lance",
    "ActiveGuard \u212aiosk units", "Nordson launches the ProBlue", "Acme ınstalls the X9 prınter",
    "Haas has acquired Zeta", "Fanuc s'associe avec Sybot", "Kuka Unveils Iiwa sensors",
]


def texts() -> list[str]:
    found = list(LOOKALIKES)
    for path in sorted(FIXTURES.glob("*.jsonl")):
        found += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    return [fold(text) for text in found]


def spans(m) -> tuple[int, int] | None:
    return m.span() if m else None


@pytest.mark.parametrize("tested, pattern", [(type_after, TYPE_AFTER), (acts_at, ACTS_AFTER)])
def test_a_frame_tested_first_matches_where_its_pattern_does(tested, pattern):
    for text in texts():
        for at in (i for i, c in enumerate(text) if c == " "):
            assert spans(tested(text, at)) == spans(pattern.match(text, at)), (text, at)


def test_names_are_found_with_the_letters_that_match_others():
    refs = {(r.kind, r.key) for r in extract("Staubli et KUKA présentent le cobot ſpot-X2 chez Stäubli.", "fr",
                                             names=True)}
    assert ("organisation", "KUKA") in refs and ("organisation", "Stäubli") in refs


def test_listed_names_in_text_that_is_not_plain_are_found_where_they_stand():
    """A character that matches a Latin-1 one case-insensitively (the Greek mu: the micro sign)
    makes a text not plain; the listed names, matched as written, are still looked for only
    where the text's words allow, and found as in the same text without that character."""
    from veille.references import _names
    from veille.reference_text import Text
    text = ("Précision de 5 {} : KUKA et Stäubli présentent le KR 1000 titan, et FANUC le CRX-10iA "
            "chez Trumpf ({}m).")
    wide, plain = text.format("\u03bcm", "\u03bc"), text.format("?m", "?")
    assert not Text(fold(wide), _names().vocabulary).plain and Text(fold(plain), _names().vocabulary).plain

    def names(t):
        return [(r.kind, r.key) for r in extract(t, "fr", names=True) if r.kind in ("organisation", "product")]
    assert names(wide) == names(plain)
    assert {("organisation", "KUKA"), ("organisation", "Stäubli"), ("organisation", "FANUC")} <= set(names(wide))
