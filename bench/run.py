"""Run jobmatch and its anchors side by side on generated problems; write docs/benchmarks.md.

    python -m bench.run                                   # every named size (make bench)
    python -m bench.run --sizes dense-region,dense-city,large
    python -m bench.run --sizes small,medium              # a quicker run
    python -m bench.run --sizes 40x15,300x120x4:dense     # any youths x openings [x towns][:dense]
    python -m bench.run --limit-checks 0.5,1              # time limits checked on the dense sizes

Every measurement runs in a fresh subprocess, so peak memory (max RSS) and
imports of one do not pollute another; wall time counts from reading the
problem file (JSON parsing and validation included) to the last result. The
time-limit checks run `jobmatch optimal` again with `time_limit_s=T` on the
dense sizes and compare what counted against T with T.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import jobmatch
from bench.anchors import flow_anchor, hospital_resident_anchor, lsa_anchor
from bench.generate import DENSITIES
from bench.machine import cpu_model
from jobmatch.check import check

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
SEED = 2026
SOLUTION = "solution"  # where a jobmatch measure leaves its Solution for `check`
MAX_VIOLATIONS_SHOWN = 5
FLOOR_RATIO = 3.0  # issue 10: the whole solve at most 3x the min-cost flow on the same pairs
Result = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Target:
    """What an issue asks of jobmatch's optimal run on one named size (None: nothing asked).

    `proven`: both objectives proven optimal; `max_gap`: the score at most this share below
    its bound; `seconds` and `memory_mb`: wall time and peak RSS strictly below; `stable_seconds`:
    the stable method's wall time strictly below; `floor_ratio`: the whole solve at most this
    many times the flow anchor's wall time on the same pairs (issue 10, every named size).
    """

    issue: int
    seconds: float
    proven: bool = True
    max_gap: float | None = None
    memory_mb: float | None = None
    stable_seconds: float | None = None
    floor_ratio: float | None = FLOOR_RATIO


@dataclass(frozen=True, slots=True)
class Size:
    """One benchmark size, the density `bench.generate` gives it and its target, if named."""

    name: str
    youths: int
    openings: int
    towns: int
    density: str = "sparse"
    target: Target | None = None


SIZES = {
    "small": Size("small", 300, 120, 1, target=Target(2, 1.0)),
    "medium": Size("medium", 3000, 1100, 8, target=Target(2, 10.0)),
    "dense-region": Size("dense-region", 3000, 1100, 8, "dense", Target(10, 5.0, memory_mb=1024)),
    "dense-city": Size(
        "dense-city", 5000, 1800, 12, "dense", Target(10, 10.0, memory_mb=1024, stable_seconds=3.0)
    ),
    "large": Size(
        "large", 20000, 7000, 50, target=Target(10, 20.0, False, max_gap=0.001, memory_mb=2048)
    ),
}
# The sizes the time limits are checked on by default, when requested (else the largest dense).
LIMIT_SIZES = ("dense-region", "dense-city")
DEFAULT_LIMITS = "0.5,1"
# The phases `solve` leaves out of its time limit (`stats["excluded_seconds"]`).
EXCLUDED_PHASES = ("eligibility", "flow", "explanations")


def _jobmatch(method: str) -> Callable[[jobmatch.Problem, float | None], Result]:
    def measure(problem: jobmatch.Problem, time_limit_s: float | None) -> Result:
        solution = jobmatch.solve(problem, method=method, time_limit_s=time_limit_s)
        result: Result = {
            "status": str(solution.status),
            "objective": asdict(solution.objective),
            "bound": solution.bound and asdict(solution.bound),
            "stats": solution.stats,
        }
        if method == "stable":
            result["assignments"] = sorted([a.youth, a.opening] for a in solution.assignments)
        result[SOLUTION] = solution
        return result

    return measure


def _anchor(run: Callable[[jobmatch.Problem], Result]) -> Callable[..., Result]:
    return lambda problem, _time_limit_s: run(problem)


MEASURES: dict[str, Callable[[jobmatch.Problem, float | None], Result]] = {
    "optimal": _jobmatch("optimal"),
    "stable": _jobmatch("stable"),
    "flow": _anchor(flow_anchor),
    "lsa": _anchor(lsa_anchor),
    "hr": _anchor(hospital_resident_anchor),
}


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, path: Path, time_limit_s: float | None) -> Result:
    """One measurement in this process: load the problem, run `kind`, time and size it."""
    import_rss = _peak_rss_mb()
    started = time.perf_counter()
    problem = jobmatch.load(path)
    loaded = time.perf_counter()
    result = MEASURES[kind](problem, time_limit_s)
    result.update(
        kind=kind,
        load_seconds=loaded - started,
        wall_seconds=time.perf_counter() - started,
        peak_rss_mb=_peak_rss_mb(),
        import_rss_mb=import_rss,
    )
    solution = result.pop(SOLUTION, None)
    if solution is not None:  # validated after the clock and the memory peak are read
        violations = check(problem, jobmatch.solution_to_dict(solution))
        result["violations"] = [str(v) for v in violations[:MAX_VIOLATIONS_SHOWN]]
        result["violation_count"] = len(violations)
    return result


def measure_in_subprocess(
    kind: str, path: Path, time_limit_s: float | None, cap_s: float
) -> Result:
    """`measure` in a fresh interpreter, stopped after `cap_s` seconds."""
    command = [sys.executable, "-m", "bench.run", "--measure", kind, str(path)]
    if time_limit_s is not None:
        command += ["--time-limit", str(time_limit_s)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=cap_s, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        return {"kind": kind, "skipped": f"stopped at the {cap_s:.0f} s cap"}
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        return {"kind": kind, "error": lines[-1]}
    result: Result = json.loads(done.stdout.splitlines()[-1])
    return result


def generate_size(size: Size, folder: Path) -> Path:
    """Write one size's problem into `folder`, in a subprocess: a child's max RSS starts
    from its parent's at the fork, so this process stays small."""
    path = folder / f"{size.name}.json"
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--youths", str(size.youths), "--openings",
         str(size.openings), "--towns", str(size.towns), "--density", size.density,
         "--seed", str(SEED), "-o", str(path)],
        cwd=ROOT, check=True,
    )  # fmt: skip
    return path


