"""The second reader of dates: a linear model over the words around a date that the rules
(``reference_dates``) did not take.

The rules read a date as an application date or a deadline when a trigger they know frames
it; every new set of sentences brings wordings they do not know ("remain available through",
"se termine le", "closes to new applications on"). This model, trained on the labelled date
sets of ``tests/fixtures/references`` (their candidates the rules left, read by the current
rules), weighs the words before and after a date, its sentence's words and its place in a list
or a table; a date it scores at ``THRESHOLD`` or more is taken. Ranges ("du 3 au 5 juin
2026") and dates without a year are never candidates. Scoring needs the stored weights only
(``reference_dates.npz``, read by ``veille/word_model.py``: a dictionary lookup per
feature); training needs scikit-learn:

    python -m veille.reference_date_model tests/fixtures/references/dates_heldout*.jsonl \
        tests/fixtures/references/sentences.jsonl

writes the weights and prints, for each file left out in turn, the precision and recall of
the rules alone and of the rules with the model trained on the other files.
"""
from __future__ import annotations

import re
from pathlib import Path


from veille import word_model
from veille.word_model import WordModel, load, words_around

MODEL = Path(__file__).with_name("reference_dates.npz")
THRESHOLD = 0.5         # chosen by leaving each labelled set out in turn (docs/references.md)
C = 1.0                 # the logistic regression's inverse regularisation

_WORD = re.compile(r"[a-z][a-z']*|\d+")
_BULLET = re.compile(r"\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s")
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)|\n")
_REACH = 300            # characters read each side of a date for its sentence, at most
_BEFORE = 120           # characters before a date whose words count, at most
_AFTER = 80


def features(lowered: str, start: int, end: int, month_only: bool, cites_rules: bool) -> dict[str, float]:
    """The features of the date at ``start:end`` of ``lowered`` (the text folded, lowered)."""
    lo = max(0, start - _REACH)
    sentence_start = max(max(lowered.rfind(m, lo, start) for m in (". ", "! ", "? ", "; ", "\n")) + 1, lo)
    after = _SENTENCE_END.search(lowered, end, end + _REACH)
    sentence_end = after.start() if after else min(len(lowered), end + _REACH)
    before = _WORD.findall(lowered, max(sentence_start, start - _BEFORE), start)[-8:]
    following = _WORD.findall(lowered, end, min(sentence_end, end + _AFTER))[:6]
    f = words_around(before, following, near=3, bag=1.0, trigram=True, bag_after=True)
    for w in _WORD.findall(lowered, sentence_start, sentence_end)[:60]:
        f[f"s={w}"] = 0.5
    line = lowered.rfind("\n", 0, start) + 1
    gap = lowered[max(sentence_start, start - 3):start]
    f["prev_colon"] = float(":" in gap or "|" in gap)
    f["next_colon"] = float(lowered[end:end + 3].strip()[:1] in (":", "|", "\u2013", "-"))
    f["bullet"] = float(bool(_BULLET.match(lowered, line)))
    f["table"] = float("|" in lowered[line:start])
    f["opens"] = float(not lowered[sentence_start:start].strip(" -*\u2022\u2013")
                       or len(_WORD.findall(lowered, sentence_start, start)) <= 2)
    f["month_only"] = float(month_only)
    f["comma_after"] = float(lowered.startswith(",", end))
    f["cites"] = float(cites_rules)
    return f


def load_model(path: Path = MODEL) -> WordModel | None:
    """The stored model; None without one (the rules alone then read dates)."""
    return load(path)


# --- training ------------------------------------------------------------------------

def candidates_of(path: str) -> list[tuple[set[str], set[str], list[tuple[str, dict]]]]:
    """Per labelled line: (keys labelled, keys the rules took, [(key, features)] of every
    date the rules left)."""
    import json

    from veille import references
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        labelled = {r["key"] for r in doc["references"] if r["kind"] == "date"}
        taken, left = references.date_candidates(doc["text"])
        rows.append((labelled, taken, left))
    return rows


def fit(rows) -> WordModel:
    X = [f for _, _, left in rows for _, f in left]
    y = [int(key in labelled) for labelled, _, left in rows for key, _ in left]
    return word_model.fit(X, [y], C)


def score(rows, model: WordModel | None) -> tuple[int, int, int]:
    """(true, false, missed) dates of the rules, with the model's when one is given."""
    tp = fp = fn = 0
    for labelled, taken, left in rows:
        got = set(taken)
        if model is not None:
            got |= {key for key, f in left if model.probability(f) >= THRESHOLD}
        tp += len(labelled & got)
        fp += len(got - labelled)
        fn += len(labelled - got)
    return tp, fp, fn


def main(argv: list[str] | None = None) -> int:
    return word_model.train_command(argv, prog="python -m veille.reference_date_model", what="dates", out=MODEL,
                                    read_set=candidates_of, fit_rows=fit,
                                    score=lambda rows, model, kind: score(rows, model), kinds=("date",))


if __name__ == "__main__":
    raise SystemExit(main())
