"""The first objective on its own (`jobmatch.placeable`), against every subset of youths."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching

import jobmatch
from jobmatch import placeable
from jobmatch.placeable import Placeable, most_placeable

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def pair_sets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Up to 7 youths and 4 openings, some pairs between them, priorities and positions."""
    n_youths = draw(st.integers(1, 7))
    n_openings = draw(st.integers(1, 4))
    every = [(y, o) for y in range(n_youths) for o in range(n_openings)]
    pairs = draw(st.lists(st.sampled_from(every), unique=True, max_size=len(every)))
    youth = np.array([y for y, _ in pairs], dtype=np.int64)
    opening = np.array([o for _, o in pairs], dtype=np.int64)
    priority = np.array([draw(st.integers(1, 9)) for _ in range(n_youths)])
    capacity = np.array([draw(st.integers(0, 2)) for _ in range(n_openings)])
    return youth, opening, priority, capacity


def every_subset_tried(youth: np.ndarray, opening: np.ndarray, priority: np.ndarray,
                       capacity: np.ndarray) -> Placeable:  # fmt: skip
    """The best (priority, youths) over every set of youths that can all be placed."""
    slots = np.repeat(np.arange(len(capacity)), capacity)
    best = Placeable(0, 0)
    for size in range(1, len(priority) + 1):
        for chosen in combinations(range(len(priority)), size):
            rows = [(r, s) for r, y in enumerate(chosen) for s, o in enumerate(slots)
                    if any((youth == y) & (opening == o))]  # fmt: skip
            if not rows:
                continue
            r, s = zip(*rows, strict=True)
            graph = csr_array((np.ones(len(rows)), (r, s)), shape=(size, max(len(slots), 1)))
            placed = (maximum_bipartite_matching(graph, perm_type="column") >= 0).sum()
            found = Placeable(int(priority[list(chosen)].sum()), size)
            if placed == size and (found.priority_matched, size) > (best.priority_matched,
                                                                     best.matched):  # fmt: skip
                best = found
    return best


@SETTINGS
@given(pair_sets(), st.sampled_from([placeable.MAX_FLOW_LEVELS, 0]))
def test_the_best_set_of_youths_is_found_by_max_flows_or_one_min_cost_flow(
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], levels_by_max_flow: int
) -> None:
    """Up to `MAX_FLOW_LEVELS` priority levels a max flow each; 0: always the min-cost flow."""
    youth, opening, priority, capacity = pairs
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(placeable, "MAX_FLOW_LEVELS", levels_by_max_flow)
        found = most_placeable(youth, opening, priority=priority, opening_capacity=capacity)
    assert found == every_subset_tried(youth, opening, priority, capacity)


@pytest.mark.parametrize("seed", [3, 4])
def test_the_stable_method_measures_its_price_against_the_optimal_method(seed: int) -> None:
    from bench.generate import generate

    problem = jobmatch.load(generate(200, 80, towns=1, seed=seed))
    optimal = jobmatch.solve(problem)
    stable = jobmatch.solve(problem, method="stable")
    optimum = stable.stats["optimum"]
    assert optimum["priority_matched"] == optimal.objective.priority_matched
    assert optimum["matched"] >= optimal.objective.matched
    assert stable.stats["price_of_stability"] == {
        "priority_matched": optimum["priority_matched"] - stable.objective.priority_matched,
        "matched": optimum["matched"] - stable.objective.matched,
    }
