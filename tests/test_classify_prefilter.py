"""Required strings of a rule: text without them cannot match, whatever the rule says."""
import random
import re

import pytest

from veille.classify.features import FIELD_JOIN
from veille.classify.prefilter import Needle, group_needles, present_needles, required_strings
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


def test_grouped_needles_are_found_exactly_where_each_alone_is():
    needles = frozenset().union(*(required_strings(re.compile(p)) for p in PATTERNS[:3] + RULES))
    groups = group_needles(needles)
    assert sorted(n for _key, members in groups for n in members) == sorted(needles)
    assert all(key in n.text for key, members in groups for n in members)
    rnd = random.Random(7)
    for _ in range(3000):
        text = "".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 12)))
        assert sorted(present_needles(groups, text)) == sorted(n for n in needles if n.text in text)
        for n in needles:
            places = list(n.places(text))
            assert all(text.startswith(n.text, at) for at in places)
            assert n.found_in(text) == bool(places)
            assert n.bounded or places == [at for at in range(len(text)) if text.startswith(n.text, at)]


def test_items_to_check_are_those_holding_a_required_string_with_the_strings_they_hold():
    taxonomy = load_taxonomy()
    rnd = random.Random(11)
    for _ in range(300):
        fields = ["".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 6))) for _ in range(8)]
        joined = FIELD_JOIN.join(fields)
        found = taxonomy.items_to_check(joined)
        for i in range(4):
            text = FIELD_JOIN.join(fields[2 * i:2 * i + 2])
            holds = frozenset(n for n in taxonomy._needles if n.found_in(text))
            assert found.get(i) == ((text, holds) if holds else None), text
