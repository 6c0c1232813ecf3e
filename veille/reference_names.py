"""Names a text can cite, from references.yaml: act names (Machinery Regulation, AI Act),
code names (Code du travail), organisations and products, compiled once into patterns and
word sets so that most texts are ruled out before any pattern runs. The organisations and
products a text frames beyond the lists are veille/framed_names.py's."""
from __future__ import annotations

import re
from typing import Iterator

from veille.framed_names import CODE, FRAME_WORDS, JOB_AFTER, LEGAL_LOWERED, PRODUCT_TYPE_WORDS, TRADE_NAME_WORDS, name_of
from veille.name_lexicon import DIVISIONS, FIELD_WORDS, GENERIC, HEADS, LEGAL, OPENERS, common
from veille.reference_text import PLAIN_PUNCTUATION, Text, fold, lookup_key, occurrences, scan, words_of


def _longest_word(name: str) -> str:
    return max(re.findall(r"\w+", fold(name)), key=len)


_WORD_RUN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


def _headline_spellings(names: list[str]) -> list[str]:
    """The press's other spellings of listed one-word organisations, where no common word has
    them: an acronym of four letters or more as a word ("la Dreal", "l'Ademe"), a lowercase
    brand opening a title ("Igus Launches"). They key on the listed spelling."""
    listed, out = set(names), []
    for name in names:
        if not name.isalpha() or common(fold(name)):
            continue
        other = name.capitalize() if name.isupper() and len(name) >= 4 else \
            name[0].upper() + name[1:] if name[0].islower() else None
        if other and other not in listed:
            out.append(other)
            listed.add(other)
    return out


def _with_aliases(data: dict) -> dict:
    """``data`` with the long names of ``aliases`` listed as organisations (and as bodies,
    the acronym being one)."""
    aliases = data.get("aliases", {})
    organisations, bodies = list(data["organisations"]), list(data.get("bodies", []))
    known, body_spellings = set(map(_spelling, organisations)), set(map(_spelling, bodies))
    for acronym, names in aliases.items():
        organisations += [name for name in names if _spelling(name) not in known]
        if _spelling(acronym) in body_spellings:
            bodies += [name for name in names if _spelling(name) not in body_spellings]
    return {**data, "organisations": organisations, "bodies": bodies}


def _spelling(name: str) -> str:
    """What spellings of one name share: no accents, no case, single spaces."""
    return " ".join(fold(name).lower().split())


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(fold(w)).replace(r"\ ", r"[^\S\n]+") for w in sorted(words, key=len, reverse=True))


def _whole(text: str, start: int, length: int) -> bool:
    """Whether ``text[start:start + length]`` is a whole run of word characters (``\\w+``)."""
    end = start + length
    return not (start and (text[start - 1].isalnum() or text[start - 1] == "_")) \
        and not (end < len(text) and (text[end].isalnum() or text[end] == "_"))


# standards bodies the list leaves out, their acronym being a standard's designator ("ISO 9001"),
# lowered as a text's words are
PUBLISHERS = frozenset((b"iso", b"iec", b"cei", b"astm", b"iatf"))


def _short_name(word: str) -> bool:
    """Whether a listed maker's first word can name it alone before a model: no generic
    acronym, field, head or region word ("3D Systems", "Additive Industries", "Groupe SEB"),
    no word of two letters in small ones ("Go")."""
    return word not in GENERIC and word not in OPENERS and word not in HEADS and word not in DIVISIONS \
        and word.lower() not in FIELD_WORDS and (len(word) > 2 or word.isupper())


def _groups(organisations: list[str]) -> frozenset[str]:
    """Listed organisations whose name opens two other listed names or more that are no legal
    form nor company head word of the same company ("Fives": Fives Machining, Fives Intralogistics)."""
    listed = set(organisations)
    divisions: dict[str, int] = {}
    for name in organisations:
        first, _, rest = name.partition(" ")
        if first in listed and rest and rest.split(" ")[0] not in LEGAL and rest.split(" ")[0] not in HEADS:
            divisions[first] = divisions.get(first, 0) + 1
    return frozenset(fold(name) for name, count in divisions.items() if count >= 2)


