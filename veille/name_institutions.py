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
from veille.reference_text import Text, fold

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


# the words of a body's full name, one of which a defined acronym's long form must hold
_BODY_WORDS = frozenset(w.lower() for w in INSTITUTIONS) | frozenset(
    "administration agency federation syndicat group groupe groupement direction banque bank board "
    "committee comite confederation organisation organization fonds fund directorate department "
    "inspectorate inspection observatoire observatory alliance consortium cluster pole reseau network "
    "academie academy universite ecole school college institution".split())
# "la Fédération des industries ferroviaires (FIF)": an acronym of capitals in parentheses
_DEFINED = re.compile(r" \(([A-Z][A-Za-z]{1,7})\)")
_LONG_WORD = re.compile(r"[A-Za-z][\w&'-]*")


def defined_acronyms(t: Text) -> list[tuple[int, int]]:
    """Spans of the bodies the opening names in full with their acronym in parentheses after
    them ("la Fédération des industries ferroviaires (FIF)", "the Federal Railroad
    Administration (FRA)"): the acronym abbreviates the words before it (``abbreviates``) and
    a body's word is among them ("Fédération", "Administration"); "la fabrication additive
    arc-fil (WAAM)", a technique, names no body. Keyed on the acronym (``span_key``)."""
    folded = t.folded
    if "(" not in folded[:OPENING]:
        return []
    found = []
    for m in _DEFINED.finditer(folded, 0, OPENING):
        # the long form is in the acronym's clause
        sentence = max(max(folded.rfind(cut, 0, m.start()), -len(cut)) + len(cut) for cut in (". ", "\n", ": ", ", "))
        matches = list(_LONG_WORD.finditer(folded, sentence, m.start()))[-12:]
        words = [w.group().split("'")[-1] for w in matches]
        start = _long_form(m.group(1), words)
        start = _translated_form(m.group(1), words) if start is None else start
        if start is not None and not _BODY_WORDS.isdisjoint(w.lower() for w in words[start:]):
            found.append((matches[start].end() - len(words[start]), m.start()))
    return found


def abbreviates(acronym: str, name: str) -> bool:
    """Whether an acronym's capitals are the initials of a name's words, in order, its first
    word's first (link words and other small words may go without a letter: "Syndicat national
    des industries de la nutrition animale" -> "SNIA"); a word in capitals gives its letters
    ("UK Atomic Energy Authority" -> "UKAEA"), or in another order for an acronym made in another
    language ("Conseil européen de l'innovation" -> "EIC")."""
    words = [w.group().split("'")[-1] for w in _LONG_WORD.finditer(fold(name))]   # "École" reads "Ecole"
    return bool(words) and (_long_form(acronym, words) == 0 or _translated_form(acronym, words) == 0)


def _long_form(acronym: str, words: list[str]) -> int | None:
    """Where, in ``words``, the long form of an acronym starts (Schwartz and Hearst's match,
    by words): its capitals matched right to left, each by the initial of a word (or by the
    letters of a word in capitals), the first by a capitalised word's; None if they do not."""
    letters = [c for c in acronym if c.isupper()]
    if len(letters) < 2:
        return None
    i = len(letters) - 1
    for w in range(len(words) - 1, -1, -1):
        word = words[w]
        if not word:
            continue
        if len(word) > 1 and word.isupper():
            k = len(word) - 1
            while k >= 0 and i >= 0 and word[k] == letters[i]:
                k, i = k - 1, i - 1
            if i < 0:
                return w if k < 0 else None
            continue
        if word[0].upper() == letters[i] and (i > 0 or word[0].isupper()):
            if i == 0:
                return w
            i -= 1
    return None


_LINKS = frozenset("de du des d la le l les of the and et for pour on sur en in a".split())


def _translated_form(acronym: str, words: list[str]) -> int | None:
    """Where the long form of an acronym made in another language starts: as many words
    before it as it has letters, link words aside, whose initials are its letters in another
    order, the first capitalised ("le Conseil européen de l'innovation (EIC)": European
    Innovation Council); None otherwise."""
    letters = sorted(c for c in acronym if c.isupper())
    if len(letters) < 3 or len(letters) != len(acronym):
        return None
    kept = [w for w in range(len(words)) if words[w] and words[w].lower() not in _LINKS][-len(letters):]
    if len(kept) < len(letters) or not words[kept[0]][:1].isupper():
        return None
    return kept[0] if sorted(words[w][0].upper() for w in kept) == letters else None
