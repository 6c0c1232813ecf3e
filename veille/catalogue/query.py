"""What a person types in the search box, turned into a safe FTS5 query.

Words are ANDed, "quoted phrases" stay phrases, a trailing * makes a prefix, OR between two
terms is kept and a leading - excludes a term. Every term is quoted, so FTS5 syntax typed
by accident (a stray quote, a colon, brackets) never reaches SQLite as an error. Accents and
case are ignored by the index itself (unicode61 remove_diacritics 2).
"""
from __future__ import annotations

import re

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_KEEP = re.compile(r"[^\w\s'’-]+", re.UNICODE)


def _term(text: str, prefix: bool = False) -> str | None:
    text = _KEEP.sub(" ", text).replace("’", "'").strip(" -'")
    if not text:
        return None
    return '"' + text.replace('"', "") + '"' + ("*" if prefix else "")


def to_fts(text: str | None) -> str | None:
    """'sécurité "jumeau numérique" robot* -aspirateur' -> an FTS5 expression, or None."""
    if not text or not text.strip():
        return None
    positive: list[str] = []
    negative: list[str] = []
    pending_or = False
    for m in _TOKEN.finditer(text):
        negate = False
        if m.group(2) is not None or m.group(1):
            negate, term = bool(m.group(1)), _term(m.group(2) or "")
        else:
            word = m.group(3)
            if word == "OR" and positive:
                pending_or = True
                continue
            negate = word.startswith("-") and len(word) > 1
            word = word[1:] if negate else word
            term = _term(word.rstrip("*"), prefix=word.endswith("*") and len(word) > 1)
        if term is None:
            continue
        if negate:
            negative.append(term)
        elif pending_or:
            positive[-1] = f"({positive[-1]} OR {term})"
        else:
            positive.append(term)
        pending_or = False
    if not positive:
        return None
    expr = " AND ".join(positive)
    for term in negative:
        expr = f"({expr}) NOT {term}"
    return expr