class NameSet:
    """Which names of a list a plain text can contain: a name's words are words of the text
    (its separators and the boundaries around it are not letters or digits)."""

    def __init__(self, names: list[str]):
        # per longest word: each name's words, and what it starts with as written (folded,
        # up to its first space: the part of its pattern that is plain characters)
        self._by_word: dict[bytes, list[tuple[frozenset[bytes], str]]] = {}
        for name in names:
            words = frozenset(words_of(fold(name).encode("latin-1", "replace")))
            # the longest word; among words of one length the last in order, not the set's
            # iteration order, which changes with each process's hash seed (and with it which
            # texts the names' hints let through)
            self._by_word.setdefault(max(words, key=lambda w: (len(w), w)), []).append((words, fold(name).split(" ")[0]))
        self.keys = frozenset(self._by_word)   # each name's longest word
        self.words = frozenset().union(*(w for names in self._by_word.values() for w, _ in names))

    def possible(self, words: set[bytes]) -> bool:
        if self.keys.isdisjoint(words):
            return False
        return any(name <= words for key in self.keys & words for name, _ in self._by_word[key])

    def openings(self, words: set[bytes]) -> set[str]:
        """What the names a plain text can contain start with: a match of any other name
        would hold a word the text does not have."""
        return {start for key in self.keys.intersection(words) for name, start in self._by_word[key]
                if name <= words}


