"""Two runs of `jobmatch solve` on the same file write the same bytes, except the values of
the `stats` keys ending in `seconds` (the spec's one exception)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jobmatch.cli import main

ROOT = Path(__file__).parents[2]
PROBLEMS = [
    ROOT / "jobmatch" / "data" / "demo-problem.json",
    ROOT / "tests" / "data" / "sample-school.json",
    ROOT / "tests" / "data" / "sample-holiday.json",
]
TIMING = re.compile(rb'^(  "[a-z_]*seconds": )[0-9.e+-]+(,?)$', re.MULTILINE)


def without_timings(written: bytes) -> bytes:
    """The solution's bytes with every timing figure replaced by 0; the timings must be the
    only lines changed, each a key of `stats` that ends in `seconds`."""
    blanked, count = TIMING.subn(rb"\g<1>0\g<2>", written)
    stats = json.loads(written)["stats"]
    assert count == sum(key.endswith("seconds") for key in stats) > 0
    return blanked


@pytest.mark.parametrize("method", ["optimal", "stable"])
@pytest.mark.parametrize("problem", PROBLEMS, ids=[p.stem for p in PROBLEMS])
def test_two_solve_runs_write_the_same_bytes_but_the_timings(
    tmp_path: Path, problem: Path, method: str
) -> None:
    written = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.json"
        assert main(["solve", str(problem), "--method", method, "-o", str(out)]) == 0
        written.append(out.read_bytes())
    assert without_timings(written[0]) == without_timings(written[1])


def test_the_stdout_of_two_runs_is_the_same_but_the_timings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    printed = []
    for _ in range(2):
        assert main(["solve", str(PROBLEMS[0])]) == 0
        printed.append(capsys.readouterr().out.encode())
    assert without_timings(printed[0]) == without_timings(printed[1])
