"""The shipped model artefact (numpy only, no scikit-learn at tagging time).

The artefact is a zip of plain ``.npy`` arrays (``numpy.load(..., allow_pickle=False)``):
feature names (UTF-8, one per line), a weight matrix (features x topics), intercepts, the
second stage (topics x topics), per-topic thresholds (overall and per language), and the
topic names. It is written with fixed zip timestamps so that
the same training data gives the same bytes.
"""
from __future__ import annotations

import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

ARTEFACT = Path(__file__).resolve().parent / "model.npz"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ModelError(RuntimeError):
    """The model artefact is missing or unreadable; the message says what to do."""


@dataclass
class Stack:
    """Second stage: topic scores read together (topics x topics weights, intercepts)."""
    weights: np.ndarray
    intercepts: np.ndarray

    def apply(self, z: np.ndarray) -> np.ndarray:
        return z @ self.weights + self.intercepts


@dataclass
class LinearModel:
    topics: list[str]
    features: list[str]
    weights: np.ndarray          # (features, topics) float32
    intercepts: np.ndarray       # (topics,)
    thresholds: np.ndarray       # (topics,) probability cut-offs
    meta: dict = field(default_factory=dict)
    seen: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))
    lang_thresholds: dict[str, np.ndarray] = field(default_factory=dict)
    stack: Stack | None = None

    def thresholds_for(self, lang: str | None) -> np.ndarray:
        return self.lang_thresholds.get(lang or "", self.thresholds)

    def was_trained_on(self, title: str, summary: str) -> bool:
        return fingerprint(title, summary) in set(self.seen.tolist())


def fingerprint(title: str, summary: str) -> int:
    """Identifies a training text, so that evaluation can tell training items apart."""
    return zlib.crc32(f"{title.strip()}\n{summary.strip()}".encode("utf-8"))


def _bytes_array(lines: Sequence[str]) -> np.ndarray:
    return np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8)


def save_model(model: LinearModel, path: Path = ARTEFACT) -> Path:
    arrays = {
        "topics": _bytes_array(model.topics),
        "features": _bytes_array(model.features),
        "weights": np.ascontiguousarray(model.weights, dtype=np.float32),
        "intercepts": np.asarray(model.intercepts, dtype=np.float32),
        "thresholds": np.asarray(model.thresholds, dtype=np.float32),
        "meta": _bytes_array([json.dumps(model.meta, sort_keys=True)]),
        "seen": np.unique(np.asarray(model.seen, dtype=np.uint32)),
    }
    for lang, values in sorted(model.lang_thresholds.items()):
        arrays[f"thresholds_{lang}"] = np.asarray(values, dtype=np.float32)
    if model.stack is not None:
        arrays["stack_weights"] = np.asarray(model.stack.weights, dtype=np.float32)
        arrays["stack_intercepts"] = np.asarray(model.stack.intercepts, dtype=np.float32)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.save(buf, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())
    tmp.replace(path)
    return path


def load_model(path: Path = ARTEFACT) -> LinearModel:
    try:
        with np.load(path, allow_pickle=False) as data:
            def text(name: str) -> str:
                return data[name].tobytes().decode("utf-8")

            def floats(name: str) -> np.ndarray:
                return data[name].astype(np.float64)
            files = set(data.files)
            stack = Stack(floats("stack_weights"), floats("stack_intercepts")) \
                if "stack_weights" in files else None
            return LinearModel(
                topics=text("topics").split("\n"),
                features=text("features").split("\n"),
                weights=data["weights"].astype(np.float64),
                intercepts=data["intercepts"].astype(np.float64),
                thresholds=data["thresholds"].astype(np.float64),
                meta=json.loads(text("meta")),
                seen=data["seen"] if "seen" in files else np.zeros(0, dtype=np.uint32),
                lang_thresholds={n[len("thresholds_"):]: floats(n) for n in sorted(files)
                                 if n.startswith("thresholds_")},
                stack=stack,
            )
    except FileNotFoundError:
        raise ModelError(f"no model artefact at {path}: run `veille train`") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"model artefact {path} is unreadable ({exc}): run `veille train`") from exc