class Names:
    """The data file's names compiled once: act names, code names, organisations, products."""

    def __init__(self, data: dict, *, kinds: tuple[str, ...], article_list: str,
                 vocabulary: frozenset[bytes]):
        """``kinds``: the name kinds listed in the data file (key: the kind + "s");
        ``article_list``: the pattern of a list of code articles; ``vocabulary``: the words
        other extractors look up, kept in a text's word set with the names' words."""
        data = _with_aliases(data)
        self._acts: dict[str, str] = {}
        loose, exact = [], []
        for key, entry in data["eu_acts"].items():
            for name in entry.get("names", []):
                self._acts[fold(name).lower()] = key
                loose.append(name)
            for name in entry.get("exact", []):
                self._acts[fold(name).lower()] = key
                exact.append(name)
        self.act_set = NameSet(loose + exact)
        self.named_acts = frozenset(data["eu_acts"])     # the acts known by a common name
        self.acts = re.compile(rf"(?<![\w/-])(?:(?i:{_alternation(loose)})|{_alternation(exact)})(?![\w/-])")
        self._codes = {fold(s).lower(): code for code, spellings in data["codes"].items() for s in spellings}
        codes = _alternation(list(self._codes))
        self._laws = {fold(name).lower(): key for key, names in data["fr_laws"].items() for name in names}
        laws = _alternation(list(self._laws))
        # "loi AGEC", "la loi « Climat et résilience »", "the AGEC law" (not "loi ASAP 2", another text)
        self.laws = re.compile(rf"(?<![\w-])(?i:loi)\s+(?:(?i:dite)\s+)?(?:«\s?|\")?(?P<law>(?i:{laws}))(?:\s?»|\")?(?![\w-]|\s\d)")
        self.laws_before = re.compile(rf"(?<![\w-])(?:«\s?|\")?(?P<law>(?i:{laws}))(?:\s?»|\")?\s+(?i:law)$")
        self.articles = re.compile(
            rf"(?i:articles?|art\.)\s+{article_list}(?:\s+(?i:et\s+suivants|and\s+following))?"
            rf"\s+(?i:du|de\s+la|de\s+l'|des|of\s+the|of)\s+"
            rf"(?P<code>(?i:{codes}))(?!\w)"
            # the code named first: "Code de l'environnement : l'article L. 541-10"
            rf"|(?P<code2>(?i:{codes}))\s*(?:,|\(|:)?\s*(?i:l'|les\s|the\s)?\s*(?i:articles?|art\.)\s+"
            + article_list.replace("?P<list>", "?P<list2>"))
        # Without the leading lookbehind, re can skip to the names' first letters; the
        # lookbehind is checked on each hit instead (see _bounded).
        data = {**data, "organisations": data["organisations"] + _headline_spellings(data["organisations"])}
        # a listed organisation ends before "-owned", "-backed" ("the Teradyne-owned company")
        self._ends = {kind: r"(?:(?![\w-])" + (r"|(?=-(?:owned|backed|based|led|funded)(?!\w)))"
                                               if kind == "organisation" else ")") for kind in kinds}
        self.named = {kind: re.compile(rf"(?:{_alternation(data[kind + 's'])}){self._ends[kind]}") for kind in kinds}
        # each name's alternative under what it starts with (as NameSet.openings gives it), with
        # its place in the alternation, for named_from
        self._by_opening: dict[str, dict[str, list[tuple[int, str]]]] = {kind: {} for kind in kinds}
        for kind in kinds:
            for i, name in enumerate(sorted(data[kind + "s"], key=len, reverse=True)):   # _alternation's order
                self._by_opening[kind].setdefault(fold(name).split(" ")[0], []).append((i, _alternation([name])))
        self._named_from: dict[tuple[str, frozenset[str]], re.Pattern] = {}
        self.name_sets = {kind: NameSet(data[kind + "s"]) for kind in kinds}
        # listed names as a headline in capitals writes them: their words in small letters
        # -> the name as folded ("DASSAULT SYSTEMES"); none a common word ("SHELL", "SPOT")
        # but those the news make common (``headline_names``: "BOEING", "GM")
        headline = {_spelling(name) for name in data.get("headline_names", [])}
        self.cased = {_spelling(name): fold(name) for kind in kinds
                      for name in data[kind + "s"] + (data.get("product_families", []) if kind == "product" else [])
                      if len(name) > 1 and (not common(fold(name)) and len(name) > 2 or _spelling(name) in headline)}
        self.cased_products = frozenset(_spelling(name) for name in data["products"] + data.get("product_families", []))
        # spellings of one listed name meet on its first spelling (Staubli, STAUBLI: Stäubli)
        self._canonical = {}
        for kind in kinds:
            for name in data[kind + "s"]:
                self._canonical.setdefault((kind, _spelling(name)), name)
        # a body's long name keys on its acronym ("Institut national de recherche et de
        # sécurité": INRS), as the acronym's own spellings do
        for acronym, names in data.get("aliases", {}).items():
            key = self._canonical.get(("organisation", _spelling(acronym)), acronym)
            for name in names:
                self._canonical[("organisation", _spelling(name))] = key
        # bodies named by an acronym only in English text ("the HSE"; "responsable HSE" is a job),
        # not as a job's or a system's modifier ("HSE manager")
        english = data.get("bodies_in_english", [])
        self.english_words = frozenset(fold(name).lower().encode() for name in english)
        self.english_bodies = re.compile(rf"(?<![\w/-])(?:{_alternation(english)})(?![\w/-])(?! (?:{JOB_AFTER}))")
        self._bodies = {_spelling(name) for name in data.get("bodies", []) + english}
        # makers whose name is a common word: read where they act, own or are apposed (references.py)
        word_makers = data.get("makers_as_words", [])
        self.word_maker_set = NameSet(word_makers)
        self.word_makers = re.compile(rf"(?<![\w/-])(?:{_alternation(word_makers)})(?![\w/-])")
        # products named by a common word, read only where their maker is named: product ->
        # the spellings of its makers ("Fusion": Autodesk)
        by_maker = data.get("products_as_words", {})
        self._word_product_makers: dict[str, frozenset[str]] = {}
        for maker, names in by_maker.items():
            for name in names:
                self._word_product_makers[name] = self._word_product_makers.get(name, frozenset()) | {_spelling(maker)}
        self.word_product_set = NameSet(list(self._word_product_makers))
        self.word_products = re.compile(rf"(?<![\w/-])(?:{_alternation(list(self._word_product_makers))})(?![\w/-])")
        # models named by a number alone after their maker: folded maker -> its numbers
        self.numbered_models = {fold(maker).lower(): frozenset(numbers)
                                for maker, numbers in data.get("numbered_models", {}).items()}
        families = data.get("product_families", [])
        # a product family followed by a model code: "SIMATIC S7-1500", "TruPrint 3000"
        self.family_set = NameSet(families)
        # (and a series' letter after the code: "Allrounder 570 A")
        self.families = re.compile(rf"(?:{_alternation(families)})[^\S\n]+{CODE}(?:[^\S\n][A-Z](?=[^\S\n][a-zà-ÿ]|[,.;:)]))?(?![\w-])")
        # the first words of listed products and families, where a division's name stops ("HTC Vive Focus")
        # a maker's short name: a listed organisation's first word before a head or division word
        # ("Citizen Machinery": "Citizen L20" is the maker and its model)
        organisations, bodies = set(data["organisations"]), set(data.get("bodies", []))
        # (makers only: not the general news names', "Vector Institute", "Power Technology")
        short = [fold(name).split(" ")[0] for name in data.get("makers", data["organisations"])   # the lists' order
                 if name.count(" ") == 1 and name.split(" ")[1] in HEADS | DIVISIONS
                 and name.split(" ")[0] not in organisations and name not in bodies
                 and _short_name(name.split(" ")[0])]
        self.short_makers = frozenset(short)
        # one spelling per lowercase key, the first listed ("NEURA", "Neura"): taken from a
        # set, which one won changed from run to run with Python's string hashing
        self.short_maker_keys: dict[bytes, str] = {}
        for name in short:
            self.short_maker_keys.setdefault(name.lower().encode("latin-1", "replace"), name)
        self.short_maker_words = frozenset(self.short_maker_keys)
        # those written in ASCII letters only, each a word of its listed name (vocabulary)
        self.short_maker_letters = frozenset(key for key, name in self.short_maker_keys.items()
                                             if name.isascii() and name.isalpha())
        self.publisher_or_short_words = self.short_maker_words | PUBLISHERS
        # a group: a listed organisation two listed divisions or more are named after ("Fives Machining")
        self.groups = _groups(data["organisations"])
        # a family named alone, read only after its maker with the line's words after it ("HTC Vive Focus Vision")
        self.family_alone = re.compile(rf"(?:{_alternation(families)})(?![\w-])")
        self.product_openers = frozenset(fold(name).split(" ")[0] for name in families + data.get("products", []))
        # a text none of whose words opens a name or a frame names nothing: one set test
        self.name_hints = self.family_set.keys.union(FRAME_WORDS, LEGAL_LOWERED, TRADE_NAME_WORDS,
                                                     *(n.keys for n in self.name_sets.values()))
        self.vocabulary = self.act_set.words.union(vocabulary, self.family_set.words, FRAME_WORDS, PRODUCT_TYPE_WORDS,
                                                   self.english_words, self.word_maker_set.words,
                                                   self.word_product_set.words,
                                                   LEGAL_LOWERED, PUBLISHERS,
                                                   *(n.words for n in self.name_sets.values()))
        # A text can only name an act if it contains a word of the name: one substring test
        # per distinct longest word spares the (slow, case-insensitive) alternation.
        self.act_words = {_longest_word(n).lower() for n in loose} | {_longest_word(n).lower() for n in exact}
        # A name can only start where a word equal to its first word starts (its first
        # character is a letter or digit and nothing word-like precedes it): the slow
        # alternation is tried at those places only.
        self._act_firsts = {re.findall(r"\w+", fold(n).lower())[0] for n in loose + exact}
        # those of ASCII letters, as the text's words hold them (each is a word of its name)
        self._act_first_words = {first: first.encode() for first in self._act_firsts
                                 if first.isascii() and first.isalpha()}
        # the act words in ASCII letters, each a word of its name: one that is a word of a plain
        # text is in its lowered text (the substring tests would pass)
        self._act_word_set = frozenset(w.encode() for w in self.act_words if w.isascii() and w.isalpha())
        # what every name with a first word starts with up to its first space, in ASCII and
        # lowered ("f": "f-gas"): in plain text, where a name matches there (case aside, as the
        # lowered text has it), the first word is looked for with it ("f" alone is in many
        # long texts, "f-gas" in few)
        self._act_openings: dict[str, str] = {}
        for name in loose + exact:
            first, start = re.findall(r"\w+", fold(name).lower())[0], fold(name).lower().split(" ")[0]
            start = start[:next((i for i, c in enumerate(start) if not c.isascii()), len(start))]
            known = self._act_openings.get(first, start)
            while not start.startswith(known):
                known = known[:-1]
            self._act_openings[first] = known if known.startswith(first) else first
        assert set(self._act_first_words.values()) <= self.vocabulary and self.short_maker_letters <= self.vocabulary \
            and self._act_word_set <= self.vocabulary

    def act_names(self, t: Text) -> Iterator[re.Match]:
        """The matches of ``acts`` in ``t.folded``, found faster: a name needs its words (its
        longest word in text that is not plain), and can only start at one of its first words."""
        if t.plain and not self.act_set.possible(t.words):
            return
        # in text that is not plain, the letters a name's case-insensitive pattern reads as
        # ASCII ones are read so by the word tests too ("Low Voltage Directıve": "directive")
        folded = t.folded
        lowered = t.lowered if t.plain else lookup_key(folded)
        # a name starts with one of a few words: the set of the text's words rules most texts
        # out at once, before the substring tests (which "red" or "act" inside words pass)
        if t.plain and len(lowered) == len(folded):
            # A first word written whole (a run of \w) is a word of the spaced view, where a
            # run of letters beyond ASCII is a space: the set test keeps it, and may keep one
            # written only inside such a run, which the _whole test below drops. Spares
            # listing the words of a long text.
            firsts = {first for first in self._act_firsts if first not in self._act_first_words
                      and any(_whole(lowered, i, len(first)) for i in occurrences(lowered, first))}
            firsts.update(first for first, word in self._act_first_words.items() if word in t.words)
        else:
            firsts = self._act_firsts.intersection(_WORD_RUN.findall(lowered))
        if not firsts:
            return
        if (not t.plain or self._act_word_set.isdisjoint(t.words)) and not any(w in lowered for w in self.act_words):
            return
        if len(lowered) != len(folded):
            yield from self.acts.finditer(folded)
            return
        end, openings = 0, self._act_openings if t.plain else {}
        for start in sorted(i for first in firsts for i in occurrences(lowered, openings.get(first, first))
                            if _whole(lowered, i, len(first))):
            if start >= end:
                m = self.acts.match(folded, start)
                if m is not None:
                    yield m
                    end = m.end()

    def named_from(self, kind: str, openings: frozenset[str]) -> re.Pattern:
        """``named[kind]`` with only the names that start with one of ``openings``, in the same
        order: where the text starts with these and no other name's opening, the same match
        (no other name can match there; the first alternative that matches with the end
        test wins in both). Its thousands of alternatives are tried one by one at each place,
        these few cost a tenth of it. Compiled on first use, kept (bounded, as a cache)."""
        pattern = self._named_from.get((kind, openings))
        if pattern is None:
            if len(self._named_from) > 8192:
                self._named_from.clear()
            alternatives = sorted(a for opening in openings for a in self._by_opening[kind].get(opening, ()))
            pattern = self._named_from[kind, openings] = re.compile(
                "(?:" + "|".join(a for _, a in alternatives) + ")" + self._ends[kind])
        return pattern

    def act_key(self, name: str) -> str:
        return self._acts[lookup_key(_SPACES.sub(" ", name))]

    def name_key(self, kind: str, name: str) -> str:
        """A name's key: the listed spelling it is a variant of, else the name as written."""
        name = _SPACES.sub(" ", name.translate(PLAIN_PUNCTUATION))   # "CRX‑10iA/L"
        listed = self._canonical.get((kind, _spelling(name)))
        if kind != "organisation":
            return listed or name
        key = name_of(listed or name) or listed or name            # "SICK AG" -> "SICK", "Le Cnam" -> "Cnam"
        article = listed is not None and listed.split(" ")[0] in OPENERS
        return listed if article and " " not in key and common(key) else key   # "La Poste" keeps its article

    def is_listed(self, kind: str, name: str) -> bool:
        return (kind, _spelling(name)) in self._canonical

    def is_act_name(self, name: str) -> bool:
        """Whether a name is an act's ("the CRA's requirements"), not an organisation's."""
        return fold(_SPACES.sub(" ", name)).lower() in self._acts

    def english_bodies_in(self, t: Text) -> list[tuple[int, int]]:
        """Spans of the bodies named by an acronym in English text (the caller knows it is)."""
        if t.plain and self.english_words.isdisjoint(t.words):
            return []
        return [m.span() for m in self.english_bodies.finditer(t.folded)]

    def word_makers_in(self, t: Text) -> list[tuple[int, int]]:
        """Spans of the makers named by a common word, where they could be ("Carbon")."""
        if t.plain and not self.word_maker_set.possible(t.words):
            return []
        # tried where one of the names the text can contain starts only (the pattern's
        # leading lookbehind makes re try it at every place: half a millisecond in a long text)
        return [m.span() for m in scan(self.word_makers, t, lambda: (
            i for opening in self.word_maker_set.openings(t.words) for i in occurrences(t.folded, opening)))]

    def word_products_in(self, t: Text, makers: list[str]) -> list[tuple[int, int]]:
        """Spans of the products named by a common word, written as listed, whose maker is
        among ``makers`` (names as written: "Autodesk", "Rethink Robotics", "Toyota Motor
        Manufacturing UK" for Toyota's)."""
        if not makers or t.plain and not self.word_product_set.possible(t.words):
            return []
        named = {_spelling(m) for m in makers}
        named |= {" ".join(m.split(" ")[:k]) for m in named for k in (1, 2) if m.count(" ") >= k}
        return [m.span() for m in scan(self.word_products, t, lambda: (
            i for opening in self.word_product_set.openings(t.words) for i in occurrences(t.folded, opening)))
            if not named.isdisjoint(self._word_product_makers.get(t.original[m.start():m.end()], ()))]

    def is_body(self, name: str) -> bool:
        """Whether an organisation publishes documents rather than makes products."""
        return _spelling(name) in self._bodies

    def law_key(self, name: str) -> str:
        return self._laws[lookup_key(_SPACES.sub(" ", name))]

    def code_key(self, name: str) -> str:
        return self._codes[lookup_key(_SPACES.sub(" ", name))]
