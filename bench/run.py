"""Run jobmatch and its anchors side by side on generated problems; write docs/benchmarks.md.

    python -m bench.run                          # all three sizes (make bench)
    python -m bench.run --sizes small,medium     # a quicker run
    python -m bench.run --sizes 40x15            # any youths x openings [x towns]

Every measurement runs in a fresh subprocess, so peak memory (max RSS) and
imports of one do not pollute another; wall time counts from reading the
problem file (JSON parsing and validation included) to the last result.
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
from jobmatch.check import check

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
SEED = 2026
SOLUTION = "solution"  # where a jobmatch measure leaves its Solution for `check`
MAX_VIOLATIONS_SHOWN = 5
Result = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Size:
    """One benchmark size and the target issue 2 sets for it."""

    name: str
    youths: int
    openings: int
    towns: int
    target: str = "-"


SIZES = {
    "small": Size("small", 300, 120, 1, "both objectives proven optimal in < 1 s"),
    "medium": Size("medium", 3000, 1100, 8, "both objectives proven optimal in < 10 s"),
    "large": Size(
        "large",
        20000,
        7000,
        50,
        "first objective = flow anchor, score within 1 % of its bound, < 60 s, < 4 GB",
    ),
}


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


def run_size(
    size: Size, folder: Path, *, time_limit_s: float | None, cap_s: float, hr_cap_s: float
) -> dict[str, Result]:
    """Generate one size and measure jobmatch and every anchor on it, one after another.

    The problem is generated in a subprocess too: a child's max RSS starts from its
    parent's at the fork, so this process stays small.
    """
    path = folder / f"{size.name}.json"
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--youths", str(size.youths), "--openings",
         str(size.openings), "--towns", str(size.towns), "--seed", str(SEED), "-o", str(path)],
        cwd=ROOT, check=True,
    )  # fmt: skip
    results = {}
    for kind in ("optimal", "flow", "lsa", "stable", "hr"):
        print(f"  {size.name}: {kind} ...", file=sys.stderr, flush=True)
        results[kind] = measure_in_subprocess(
            kind, path, time_limit_s, hr_cap_s if kind == "hr" else cap_s
        )
    return results


def _number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _gap(result: Result) -> float | None:
    """How far the score may be below its optimum, as a share of the bound."""
    bound = result.get("bound")
    if not bound or not bound["score"]:
        return 0.0 if result.get("status") == "optimal" else None
    return (bound["score"] - result["objective"]["score"]) / bound["score"]


LABELS = {
    "optimal": "jobmatch optimal",
    "flow": "OR-Tools min-cost flow",
    "lsa": "scipy linear_sum_assignment",
    "stable": "jobmatch stable",
    "hr": "matching HospitalResident",
}


def _header(left: Sequence[str], right: Sequence[str]) -> list[str]:
    """A markdown table's title row and alignment row: `left` columns, then right-aligned ones."""
    columns = [*left, *right]
    rule = ["---"] * len(left) + ["---:"] * len(right)
    return [f"| {' | '.join(columns)} |", f"| {' | '.join(rule)} |"]


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
            label = f"{size.name} ({size.youths:,} x {size.openings:,})"
            if "objective" not in result:
                why = result.get("skipped") or f"error: {result.get('error')}"
                lines.append(f"| {label} | {LABELS[kind]} | {why} |  |  |  |  |  |  |  |  |")
                continue
            objective, bound = result["objective"], result.get("bound") or {}
            solver = result.get("solver_seconds", result.get("stats", {}).get("seconds"))
            gap = _gap(result) if kind == "optimal" else None
            checked = (
                ""
                if "violation_count" not in result
                else f" ({result['violation_count']} violations)"
            )
            lines.append(
                f"| {label} | {LABELS[kind]} | {result['status']}{checked} "
                f"| {objective['priority_matched']:,} | {objective['matched']:,} "
                f"| {_number(objective.get('score'), 0)} | {_number(bound.get('score'), 0)} "
                f"| {'-' if gap is None else f'{gap:.2%}'} | {_number(result['wall_seconds'])} "
                f"| {_number(solver)} | {_number(result['peak_rss_mb'], 0)} |"
            )
    return "\n".join(lines)


