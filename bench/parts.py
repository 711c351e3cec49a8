"""The country problem's independent parts solved in 1, 2 and 4 processes, side by side.

    python -m bench.parts                          # the country (large), 1, 2 and 4 processes
    python -m bench.parts --sizes medium --processes 1,2

Each count runs in a fresh interpreter (wall time from reading the problem file to the
solution; peak memory of the interpreter that reads, splits, merges and explains: the
parts' processes each hold one part). The
solutions must be the same bytes for every count, timings aside, and pass `jobmatch check`.
The table goes into docs/benchmarks.md between its own markers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jobmatch
from bench.run import DOC, ROOT, Size, _machine, _revision, generate_size, parse_sizes, write_doc
from jobmatch.check import check

BEGIN, END = "<!-- parts:begin -->", "<!-- parts:end -->"
DEFAULT_PROCESSES = "1,2,4"


def measure(path: Path, processes: int) -> dict[str, Any]:
    """Solve the problem file in `processes` processes, in this interpreter."""
    started = time.perf_counter()
    problem = jobmatch.load(path)
    solution = jobmatch.solve(problem, processes=processes)
    seconds = time.perf_counter() - started
    document = jobmatch.solution_to_dict(solution)
    stats = document["stats"]
    timeless = {**document, "stats": {k: v for k, v in stats.items() if not k.endswith("seconds")}}
    return {
        "processes": processes,
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "parts": stats.get("parts", 1),
        "status": document["status"],
        "objective": document["objective"],
        "bound": document.get("bound"),
        "digest": hashlib.sha256(json.dumps(timeless, sort_keys=True).encode()).hexdigest(),
        "violations": len(check(problem, document)),
    }


def measure_in_subprocess(path: Path, processes: int) -> dict[str, Any]:
    """`measure` in a fresh interpreter."""
    command = [sys.executable, "-m", "bench.parts", "--measure", str(processes), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        return {"processes": processes, "error": lines[-1]}
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def table(size: Size, results: Sequence[dict[str, Any]]) -> str:
    """One size's rows: seconds, speed-up over one process, memory, and sameness."""
    head = (
        f"**{size.name}** ({size.youths:,} youths x {size.openings:,} openings, "
        f"{size.towns} towns, {size.density})\n\n"
        "| processes | wall s | vs 1 process | peak MB (main process) | parts "
        "| status | score | same solution as 1 process | broken rules |\n"
        "| ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |"
    )
    rows = [head]
    first = results[0]
    for result in results:
        if "error" in result:
            rows.append(f"| {result['processes']} | error: {result['error']} |||||||")
            continue
        speed = first.get("seconds", 0) / result["seconds"]
        same = "yes" if result["digest"] == first.get("digest") else "**no**"
        rows.append(
            f"| {result['processes']} | {result['seconds']:.1f} | {speed:.2f}x "
            f"| {result['peak_mb']:.0f} | {result['parts']} "
            f"| {result['status']} | {result['objective']['score']:,} | {same} "
            f"| {result['violations']} |"
        )
    return "\n".join(rows)


def parse_processes(text: str) -> list[int]:
    """`1,2,4`: the process counts to compare, the first being the reference."""
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        counts = []
    if not counts or any(not 1 <= count <= 64 for count in counts):
        raise argparse.ArgumentTypeError(
            f"bad process counts {text!r}: use whole numbers from 1 to 64, comma-separated"
        )
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    """Run each size with each process count, print the tables and write them in the doc."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.parts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("large"))
    parser.add_argument("--processes", type=parse_processes,
                        default=parse_processes(DEFAULT_PROCESSES))  # fmt: skip
    parser.add_argument("-o", "--output", type=Path, default=DOC)
    parser.add_argument("--measure", nargs=2, metavar=("N", "PROBLEM"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(Path(args.measure[1]), int(args.measure[0]))))
        return
    revision = _revision()
    tables = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = generate_size(size, Path(folder))
            results = []
            for count in args.processes:
                print(f"  {size.name}: {count} processes ...", file=sys.stderr, flush=True)
                results.append(measure_in_subprocess(path, count))
            tables.append(table(size, results))
    command = " ".join(["python -m bench.parts", *(sys.argv[1:] if argv is None else argv)])
    generated = "\n\n".join(
        [f"Run with `{command}`, jobmatch at {revision}, on {_machine()}.", *tables]
    )
    print(generated)
    write_doc(args.output, generated, BEGIN, END)


if __name__ == "__main__":
    main()