def run_size(
    size: Size, path: Path, *, time_limit_s: float | None, cap_s: float, hr_cap_s: float
) -> dict[str, Result]:
    """Measure jobmatch and every anchor on one size's problem, one after another."""
    results = {}
    for kind in ("optimal", "flow", "lsa", "stable", "hr"):
        print(f"  {size.name}: {kind} ...", file=sys.stderr, flush=True)
        results[kind] = measure_in_subprocess(
            kind, path, time_limit_s, hr_cap_s if kind == "hr" else cap_s
        )
    return results


def check_limits(size: Size, path: Path, limits: Sequence[float], *, cap_s: float) -> list[Result]:
    """jobmatch optimal with `time_limit_s=T` for each T, each in its own subprocess."""
    checks = []
    for limit in limits:
        print(f"  {size.name}: optimal, time limit {limit:g} s ...", file=sys.stderr, flush=True)
        checks.append({"limit": limit, **measure_in_subprocess("optimal", path, limit, cap_s)})
    return checks


def limit_check_sizes(sizes: Sequence[Size]) -> list[Size]:
    """Where the time limits are checked: dense-region and dense-city among `sizes`, else
    the largest dense size requested, else none."""
    named = [size for size in sizes if size.name in LIMIT_SIZES]
    dense = [size for size in sizes if size.density == "dense"]
    if named or not dense:
        return named
    return [max(dense, key=lambda size: size.youths * size.openings)]


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.2%}"


