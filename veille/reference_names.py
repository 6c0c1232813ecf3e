"""Names a text can cite, from references.yaml: act names (Machinery Regulation, AI Act),
code names (Code du travail), organisations and products, compiled once into patterns and
word sets so that most texts are ruled out before any pattern runs."""
from __future__ import annotations

import re
from typing import Iterator

from veille.reference_text import Text, fold, words_of


def _longest_word(name: str) -> str:
    return max(re.findall(r"\w+", fold(name)), key=len)


_WORD_RUN = re.compile(r"\w+")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(fold(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


class NameSet:
    """Which names of a list a plain text can contain: a name's words are words of the text
    (its separators and the boundaries around it are not letters or digits)."""

    def __init__(self, names: list[str]):
        self._by_word: dict[bytes, list[frozenset[bytes]]] = {}
        for name in names:
            words = frozenset(words_of(fold(name).encode("latin-1", "replace")))
            self._by_word.setdefault(max(words, key=len), []).append(words)
        self._keys = frozenset(self._by_word)
        self.words = frozenset().union(*(w for names in self._by_word.values() for w in names))

    def possible(self, words: set[bytes]) -> bool:
        if self._keys.isdisjoint(words):
            return False
        return any(name <= words for key in self._keys & words for name in self._by_word[key])


class Names:
    """The data file's names compiled once: act names, code names, organisations, products."""

    def __init__(self, data: dict, *, kinds: tuple[str, ...], article_list: str,
                 vocabulary: frozenset[bytes]):
        """``kinds``: the name kinds listed in the data file (key: the kind + "s");
        ``article_list``: the pattern of a list of code articles; ``vocabulary``: the words
        other extractors look up, kept in a text's word set with the names' words."""
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
        self.acts = re.compile(rf"(?<![\w/-])(?:(?i:{_alternation(loose)})|{_alternation(exact)})(?![\w/-])")
        self._codes = {fold(s).lower(): code for code, spellings in data["codes"].items() for s in spellings}
        codes = _alternation(list(self._codes))
        self.articles = re.compile(
            rf"(?i:articles?|art\.)\s+{article_list}\s+(?i:du|de\s+la|de\s+l'|des|of\s+the|of)\s+"
            rf"(?P<code>(?i:{codes}))(?!\w)"
            rf"|(?P<code2>(?i:{codes}))\s*(?:,|\(|:)?\s*(?i:articles?|art\.)\s+"
            + article_list.replace("?P<list>", "?P<list2>"))
        # Without the leading lookbehind, re can skip to the names' first letters; the
        # lookbehind is checked on each hit instead (see _bounded).
        self.named = {kind: re.compile(rf"(?:{_alternation(data[kind + 's'])})(?![\w-])")
                      for kind in kinds}
        self.name_sets = {kind: NameSet(data[kind + "s"]) for kind in kinds}
        self.vocabulary = self.act_set.words.union(vocabulary, *(n.words for n in self.name_sets.values()))
        # A text can only name an act if it contains a word of the name: one substring test
        # per distinct longest word spares the (slow, case-insensitive) alternation.
        self.act_words = {_longest_word(n).lower() for n in loose} | {_longest_word(n).lower() for n in exact}
        # A name can only start where a word equal to its first word starts (its first
        # character is a letter or digit and nothing word-like precedes it): the slow
        # alternation is tried at those places only.
        self._act_firsts = {re.findall(r"\w+", fold(n).lower())[0] for n in loose + exact}

    def act_names(self, t: Text) -> Iterator[re.Match]:
        """The matches of ``acts`` in ``t.folded``, found faster: a name needs its words (its
        longest word in text that is not plain), and can only start at one of its first words."""
        if t.plain and not self.act_set.possible(t.words):
            return
        folded, lowered = t.folded, t.lowered
        # a name starts with one of a few words: the set of the text's words rules most texts
        # out at once, before the substring tests (which "red" or "act" inside words pass)
        if self._act_firsts.isdisjoint(_WORD_RUN.findall(lowered)):
            return
        if not any(w in lowered for w in self.act_words):
            return
        if len(lowered) != len(folded):
            yield from self.acts.finditer(folded)
            return
        end = 0
        for word in _WORD_RUN.finditer(lowered):
            if word.start() >= end and word.group() in self._act_firsts:
                m = self.acts.match(folded, word.start())
                if m is not None:
                    yield m
                    end = m.end()

    def act_key(self, name: str) -> str:
        return self._acts[re.sub(r"\s+", " ", name).lower()]

    def code_key(self, name: str) -> str:
        return self._codes[re.sub(r"\s+", " ", name).lower()]