def phases_table(sizes: Sequence[Size], runs: dict[str, dict[str, Result]]) -> str:
    """Where jobmatch's optimal run spends its time, from `solution.stats`.

    "other" is the rest of `solve`: building the CP-SAT models, finding the components
    that need them, repairing the hint, assembling the assignments.
    """
    phases = ("prepare_seconds", "flow_seconds", "cp_seconds", "explain_seconds")
    lines = _header(
        ("size",),
        (
            "load s",
            "prepare s",
            "flow s",
            "CP-SAT s",
            "explain s",
            "other s",
            "solve s",
            "eligible pairs",
            "CP components",
            "import RSS MB",
        ),
    )
    for size in sizes:
        result = runs[size.name]["optimal"]
        if "stats" not in result:
            continue
        stats = result["stats"]
        other = stats["seconds"] - sum(stats.get(key, 0.0) for key in phases)
        cells = " | ".join(_number(stats.get(key)) for key in phases)
        lines.append(
            f"| {size.name} | {_number(result['load_seconds'])} | {cells} | {_number(other)} "
            f"| {_number(stats['seconds'])} | {stats['eligible_pairs']:,} "
            f"| {stats.get('cp_components', '-')} | {_number(result['import_rss_mb'], 0)} |"
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
            same = hr.get("skipped") or f"error: {hr.get('error')}"
        lines.append(
            f"| {size.name} | {same} | {optimal['objective']['priority_matched']:,} "
            f"| {stable['objective']['priority_matched']:,} | {price:,} "
            f"| {stable['stats'].get('blocking_pairs', '-')} |"
        )
    return "\n".join(lines)


def target_verdict(size: Size, run: dict[str, Result]) -> str:
    """Whether jobmatch's optimal run meets issue 2's target for this size, and why not."""
    result, flow = run["optimal"], run["flow"]
    if "objective" not in result:
        return f"no: {result.get('skipped') or result.get('error')}"
    misses = []
    seconds, memory = result["wall_seconds"], result["peak_rss_mb"]
    if "objective" not in flow:
        misses.append("no flow anchor to compare with")
    elif result["objective"]["priority_matched"] != flow["objective"]["priority_matched"]:
        misses.append("first objective differs from the flow anchor")
    if size.name == "large":
        gap = _gap(result)
        if gap is None or gap > 0.01:
            misses.append(f"score gap {'unknown' if gap is None else f'{gap:.2%}'} > 1 %")
        limit = 60.0
        if memory > 4096:
            misses.append(f"peak RSS {memory:,.0f} MB > 4 GB")
    else:
        limit = 1.0 if size.name == "small" else 10.0
        if result["status"] != "optimal":
            misses.append(f"status {result['status']}")
    if seconds >= limit:
        misses.append(f"{seconds:.1f} s >= {limit:.0f} s")
    return "yes" if not misses else "no: " + "; ".join(misses)


def violations_list(sizes: Sequence[Size], runs: dict[str, dict[str, Result]]) -> str:
    """The first broken rules `jobmatch check` found in jobmatch's solutions, if any."""
    lines = []
    for size in sizes:
        for kind, result in runs[size.name].items():
            if result.get("violation_count"):
                lines.append(
                    f"- {size.name}, {LABELS[kind]}: {result['violation_count']} "
                    f"violations, first: {'; '.join(result['violations'])}"
                )
    return "\n".join(lines) or "None: every jobmatch solution passes `jobmatch check`."


def targets_table(sizes: Sequence[Size], runs: dict[str, dict[str, Result]]) -> str:
    """Issue 2's targets, one row per named size."""
    lines = _header(("size", "target", "met"), ())
    for size in sizes:
        if size.name in SIZES:
            lines.append(
                f"| {size.name} | {size.target} | {target_verdict(size, runs[size.name])} |"
            )
    return "\n".join(lines)


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
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
    sizes: Sequence[Size], runs: dict[str, dict[str, Result]], command: str, revision: str
) -> str:
    """The generated part of docs/benchmarks.md; `revision` as `_revision` gave it at the start."""
    return "\n\n".join(
        [
            f"Run on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `{command}`, seed {SEED}, "
            f"jobmatch at {revision}, on {_machine()}.",
            "### Results\n\n" + results_table(sizes, runs),
            "### Targets of issue 2\n\n" + targets_table(sizes, runs),
            "### Where jobmatch's time goes (optimal method, `solution.stats`)\n\n"
            + phases_table(sizes, runs),
            "### Stability\n\n" + stability_table(sizes, runs),
            "### Broken rules\n\n" + violations_list(sizes, runs),
        ]
    )


def write_doc(path: Path, generated: str) -> None:
    """Put the generated part between the markers, keeping the hand-written text around it."""
    text = path.read_text(encoding="utf-8") if path.exists() else f"{BEGIN}\n{END}\n"
    before, _, rest = text.partition(BEGIN)
    _, _, after = rest.partition(END)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{before}{BEGIN}\n{generated}\n{END}{after}", encoding="utf-8")


def parse_sizes(text: str) -> list[Size]:
    """`small,medium,large` by name, or `YOUTHSxOPENINGS[xTOWNS]`."""
    sizes = []
    for name in text.split(","):
        if name in SIZES:
            sizes.append(SIZES[name])
            continue
        try:
            numbers = [int(part) for part in name.split("x")]
        except ValueError:
            numbers = []
        if len(numbers) not in (2, 3):
            raise argparse.ArgumentTypeError(
                f"unknown size {name!r}: use small, medium, large or YOUTHSxOPENINGS[xTOWNS]"
            )
        sizes.append(Size(name, numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else 1))
    return sizes


def main(argv: Sequence[str] | None = None) -> None:
    """Benchmark the chosen sizes, print the tables and write the report."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(SIZES.values()),
        help="comma-separated: small, medium, large or YxO[xT]",
    )
    parser.add_argument("--time-limit", type=float, help="jobmatch's time_limit_s")
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
    runs = {}
    revision = _revision()
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            runs[size.name] = run_size(
                size,
                Path(folder),
                time_limit_s=args.time_limit,
                cap_s=args.cap,
                hr_cap_s=args.hr_cap,
            )
    command = " ".join(["python -m bench.run", *(sys.argv[1:] if argv is None else argv)])
    generated = report(args.sizes, runs, command, revision)
    print(generated)
    write_doc(args.output, generated)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
