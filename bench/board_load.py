"""The board under load: 20 coordinators browse a municipality's board under gunicorn.

    python -m bench.board_load                        # SQLite and PostgreSQL, 60 s a phase
    python -m bench.board_load --database sqlite --seconds 20 --youths 1000
    python -m bench.board_load --tree /tmp/before     # serve another checkout

For each database: a fresh one (a SQLite file, or a PostgreSQL database of its own that is
dropped after), migrated and seeded (the demo world topped up to `--youths` youths, with 300
employers, 1,500 openings and 2,000 placements per 5,000 youths: bench/board_seed.py), served
by gunicorn as the tree's deploy/gunicorn.conf.py sets it up (on 2 cores, 5 processes x 4
threads; a tree without one, 2 x 4) on a free port. A coordinator then starts a matching run of
every area through the run form and it is waited for (its result page is one of the pages
visited). Then two phases of `--seconds` each, `--users` coordinators signed in with sessions
of their own (bench/locustfile.py): "idle", and "during a run", where a run of every youth is
started through HTTP at the start and again whenever one finishes, so that one is solving
throughout. Runs are solved where the tree solves them: by `flask --app webapp worker`
processes on an RQ queue in Redis when the tree has that command and Redis answers (`--queue
auto`, the default: QUEUE_URL redis://127.0.0.1:6379/14 and a queue name of this run's own),
else in the web process's thread pool (`--queue none`). With the queue, the web processes share
the cache of pages worked out for everyone alike (the dashboard's figures, a run's unplaced
youths) in the same Redis, as docs/deploy.md sets production up; without, each process keeps
its own. Prints a Markdown table and writes every figure to `--json`.

The board's code comes from `--tree` (default: this checkout): every process of the board runs
there with the tree first on PYTHONPATH; only this driver and locust run from here.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import redis
import requests

from bench import board_report
from bench.board_runs import RunStarter
from bench.machine import cpu_model

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
DATABASES = ("sqlite", "postgresql")
GUNICORN_CONFIGS = ("gunicorn.conf.py", "deploy/gunicorn.conf.py")
AUTO_QUEUE = "redis://127.0.0.1:6379/14"  # a database number of the benchmark's own
RUN_WAIT_S = 900  # the first run (its result page is visited) must finish within this
SPAWN_RATE = 4  # coordinators signing in a second


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table; write the JSON."""
    args = _parser().parse_args(argv)
    tree = args.tree.resolve()
    databases = DATABASES if args.database == "both" else (args.database,)
    args.queue = _queue(tree, args.queue)
    results: dict[str, Any] = {"meta": _meta(tree, args), "databases": {}}
    with tempfile.TemporaryDirectory(prefix="board-load-") as work:
        for database in databases:
            with _fresh_database(database, args.postgres, Path(work)) as url:
                folder = Path(work) / database
                folder.mkdir()
                results["databases"][database] = _measure_database(tree, url, folder, args)
            args.json.write_text(json.dumps(results, indent=1))
    print(board_report.markdown(results))
    print(f"(all figures in {args.json})", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=(*DATABASES, "both"), default="both")
    parser.add_argument("--seconds", type=int, default=60, help="each phase (default 60)")
    parser.add_argument("--users", type=int, default=20, help="coordinators at once (20)")
    parser.add_argument("--youths", type=int, default=5000, help="the scale (5,000 youths)")
    parser.add_argument("--think", default="1,3", help="seconds between two pages (1,3)")
    parser.add_argument(
        "--warmup", type=int, default=15, help="seconds of browsing before measuring (15)"
    )
    parser.add_argument("--json", type=Path, default=Path("board_load.json"))
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432", help="server for the PG run"
    )
    parser.add_argument(
        "--queue", default="auto", help="a Redis URL for `flask worker`s, auto or none (auto)"
    )
    parser.add_argument("--queue-workers", type=int, default=1, help="flask workers (1)")
    return parser


