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


def test_dates_are_tried_at_every_place_a_trigger_can_start():
    """In plain text the date pattern is tried only after a trigger's first words (and what
    they go on with): the same matches as trying it everywhere, on every labelled sentence
    and on each trigger written at a text's start, after a line break and mid-sentence."""
    from veille import reference_dates as dates
    from veille.reference_text import Text, scan
    from veille.references import _names

    written = ["avant le 3 mars 2027", "before 3 March 2027", "ahead of March 3, 2027", "prior to 2027-03-03",
               "depuis le 1er mars 2027", "since March 2027", "until 3 March 2027", "jusqu'au 3 mars 2027",
               "jusqu'en mars 2027", "starts on 3 March 2027", "démarre le 3 mars 2027", "débutera en mars 2027",
               "reporté d'un an, au 1er mars 2027", "postponed by a year to 3 March 2027", "extended to March 2027",
               "fixé au 3 mars 2027", "effective au 3 mars 2027", "dès mars 2027", "ending 3 March 2027",
               "ended on 3 March 2027", "prendra fin en mars 2027", "valid until 3 March 2027", "valable jusqu'au 3 mars 2027",
               "enforceable from 3 March 2027", "shut down on 3 March 2027", "discontinued after 3.3.2027",
               "vous aurez jusqu'au 3 mars 2027", "Last order date: 3 March 2027", "the cut-off for files is 3 March 2027",
               "cutoff for files is 3 March 2027", "due by noon on 3 March 2027", "applications close on 3 March 2027",
               "beginning March 2027", "au-delà du 3 mars 2027", "le report au 3 mars 2027", "by the end of March 2027",
               "avant fin mars 2027", "by 17:00 CET on 3 March 2027", "orders will be accepted until 3 March 2027",
               "les candidatures sont ouvertes jusqu'au 3 mars 2027", "Fin du support technique : 03.03.2027",
               "goes live on 3 March 2027", "kicks in on 3 March 2027", "lapses on 3 March 2027",
               "grandfathered until 3 March 2027", "expires at the end of March 2027", "calibration due date on 3 March 2027",
               "reports are due March 3, 2027", "les dossiers sont attendus pour le 3 mars 2027", "devient caduque le 3 mars 2027",
               "changes on 3 March 2027", "s'applique au 3 janv. 2027"]
    found = [json.loads(line)["text"] for path in sorted(FIXTURES.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    found += [f"{w}, les règles changent." for w in written] + [f"Note\n{w} : règle." for w in written] \
        + [f"La règle s'applique {w}." for w in written]
    tried = 0
    for text in found:
        t = Text(text, _names().vocabulary)
        if t.plain:
            tried += 1
            fast = [m.span() for m in scan(dates._DATE, t, lambda: dates._trigger_starts(t, 0, len(t.folded)))]
            assert fast == [m.span() for m in dates._DATE.finditer(t.folded)], text
    assert tried > 3000
