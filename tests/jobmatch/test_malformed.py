"""Malformed documents: `load` raises `ProblemError` naming the place and the record, and
`jobmatch solve`, `check` and `explain` all exit 2 with that message and no traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import jobmatch
from jobmatch.check import check
from jobmatch.cli import main

from .factories import document, opening, youth

DEMO = Path(__file__).parents[2] / "jobmatch" / "data" / "demo-problem.json"


def text(doc: Any) -> bytes:
    return json.dumps(doc).encode()


def deep(depth: int) -> bytes:
    """`youths[0].interests` holds a list nested `depth` deep."""
    nested = "[" * depth + "]" * depth
    return text(document()).replace(b'"age": 16', b'"age": 16, "interests": ' + nested.encode())


# (name, file content, the place named, the record named or None)
MALFORMED: list[tuple[str, bytes, str, str | None]] = [
    ("positions 10**30", text(document(None, [opening(positions=10**30)])),
     "openings[0].positions", "o1"),
    ("max_jobs 10**30", text(document([youth(max_jobs=10**30)])), "youths[0].max_jobs", "y1"),
    ("max_jobs 10**15, priority 1000", text(document([youth(max_jobs=10**15, priority=1000)])),
     "youths[0].max_jobs", "y1"),
    ("positions 10001", text(document(None, [opening(positions=10_001)])),
     "openings[0].positions", "o1"),
    ("max_jobs 11", text(document([youth(max_jobs=11)])), "youths[0].max_jobs", "y1"),
    ("priority 1001", text(document([youth(priority=1001)])), "youths[0].priority", "y1"),
]  # fmt: skip
IDS = [name for name, *_ in MALFORMED]


def issue_lines(content: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "problem.json"
    path.write_bytes(content)
    with pytest.raises(jobmatch.ProblemError) as raised:
        jobmatch.load(path)
    return [str(issue) for issue in raised.value.issues]


@pytest.mark.parametrize(("name", "content", "place", "record"), MALFORMED, ids=IDS)
def test_load_names_the_place_and_record(
    tmp_path: Path, name: str, content: bytes, place: str, record: str | None
) -> None:
    lines = issue_lines(content, tmp_path)
    expected = place + (f" (id {record!r})" if record else "")
    assert any(line.startswith(expected) for line in lines), (name, lines)


def command(which: str, problem: Path) -> list[str]:
    if which == "check":
        return ["check", str(problem), str(DEMO)]
    if which == "explain":
        return ["explain", str(problem), "--youth", "y1"]
    return ["solve", str(problem)]


@pytest.mark.parametrize("which", ["solve", "check", "explain"])
@pytest.mark.parametrize(("name", "content", "place", "record"), MALFORMED, ids=IDS)
def test_every_command_exits_2_naming_the_place_without_a_traceback(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    which: str,
    name: str,
    content: bytes,
    place: str,
    record: str | None,
) -> None:
    problem = tmp_path / "problem.json"
    problem.write_bytes(content)
    assert main(command(which, problem)) == 2, name
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert place in captured.err
    if record:
        assert f"(id {record!r})" in captured.err
    assert captured.out == ""


def test_the_largest_values_the_spec_allows_solve_and_check() -> None:
    weights = dict.fromkeys(("assignment", "interest", "youth_preference", "buddy"), 10_000)
    youths = [
        youth(
            f"y{i}",
            priority=1000,
            max_jobs=10,
            interests=["shop"],
            preferences=["o1"],
            buddies=["y0" if i else "y1"],
        )
        for i in range(3)
    ]
    openings = [opening("o1", positions=10_000, category="shop", preferences=["y0"])]
    problem = jobmatch.load(document(youths, openings, weights=weights))
    solution = jobmatch.solve(problem)
    assert solution.objective.priority_matched == 3000
    assert check(problem, jobmatch.solution_to_dict(solution)) == []
