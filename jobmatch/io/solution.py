"""Writing a jobmatch-solution/1 document (shared spec): `solution_to_dict` and `dumps`.

The spec fixes each unmatched reason as `{"code", "opening"?, "detail"}`, so the
typed `Reason.facts` are not written; `load_solution` reads a stored document
back with its reasons derived again, facts included, from the problem.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from ..eligibility import Eligibility
from ..errors import ProblemError
from ..model import Assignment, Objective, Problem, Solution, Status, Unmatched
from ..scoring import edge_scores
from ..unmatched import explain_unmatched
from .jsontext import read_json
from .values import MISSING, ValueReader

SOLUTION_FORMAT = "jobmatch-solution/1"


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """The jobmatch-solution/1 document of a solution, ready for `json.dumps`."""
    document: dict[str, Any] = {
        "format": SOLUTION_FORMAT,
        "status": solution.status.value,
        "objective": asdict(solution.objective),
    }
    if solution.bound is not None:
        document["bound"] = asdict(solution.bound)
    document["assignments"] = [
        {
            "youth": a.youth,
            "opening": a.opening,
            "score": a.score,
            "missing_onboarding": list(a.missing_onboarding),
        }
        for a in solution.assignments
    ]
    document["unmatched"] = [
        {
            "youth": u.youth,
            "reasons": [
                {
                    "code": r.code,
                    **({"opening": r.opening} if r.opening else {}),
                    "detail": r.detail,
                }
                for r in u.reasons
            ],
        }
        for u in solution.unmatched
    ]
    document["stats"] = dict(solution.stats)
    return document


def dumps(solution: Solution) -> str:
    """The solution as deterministic, indented JSON text."""
    return json.dumps(solution_to_dict(solution), indent=1, ensure_ascii=False) + "\n"


def load_solution(source: str | Path | Mapping[str, Any], problem: Problem) -> Solution:
    """Read a stored jobmatch-solution/1 document of `problem` back as a `Solution`.

    The document holds each reason's code, opening and sentence only (the spec
    fixes that shape), so the unplaced youths' reasons are derived again from the
    problem and the assignments, exactly as `solve` derives them: with their facts.

    Raises:
        ProblemError: the document is not a solution of this problem (an unknown
            youth or opening, an ineligible pair, a malformed key).
    """
    document = read_json(source)
    reader = ValueReader()
    if document.get("format", MISSING) != SOLUTION_FORMAT:
        message = f"must be {SOLUTION_FORMAT!r}, got {document.get('format')!r}"
        reader.fail("format", "format", message)
    status = reader.choice(document.get("status", MISSING), "status", None,
                           [s.value for s in Status], "")  # fmt: skip
    objective = _objective(reader, document.get("objective", MISSING), "objective")
    bound = None
    if "bound" in document:
        bound = _objective(reader, document["bound"], "bound")
    eligibility = Eligibility(problem)
    assignments = _assignments(reader, document.get("assignments", MISSING), eligibility)
    stats = reader.obj(document.get("stats", {}), "stats") or {}
    if reader.issues:
        raise ProblemError(reader.issues)
    candidates = eligibility.candidates()
    held = {(eligibility.youth_index[a.youth], eligibility.opening_index[a.opening])
            for a in assignments}  # fmt: skip
    pairs = zip(candidates.youth.tolist(), candidates.opening.tolist(), strict=True)
    chosen = np.array([pair in held for pair in pairs], dtype=bool)
    unmatched: tuple[Unmatched, ...] = ()
    if status != Status.INFEASIBLE:
        scores = edge_scores(eligibility, candidates)
        unmatched = explain_unmatched(problem, eligibility, candidates, chosen, scores)
    return Solution(Status(status), objective or Objective(0, 0, 0), tuple(assignments),
                    unmatched, bound, dict(stats))  # fmt: skip


def _objective(reader: ValueReader, value: Any, where: str) -> Objective | None:
    obj = reader.obj(value, where)
    if obj is None:
        return None
    numbers = [reader.integer(obj.get(key, MISSING), f"{where}.{key}", None, minimum=0)
               for key in ("priority_matched", "matched", "score")]  # fmt: skip
    if any(number is None for number in numbers):
        reader.fail(where, "required", "needs priority_matched, matched and score")
        return None
    return Objective(*(int(number or 0) for number in numbers))


def _assignments(reader: ValueReader, value: Any, eligibility: Eligibility) -> list[Assignment]:
    """The assignments, each a known pair without reasons against it."""
    result = []
    for i, item in enumerate(reader.items(value, "assignments")):
        at = f"assignments[{i}]"
        obj = reader.obj(item, at)
        if obj is None:
            continue
        youth = reader.string(obj.get("youth", MISSING), f"{at}.youth", None, required=True)
        opening = reader.string(obj.get("opening", MISSING), f"{at}.opening", youth or None,
                                required=True)  # fmt: skip
        score = reader.integer(obj.get("score", MISSING), f"{at}.score", youth, minimum=0)
        missing = reader.strings(obj.get("missing_onboarding", MISSING),
                                 f"{at}.missing_onboarding", youth)  # fmt: skip
        if youth not in eligibility.youth_index:
            reader.fail(f"{at}.youth", "unknown_reference", f"names unknown youth {youth!r}")
        elif opening not in eligibility.opening_index:
            message = f"names unknown opening {opening!r}"
            reader.fail(f"{at}.opening", "unknown_reference", message, youth)
        else:
            y, o = eligibility.youth_index[youth], eligibility.opening_index[opening]
            codes = eligibility.pair_reasons(y, o)
            if codes:
                message = f"the pair {youth}/{opening} is not eligible: breaks {', '.join(codes)}"
                reader.fail(at, "not_eligible", message, youth)
            result.append(Assignment(youth, opening, score or 0, missing))
    return result
