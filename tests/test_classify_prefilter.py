"""Required strings of a rule: text without them cannot match, whatever the rule says."""
import random
import re

import pytest

from veille.classify.prefilter import Needle, required_strings
from veille.classify.taxonomy import load_taxonomy

PATTERNS = [r"\b(?:robotic process automation|\brpa\b|software bots?\b)", r"iso ?(9001|14001)|ohsas",
            r"\b(laser printers?|imprimantes? (laser|jet d.encre))\b", r"x{2,3}yz", r"(?:ab)+c?",
            r"\b(?:é|ab)\b", r"(?a)\bab\b", r"a[ -]b"]
RULES = [rule.pattern.pattern for rule in load_taxonomy().rules]
WORDS = ["rpa", "terpar", "_rpa", "rpa_", "é", "ab", "éab", "abé", "xxyz", "yz", "laser", "printer",
         "imprimante", "jet d'encre", "iso", "9001", "14001", "ohsas", " ", "-", "a", "b", "c", "\n"]


def test_what_cannot_be_told_is_said():
    assert required_strings(re.compile(r"(?i)toner")) is None
    assert required_strings(re.compile(r"\d+")) is None
    assert required_strings(re.compile(r"a(b|)c")) == {Needle("a")}


def test_a_bounded_string_is_a_whole_word():
    (needle,) = required_strings(re.compile(r"\brpa\b"))
    assert needle.found_in("le rpa.") and needle.found_in("rpa")
    assert not needle.found_in("terpar") and not needle.found_in("rpa_x")


@pytest.mark.parametrize("pattern", PATTERNS + RULES)
def test_text_a_pattern_matches_holds_one_of_its_required_strings(pattern):
    compiled = re.compile(pattern)
    needles = required_strings(compiled)
    assert needles
    rnd = random.Random(pattern)
    for _ in range(3000):
        text = "".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 8)))
        if compiled.search(text):
            assert any(n.found_in(text) for n in needles), (pattern, text)
