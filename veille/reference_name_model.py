"""The second reader of organisations and products: a linear model over the capitalised
runs of an item's opening that the rules (``reference_names_found``) left.

The rules read a name where a list, a frame or its context says what it is; every new set
of texts brings names they leave: a customer after "to" or "auprès de", a bank "advised by",
a division the list does not hold, a model after a range word. This model, trained on the
labelled name sets of ``tests/fixtures/references`` (the runs the current rules leave),
weighs a run's shape (capitals, codes, its head word) and the words around it; a run it
scores at ``THRESHOLD`` or more for a kind is read as a name of that kind (the more probable
of the two, one name per run). Scoring needs the stored weights only
(``reference_names.npz``, read by ``veille/word_model.py``); training needs scikit-learn:

    python -m veille.reference_name_model tests/fixtures/references/names*.jsonl \
        --real ../shared/corpus/classify/dev.jsonl tests/fixtures/references/real_items/names_classify.jsonl

writes the weights and prints, for each file left out in turn, the precision and recall of
the rules alone and of the rules with the model trained on the other files. ``--real`` adds
the dev half of the real items (docs/references.md, "Names on real items"); their test half
is never trained on.
"""
from __future__ import annotations

import re
from pathlib import Path

from veille import word_model
from veille.name_lexicon import LEGAL, common
from veille.word_model import WordModel, load, words_around

MODEL = Path(__file__).with_name("reference_names.npz")
KINDS = ("organisation", "product")
THRESHOLD = 0.7         # chosen by leaving each labelled set out in turn (docs/references.md)
C = 0.5                 # the logistic regression's inverse regularisation

_WORD = re.compile(r"[a-z][a-z'&-]*|\d+")
_REACH = 80             # characters read each side of a run for its words


def load_model(path: Path = MODEL) -> WordModel | None:
    """The stored model; None without one (the rules alone then read names)."""
    return load(path)


def _shape(token: str) -> str:
    if any(c.isdigit() for c in token):
        return "9" if token.isdigit() else "X9"
    if token.isupper():
        return "XX" if len(token) > 1 else "X"
    if token[:1].isupper():
        return "Xx" if token[1:].islower() or len(token) == 1 else "XxX"
    return "xX" if any(c.isupper() for c in token) else "x"


def features(folded: str, start: int, end: int, title_end: int, named: bool,
             maker_before: bool, english: bool) -> list[str]:
    """The features of the run at ``start:end`` (``folded``: the text as names are read in
    it; ``named``: the rules found a name in the text; ``maker_before``: one ends right
    before), each weighing 1: a list of their names (scored by ``WordModel.scores``, a lookup
    each: the second reader runs on most items)."""
    tokens = folded[start:end].split(" ")
    # the words of the run's own line (a title's last words are no context of the summary's
    # first name: a line opens as a text does)
    lo = max(0, start - _REACH, folded.rfind("\n", 0, start) + 1)
    line_end = folded.find("\n", end, end + _REACH)
    before = _WORD.findall(folded[lo:start].lower())[-5:]
    following = _WORD.findall(folded[end:line_end if line_end >= 0 else end + _REACH].lower())[:3]
    gap = folded[max(lo, start - 3):start].strip()
    opens = not gap or gap[-1] in ".!?:"
    nxt = folded[end + 1:end + 2] if folded[end:end + 1] == " " else ""
    # (the text's end ends a line: a name reads the same whatever follows on the next line)
    shapes = [_shape(tok) for tok in tokens]
    first, last, n = tokens[0].lower(), tokens[-1].lower(), min(len(tokens), 4)
    f = [*words_around(before, following, near=2, bag=1.0),
         f"pc={gap[-1:] or '^'}", f"nc={folded[end:end + 1] or chr(10)}", f"shape={'_'.join(shapes[:4])}",
         f"first_shape={shapes[0]}", f"last_shape={shapes[-1]}", f"n={n}", f"first={first}", f"last={last}",
         f"suffix={last[-3:]}", f"opens_{opens:d}_n{min(n, 3)}_{shapes[0]}_{nxt.islower():d}"]
    flags = (("common_first", common(tokens[0])), ("all_common", all(map(common, tokens))),
             ("legal_after", (folded[end + 1:end + 12].split() or [""])[0].strip(".,") in LEGAL),   # "SRL.\n"
             ("in_title", start < title_end), ("sentence_start", opens), ("next_lower", nxt.islower()),
             ("next_capital", nxt.isupper()), ("named", named), ("maker_before", maker_before),
             ("english", english))
    f += [name for name, on in flags if on]
    return f