def _meta(tree: Path, args: argparse.Namespace) -> dict[str, Any]:
    def git(*command: str) -> str:
        done = subprocess.run(["git", *command], cwd=tree, capture_output=True, text=True)
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "tree": str(tree),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "load_average_before": os.getloadavg()[0],
        **{
            k: v
            for k, v in vars(args).items()
            if k in ("seconds", "users", "youths", "think", "warmup")
        },
        "queue": args.queue or "none: runs solved in the web process",
        "gunicorn": str(_gunicorn_config(tree) or "2 processes x 4 threads, gthread"),
    }


@contextlib.contextmanager
def _fresh_database(kind: str, server: str, work: Path) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file, or a PostgreSQL database dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{work / 'board.sqlite'}"
        return
    import psycopg

    name = f"board_load_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _measure_database(
    tree: Path, url: str, folder: Path, args: argparse.Namespace
) -> dict[str, Any]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = _board_env(tree, url, base, args.queue)
    targets = _seed(tree, env, folder, args)
    with contextlib.ExitStack() as running:
        running.enter_context(_serve(tree, env, port, folder))
        for n in range(args.queue_workers if args.queue else 0):
            running.enter_context(
                _process(
                    [_flask(), "--app", "webapp", "worker"], tree, env, folder / f"worker{n}.log"
                )
            )
        runs = RunStarter(base, targets, url)
        first = runs.wait(runs.start(), RUN_WAIT_S)
        targets["run"] = first["public_id"]
        targets_file = folder / "targets.json"
        targets_file.write_text(json.dumps(targets))
        measured = {
            "seed": {"seconds": targets["seconds"], "open_openings": targets["open_openings"]},
            "first_run": first,
            "phases": {},
        }
        warm_up = _phase(args, base, targets_file, folder / "warm-up", lambda: None, args.warmup)
        measured["warm_up"] = {"seconds": args.warmup, "requests_per_s": warm_up["requests_per_s"]}
        measured["phases"]["idle"] = _phase(
            args, base, targets_file, folder / "idle", lambda: None
        )
        keeper = runs.keeper()
        measured["phases"]["during a run"] = {
            **_phase(args, base, targets_file, folder / "run", keeper.tick),
            **keeper.summary(),
        }
    log = (folder / "gunicorn.log").read_text(errors="replace")
    measured["server"] = {
        "workers_booted": log.count("Booting worker"),
        "worker_timeouts": log.count("WORKER TIMEOUT"),
    }
    return measured


def _board_env(tree: Path, url: str, base: str, queue: str) -> dict[str, str]:
    """The environment of the board's processes: the tree first, its database, no throttle."""
    env = {k: v for k, v in os.environ.items() if k not in ("QUEUE_URL", "JOBMATCH_ENV")}
    env.update(
        PYTHONPATH=str(tree),
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_hex(32),
        BOARD_URL=base,
        FLASK_LOGIN_RATE_LIMIT="100000 per minute",
    )
    if queue:
        # As docs/deploy.md sets production up: the queue, and the cache shared by the web
        # processes in the same Redis (keys of this run's own).
        name = f"board_load_{os.getpid()}"
        env.update(
            QUEUE_URL=queue,
            FLASK_QUEUE_NAME=name,
            FLASK_CACHE_TYPE="RedisCache",
            FLASK_CACHE_REDIS_URL=queue,
            FLASK_CACHE_KEY_PREFIX=f"{name}_",
        )
    return env


def _queue(tree: Path, asked: str) -> str:
    """The Redis URL runs are queued on ("": solved in the web process)."""
    if asked != "auto":
        return "" if asked == "none" else asked
    command = [_flask(), "--app", "webapp", "worker", "--help"]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    has_worker = subprocess.run(command, cwd=tree, env=env, capture_output=True).returncode == 0
    return AUTO_QUEUE if has_worker and _answers(AUTO_QUEUE) else ""


