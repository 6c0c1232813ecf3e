"""Common words of French and English, from ``wordfreq``: what tells a sentence's first word,
a weekday, a city or a first name from a maker's name (``reference_context``).

Building the sets reads wordfreq's two frequency lists (about 0.4 s and 80 MB while they are
read); the words kept (about 28,000) are written once to a small cache file, read in about
20 ms by later processes. The file is named after wordfreq's version and the thresholds, so a
new wordfreq or a new threshold rebuilds it; where it cannot be written, the sets are built in
memory each time.
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from veille.reference_text import fold

COMMON_ZIPF = 3.5          # "fetch" 3.65, "zebra" 3.40, "nordson" 1.17, "mardi" 4.73
VERY_COMMON_ZIPF = 4.8     # "global" 4.8, "new" 6: no company's first word in a head-word name


def _cache_file() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "veille" / f"common-words-{version('wordfreq')}-{COMMON_ZIPF}-{VERY_COMMON_ZIPF}.txt"


@lru_cache(maxsize=1)
def common_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(common, very common): words at least as frequent as each threshold in French or
    English, folded (no accents) and lowercased."""
    path = _cache_file()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = _build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass            # a read-only home: built again by the next process
    common = frozenset(line[2:] for line in lines)
    return common, frozenset(line[2:] for line in lines if line[0] == "2")


def _build() -> list[str]:
    """Lines "1 word" (common) and "2 word" (very common), from wordfreq's lists."""
    import wordfreq

    levels: dict[str, int] = {}
    for lang in ("en", "fr"):
        for word, freq in wordfreq.get_frequency_dict(lang).items():
            level = 2 if freq >= 10 ** (VERY_COMMON_ZIPF - 9) else 1 if freq >= 10 ** (COMMON_ZIPF - 9) else 0
            if level:
                folded = fold(word)
                levels[folded] = max(level, levels.get(folded, 0))
    for cached in (wordfreq.get_frequency_dict, wordfreq.get_frequency_list):
        getattr(cached, "cache_clear", lambda: None)()     # the full lists: 50 MB no longer needed
    return [f"{level} {word}" for word, level in sorted(levels.items())]
