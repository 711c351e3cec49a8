"""The board's load benchmark, run tiny in a subprocess (locust's gevent must not patch pytest).

150 youths, 2 coordinators, 2 s a phase, next to no think time: the report's shape, every page
a signed-in coordinator opened answered as a page (no failure), the first run solved. No
timing is asserted. On PostgreSQL when TEST_DATABASE_URL names a server, else on SQLite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bench.board_http import PAGES

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {"n", "p50", "p95", "p99", "kb", "failures"}


def _database() -> list[str]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return ["--database", "sqlite"]
    server = urlsplit(url)._replace(path="").geturl()
    return ["--database", "postgresql", "--postgres", server]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("board-load") / "load.json"
    command = [sys.executable, "-m", "bench.board_load", *_database(), "--seconds", "2"]
    command += ["--users", "2", "--youths", "150", "--think", "0,0.1", "--warmup", "1"]
    command += ["--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text()), done.stdout


def test_every_phase_reports_its_pages_with_their_figures(
    report: tuple[dict[str, Any], str],
) -> None:
    results, _ = report
    (measured,) = results["databases"].values()
    assert set(measured["phases"]) == {"idle", "during a run"}
    for phase in measured["phases"].values():
        assert phase["pages"], "no page was opened"
        for name, figures in phase["pages"].items():
            assert set(figures) == FIGURES, name
            assert figures["failures"] == 0, (name, phase["errors"])
            assert figures["n"] > 0, name
            assert figures["kb"] > 0, name
            assert figures["p50"] <= figures["p95"] <= figures["p99"], name
        assert set(phase["load_average"]) == {"mean", "max"}


def test_the_first_run_is_solved_and_more_are_started_in_the_second_phase(
    report: tuple[dict[str, Any], str],
) -> None:
    results, _ = report
    (measured,) = results["databases"].values()
    assert measured["first_run"]["status"] == "done"
    during = measured["phases"]["during a run"]
    assert during["runs"], "no run was started while the coordinators browsed"
    assert 0 < during["solving_share"] <= 1


def test_the_table_names_every_page_the_commit_and_the_processor(
    report: tuple[dict[str, Any], str],
) -> None:
    results, table = report
    for page in PAGES:
        assert f"| {page.name} |" in table
    assert results["meta"]["commit"]
    assert results["meta"]["cpu"]
    assert results["meta"]["youths"] == 150