def _gap(result: Result) -> float | None:
    """How far the score may be below its optimum, as a share of the bound."""
    bound = result.get("bound")
    if not bound or not bound["score"]:
        return 0.0 if result.get("status") == "optimal" else None
    return float(bound["score"] - result["objective"]["score"]) / float(bound["score"])


def _why(result: Result) -> str:
    """Why a measurement has no result: skipped (and why), or the error it ended with."""
    return str(result.get("skipped") or f"error: {result.get('error')}")


def _checked(result: Result) -> str:
    """What `jobmatch check` found, for a status cell; nothing for the anchors."""
    if "violation_count" not in result:
        return ""
    return f" ({result['violation_count']} violations)"


LABELS = {
    "optimal": "jobmatch optimal",
    "flow": "OR-Tools min-cost flow",
    "lsa": "scipy linear_sum_assignment",
    "stable": "jobmatch stable",
    "hr": "matching HospitalResident",
}


def _header(left: Sequence[str], right: Sequence[str], tail: Sequence[str] = ()) -> list[str]:
    """A markdown table's title row and alignment row: `left` columns, right-aligned ones,
    then `tail` columns aligned left again."""
    columns = [*left, *right, *tail]
    rule = ["---"] * len(left) + ["---:"] * len(right) + ["---"] * len(tail)
    return [f"| {' | '.join(columns)} |", f"| {' | '.join(rule)} |"]


def _label(size: Size) -> str:
    return f"{size.name} ({size.youths:,} x {size.openings:,})"


def results_table(sizes: Sequence[Size], runs: dict[str, dict[str, Result]]) -> str:
    """One row per size and method."""
    lines = _header(
        ("size", "method", "status"),
        (
            "priority matched",
            "matched",
            "score",
            "score bound",
            "gap",
            "wall s",
            "solver s",
            "peak RSS MB",
        ),
    )
    for size in sizes:
        for kind, result in runs[size.name].items():
            if "objective" not in result:
                lines.append(
                    f"| {_label(size)} | {LABELS[kind]} | {_why(result)} |  |  |  |  |  |  |  |  |"
                )
                continue
            objective, bound = result["objective"], result.get("bound") or {}
            solver = result.get("solver_seconds", result.get("stats", {}).get("seconds"))
            gap = _percent(_gap(result)) if kind == "optimal" else "-"
            lines.append(
                f"| {_label(size)} | {LABELS[kind]} | {result['status']}{_checked(result)} "
                f"| {objective['priority_matched']:,} | {objective['matched']:,} "
                f"| {_number(objective.get('score'), 0)} | {_number(bound.get('score'), 0)} "
                f"| {gap} | {_number(result['wall_seconds'])} "
                f"| {_number(solver)} | {_number(result['peak_rss_mb'], 0)} |"
            )
    return "\n".join(lines)


def _floor_ratio(result: Result, flow: Result) -> float | None:
    """A jobmatch run's wall time over the flow anchor's on the same pairs (both from reading
    the file), or None when either has no result."""
    if "objective" not in result or "objective" not in flow or not flow["wall_seconds"]:
        return None
    return float(result["wall_seconds"]) / float(flow["wall_seconds"])


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _times(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.1f}x"


def floor_table(sizes: Sequence[Size], runs: dict[str, dict[str, Result]]) -> str:
    """jobmatch's wall time beside the OR-Tools min-cost flow floor on the same pairs."""
    lines = _header(
        ("size", "density"),
        (
            "eligible pairs",
            "flow floor wall s",
            "optimal wall s",
            "optimal x flow floor",
            "stable wall s",
            "stable x flow floor",
        ),
    )
    for size in sizes:
        run = runs[size.name]
        optimal, stable, flow = run["optimal"], run["stable"], run["flow"]
        pairs = optimal.get("stats", {}).get("eligible_pairs", flow.get("eligible_pairs"))
        lines.append(
            f"| {_label(size)} | {size.density} | {_count(pairs)} "
            f"| {_number(flow.get('wall_seconds') if 'objective' in flow else None)} "
            f"| {_number(optimal.get('wall_seconds'))} | {_times(_floor_ratio(optimal, flow))} "
            f"| {_number(stable.get('wall_seconds'))} | {_times(_floor_ratio(stable, flow))} |"
        )
    return "\n".join(lines)


