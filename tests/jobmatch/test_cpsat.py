"""CP-SAT's model of a hard component, with its solver settings, against every solution of
tiny problems: it finds and proves their optimum."""

from __future__ import annotations

import numpy as np
import pytest

from jobmatch.phases.bounds import choice_value
from jobmatch.phases.decide import _solve_component

from .test_columns import _component, _solutions, _tiny


@pytest.mark.parametrize("seed", range(1, 9))
def test_cp_sat_proves_the_best_of_every_solution(seed: int) -> None:
    problem = _tiny(seed)  # three youths who may hold two jobs, two pairs of buddies
    prepared, edges, big, start, known = _component(problem)
    values = [
        choice_value(problem, prepared, np.flatnonzero(c), big)
        for c in _solutions(problem, prepared)
    ]
    optimum = max(v for v in values if v // big == known // big) - known
    result = _solve_component(problem, prepared, edges, start, 10.0)
    assert result.optimal
    assert choice_value(problem, prepared, edges[result.chosen], big) - known == optimum
    assert result.score == optimum
