"""The command line: exit codes, messages on stderr and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jobmatch.cli import main
from tests.jobmatch.factories import document, opening, youth

DEMO = Path(__file__).parents[2] / "jobmatch" / "data" / "demo-problem.json"


def write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_solve_writes_a_solution_that_check_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "solution.json"
    assert main(["solve", str(DEMO), "-o", str(out), "--time-limit", "10"]) == 0
    assert json.loads(out.read_text())["status"] == "optimal"
    assert main(["check", str(DEMO), str(out)]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_solve_prints_json_on_stdout_without_an_output_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["solve", str(DEMO)]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "jobmatch-solution/1"


def test_the_stable_method_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(DEMO), "--method", "stable"]) == 0
    stats = json.loads(capsys.readouterr().out)["stats"]
    assert stats["blocking_pairs"] == 0


def test_check_prints_one_line_per_broken_rule_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = write(tmp_path, "p.json", document([youth(age=14, in_compulsory_school=True)],
                                                 [opening(light_work=False)]))  # fmt: skip
    solution = {
        "format": "jobmatch-solution/1",
        "status": "optimal",
        "objective": {"priority_matched": 1, "matched": 1, "score": 0},
        "assignments": [{"youth": "y1", "opening": "o1", "score": 0,
                         "missing_onboarding": ["bank_account", "mitid", "tax_card"]}],
        "unmatched": [],
    }  # fmt: skip
    assert main(["check", str(problem), str(write(tmp_path, "s.json", solution))]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "not_light_work (youth 'y1', opening 'o1'): a youth in group A may only do light work",
        "score (youth 'y1', opening 'o1'): assignments[0].score is 0, the pair scores 1 "
        "(buddies at the same opening included)",
        "objective: objective.score is 0, the assignments give 1",
    ]


def test_bad_input_exits_2_with_every_problem_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.json", document([youth(age=-3)], [opening(positions=0)]))
    assert main(["solve", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "youths[0].age (id 'y1'): must be from 0 to 120, got -3" in err
    assert "openings[0].positions (id 'o1'): must be from 1 to 10000, got 0" in err
    assert "Traceback" not in err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "/nonexistent.json"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_fixed_pairs_that_cannot_hold_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = [{"youth": "a", "opening": "o1"}, {"youth": "b", "opening": "o1"}]
    path = write(tmp_path, "p.json", document([youth("a"), youth("b")], fixed=pair))
    assert main(["solve", str(path), "-o", str(tmp_path / "s.json")]) == 1
    assert "fixed pairs cannot hold: opening o1 has 1 position(s)" in capsys.readouterr().err


def test_explain_an_unknown_youth_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(DEMO), "--youth", "nobody"]) == 2
    assert "no youth with id 'nobody'" in capsys.readouterr().err


def test_explain_suggests_the_one_change_that_would_place_the_youth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = {"lat": 56.0, "lon": 9.0}
    doc = document([youth(location=home, max_travel_km=2)],
                   [opening(location={"lat": 56.03, "lon": 9.0})])  # fmt: skip
    assert main(["explain", str(write(tmp_path, "p.json", doc)), "--youth", "y1"]) == 0
    out = capsys.readouterr().out
    assert "the job is 3.34 km from home; the youth travels at most 2 km" in out
    assert "travel up to 3.4 km: would be placed at o1" in out


def test_explain_a_placed_youth(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(DEMO), "--youth", "y00000"]) == 0
    assert capsys.readouterr().out.startswith("y00000 is placed at o00000")


def test_solve_in_two_processes_writes_what_one_writes(tmp_path: Path) -> None:
    outs = [tmp_path / "one.json", tmp_path / "two.json"]
    assert main(["solve", str(DEMO), "-o", str(outs[0])]) == 0
    assert main(["solve", str(DEMO), "-o", str(outs[1]), "--processes", "2"]) == 0
    one, two = (json.loads(out.read_text()) for out in outs)
    assert one["assignments"] == two["assignments"]
    assert one["unmatched"] == two["unmatched"]


@pytest.mark.parametrize("bad", ["0", "65", "two", "-1", "1.5"])
def test_a_bad_process_count_exits_2_naming_it(
    bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["solve", str(DEMO), "--processes", bad])
    assert raised.value.code == 2
    assert f"--processes: must be a whole number from 1 to 64, got {bad!r}" in (
        capsys.readouterr().err
    )
