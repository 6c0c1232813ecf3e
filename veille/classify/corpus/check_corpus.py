#!/usr/bin/env python3
"""Validate the hand-written classifier training corpus (stdlib only).

Checks every *.jsonl file in this folder: each line parses as a JSON object with
id, lang, title, summary and topics; ids are unique across files; lang is fr or en;
topics is a sorted list of distinct known topics. Prints counts per topic, per
language, per file, multi-topic items and the share of off-topic ([]) items.
Exit status is 1 if any error is found.
"""
import collections
import json
import pathlib
import sys

TOPICS = ("robotics", "additive_manufacturing", "iot", "regulation", "qse")
HERE = pathlib.Path(__file__).resolve().parent


def main(folder=HERE):
    errors = []
    ids = {}
    per_topic = collections.Counter()
    per_topic_lang = collections.Counter()
    per_lang = collections.Counter()
    per_file = collections.Counter()
    combos = collections.Counter()
    none = multi = total = 0
    seen_text = set()
    files = sorted(pathlib.Path(folder).glob("*.jsonl"))
    if not files:
        errors.append("no .jsonl file found")
    for path in files:
        for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{ln}"
            if not line.strip():
                errors.append(f"{where}: empty line")
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: invalid JSON ({exc})")
                continue
            if not isinstance(item, dict):
                errors.append(f"{where}: not an object")
                continue
            for key in ("id", "lang", "title", "summary", "topics"):
                if key not in item:
                    errors.append(f"{where}: missing {key}")
            if any(k not in item for k in ("id", "lang", "title", "summary", "topics")):
                continue
            iid = item["id"]
            if iid in ids:
                errors.append(f"{where}: duplicate id {iid} (first in {ids[iid]})")
            ids[iid] = where
            if item["lang"] not in ("fr", "en"):
                errors.append(f"{where}: bad lang {item['lang']!r}")
            if not isinstance(item["title"], str) or not item["title"].strip():
                errors.append(f"{where}: empty title")
            if not isinstance(item["summary"], str):
                errors.append(f"{where}: summary is not a string")
            key = (item["title"].strip().lower(), str(item["summary"]).strip().lower())
            if key in seen_text:
                errors.append(f"{where}: duplicate title+summary")
            seen_text.add(key)
            topics = item["topics"]
            if not isinstance(topics, list):
                errors.append(f"{where}: topics is not a list")
                continue
            bad = [t for t in topics if t not in TOPICS]
            if bad:
                errors.append(f"{where}: unknown topics {bad}")
            if topics != sorted(set(topics)):
                errors.append(f"{where}: topics not sorted/unique {topics}")
            total += 1
            per_lang[item["lang"]] += 1
            per_file[path.name] += 1
            combos["+".join(topics) or "[]"] += 1
            if not topics:
                none += 1
            if len(topics) > 1:
                multi += 1
            for t in topics:
                per_topic[t] += 1
                per_topic_lang[(t, item["lang"])] += 1

    print(f"items: {total}  (fr {per_lang['fr']}, en {per_lang['en']})")
    print("per file:")
    for name, n in sorted(per_file.items()):
        print(f"  {name:24s} {n:5d}")
    print("per topic:            all    fr    en")
    for t in TOPICS:
        print(f"  {t:22s} {per_topic[t]:4d}  {per_topic_lang[(t, 'fr')]:4d}  {per_topic_lang[(t, 'en')]:4d}")
    share = none / total if total else 0.0
    print(f"none ([]): {none} ({share:.1%})")
    print(f"multi-topic items: {multi}")
    print("combinations:")
    for c, n in combos.most_common():
        print(f"  {c:50s} {n:4d}")
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors[:50]:
            print("  " + e)
        return 1
    print("\nOK: no error")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else HERE))
