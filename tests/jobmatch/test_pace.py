"""CP-SAT's first round and pace by the component's size and its share of the time limit."""

from __future__ import annotations

from jobmatch.phases.decide import (
    DENSE_MODEL,
    PAIRS_PER_WORK,
    SMALL_MODEL,
    TOWN_MODEL,
    TOWN_PAIRS,
    TOWN_PAIRS_PER_WORK,
    _pace,
)


def test_a_dense_component_keeps_the_measured_pace_whatever_its_budget() -> None:
    for work in (0.01, 1.0, 100.0):
        assert _pace(TOWN_PAIRS, work) == (DENSE_MODEL, PAIRS_PER_WORK)


def test_a_town_with_time_to_spare_starts_with_the_large_round() -> None:
    # Medium's towns: 10,000 pairs and about 1.3 deterministic seconds each.
    assert _pace(10_000, 1.3) == (SMALL_MODEL, TOWN_PAIRS_PER_WORK)


def test_a_town_on_a_tight_limit_starts_small() -> None:
    # The country's towns: 10,000 pairs and about 0.17 deterministic seconds each.
    assert _pace(10_000, 0.17) == (TOWN_MODEL, TOWN_PAIRS_PER_WORK)
    assert _pace(140_000, 2.4) == (TOWN_MODEL, TOWN_PAIRS_PER_WORK)
