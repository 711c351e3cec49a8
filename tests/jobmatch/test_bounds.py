"""The bounding phase on dense problems: its start keeps every rule and is at least as good
as the flow's choice repaired; its bound is above every solution found."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import jobmatch
from bench.generate import generate
from jobmatch.crossjob import combination_codes
from jobmatch.phases.bounds import choice_value, relax, repair
from jobmatch.phases.budget import Budget
from jobmatch.phases.flows import components_needing_cp, whole_flow
from jobmatch.phases.prepare import prepare, priority_unit


@pytest.mark.parametrize("seed", [12, 13, 14])
def test_the_start_keeps_the_rules_and_beats_the_repaired_flow(seed: int) -> None:
    document = generate(600, 220, towns=4, density="dense", seed=seed)
    for youth in document["youths"]:
        youth.pop("buddies", None)
    problem = jobmatch.load(document)
    prepared = prepare(problem)
    big = priority_unit(problem, prepared)
    chosen = whole_flow(problem, prepared, big)
    (edges,) = components_needing_cp(problem, prepared, Budget(60))
    found = relax(problem, prepared, edges, big, chosen[edges], Budget(60))
    repaired = repair(problem, prepared, edges, chosen[edges])
    assert found.lower == choice_value(problem, prepared, edges[found.start], big)
    assert found.lower >= choice_value(problem, prepared, edges[repaired], big)
    assert found.upper >= found.lower
    youths = prepared.candidates.youth[edges[found.start]].tolist()
    openings = prepared.candidates.opening[edges[found.start]].tolist()
    for o, holders in Counter(openings).items():
        assert holders <= problem.openings[o].positions
    held: dict[int, list[int]] = {}
    for y, o in zip(youths, openings, strict=True):
        held.setdefault(y, []).append(o)
    for y, jobs in held.items():
        assert len(jobs) <= problem.youths[y].max_jobs
        together = [problem.openings[o] for o in jobs]
        assert not combination_codes(together, prepared.limits[y]) or len(jobs) == 1
    assert np.all(found.slack >= 0)
