"""`jobmatch.lexorder` against `np.lexsort`."""

from __future__ import annotations

import numpy as np
import pytest

from jobmatch.lexorder import lexorder


@pytest.mark.parametrize("scale", [1, 2**12, 2**40], ids=["one word", "words", "wide keys"])
def test_order_sorts_by_keys_most_significant_first_ties_by_index(scale: int) -> None:
    rng = np.random.default_rng(7)
    keys = [
        rng.integers(-3, 4, 500) * scale,
        np.full(500, 2),
        rng.integers(0, 5, 500) * scale,
        rng.integers(0, 3, 500),
    ]
    assert lexorder(*keys).tolist() == np.lexsort(keys[::-1]).tolist()


def test_one_key_sorts_stably_and_no_pairs_give_an_empty_order() -> None:
    key = np.array([3, 1, 3, 0, 1], dtype=np.int64)
    assert lexorder(key).tolist() == [3, 1, 4, 0, 2]
    assert lexorder(np.zeros(0, dtype=np.int64)).tolist() == []