# The phases of `solution.stats` that follow one another; "other" is the rest of `solve`.
PHASES = (
    "prepare_seconds",
    "flow_seconds",
    "components_seconds",
    "hard_components_seconds",
    "explain_seconds",
)


def phases_table(sizes: Sequence[Size], runs: dict[str, dict[str, Result]]) -> str:
    """Where jobmatch's optimal run spends its time, from `solution.stats`.

    "hard components" holds CP-SAT ("of which CP-SAT") and the Python around it; "other"
    is the rest of `solve`: the clashes of fixed pairs, assembling the assignments.
    """
    lines = _header(
        ("size",),
        (
            "load s",
            "prepare s",
            "flow s",
            "components s",
            "hard components s",
            "of which CP-SAT s",
            "explain s",
            "other s",
            "solve s",
            "eligible pairs",
            "CP components",
            "CP pairs",
            "import RSS MB",
        ),
    )
    for size in sizes:
        result = runs[size.name]["optimal"]
        if "stats" not in result:
            continue
        stats = result["stats"]
        other = stats["seconds"] - sum(stats.get(key, 0.0) for key in PHASES)
        cells = [_number(stats.get(key)) for key in PHASES]
        cells.insert(4, _number(stats.get("cp_seconds")))
        lines.append(
            f"| {size.name} | {_number(result['load_seconds'])} | {' | '.join(cells)} "
            f"| {_number(other)} | {_number(stats['seconds'])} | {stats['eligible_pairs']:,} "
            f"| {stats.get('cp_components', '-')} | {_count(stats.get('cp_pairs'))} "
            f"| {_number(result['import_rss_mb'], 0)} |"
        )
    return "\n".join(lines)


def stability_table(sizes: Sequence[Size], runs: dict[str, dict[str, Result]]) -> str:
    """The price of stability, and whether jobmatch's stable matching is matching's."""
    lines = _header(
        ("size", "jobmatch stable = HospitalResident"),
        ("optimal priority", "stable priority", "price of stability", "blocking pairs"),
    )
    for size in sizes:
        run = runs[size.name]
        optimal, stable, hr = run["optimal"], run["stable"], run["hr"]
        if "objective" not in optimal or "objective" not in stable:
            continue
        price = optimal["objective"]["priority_matched"] - stable["objective"]["priority_matched"]
        if "assignments" in hr:
            mine, theirs = ({tuple(p) for p in r["assignments"]} for r in (stable, hr))
            same = "yes" if mine == theirs else f"no: {len(mine ^ theirs)} pairs differ"
        else:
            same = _why(hr)
        lines.append(
            f"| {size.name} | {same} | {optimal['objective']['priority_matched']:,} "
            f"| {stable['objective']['priority_matched']:,} | {price:,} "
            f"| {stable['stats'].get('blocking_pairs', '-')} |"
        )
    return "\n".join(lines)


def _verdict(figures: Sequence[str], misses: Sequence[str]) -> str:
    """ "met" with the figures, or "not met" with every miss and its figure."""
    return "not met: " + "; ".join(misses) if misses else "met: " + ", ".join(figures)


def _goal(target: Target) -> str:
    """The optimal run's target in words."""
    if target.proven:
        words = ["both objectives proven optimal"]
    else:
        words = ["first objective optimal (= flow anchor)"]
    if target.max_gap is not None:
        words.append(f"score within {target.max_gap:.1%} of its bound")
    words.append(f"< {target.seconds:g} s")
    if target.memory_mb is not None:
        words.append(f"< {target.memory_mb / 1024:g} GB")
    return ", ".join(words)


