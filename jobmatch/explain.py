"""What would get an unplaced youth placed: single changes to the youth's record, each tried
by solving again (`what_would_place`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .eligibility import Eligibility
from .model import Problem, Youth
from .nearmiss import lacking, uncovered
from .sentences import shift_list
from .solver import solve


@dataclass(frozen=True, slots=True)
class WhatIf:
    """One change to a youth's record that would get the youth placed.

    `change` says it in English; `code` is the rule it lifts (`too_far`,
    `unavailable`, `certificate` or `language`), `youth` the changed record
    (compare it with the problem's to see the new figures) and `opening` the job
    the youth then gets.
    """

    change: str
    opening: str
    youth: Youth
    code: str


def what_would_place(problem: Problem, youth_id: str, *, attempts: int = 6,
                     time_limit_s: float = 5.0) -> list[WhatIf]:  # fmt: skip
    """Single changes (a longer travel distance, one more availability window, a certificate
    or language) after which solving again places the youth; each is tried by solving."""
    eligibility = Eligibility(problem)
    y = eligibility.youth_index[youth_id]
    youth = problem.youths[y]
    found: list[WhatIf] = []
    for change, (code, changed) in _single_changes(problem, eligibility, y)[:attempts]:
        if changed.max_travel_km != youth.max_travel_km and any(
            w.youth.max_travel_km != youth.max_travel_km for w in found
        ):
            continue  # a shorter extra distance already places the youth
        youths = tuple(changed if i == y else other for i, other in enumerate(problem.youths))
        solution = solve(replace(problem, youths=youths), time_limit_s=time_limit_s)
        held = [a.opening for a in solution.assignments if a.youth == youth.id]
        if held:
            found.append(WhatIf(change, held[0], changed, code))
    return found


def _single_changes(
    problem: Problem, eligibility: Eligibility, y: int
) -> list[tuple[str, tuple[str, Youth]]]:
    """The youth's record changed so that one more opening becomes eligible, nearest first."""
    youth = problem.youths[y]
    changes: dict[str, tuple[str, Youth]] = {}
    one = np.array([y], dtype=np.int64)
    for o, opening in enumerate(problem.openings):
        failed = [code for code, mask in eligibility.reasons(o, one).items() if mask[0]]
        if len(failed) != 1:
            continue
        code = failed[0]
        if code == "too_far":
            km = math.ceil(float(eligibility.distances(o, one)[0]) * 10) / 10
            changes.setdefault(f"travel up to {km:g} km", (code, replace(youth, max_travel_km=km)))
        elif code == "unavailable":
            extra = uncovered(youth, opening)
            windows = tuple(sorted((*(youth.availability or ()), *extra)))
            changes.setdefault(f"also available {shift_list(extra)}",
                               (code, replace(youth, availability=windows)))  # fmt: skip
        elif code == "certificate":
            missing = lacking(opening.required_certificates, youth.certificates)
            changes.setdefault(
                f"with the certificate {', '.join(missing)}",
                (code, replace(youth, certificates=(*youth.certificates, *missing))),
            )
        elif code == "language":
            missing = lacking(opening.required_languages, youth.languages)
            changes.setdefault(
                f"speaking {', '.join(missing)}",
                (code, replace(youth, languages=(*youth.languages, *missing))),
            )

    def travel_first(item: tuple[str, tuple[str, Youth]]) -> tuple[int, float, str]:
        change, (_, changed) = item
        if changed.max_travel_km != youth.max_travel_km:
            return (0, changed.max_travel_km or 0.0, change)
        return (1, 0.0, change)

    return sorted(changes.items(), key=travel_first)
