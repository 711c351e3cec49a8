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


def deep(depth: int, *, id_last: bool = False) -> bytes:
    """`youths[0].interests` holds a list nested `depth` deep (before or after the id)."""
    nested = ("[" * depth + "]" * depth).encode()
    record = b'{"age": 16, "interests": ' + nested + b', "id": "y1"}'
    if not id_last:
        record = b'{"id": "y1", "age": 16, "interests": ' + nested + b"}"
    return text(document([{"id": "MARK"}])).replace(b'{"id": "MARK"}', record)


def replaced(old: bytes, new: bytes, doc: Any = None) -> bytes:
    content = text(document() if doc is None else doc)
    assert old in content
    return content.replace(old, new)


DEEP = "youths[0].interests" + "[0]" * 29  # the list at depth 33, inside 32
LATIN_1 = "Kaffe og kage på café".encode("latin-1")
TITLED = document(None, [opening(title="TITLE")])
SOLVED = text(
    {"format": "jobmatch-solution/1", "status": "optimal", "assignments": [], "unmatched": []}
)


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
    ("nested 40 deep", deep(40), DEEP, "y1"),
    ("nested 1,000 deep", deep(1000), DEEP, "y1"),
    ("nested 100,000 deep", deep(100_000), DEEP, "y1"),
    ("nested 1,000 deep, id after", deep(1000, id_last=True), DEEP, "y1"),
    ("lone surrogate in an id", replaced(b'"y1"', b'"y\\ud800"'), "youths[0].id", None),
    ("lone surrogate in a title", text(document(None, [opening(title="a\udfffb")])),
     "openings[0].title", "o1"),
    ("lone surrogate in a key", replaced(b'"age"', b'"\\udc00age"'), "youths[0].\\udc00age",
     "y1"),
    ("lone surrogate written in capitals", replaced(b'"y1"', b'"y\\uDBFF"'), "youths[0].id",
     None),
    ("latin-1 text in a title", replaced(b"TITLE", LATIN_1, TITLED),
     "openings[0].title", "o1"),
    ("latin-1 byte outside a string", b'{"format": "jobmatch/1",\n \xf8}', "line 2 column 2",
     None),
    ("a key given twice", replaced(b'"age": 16', b'"age": "fifteen", "age": 16'), "youths[0].age",
     "y1"),
    ("a key given twice at the top", replaced(b'"format"', b'"youths": [], "format"'),
     "youths: gives the key 'youths' more than once", None),
    ("not JSON", b"{not json", "line 1 column 2", None),
    ("a JSON array", b"[]", "must hold a JSON object, got a list", None),
    ("a string", b'"jobmatch/1"', "must hold a JSON object, got a string", None),
    ("wrong format", text(document(format="jobmatch/2")), "format: must be 'jobmatch/1'", None),
    ("empty file", b"", "is not valid JSON: Expecting value at line 1 column 1", None),
    ("a solution passed as problem", SOLVED, "format: must be 'jobmatch/1'", None),
    ("an integer of 5,000 digits", replaced(b'"age": 16', b'"age": 1' + b"0" * 5000),
     "is not valid JSON", None),
    ("a latitude of 400 digits", text(document([youth(location={"lat": 10**400, "lon": 0})])),
     "youths[0].location.lat", "y1"),
    ("NaN as a travel limit", replaced(b'"age": 16', b'"age": 16, "max_travel_km": NaN'),
     "youths[0].max_travel_km", "y1"),
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
    assert any(expected in line for line in lines), (name, lines)


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


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_load_of_a_deep_mapping_names_the_place(depth: int) -> None:
    with pytest.raises(jobmatch.ProblemError) as raised:
        jobmatch.load(document([youth(interests=nested(depth))]))
    assert [str(issue) for issue in raised.value.issues] == [
        f"{DEEP} (id 'y1'): is nested deeper than the format needs "
        "(more than 32 lists and objects)"
    ]


def test_load_of_a_mapping_with_a_lone_surrogate_names_the_place() -> None:
    with pytest.raises(jobmatch.ProblemError) as raised:
        jobmatch.load(document([youth("y\ud800")]))
    assert [str(issue) for issue in raised.value.issues] == [
        "youths[0].id: holds a lone surrogate \\ud800, which is not Unicode text"
    ]


# (name, solution file content, the place named)
MALFORMED_SOLUTIONS: list[tuple[str, bytes, str]] = [
    ("a key given twice", SOLVED.replace(b'"status"', b'"assignments": [], "status"'),
     "assignments: gives the key 'assignments' more than once"),
    ("a lone surrogate", SOLVED.replace(b'"optimal"', b'"\\udcff"'), "status"),
    ("latin-1 text", SOLVED.replace(b'"optimal"', '"é"'.encode("latin-1")), "status"),
    ("nested 1,000 deep", SOLVED.replace(b'"unmatched": []', b'"stats": {"x": '
     + b"[" * 1000 + b"]" * 1000 + b'}, "unmatched": []'), "stats.x" + "[0]" * 30),
    ("not JSON", b"{", "is not valid JSON"),
    ("empty", b"", "is not valid JSON"),
    ("a JSON array", b"[]", "must hold a JSON object"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "place"), MALFORMED_SOLUTIONS, ids=[n for n, *_ in MALFORMED_SOLUTIONS]
)
def test_check_of_a_malformed_solution_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, place: str
) -> None:
    solution = tmp_path / "solution.json"
    solution.write_bytes(content)
    assert main(["check", str(DEMO), str(solution)]) == 2, name
    captured = capsys.readouterr()
    assert f"1 problem in the solution {solution}:\n" in captured.err
    assert f"  - {place}" in captured.err or f"solution.json: {place}" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


@pytest.mark.parametrize("which", ["solve", "explain"])
@pytest.mark.parametrize("seconds", ["nan", "inf", "-5", "0", "1e308", "soon"])
def test_a_time_limit_out_of_bounds_exits_2(
    capsys: pytest.CaptureFixture[str], which: str, seconds: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command(which, DEMO), "--time-limit", seconds])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"--time-limit: must be seconds from 0.001 to 86400, got {seconds!r}" in err


def test_deep_text_with_an_unreadable_id_and_key_is_named_by_escapes(tmp_path: Path) -> None:
    content = deep(1000).replace(b'"y1"', b'"y\\ud800"').replace(b'"interests"', b'"\\udc01i"')
    lines = issue_lines(content, tmp_path)
    assert lines[0] == (
        "youths[0].\\udc01i" + "[0]" * 29 + ": is nested deeper than the format needs "
        "(more than 32 lists and objects)"
    )
    "\n".join(lines).encode("utf-8")
