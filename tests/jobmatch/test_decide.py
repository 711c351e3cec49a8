"""CP-SAT in rounds on a dense component: each round from the best so far, growing by
`ROUND_GROWTH` until the pairs that can still improve fit in one, and the proof it ends
with is the optimum the Lagrangian path proves."""

from __future__ import annotations

from typing import Any

import pytest

import jobmatch
from bench.generate import generate
from jobmatch.check import check
from jobmatch.cpsat import CpResult
from jobmatch.phases import bounds, decide
from jobmatch.phases.bounds import Relaxation


def test_a_dense_city_is_proven_optimal_in_growing_rounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    city = jobmatch.load(generate(400, 150, towns=4, density="dense", seed=11))
    reference = jobmatch.solve(city)  # a town-sized component: one or two rounds
    assert reference.status is jobmatch.Status.OPTIMAL
    monkeypatch.setattr(bounds, "TOWN_PAIRS", 1_000)  # this city counts as dense
    monkeypatch.setattr(decide, "TOWN_PAIRS", 1_000)
    monkeypatch.setattr(decide, "DENSE_MODEL", 200)  # a first round far too small
    relax = decide.relax

    def looser(*args: Any) -> Relaxation:
        """A bound 10 points higher and each slack a quarter: still honest, many rounds."""
        found = relax(*args)
        return Relaxation(found.upper + 10, found.slack / 4, found.start, found.lower)

    monkeypatch.setattr(decide, "relax", looser)
    rounds: list[int] = []
    solve_component = decide._solve_component

    def counted(*args: Any) -> CpResult:
        rounds.append(len(args[2]))
        return solve_component(*args)

    monkeypatch.setattr(decide, "_solve_component", counted)
    first = jobmatch.solve(city)
    assert len(rounds) >= 3
    assert rounds == sorted(rounds)
    second = jobmatch.solve(city)
    assert first.status is jobmatch.Status.OPTIMAL
    assert first.objective == reference.objective
    assert first.assignments == second.assignments
    assert check(city, jobmatch.solution_to_dict(first)) == []
