"""Whether one youth may take one more job: the pair and the whole week with the jobs held."""

from __future__ import annotations

from collections.abc import Sequence

from .crossjob import combination_codes
from .eligibility import reasons_for
from .model import Problem
from .rules import youth_limits


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