def _answers(redis_url: str) -> bool:
    """Whether Redis answers a PING at `redis_url`."""
    try:
        return bool(redis.Redis.from_url(redis_url, socket_timeout=5).ping())
    except redis.RedisError:
        return False


def _flask() -> str:
    return str(BIN / "flask")


def _seed(
    tree: Path, env: dict[str, str], folder: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """Migrate, seed the demo world, top it up (bench/board_seed.py); the targets it wrote."""
    out = folder / "seeded.json"
    for command in (
        [_flask(), "--app", "webapp", "setup"],
        [_flask(), "--app", "webapp", "seed-demo"],
        [
            sys.executable,
            str(HERE / "board_seed.py"),
            "--youths",
            str(args.youths),
            "--coordinators",
            str(args.users),
            "--out",
            str(out),
        ],
    ):
        done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(
                f"{Path(command[0]).name} {command[1]} failed:\n{done.stderr[-3000:]}"
            )
    targets: dict[str, Any] = json.loads(out.read_text())
    return targets


@contextlib.contextmanager
def _serve(tree: Path, env: dict[str, str], port: int, folder: Path) -> Iterator[None]:
    """gunicorn as the tree's config sets it up (without one, 2 processes x 4 threads) on
    `port`, until the board shows its login page."""
    command = [str(BIN / "gunicorn")]
    config = _gunicorn_config(tree)
    if config:
        command += ["--config", str(config)]
    else:
        command += ["--workers", "2", "--threads", "4", "--worker-class", "gthread"]
    command += ["--bind", f"127.0.0.1:{port}", "webapp:create_app()"]
    with _process(command, tree, env, folder / "gunicorn.log") as server:
        _wait_until_up(f"http://127.0.0.1:{port}/login", server, folder / "gunicorn.log")
        yield


def _gunicorn_config(tree: Path) -> Path | None:
    return next((tree / name for name in GUNICORN_CONFIGS if (tree / name).exists()), None)


@contextlib.contextmanager
def _process(
    command: list[str], cwd: Path, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`command` running with its output in `log`; terminated (then killed) on leaving."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(url, timeout=5).status_code == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"the board did not answer {url} within 60 s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _phase(
    args: argparse.Namespace,
    base: str,
    targets: Path,
    prefix: Path,
    tick: Callable[[], None],
    seconds: int | None = None,
) -> dict[str, Any]:
    """`--users` coordinators for `seconds` (`--seconds`) after they have all signed in.

    Locust, headless: the users sign in SPAWN_RATE a second, then its figures start afresh
    (`--reset-stats`), so the sign-ins are not counted. `tick` is called every second.
    """
    measured_s = seconds or args.seconds
    ramp = math.ceil(args.users / SPAWN_RATE)
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(SPAWN_RATE),
        "--reset-stats",
        "--run-time",
        f"{measured_s + ramp}s",
        "--stop-timeout",
        "10",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "BOARD_LOAD_TARGETS": str(targets),
        "BOARD_LOAD_THINK": args.think,
    }
    loads = []
    began = time.monotonic()
    with (prefix.parent / f"{prefix.name}.locust.log").open("wb") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        while locust.poll() is None:
            tick()
            loads.append(os.getloadavg()[0])
            time.sleep(1)
    took = time.monotonic() - began
    pages = board_report.page_rows(prefix.parent / f"{prefix.name}_stats.csv")
    errors = board_report.failure_rows(prefix.parent / f"{prefix.name}_failures.csv")
    return {
        "seconds": round(took, 1),
        "requests_per_s": round(sum(p["n"] for p in pages.values()) / measured_s, 1),
        "load_average": {"mean": round(sum(loads) / len(loads), 2), "max": round(max(loads), 2)},
        "pages": pages,
        "errors": errors,
    }


if __name__ == "__main__":
    raise SystemExit(main())
