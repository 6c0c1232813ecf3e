"""The watch plan: sources.yaml read, validated into typed ``Source`` objects, and written.

An invalid file is one ``SourcesError`` whose message names the line and the key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Kind = Literal["feed", "html", "page", "sitemap"]
Category = Literal[
    "manufacturer", "trade_journal", "regulatory", "standards",
    "institution", "event", "training", "other",
]
TOPIC_NAMES = ("robotics", "additive_manufacturing", "iot", "regulation", "qse",
               "augmented_reality", "industrial_software")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SCHEDULE = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class SourcesError(ValueError):
    """sources.yaml cannot be used; the message names the line and what to fix."""


def parse_schedule(text: str) -> int:
    """'30m' -> 1800 seconds. Raises ValueError with the accepted forms."""
    m = _SCHEDULE.match(str(text).strip())
    if not m or int(m.group(1)) == 0:
        raise ValueError(f"schedule {text!r} is not an interval such as 30m, 6h or 1d")
    return int(m.group(1)) * _UNITS[m.group(2)]


class Selectors(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str | None = None
    link: str | None = None
    title: str | None = None
    date: str | None = None
    date_format: str | None = None
    summary: str | None = None
    next: str | None = None
    body: str | None = None
    region: str | None = None


class Source(BaseModel):
    """One entry of the watch plan."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str = Field(min_length=1)
    kind: Kind
    url: str
    category: Category = "other"
    language: Literal["fr", "en"] | None = None
    schedule: str = "1h"
    topics: tuple[str, ...] = ()
    reliability: Literal["A", "B", "C", "D", "E"] | None = None
    selectors: Selectors | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"id {v!r} must match [a-z0-9][a-z0-9-]*")
        return v

    @field_validator("url")
    @classmethod
    def _url_shape(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+", v or ""):
            raise ValueError(f"url {v!r} must be an http or https address")
        return v

    @field_validator("schedule")
    @classmethod
    def _schedule_shape(cls, v: str) -> str:
        parse_schedule(v)
        return str(v)

    @field_validator("topics")
    @classmethod
    def _known_topics(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [t for t in v if t not in TOPIC_NAMES]
        if unknown:
            raise ValueError(f"unknown topic {unknown[0]!r} (known: {', '.join(TOPIC_NAMES)})")
        return v

    @model_validator(mode="after")
    def _html_needs_selectors(self) -> "Source":
        if self.kind == "html":
            s = self.selectors
            missing = [k for k in ("item", "link", "title") if s is None or not getattr(s, k)]
            if missing:
                raise ValueError(f"an html source needs selectors.{', selectors.'.join(missing)}")
        return self

    @property
    def schedule_seconds(self) -> int:
        return parse_schedule(self.schedule)


@dataclass
class WatchPlan:
    sources: list[Source] = field(default_factory=list)
    path: Path | None = None

    def by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of every mapping under the key ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__key_lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value
                                if isinstance(k, yaml.ScalarNode)}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in ("__line__", "__key_lines__")}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def parse_plan(text: str, origin: str = "sources.yaml") -> WatchPlan:
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise SourcesError(f"{origin}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if doc is None:
        return WatchPlan([])
    if not isinstance(doc, dict) or not isinstance(doc.get("sources", []), list):
        raise SourcesError(f"{origin}: expected a mapping with a 'sources:' list")
    extra = [k for k in doc if k not in ("sources", "__line__", "__key_lines__")]
    if extra:
        raise SourcesError(f"{origin} line {doc['__key_lines__'].get(extra[0], 1)}: "
                           f"unknown top-level key {extra[0]!r} (only 'sources' is allowed)")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    problems: list[str] = []  # every mistake of the file at once, in line order
    for raw in doc.get("sources") or []:
        if not isinstance(raw, dict):
            raise SourcesError(f"{origin}: every entry under 'sources' must be a mapping")
        line = raw.get("__line__", 0)
        key_lines = raw.get("__key_lines__", {})
        label = f"source {raw.get('id')!r}" if raw.get("id") else "a source"
        try:
            src = Source.model_validate(_strip_lines(raw))
        except ValidationError as exc:
            at, msg = _first_error(exc, key_lines, line)
            problems.append(f"{origin} line {at}: {label}: {msg}")
            continue
        if src.id in seen:
            problems.append(f"{origin} line {key_lines.get('id', line)}: duplicate id {src.id!r} "
                            f"(first defined on line {seen[src.id]})")
            continue
        seen[src.id] = key_lines.get("id", line)
        sources.append(src)
    if problems:
        more = f"\n({len(problems)} mistakes)" if len(problems) > 1 else ""
        raise SourcesError("\n".join(problems) + more)
    return WatchPlan(sources)


def _first_error(exc: ValidationError, key_lines: dict, line: int) -> tuple[int, str]:
    """(line, sentence) for the first thing wrong in one source."""
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    key = loc[0] if loc else ("selectors" if "selectors" in err["msg"] else "")
    what = ".".join(loc) or key or "entry"
    if err["type"] == "extra_forbidden":
        msg = f"unknown key {what!r}"
    elif err["type"] == "missing":
        msg = f"missing required key {what!r}"
    else:
        msg = f"{what}: {err['msg'].removeprefix('Value error, ')}"
    return key_lines.get(key, line), msg


def load_plan(path: str | Path) -> WatchPlan:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(f"{p}: file not found (set --sources or VEILLE_SOURCES)") from None
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{p}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    plan = parse_plan(text, origin=str(p))
    plan.path = p
    return plan


def source_to_yaml_entry(src: Source) -> dict:
    """The minimal mapping for one source, in the contract's key order, defaults left out."""
    data = src.model_dump(exclude_none=True, exclude_defaults=True)
    for key in ("id", "name", "kind", "url"):
        data[key] = getattr(src, key)
    order = ["id", "name", "kind", "url", "category", "language", "schedule", "topics",
             "reliability", "selectors"]
    out = {k: data[k] for k in order if k in data}
    if "topics" in out:
        out["topics"] = list(out["topics"])
    return out
