"""The bounding phase on dense problems: its start, and the flow run again with each clashing
youth kept to one job, keep every rule and are at least as good as the flow's choice
repaired; the bound is above them."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import jobmatch
from bench.generate import generate
from jobmatch.crossjob import combination_codes
from jobmatch.eligibility import IntArray
from jobmatch.phases.bounds import _flow_within, _kept_to_one, choice_value, relax, repair
from jobmatch.phases.budget import Budget
from jobmatch.phases.flows import components_needing_cp, whole_flow
from jobmatch.phases.prepare import Prepared, prepare, priority_unit


def _assert_keeps_the_rules(
    problem: jobmatch.Problem, prepared: Prepared, picked: IntArray
) -> None:
    youths = prepared.candidates.youth[picked].tolist()
    openings = prepared.candidates.opening[picked].tolist()
    for o, holders in Counter(openings).items():
        assert holders <= problem.openings[o].positions
    held: dict[int, list[int]] = {}
    for y, o in zip(youths, openings, strict=True):
        held.setdefault(y, []).append(o)
    for y, jobs in held.items():
        assert len(jobs) <= problem.youths[y].max_jobs
        if len(jobs) > 1:
            assert not combination_codes([problem.openings[o] for o in jobs], prepared.limits[y])
    assert prepared.fixed[picked].sum() == prepared.fixed.sum()  # every fixed pair kept


@pytest.mark.parametrize("seed", [12, 13, 14])
def test_the_starts_keep_the_rules_and_beat_the_repaired_flow(seed: int) -> None:
    document = generate(600, 220, towns=4, density="dense", seed=seed)
    for youth in document["youths"]:
        youth.pop("buddies", None)
    problem = jobmatch.load(document)
    prepared = prepare(problem)
    big = priority_unit(problem, prepared)
    chosen = whole_flow(problem, prepared, big)
    (edges,) = components_needing_cp(problem, prepared, Budget(60))
    repaired = choice_value(
        problem, prepared, edges[repair(problem, prepared, edges, chosen[edges])], big
    )
    allowed = _kept_to_one(prepared, edges, chosen[edges], big)
    assert not allowed.all()  # some youth's jobs clash in the flow
    kept = _flow_within(problem, prepared, edges, allowed, 2 * prepared.scores, big)
    _assert_keeps_the_rules(problem, prepared, edges[kept])
    assert choice_value(problem, prepared, edges[kept], big) >= repaired
    found = relax(problem, prepared, edges, big, chosen[edges], Budget(60))
    _assert_keeps_the_rules(problem, prepared, edges[found.start])
    assert found.lower == choice_value(problem, prepared, edges[found.start], big) >= repaired
    assert found.upper >= choice_value(problem, prepared, edges[kept], big)
    assert found.upper >= found.lower
    assert np.all(found.slack >= 0)