def _time_and_memory(
    target_s: float, target_mb: float | None, result: Result
) -> tuple[list[str], list[str]]:
    """The wall time and peak RSS of a run against strict upper bounds, and its broken rules.

    The wall time counts from reading the file; the solve's own seconds stand beside it.
    """
    seconds, memory = result["wall_seconds"], result["peak_rss_mb"]
    solve = result.get("stats", {}).get("seconds")
    wall = f"{seconds:.2f} s" if solve is None else f"{seconds:.2f} s ({solve:.2f} s in solve)"
    figures, misses = [wall], []
    if seconds >= target_s:
        misses.append(f"{wall} >= {target_s:g} s")
    if target_mb is not None:
        figures.append(f"{memory:,.0f} MB")
        if memory >= target_mb:
            misses.append(f"peak RSS {memory:,.0f} MB >= {target_mb:,.0f} MB")
    if result.get("violation_count"):
        misses.append(f"{result['violation_count']} broken rules (jobmatch check)")
    return figures, misses


def optimal_verdict(target: Target, run: dict[str, Result]) -> str:
    """Whether jobmatch's optimal run meets `target`, with the figures, and why not."""
    result, flow = run["optimal"], run["flow"]
    if "objective" not in result:
        return f"not met: {_why(result)}"
    status, gap = result["status"], _gap(result)
    figures, misses = [status], []
    if "objective" not in flow:
        misses.append(f"no flow anchor to compare the first objective with ({_why(flow)})")
    elif result["objective"]["priority_matched"] != flow["objective"]["priority_matched"]:
        misses.append(
            f"first objective {result['objective']['priority_matched']:,} != "
            f"the flow anchor's {flow['objective']['priority_matched']:,}"
        )
    if target.proven and status != "optimal":
        misses.append(f"status {status} (score gap {_percent(gap)})")
    if target.max_gap is not None:
        figures.append(f"score gap {_percent(gap)}")
        if gap is None or gap > target.max_gap:
            misses.append(f"score gap {_percent(gap)} > {target.max_gap:.1%}")
    more_figures, more_misses = _time_and_memory(target.seconds, target.memory_mb, result)
    return _verdict(figures + more_figures, misses + more_misses)


def stable_verdict(limit_s: float, run: dict[str, Result]) -> str:
    """Whether jobmatch's stable method finishes within `limit_s`."""
    result = run["stable"]
    if "objective" not in result:
        return f"not met: {_why(result)}"
    return _verdict(*_time_and_memory(limit_s, None, result))


def floor_verdict(ratio_limit: float, run: dict[str, Result]) -> str:
    """Whether the whole optimal solve takes at most `ratio_limit` times the flow floor."""
    optimal, flow = run["optimal"], run["flow"]
    ratio = _floor_ratio(optimal, flow)
    if "objective" not in optimal:
        return f"not met: jobmatch optimal {_why(optimal)}"
    if ratio is None:
        return f"not known: no flow floor ({_why(flow)})"
    figure = f"{ratio:.1f}x ({optimal['wall_seconds']:.2f} s / {flow['wall_seconds']:.2f} s)"
    return _verdict([figure], [] if ratio <= ratio_limit else [f"{figure} > {ratio_limit:g}x"])


def targets_table(sizes: Sequence[Size], runs: dict[str, dict[str, Result]]) -> str:
    """The targets of issues 2 and 10, one row per named size and goal."""
    lines = _header(("size", "issue", "target", "met"), ())
    for size in sizes:
        target, run = size.target, runs[size.name]
        if target is None:
            continue
        rows = [(target.issue, _goal(target), optimal_verdict(target, run))]
        if target.stable_seconds is not None:
            rows.append(
                (
                    10,
                    f"the stable method < {target.stable_seconds:g} s",
                    stable_verdict(target.stable_seconds, run),
                )
            )
        if target.floor_ratio is not None:
            rows.append(
                (
                    10,
                    f"whole solve (explanations included) <= {target.floor_ratio:g}x "
                    "the min-cost flow floor",
                    floor_verdict(target.floor_ratio, run),
                )
            )
        lines += [f"| {size.name} | {issue} | {goal} | {met} |" for issue, goal, met in rows]
    if len(lines) == 2:
        return f"None: no named size requested ({', '.join(SIZES)} have targets)."
    return "\n".join(lines)


