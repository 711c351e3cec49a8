"""Whether one youth may take one more job: the pair and the whole week with the jobs held."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .crossjob import combination_codes
from .eligibility import Eligibility, reasons_for
from .facts import OutsideWindow, PairFacts
from .model import Opening, Pair, Problem
from .nearmiss import hours_facts, pair_facts, rest_facts
from .rules import Limits, youth_limits


def placement_reasons(
    problem: Problem, youth_id: str, opening_id: str, *, held: Sequence[str] = ()
) -> list[str]:
    """The sorted reason codes why the youth may not take the opening beside the jobs `held`.

    The pair's own codes are those of `reasons_for`; the youth's week over the
    opening and every opening in `held` adds `legal_hours`, `working_window`,
    `rest` and `overlap` when the jobs together break them. Empty: allowed.

    Raises:
        KeyError: a youth or opening id that is not in the problem.
    """
    youths = {youth.id: youth for youth in problem.youths}
    openings = {opening.id: opening for opening in problem.openings}
    youth, opening = youths[youth_id], openings[opening_id]
    codes = set(reasons_for(problem, youth, opening))
    if held:
        limits = youth_limits(
            youth, rules=problem.options.rules, school_week=problem.period == "school"
        )
        codes |= combination_codes([opening, *(openings[o] for o in held)], limits)
    return sorted(codes)


@dataclass(frozen=True, slots=True)
class Refusal:
    """One rule a placement breaks, with its figures.

    `facts` are those of a near miss (`jobmatch.facts`, `free_positions` the
    opening's positions): of the pair when `week` is False, else of the youth's
    whole week over the opening and the jobs held (their shifts together), which
    breaks the rule where the pair alone does not. `overlap` (shifts of two jobs
    at the same time) has no facts.
    """

    code: str
    facts: PairFacts | None
    week: bool = False


def placement_refusals(
    problem: Problem, youth_id: str, opening_id: str, *, held: Sequence[str] = ()
) -> list[Refusal]:
    """As `placement_reasons`, each code with its figures, in the order of the codes.

    Raises:
        KeyError: a youth or opening id that is not in the problem.
    """
    youth = next((y for y in problem.youths if y.id == youth_id), None)
    openings = {opening.id: opening for opening in problem.openings}
    if youth is None:
        raise KeyError(youth_id)
    opening = openings[opening_id]
    forbidden = tuple(p for p in problem.forbidden if p == Pair(youth_id, opening_id))
    single = replace(problem, youths=(youth,), openings=(opening,), fixed=(), forbidden=forbidden)
    eligibility = Eligibility(single)
    found = {
        code: Refusal(code, pair_facts(eligibility, 0, 0, code, opening.positions))
        for code in eligibility.pair_reasons(0, 0)
    }
    if held:
        jobs = [opening, *(openings[o] for o in held)]
        limits = eligibility.limits[0]
        for code in combination_codes(jobs, limits) - found.keys():
            found[code] = Refusal(code, _week_facts(code, jobs, limits, opening.positions), True)
    return [found[code] for code in sorted(found)]


def _week_facts(code: str, jobs: Sequence[Opening], limits: Limits, free: int) -> PairFacts | None:
    """The figures of a rule the jobs break together (None for `overlap`)."""
    if code == "working_window":
        for job in jobs:
            window = limits.window(job.workplace)
            outside = tuple(
                s for s in job.shifts if window and (s.start < window[0] or s.end > window[1])
            )
            if window and outside:
                return OutsideWindow(free, outside, window[0], window[1], limits.group)
    week = replace(jobs[0], shifts=tuple(sorted(s for job in jobs for s in job.shifts)))
    if code == "legal_hours":
        return hours_facts(week, limits, free)
    if code == "rest":
        return rest_facts(week, limits, free)
    return None
