"""Institutions named in an item's opening: universities, agencies, institutes and centres
("Health and Safety Executive", "University of Sheffield"), and French schools, ministries and
training bodies ("l'université de Lorraine", "le Greta du Velay").

They are found by their institution word and the capitalised words around it, not by a verb
or a role before them as other unlisted organisations are (``reference_context``): an
institution seldom "launches" anything, its name says what it is.
"""
from __future__ import annotations

import re

from veille.name_frames import OPENING
from veille.name_lexicon import (
    EVENT_AFTER,
    FR_INSTITUTION,
    FR_INSTITUTION_WORDS,
    INSTITUTION_VOCABULARY,
    INSTITUTIONS,
    LINK_WORDS,
    OPENERS,
    VENUES,
)
from veille.reference_text import Text

_INSTITUTION = re.compile(
    rf"(?<![\w'-])(?:[A-Z][\w-]* (?:(?:and|of|for|de|des|du|et) )?){{0,4}}(?:{'|'.join(INSTITUTIONS)})"
    rf"(?: (?:of|for|and|on|de|des|du|de la|pour|d'|de l')(?: ?[A-Z][\w-]*){{1,3}})*")


_INSTITUTION_NAMES = {word.lower().encode(): [w for w in INSTITUTIONS if w.lower() == word.lower()] for word in INSTITUTIONS}


# an owner's centre is its site, no organisation of its own ("Mazak opens its European Technology Centre")
_OWNED_SITE = re.compile(r"(?<![\w'])(?:its|their|son|sa|leur) $")


def institution_names(t: Text) -> list[tuple[int, int]]:
    """Spans of institution names in the opening: an institution word and capitalised words
    around it, with link words between ("Health and Safety Executive"); two words at least,
    not a sentence's first common word alone."""
    title_end = getattr(t, "title_end", 0)
    found = _french_institutions(t) if not t.plain or not t.words.isdisjoint(FR_INSTITUTION_WORDS) else []
    if t.plain and not any(name in t.folded[title_end:OPENING] for word in t.words.intersection(INSTITUTION_VOCABULARY)
                           for name in _INSTITUTION_NAMES.get(word, ())):
        return found                         # every other name holds an institution word as written
    for m in _INSTITUTION.finditer(t.folded, title_end, OPENING):
        words = m.group().split()
        while words and (words[0] in OPENERS or words[0].lower() in LINK_WORDS):
            words = words[1:]
        if len(words) >= 2 and any(w[:1].isupper() for w in words[1:]) and not EVENT_AFTER.match(t.folded, m.end()) \
                and VENUES.isdisjoint(words):   # "Anaheim Convention Center" is a place
            start = m.end() - len(" ".join(words))
            if not _OWNED_SITE.search(t.folded, max(0, start - 8), start):
                found.append((start, m.end()))
    return found


def _french_institutions(t: Text) -> list[tuple[int, int]]:
    """Spans of French schools, ministries and training bodies in the opening: "l'université
    de Lorraine", "le Greta du Velay", "le lycée Dorian" (``FR_INSTITUTION``)."""
    return [m.span("name") for m in FR_INSTITUTION.finditer(t.folded, 0, OPENING)
            if not m.group("name")[:1].isupper() or not _shouted(t.folded, m.start(), m.end())]


def _shouted(folded: str, start: int, end: int) -> bool:
    return not any(c.islower() for c in folded[max(0, start - 30):end + 30])