# `stats` keys of the excluded phases, for a solver that names them so (`excluded_phases`).
PHASE_KEYS = {
    "prepare_seconds": "eligibility",
    "flow_seconds": "flow",
    "explain_seconds": "explanations",
}


def _excluded(stats: Result) -> dict[str, float] | None:
    """The excluded phases and their seconds: `excluded_seconds` as {phase: s}, or as a total
    with the `stats` keys it sums in `excluded_phases`; None when the solver reports neither."""
    excluded = stats.get("excluded_seconds")
    if excluded is None or isinstance(excluded, dict):
        return excluded
    keys = stats.get("excluded_phases")
    if not keys:
        return {"(not named)": float(excluded)}
    return {PHASE_KEYS.get(key, key): float(stats.get(key, 0.0)) for key in keys}


def _bench_counted(timed: Result, excluded: dict[str, float]) -> float:
    """What counted against T as the bench sees it: the wall time from reading the file,
    less the reading and the excluded phases the issue names."""
    left_out = sum(float(excluded.get(phase, 0.0)) for phase in EXCLUDED_PHASES)
    return float(timed["wall_seconds"]) - float(timed["load_seconds"]) - left_out


def limit_verdict(timed: Result) -> str:
    """Whether a run with `time_limit_s=T` kept T: counted <= T, by the solver's figure and
    by the bench's own, and a feasible result with its bound."""
    if "objective" not in timed:
        return f"not met: {_why(timed)}"
    limit, stats = timed["limit"], timed["stats"]
    misses, unknown = [], []
    used = stats.get("time_limit_s")
    if used is None:
        unknown.append("no time_limit_s")
    elif used != limit:
        misses.append(f"the solver's budget was {used} s, not {limit:g} s")
    if timed["status"] not in ("optimal", "feasible"):
        misses.append(f"status {timed['status']}")
    elif timed["status"] == "feasible" and not timed.get("bound"):
        misses.append("feasible without a bound")
    if timed.get("violation_count"):
        misses.append(f"{timed['violation_count']} broken rules (jobmatch timed)")
    counted, excluded = stats.get("budget_seconds"), _excluded(stats)
    if counted is None:
        unknown.append("no budget_seconds")
    elif counted > limit:
        misses.append(f"counted {counted:.2f} s > {limit:g} s")
    if excluded is None:
        unknown.append("no excluded_seconds")
    else:
        others = sorted(set(excluded) - set(EXCLUDED_PHASES))
        if others:
            misses.append(f"excludes phases the issue does not: {', '.join(others)}")
        seen = _bench_counted(timed, excluded)
        if seen > limit:
            misses.append(f"wall less reading and excluded phases {seen:.2f} s > {limit:g} s")
    if misses:
        return "not met: " + "; ".join(misses)
    if unknown:
        return "not known: solution.stats has " + ", ".join(unknown)
    return f"met: counted {counted:.2f} s <= {limit:g} s"