# --- training ------------------------------------------------------------------------

def candidates_of(path: str, everything: bool = True) -> list[tuple]:
    """Per labelled line: (names labelled, names the rules took, the text, the runs left as
    [(span, key per kind, features)], and the runs trained on: every run when ``everything``,
    so that the model learns what names look like beside the rules' readings, not only
    from what they miss)."""
    import json

    from veille import references
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)
            labelled = {(r["kind"], references.name_spelling(r["key"], r["kind"])) for r in doc["references"]
                        if r["kind"] in KINDS}
            taken, original, left = references.name_candidates(doc["text"], doc.get("lang"))
            trained = references.name_candidates(doc["text"], doc.get("lang"), True)[2] if everything else left
            rows.append((labelled, taken, original, left, trained))
    return rows


def fit(rows) -> WordModel:
    X = [dict.fromkeys(f, 1.0) for *_, trained in rows for _, _, f in trained]
    ys = [[int((kind, keys[kind]) in labelled) for labelled, *_, trained in rows for _, keys, _ in trained]
          for kind in KINDS]
    return word_model.fit(X, ys, C)


def score(rows, model: WordModel | None, kind: str, threshold: float = THRESHOLD) -> tuple[int, int, int]:
    """(true, false, missed) names of a kind by the rules, with the model's when one is given."""
    from veille.reference_names_found import chosen
    tp = fp = fn = 0
    for labelled, taken, original, left, _ in rows:
        got = set(taken)
        if model is not None:
            keys = {span: k for span, k, _ in left}
            got |= {(k, keys[span][k]) for k, span in
                    chosen([(span, model.scores(f)) for span, _, f in left], original, threshold)}
        want = {n for n in labelled if n[0] == kind}
        got = {n for n in got if n[0] == kind}
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
    return tp, fp, fn


def real_half(items: Path, labels: Path, half: str, out: Path) -> Path:
    """Write, as a labelled set (lang, text, references), one half of the real items whose names
    ``labels`` holds by id (``tests/fixtures/references/real_items``): the item's text as
    ingest reads it (title, then summary). The items stay where they are read from."""
    import json

    from veille.references import reading_text
    by_id = {item["id"]: item for item in map(json.loads, items.read_text(encoding="utf-8").splitlines())}
    with out.open("w", encoding="utf-8") as f:
        for label in map(json.loads, labels.read_text(encoding="utf-8").splitlines()):
            if label["half"] == half:
                item = by_id[label["id"]]
                text = reading_text(item["title"], item.get("summary") or "", "")
                f.write(json.dumps({"lang": item["lang"], "text": text, "references": label["references"]},
                                   ensure_ascii=False) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    """Train on the sets given; with ``--real ITEMS LABELS``, on the real items' dev half too
    (read from ITEMS, e.g. ../shared/corpus/classify/dev.jsonl: never copied)."""
    import argparse
    import sys
    import tempfile
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--real", nargs=2, type=Path, metavar=("ITEMS", "LABELS"))
    known, rest = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as tmp:
        if known.real:
            rest.insert(0, str(real_half(*known.real, "dev", Path(tmp) / "real_dev.jsonl")))
        return word_model.train_command(rest, prog="python -m veille.reference_name_model", what="names",
                                        out=MODEL, read_set=candidates_of, fit_rows=fit, score=score, kinds=KINDS)


if __name__ == "__main__":
    raise SystemExit(main())
