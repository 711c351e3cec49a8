"""The country problem's independent parts solved in 1, 2 and 4 processes, and by 1, 2 and
4 RQ workers on Redis, side by side.

    python -m bench.parts                          # the country (large), 1, 2 and 4 of each
    python -m bench.parts --sizes medium --processes 1,2 --workers none

Each process count runs in a fresh interpreter (wall time from reading the problem file
to the solution; peak memory of the interpreter that reads, splits, merges and explains:
the parts' processes each hold one part). For the workers, `rq worker` processes are
started and ready first (their start is not timed); then the problem is read and split,
one job per part is enqueued, and the solution is merged when the last is done. The
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
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from redis import Redis
from rq import Queue, Worker
from rq.command import send_shutdown_command
from rq.job import JobStatus

import jobmatch
from bench.run import DOC, ROOT, Size, _machine, _revision, generate_size, parse_sizes, write_doc
from jobmatch.check import check

BEGIN, END = "<!-- parts:begin -->", "<!-- parts:end -->"
DEFAULT_PROCESSES = "1,2,4"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
JOB_TIMEOUT_S = 1800


def measure(path: Path, processes: int) -> dict[str, Any]:
    """Solve the problem file in `processes` processes, in this interpreter."""
    started = time.perf_counter()
    problem = jobmatch.load(path)
    solution = jobmatch.solve(problem, processes=processes)
    return _described(problem, solution, processes, time.perf_counter() - started)


def measure_queue(path: Path, workers: int, redis_url: str) -> dict[str, Any]:
    """Solve the problem file's parts as RQ jobs on `workers` ready workers, then merge."""
    connection = Redis.from_url(redis_url)
    queue = Queue(f"bench-parts-{uuid.uuid4().hex[:12]}", connection=connection)
    with _workers(queue, workers, redis_url):
        started = time.perf_counter()
        problem = jobmatch.load(path)
        jobs = [
            queue.enqueue(jobmatch.solve, part, explain=False, job_timeout=JOB_TIMEOUT_S)
            for part in jobmatch.split(problem)
        ]
        while not all(job.get_status() in (JobStatus.FINISHED, JobStatus.FAILED) for job in jobs):
            time.sleep(0.05)
        failed = [job for job in jobs if job.get_status() == JobStatus.FAILED]
        if failed:
            return {"workers": workers, "error": f"{len(failed)} of {len(jobs)} jobs failed"}
        solution = jobmatch.merge(problem, [job.return_value() for job in jobs])
        result = _described(problem, solution, workers, time.perf_counter() - started)
    queue.delete(delete_jobs=True)
    return {**result, "workers": result.pop("processes")}


@contextmanager
def _workers(queue: Queue, count: int, redis_url: str) -> Iterator[None]:
    """`count` `rq worker` processes on `queue`, ready, with jobmatch imported before they
    fork a process per job (their settings module, `-c bench.parts`, imports it)."""
    command = [sys.executable, "-m", "rq.cli", "worker", "--quiet", "-c", "bench.parts",
               "--url", redis_url, queue.name]  # fmt: skip
    processes = [subprocess.Popen(command, cwd=ROOT) for _ in range(count)]
    try:
        while Worker.count(queue=queue) < count:
            if any(p.poll() is not None for p in processes):
                raise RuntimeError("an rq worker stopped before it was ready")
            time.sleep(0.1)
        yield
    finally:
        for worker in Worker.all(queue=queue):
            send_shutdown_command(queue.connection, worker.name)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _described(
    problem: jobmatch.Problem, solution: jobmatch.Solution, processes: int, seconds: float
) -> dict[str, Any]:
    """What the table shows of one solution, and its digest without the timings."""
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
    """One size's rows: seconds, speed-up over the first row, memory, and sameness."""
    head = (
        f"**{size.name}** ({size.youths:,} youths x {size.openings:,} openings, "
        f"{size.towns} towns, {size.density})\n\n"
        "| solved by | wall s | vs the first row | peak MB (main process) | parts "
        "| status | score | same solution as the first row | broken rules |\n"
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |"
    )
    rows = [head]
    first = results[0]
    for result in results:
        label = _label(result)
        if "error" in result:
            rows.append(f"| {label} | error: {result['error']} |||||||")
            continue
        speed = first.get("seconds", 0) / result["seconds"]
        same = "yes" if result["digest"] == first.get("digest") else "**no**"
        rows.append(
            f"| {label} | {result['seconds']:.1f} | {speed:.2f}x "
            f"| {result['peak_mb']:.0f} | {result['parts']} "
            f"| {result['status']} | {result['objective']['score']:,} | {same} "
            f"| {result['violations']} |"
        )
    return "\n".join(rows)


def _label(result: dict[str, Any]) -> str:
    if "workers" in result:
        return f"{result['workers']} RQ worker{'s' if result['workers'] > 1 else ''}"
    return f"{result['processes']} process{'es' if result['processes'] > 1 else ''}"


def parse_processes(text: str) -> list[int]:
    """`1,2,4`: process or worker counts to compare; `none` for none."""
    if text.strip().lower() == "none":
        return []
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        counts = []
    if not counts or any(not 1 <= count <= 64 for count in counts):
        raise argparse.ArgumentTypeError(
            f"bad counts {text!r}: use whole numbers from 1 to 64, comma-separated, or none"
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
    parser.add_argument("--workers", type=parse_processes,
                        default=parse_processes(DEFAULT_PROCESSES))  # fmt: skip
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="the workers' Redis")
    parser.add_argument("-o", "--output", type=Path, default=DOC)
    parser.add_argument("--measure", nargs=2, metavar=("N", "PROBLEM"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.processes and not args.workers:
        parser.error("nothing to measure: give --processes or --workers")
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
            for count in args.workers:
                print(f"  {size.name}: {count} RQ workers ...", file=sys.stderr, flush=True)
                results.append(measure_queue(path, count, args.redis))
            tables.append(table(size, results))
    command = " ".join(["python -m bench.parts", *(sys.argv[1:] if argv is None else argv)])
    generated = "\n\n".join(
        [f"Run with `{command}`, jobmatch at {revision}, on {_machine()}.", *tables]
    )
    print(generated)
    write_doc(args.output, generated, BEGIN, END)


if __name__ == "__main__":
    main()