def limits_table(sizes: Sequence[Size], checks: dict[str, list[Result]]) -> str:
    """jobmatch optimal with `time_limit_s=T`: what counted against T and what did not."""
    if not checks:
        return (
            "None: no dense size requested (`--limit-checks` runs on dense-region and "
            "dense-city, or on the largest dense size)."
        )
    phases = [f"{phase} s" for phase in EXCLUDED_PHASES]
    lines = _header(
        ("size", "T s", "status"),
        (
            "gap to bound",
            "solve s",
            "counted s",
            "wall - excluded s",
            "load s",
            *phases,
        ),
        ("limit reached", "met"),
    )
    for size in sizes:
        for timed in checks.get(size.name, []):
            if "objective" not in timed:
                cells = " |" * (len(phases) + 7)
                lines.append(f"| {size.name} | {timed['limit']:g} | {_why(timed)} |{cells}")
                continue
            stats = timed["stats"]
            excluded = _excluded(stats)
            seen = None if excluded is None else _bench_counted(timed, excluded)
            left_out = [_number((excluded or {}).get(phase)) for phase in EXCLUDED_PHASES]
            reached = stats.get("limit_reached")
            lines.append(
                f"| {size.name} | {timed['limit']:g} | {timed['status']}{_checked(timed)} "
                f"| {_percent(_gap(timed))} | {_number(stats.get('seconds'))} "
                f"| {_number(stats.get('budget_seconds'))} | {_number(seen)} "
                f"| {_number(timed['load_seconds'])} | {' | '.join(left_out)} "
                f"| {'-' if reached is None else ('yes' if reached else 'no')} "
                f"| {limit_verdict(timed)} |"
            )
    return "\n".join(lines)


def violations_list(
    sizes: Sequence[Size], runs: dict[str, dict[str, Result]], checks: dict[str, list[Result]]
) -> str:
    """The first broken rules `jobmatch check` found in jobmatch's solutions, if any."""
    lines = []
    for size in sizes:
        measured = [(LABELS[kind], result) for kind, result in runs[size.name].items()]
        measured += [
            (f"jobmatch optimal, time limit {c['limit']:g} s", c)
            for c in checks.get(size.name, [])
        ]
        for label, result in measured:
            if result.get("violation_count"):
                lines.append(
                    f"- {size.name}, {label}: {result['violation_count']} "
                    f"violations, first: {'; '.join(result['violations'])}"
                )
    return "\n".join(lines) or "None: every jobmatch solution passes `jobmatch check`."


def _machine() -> str:
    model = cpu_model()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("ortools", "scipy", "numpy", "matching")
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({model}), {memory:.0f} GB RAM, shared with other work "
        f"(load average at the end over 1, 5, 15 min: {load}); "
        f"Python {platform.python_version()}, {versions}"
    )


def _revision() -> str:
    """The commit of the tree, and whether jobmatch/ differs from it."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, cwd=ROOT, check=False
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "jobmatch")
    return f"commit {commit}" + (" with uncommitted changes in jobmatch/" if changed else "")


def report(
    sizes: Sequence[Size],
    runs: dict[str, dict[str, Result]],
    checks: dict[str, list[Result]],
    command: str,
    revision: str,
) -> str:
    """The generated part of docs/benchmarks.md; `revision` as `_revision` gave it at the start."""
    return "\n\n".join(
        [
            f"Run on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `{command}`, seed {SEED}, "
            f"jobmatch at {revision}, on {_machine()}.",
            "### Results\n\n" + results_table(sizes, runs),
            "### Against the flow floor\n\n" + floor_table(sizes, runs),
            "### Targets of issues 2 and 10\n\n" + targets_table(sizes, runs),
            "### Time limits (optimal method, `time_limit_s=T`)\n\n" + limits_table(sizes, checks),
            "### Where jobmatch's time goes (optimal method, `solution.stats`)\n\n"
            + phases_table(sizes, runs),
            "### Stability\n\n" + stability_table(sizes, runs),
            "### Broken rules\n\n" + violations_list(sizes, runs, checks),
        ]
    )


def write_doc(path: Path, generated: str, begin: str = BEGIN, end: str = END) -> None:
    """Put the generated part between the markers, keeping the hand-written text around it
    (markers not in the file yet are added at its end)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin not in text:
        text = f"{text.rstrip()}\n\n{begin}\n{end}\n".lstrip()
    before, _, rest = text.partition(begin)
    _, _, after = rest.partition(end)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{before}{begin}\n{generated}\n{end}{after}", encoding="utf-8")


