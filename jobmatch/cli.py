"""The `jobmatch` command: solve, check and explain jobmatch/1 problems.

Exit codes: 0 success; 1 a check failed or the fixed pairs cannot all hold;
2 bad input (the error names every problem found), never a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from .check import check
from .errors import Issue, JobmatchError, ProblemError
from .explain import what_would_place
from .io import dumps, load, read_json
from .io.problem import TIME_LIMIT_S
from .model import Problem, Solution, Status
from .solver import solve

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _seconds(text: str) -> float:
    """A `--time-limit` within the bounds of `options.time_limit_s`."""
    low, high = TIME_LIMIT_S
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not low <= seconds <= high:
        raise argparse.ArgumentTypeError(f"must be seconds from {low:g} to {high:g}, got {text!r}")
    return seconds


def _processes(text: str) -> int:
    """A `--processes` within the bounds of `options.processes`."""
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 64, got {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobmatch",
        description="Pair youths with openings under the Danish rules for working minors.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="solve a problem, write the solution JSON")
    solve_cmd.add_argument("problem", type=Path, help="a jobmatch/1 problem file")
    solve_cmd.add_argument("-o", "--output", type=Path, help="solution file (default: stdout)")
    solve_cmd.add_argument(
        "--time-limit",
        type=_seconds,
        metavar="S",
        help="seconds for what comes after the flow: bounding and CP-SAT (default: the "
        "problem's options); reading, eligibility, the flow and the explanations come on top",
    )
    solve_cmd.add_argument(
        "--method",
        choices=("optimal", "stable"),
        help="lexicographic optimum (default) or stable matching",
    )
    solve_cmd.add_argument(
        "--processes",
        type=_processes,
        metavar="N",
        help="solve the problem's independent parts in N processes (default: the problem's "
        "options); the solution is the same for any N",
    )
    solve_cmd.add_argument(
        "--summary",
        action="store_true",
        help="print a readable summary instead of the JSON on stdout",
    )
    check_cmd = commands.add_parser("check", help="check a solution against every rule")
    check_cmd.add_argument("problem", type=Path)
    check_cmd.add_argument("solution", type=Path)
    explain_cmd = commands.add_parser("explain", help="why a youth was or was not placed")
    explain_cmd.add_argument("problem", type=Path)
    explain_cmd.add_argument("--youth", required=True, metavar="ID")
    explain_cmd.add_argument("--time-limit", type=_seconds, metavar="S")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "solve":
            return _solve(args)
        if args.command == "check":
            return _check(args)
        return _explain(args)
    except ProblemError as error:
        print(f"jobmatch: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except JobmatchError as error:
        print(f"jobmatch: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"jobmatch: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _solve(args: argparse.Namespace) -> int:
    problem = load(args.problem)
    solution = solve(
        problem, method=args.method, time_limit_s=args.time_limit, processes=args.processes
    )
    text = dumps(solution)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    if args.summary:
        print(summary(problem, solution))
    elif not args.output:
        sys.stdout.write(text)
    if solution.status is Status.INFEASIBLE:
        for clash in solution.stats.get("infeasible", []):  # type: ignore[attr-defined]
            print(f"jobmatch: fixed pairs cannot hold: {clash}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    problem = load(args.problem)
    try:
        document = read_json(args.solution)
    except ProblemError as error:
        raise ProblemError(error.issues, f"the solution {args.solution}") from None
    violations = check(problem, document)
    for violation in violations:
        print(violation)
    if violations:
        return EXIT_FAILED
    count = len(document.get("assignments", []))
    print(f"ok: {count} assignments keep every rule")
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    problem = load(args.problem)
    if args.youth not in {y.id for y in problem.youths}:
        message = f"no youth with id {args.youth!r} in the problem"
        raise ProblemError([Issue("--youth", None, "unknown_youth", message)])
    solution = solve(problem, time_limit_s=args.time_limit)
    print(explain_youth(problem, solution, args.youth))
    if not any(a.youth == args.youth for a in solution.assignments):
        changes = what_would_place(problem, args.youth)
        if changes:
            print("Solving again with one change to the youth's record:")
            for what in changes:
                print(f"  {what.change}: would be placed at {what.opening}")
    return EXIT_OK


def summary(problem: Problem, solution: Solution) -> str:
    """A few lines a coordinator can read: who was placed, who was not, and why."""
    objective = solution.objective
    lines = [
        f"{objective.matched} of {len(problem.youths)} youths placed in "
        f"{len(solution.assignments)} assignments ({solution.status.value}, "
        f"{solution.stats.get('seconds')} s, "
        f"{solution.stats.get('eligible_pairs')} eligible pairs)",
        f"priority placed: {objective.priority_matched}; preference score: {objective.score}",
    ]
    for assignment in solution.assignments:
        missing = ", ".join(assignment.missing_onboarding) or "none"
        lines.append(
            f"  {assignment.youth} -> {assignment.opening} (score {assignment.score}; "
            f"missing onboarding: {missing})"
        )
    for unmatched in solution.unmatched:
        first = unmatched.reasons[0] if unmatched.reasons else None
        why = f"{first.code}: {first.detail}" if first else "no reason found"
        lines.append(f"  {unmatched.youth} not placed: {why}")
    return "\n".join(lines)


def explain_youth(problem: Problem, solution: Solution, youth_id: str) -> str:
    """Every reason the solution gives for one youth, and the single changes that would help."""
    held = [a for a in solution.assignments if a.youth == youth_id]
    if held:
        return "\n".join(
            f"{youth_id} is placed at {a.opening} (score {a.score}); missing "
            f"onboarding: {', '.join(a.missing_onboarding) or 'none'}"
            for a in held
        )
    entry = next(u for u in solution.unmatched if u.youth == youth_id)
    lines = [f"{youth_id} is not placed."]
    fixes = [r for r in entry.reasons if r.opening and "still free" in r.detail]
    if fixes:
        lines.append("One change would place the youth:")
        lines += [f"  at {r.opening}: fix {r.code} ({r.detail})" for r in fixes]
    taken = [r for r in entry.reasons if r.code == "positions_taken"]
    if taken:
        lines.append("Eligible, but the positions went to others:")
        lines += [f"  {r.opening or ''} {r.detail}".rstrip() for r in taken]
    near = [
        r for r in entry.reasons if r.opening and r.code != "positions_taken" and r not in fixes
    ]
    if near:
        lines.append("Nearest misses (one rule broken):")
        lines += [f"  {r.opening}: {r.code}: {r.detail}" for r in near]
    summary_rows = [r for r in entry.reasons if not r.opening and r.code != "positions_taken"]
    if summary_rows:
        lines.append("What rules the openings out:")
        lines += [f"  {r.code}: {r.detail}" for r in summary_rows]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
