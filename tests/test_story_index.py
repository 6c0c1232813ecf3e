"""The in-memory band index's sorted runs: what they hold and what a probe answers."""
from __future__ import annotations

import numpy as np
import pytest

from veille.story_index import BandIndex, Run, Runs


def _batches(seed: int, count: int = 300) -> list[tuple[np.ndarray, np.ndarray]]:
    """Batches of keys with many repeats (common words) and ids in insertion order."""
    rng = np.random.default_rng(seed)
    out, next_id = [], 0
    for _ in range(count):
        size = int(rng.integers(0, 60))
        out.append((rng.integers(-50, 50, size).astype(np.int64) * (1 << 40),
                    np.arange(next_id, next_id + size, dtype=np.int64)))
        next_id += size
    return out


def test_merged_is_a_stable_sort_of_both_runs():
    for keys, ids in _batches(1, 40):
        base, other = Run(keys[::2], ids[::2]), Run(keys[1::2], ids[1::2])
        merged = base.merged(other)
        expected = Run(np.concatenate([base.keys, other.keys]), np.concatenate([base.ids, other.ids]))
        assert merged.keys.tolist() == expected.keys.tolist()
        assert merged.ids.tolist() == expected.ids.tolist()


@pytest.mark.parametrize("depth", [2, 3, 4])
def test_runs_hold_every_key_sorted_in_shrinking_runs(depth):
    runs, added = Runs(depth), []
    for keys, ids in _batches(depth):
        runs.add(keys, ids)
        added.append((keys, ids))
        sizes = [len(run.keys) for run in runs]
        assert all(later * 8 <= earlier for earlier, later in zip(sizes, sizes[1:]))
    pairs = []
    for run in runs:
        assert (np.diff(run.keys) >= 0).all()
        # equal keys keep the order they were added in
        same = run.keys[1:] == run.keys[:-1]
        assert (run.ids[1:][same] > run.ids[:-1][same]).all()
        pairs += zip(run.keys.tolist(), run.ids.tolist())
    assert sorted(pairs) == sorted((k, i) for keys, ids in added
                                   for k, i in zip(keys.tolist(), ids.tolist()))


def test_band_probe_counts_shared_keys_as_a_plain_count_does():
    rng = np.random.default_rng(5)
    index, stored = BandIndex(4), {}
    for item in range(2000):
        keys = rng.integers(0, 40, (1, 4)).astype(np.int64)
        index.add(np.array([item]), keys)
        stored[item] = keys[0].tolist()
    probe = rng.integers(0, 40, (30, 4)).astype(np.int64)
    found = index.probe(probe, cap=70, min_shared=2, per_item=10 ** 6)
    for row, answer in zip(probe.tolist(), found):
        held = [sum(s[b] == k for s in stored.values()) for b, k in enumerate(row)]
        expected = {item: sum(k == row[b] and held[b] <= 70 for b, k in enumerate(keys))
                    for item, keys in stored.items()}
        assert answer == {i: c for i, c in expected.items() if c >= 2}
