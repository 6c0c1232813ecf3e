"""The taxonomy as data: topics with labels, descriptions, borderline rules, and
high-precision patterns applied after the model (veille/classify/taxonomy.yaml)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from veille.classify.features import FIELD_JOIN, clean, fold
from veille.classify.prefilter import (Needle, Needles, PieceFlags, group_needles, present_needles,
                                       required_strings)

TAXONOMY_FILE = Path(__file__).resolve().parent / "taxonomy.yaml"
MEASURED_TOPICS = ["robotics", "additive_manufacturing", "iot", "regulation", "qse"]


class TaxonomyError(ValueError):
    """The taxonomy file is not usable; the message names the file and the entry."""


@dataclass
class Topic:
    id: str
    label: dict[str, str]
    description: dict[str, str]
    borderline: list[str] = field(default_factory=list)


@dataclass
class Rule:
    pattern: re.Pattern
    add: list[str]
    remove: list[str]
    why: str = ""
    unless: re.Pattern | None = None   # the rule does not apply when this also matches
    match: str = ""                    # the pattern as written


@dataclass
class Taxonomy:
    topics: list[Topic]
    rules: list[Rule]
    _any: re.Pattern | None = None
    _needles: Needles | None = None
    _rule_needles: list[Needles | None] = field(default_factory=list)
    _groups: list = field(default_factory=list)
    flags: PieceFlags | None = None    # the rules' needles read piece by piece, when usable

    def __post_init__(self) -> None:
        # one search tells whether any rule can apply: most items skip the rules entirely
        if self.rules:
            self._any = re.compile(r"\b(?:" + "|".join(f"(?:{r.match})" for r in self.rules) + ")")
            # a rule matches only text holding one of its required strings; substring
            # tests rule out most items for less than one regex scan of the chunk
            self._rule_needles = [required_strings(r.pattern) for r in self.rules]
            if None not in self._rule_needles:
                self._needles = frozenset().union(*self._rule_needles)
                self._groups = group_needles(self._needles)
                flags = PieceFlags(self._needles)
                self.flags = flags if flags.usable else None

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.topics]

    def apply_rules(self, title: str, summary: str, assigned: set[str]) -> dict[str, str]:
        """Topics changed by rules: topic -> 'add' or 'remove' (assigned is updated)."""
        return self.apply_rules_folded(fold(clean(title) + FIELD_JOIN + clean(summary)), assigned)

    def items_to_check(self, joined: str, per_item: int = 2) -> dict[int, tuple[str, Needles | None]]:
        """Items of a chunk (fields joined by FIELD_JOIN) where a rule may apply, with
        their text and the rules' required strings found in it (None: not looked for):
        substring scans for the rules' required strings, or, when a rule has none, one
        search over the chunk, skipping to the next item after a hit."""
        if not self.rules:
            return {}
        fields = joined.split(FIELD_JOIN)
        starts, pos = [], 0
        for j, text in enumerate(fields):
            if j % per_item == 0:
                starts.append(pos)
            pos += len(text) + len(FIELD_JOIN)
        starts.append(pos)       # where an item after the last would start
        if self._needles is not None:
            return self._items_with_needles(joined, fields, starts, per_item)
        found: dict[int, tuple[str, Needles | None]] = {}
        pos = 0
        while (match := self._any.search(joined, pos)) is not None:
            i = bisect_right(starts, match.start()) - 1
            found[i] = (FIELD_JOIN.join(fields[i * per_item:(i + 1) * per_item]), None)
            if i + 2 >= len(starts):
                break
            pos = starts[i + 1]
        return found

    def _items_with_needles(self, joined: str, fields: list[str], starts: list[int],
                            per_item: int) -> dict[int, tuple[str, Needles | None]]:
        """Items holding a required string of some rule: more than the rules will change
        (``apply_rules_folded`` then tells), never fewer. Each place a string is found
        belongs to the item it falls in (FIELD_JOIN, between items, holds none of them)."""
        per_item_needles: dict[int, set[Needle]] = {}
        for needle in present_needles(self._groups, joined):
            for at in needle.places(joined):
                i = bisect_right(starts, at) - 1
                if at + len(needle.text) <= starts[i + 1] - len(FIELD_JOIN):
                    per_item_needles.setdefault(i, set()).add(needle)
        return {i: (FIELD_JOIN.join(fields[i * per_item:(i + 1) * per_item]), frozenset(found))
                for i, found in sorted(per_item_needles.items())}

    def items_with_bits(self, joined: str, bits: list[int], per_item: int = 2
                        ) -> dict[int, tuple[str, Needles | None]]:
        """What ``items_to_check`` gives, from the OR of each item's pieces' ``flags``
        (``joined`` holding exactly the chunk's fields): items with no bit are skipped
        without reading their text."""
        found: dict[int, tuple[str, Needles | None]] = {}
        fields: list[str] = []
        for i, item_bits in enumerate(bits):
            if item_bits and self.flags.candidates(item_bits) != ((), ()):
                fields = fields or joined.split(FIELD_JOIN)
                text = FIELD_JOIN.join(fields[i * per_item:(i + 1) * per_item])
                present = self.flags.present(item_bits, text)
                if present:
                    found[i] = (text, present)
        return found

    def apply_rules_folded(self, text: str, assigned: set[str],
                           present: Needles | None = None) -> dict[str, str]:
        """The same, on text already cleaned, lowercased and without accents; ``present``:
        the rules' required strings the text holds, when known (``items_to_check``)."""
        if not self.rules or self._needles is None and not self._any.search(text):
            return {}   # with required strings known, the loop below skips rules as fast
        changes: dict[str, str] = {}
        for rule, needles in zip(self.rules, self._rule_needles):
            if needles is not None and (needles.isdisjoint(present) if present is not None
                                        else not any(n.found_in(text) for n in needles)):
                continue
            if rule.pattern.search(text) and not (rule.unless and rule.unless.search(text)):
                for t in rule.remove:
                    if t in assigned:
                        assigned.discard(t)
                        changes[t] = "remove"
                for t in rule.add:
                    if t not in assigned:
                        assigned.add(t)
                        changes[t] = "add"
        return changes


def load_taxonomy(path: Path | str = TAXONOMY_FILE) -> Taxonomy:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{path}: cannot read the taxonomy ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TaxonomyError(f"{path}: expected a mapping with a 'topics' list")
    topics = [_topic(path, i, t) for i, t in enumerate(data["topics"])]
    ids = [t.id for t in topics]
    rules = [_rule(path, i, r, ids) for i, r in enumerate(data.get("rules") or [])]
    return Taxonomy(topics, rules)


def _topic(path: Path, i: int, entry) -> Topic:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise TaxonomyError(f"{path}: topic #{i + 1} needs an 'id'")
    return Topic(id=entry["id"], label=dict(entry.get("label") or {}),
                 description=dict(entry.get("description") or {}),
                 borderline=list(entry.get("borderline") or []))


def _rule(path: Path, i: int, entry, ids: list[str]) -> Rule:
    where = f"{path}: rule #{i + 1}"
    if not isinstance(entry, dict) or not isinstance(entry.get("match"), str):
        raise TaxonomyError(f"{where} needs a 'match' pattern")
    pattern = _compile(where, r"\b(?:" + entry["match"] + ")")   # from the start of a word
    unless = _compile(where, entry["unless"]) if entry.get("unless") else None
    add, remove = list(entry.get("add") or []), list(entry.get("remove") or [])
    unknown = [t for t in add + remove if t not in ids]
    if unknown:
        raise TaxonomyError(f"{where}: unknown topic(s) {', '.join(unknown)}")
    return Rule(pattern, add, remove, str(entry.get("why") or ""), unless, entry["match"])


def _compile(where: str, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise TaxonomyError(f"{where}: bad pattern {pattern!r} ({exc})") from exc