def parse_sizes(text: str) -> list[Size]:
    """Named sizes (`small,dense-city,...`), or `YOUTHSxOPENINGS[xTOWNS][:dense]`."""
    sizes = []
    for name in text.split(","):
        if name in SIZES:
            sizes.append(SIZES[name])
            continue
        shape, _, density = name.partition(":")
        try:
            numbers = [int(part) for part in shape.split("x")]
        except ValueError:
            numbers = []
        if len(numbers) not in (2, 3) or density not in ("", *DENSITIES):
            raise argparse.ArgumentTypeError(
                f"unknown size {name!r}: use {', '.join(SIZES)} or YOUTHSxOPENINGS[xTOWNS][:dense]"
            )
        if min(numbers[:2]) < 1 or (len(numbers) == 3 and numbers[2] < 1):
            raise argparse.ArgumentTypeError(
                f"size {name!r} needs at least one youth, one opening and one town"
            )
        towns = numbers[2] if len(numbers) == 3 else 1
        sizes.append(Size(name, numbers[0], numbers[1], towns, density or "sparse"))
    return sizes


def parse_limits(text: str) -> list[float]:
    """`0.5,1`: the time limits to check, in seconds; empty or `none` for no checks."""
    if text.strip().lower() in ("", "none"):
        return []
    try:
        limits = [float(part) for part in text.split(",")]
    except ValueError:
        limits = []
    if not limits or any(not limit > 0 for limit in limits):
        raise argparse.ArgumentTypeError(
            f"bad time limits {text!r}: use positive seconds, comma-separated (0.5,1), or none"
        )
    return limits


def main(argv: Sequence[str] | None = None) -> None:
    """Benchmark the chosen sizes, check the time limits, print the tables and write the report."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(SIZES.values()),
        help=f"comma-separated: {', '.join(SIZES)} or YxO[xT][:dense]",
    )
    parser.add_argument("--time-limit", type=float, help="jobmatch's time_limit_s")
    parser.add_argument(
        "--limit-checks",
        type=parse_limits,
        default=parse_limits(DEFAULT_LIMITS),
        help=f"time limits T to check on the dense sizes (default {DEFAULT_LIMITS}; none: skip)",
    )
    parser.add_argument("--cap", type=float, default=600.0, help="seconds before a run stops")
    parser.add_argument(
        "--hr-cap", type=float, default=180.0, help="seconds before HospitalResident stops"
    )
    parser.add_argument("-o", "--output", type=Path, default=DOC)
    parser.add_argument("--json", type=Path, help="also write every raw result to this file")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PROBLEM"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        kind, path = args.measure
        print(json.dumps(measure(kind, Path(path), args.time_limit)))
        return
    runs, checks = {}, {}
    checked = {size.name for size in limit_check_sizes(args.sizes)} if args.limit_checks else set()
    revision = _revision()
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = generate_size(size, Path(folder))
            runs[size.name] = run_size(
                size, path, time_limit_s=args.time_limit, cap_s=args.cap, hr_cap_s=args.hr_cap
            )
            if size.name in checked:
                checks[size.name] = check_limits(size, path, args.limit_checks, cap_s=args.cap)
    command = " ".join(["python -m bench.run", *(sys.argv[1:] if argv is None else argv)])
    generated = report(args.sizes, runs, checks, command, revision)
    print(generated)
    write_doc(args.output, generated)
    if args.json:
        raw = {"runs": _without_pairs(runs), "limit_checks": checks}
        args.json.write_text(json.dumps(raw, indent=1), encoding="utf-8")


def _without_pairs(runs: dict[str, dict[str, Result]]) -> dict[str, dict[str, Result]]:
    """The runs without their matchings' pairs: compared in the run (the stability table
    says whether they are equal), and the bulk of the file (about 1 MB at four sizes)."""
    return {
        size: {kind: {k: v for k, v in result.items() if k != "assignments"}
               for kind, result in kinds.items()}
        for size, kinds in runs.items()
    }  # fmt: skip


if __name__ == "__main__":
    main()
