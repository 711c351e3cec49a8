"""Smoke tests of the benchmarks: generated problems are valid and seeded, and a tiny run works."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import jobmatch
from bench import run
from bench.generate import generate
from bench.generate import main as generate_main


@pytest.fixture(scope="module")
def document() -> dict[str, object]:
    return generate(150, 60, towns=2, seed=7)


def test_generated_problem_loads(document: dict[str, object]) -> None:
    problem = jobmatch.load(document)
    assert len(problem.youths) == 150
    assert len(problem.openings) == 60
    assert problem.fixed
    assert problem.forbidden


def test_same_seed_same_problem_other_seed_other_problem(document: dict[str, object]) -> None:
    assert generate(150, 60, towns=2, seed=7) == document
    assert generate(150, 60, towns=2, seed=8) != document


def test_a_dense_city_reaches_most_openings_a_sparse_country_few() -> None:
    """The same youths and openings in 4 districts of one city or 4 towns far apart."""
    dense = jobmatch.solve(jobmatch.load(generate(150, 60, towns=4, density="dense", seed=7)))
    sparse = jobmatch.solve(jobmatch.load(generate(150, 60, towns=4, seed=7)))
    pairs = 150 * 60
    assert int(dense.stats["eligible_pairs"]) > 0.1 * pairs
    assert int(dense.stats["eligible_pairs"]) > 2 * int(sparse.stats["eligible_pairs"])


def test_an_unknown_density_is_refused() -> None:
    with pytest.raises(ValueError, match="density must be one of sparse, dense, got 'urban'"):
        generate(10, 5, density="urban")


def test_bad_sizes_get_a_message_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        generate_main(["--youths", "-1", "--openings", "5"])
    assert stopped.value.code == 2
    assert "need youths, openings >= 0 and towns >= 1, got -1, 5, 1" in capsys.readouterr().err
    for size in ("10x5x0:dense", "0x5"):
        with pytest.raises(
            argparse.ArgumentTypeError, match="needs at least one youth, one opening and one town"
        ):
            run.parse_sizes(size)


def test_fixed_pairs_are_eligible(document: dict[str, object]) -> None:
    problem = jobmatch.load(document)
    youths = {y.id: y for y in problem.youths}
    openings = {o.id: o for o in problem.openings}
    for pair in problem.fixed:
        assert jobmatch.reasons_for(problem, youths[pair.youth], openings[pair.opening]) == []


def test_one_measurement_in_a_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(generate(40, 15, seed=3)))
    result = run.measure_in_subprocess("flow", path, None, cap_s=60)
    assert result["kind"] == "flow"
    assert result["status"] == "optimal"
    assert result["peak_rss_mb"] > 0


def test_run_end_to_end_at_a_tiny_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Measured in this process to keep the test fast; the subprocess path is tested above.
    monkeypatch.setattr(
        run,
        "measure_in_subprocess",
        lambda kind, path, limit, _cap: run.measure(kind, path, limit),
    )
    output = tmp_path / "benchmarks.md"
    output.write_text(
        "# Benchmarks\n\nHand-written.\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n"
        "\nMore prose.\n"
    )
    run.main(
        ["--sizes", "40x15,60x24x2:dense", "--limit-checks", "0.5", "--output", str(output),
         "--json", str(tmp_path / "raw.json")]
    )  # fmt: skip
    printed = capsys.readouterr().out
    text = output.read_text()
    assert "Hand-written." in text
    assert "More prose." in text
    assert "\nold\n" not in text
    for label in run.LABELS.values():
        assert f"| 40x15 (40 x 15) | {label} |" in text
        assert f"| 60x24x2:dense (60 x 24) | {label} |" in text
    assert "error" not in printed
    assert "jobmatch optimal | optimal (0 violations) |" in text
    assert "| 60x24x2:dense (60 x 24) | dense |" in text  # beside the flow floor
    assert "| 40x15 (40 x 15) | sparse |" in text
    # The time limit is checked on the only dense size, and only there.
    assert "| 60x24x2:dense | 0.5 | " in text
    assert "| 40x15 | 0.5 | " not in text
    raw = json.loads((tmp_path / "raw.json").read_text())
    assert set(raw["runs"]["40x15"]) == set(run.LABELS)
    assert [check["limit"] for check in raw["limit_checks"]["60x24x2:dense"]] == [0.5]
    assert set(raw["limit_checks"]) == {"60x24x2:dense"}


def test_unknown_size_is_refused() -> None:
    with pytest.raises(SystemExit):
        run.main(["--sizes", "huge"])
    with pytest.raises(argparse.ArgumentTypeError, match="YOUTHSxOPENINGS"):
        run.parse_sizes("40x15:urban")


def test_sizes_carry_their_density() -> None:
    assert [(s.youths, s.openings, s.towns, s.density) for s in run.parse_sizes(
        "300x120x4:dense,40x15,dense-city"
    )] == [(300, 120, 4, "dense"), (40, 15, 1, "sparse"), (5000, 1800, 12, "dense")]  # fmt: skip
    assert run.SIZES["dense-region"].density == "dense"
    assert run.SIZES["large"].density == "sparse"


def test_time_limits_parse() -> None:
    assert run.parse_limits("0.5,1") == [0.5, 1.0]
    assert run.parse_limits("none") == []
    with pytest.raises(argparse.ArgumentTypeError, match="positive seconds"):
        run.parse_limits("0,1")


def test_limits_are_checked_on_the_named_dense_sizes_else_the_largest_dense() -> None:
    def names(text: str) -> list[str]:
        return [size.name for size in run.limit_check_sizes(run.parse_sizes(text))]

    assert names("small,dense-region,dense-city,large") == ["dense-region", "dense-city"]
    assert names("300x120x4:dense,600x220x4:dense,large") == ["600x220x4:dense"]
    assert names("small,medium") == []
