"""Labelled examples: reading JSONL files line by line, with errors that name the line.

Training reads the repository corpus (veille/classify/corpus/*.jsonl), the shared
development set when present, and human corrections from the database.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
SHARED_DEV = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "classify" / "dev.jsonl"


@dataclass
class Example:
    id: str
    title: str
    summary: str
    topics: list[str]
    lang: str | None = None
    group: str = ""              # items of one host share a group (cross-validation folds)
    origin: str = ""             # file it came from, or "correction"
    extra: dict = field(default_factory=dict)


@dataclass
class LineError:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def read_jsonl(path: Path) -> Iterator[tuple[int, dict | LineError]]:
    """(line number, object) for each non-blank line; a bad line gives a LineError."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            yield number, parse_line(raw, f"{path}:{number}")


def parse_line(raw: bytes, where: str) -> dict | LineError | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LineError(where, f"not UTF-8 ({exc.reason} at byte {exc.start})")
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return LineError(where, f"invalid JSON ({exc.msg}, column {exc.colno})")
    if not isinstance(obj, dict):
        return LineError(where, "not a JSON object")
    return obj


def group_of(obj: dict) -> str:
    """The host of the item's url (folds never split a host), else its id."""
    url = obj.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return f"id:{obj.get('id')}"


def load_labeled(path: Path, known_topics: list[str]) -> tuple[list[Example], list[LineError]]:
    examples, errors = [], []
    for number, obj in read_jsonl(Path(path)):
        if obj is None:
            continue
        if isinstance(obj, LineError):
            errors.append(obj)
            continue
        where = f"{path}:{number}"
        topics = obj.get("topics")
        if not isinstance(topics, list) or any(t not in known_topics for t in topics):
            errors.append(LineError(where, f"topics must be a list of {', '.join(known_topics)}"))
            continue
        examples.append(Example(
            id=str(obj.get("id", f"{Path(path).stem}:{number}")),
            title=str(obj.get("title") or ""), summary=str(obj.get("summary") or ""),
            topics=sorted(set(topics)), lang=obj.get("lang"), group=group_of(obj),
            origin=Path(path).name, extra={"url": obj.get("url")}))
    return examples, errors


def corpus_files(folder: Path = CORPUS_DIR) -> list[Path]:
    return sorted(Path(folder).glob("*.jsonl"))


def training_examples(topics: list[str], corpus_dir: Path = CORPUS_DIR,
                      dev: Path | None = SHARED_DEV,
                      corrections: list[Example] | None = None) -> tuple[list[Example], list[LineError]]:
    """Repository corpus + shared development set (when present) + human corrections.

    A correction replaces the labels of an example with the same title and summary."""
    examples, errors = [], []
    files = corpus_files(corpus_dir) + ([Path(dev)] if dev and Path(dev).exists() else [])
    for path in files:
        found, bad = load_labeled(path, topics)
        examples += found
        errors += bad
    if corrections:
        corrected = {(c.title, c.summary) for c in corrections}
        examples = [e for e in examples if (e.title, e.summary) not in corrected] + list(corrections)
    return examples, errors


def from_corrections(rows: list[dict]) -> list[Example]:
    """Human corrections (``veille.store.topics.corrections``) as training examples."""
    return [Example(id=r["id"], title=r["title"] or "", summary=r["summary"] or "",
                    topics=sorted(r["topics"]), lang=r.get("lang"), group=group_of(r),
                    origin="correction", extra={"url": r.get("url")}) for r in rows]
