"""Smoke tests of the benchmarks: generated problems are valid and seeded, and a tiny run works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jobmatch
from bench import run
from bench.generate import generate


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
    run.main(["--sizes", "40x15", "--output", str(output), "--json", str(tmp_path / "raw.json")])
    printed = capsys.readouterr().out
    text = output.read_text()
    assert "Hand-written." in text
    assert "More prose." in text
    assert "\nold\n" not in text
    for label in run.LABELS.values():
        assert f"| 40x15 (40 x 15) | {label} |" in printed
    assert "error" not in printed
    assert "jobmatch optimal | optimal (0 violations) |" in printed
    raw = json.loads((tmp_path / "raw.json").read_text())
    assert set(raw["40x15"]) == set(run.LABELS)


def test_unknown_size_is_refused() -> None:
    with pytest.raises(SystemExit):
        run.main(["--sizes", "huge"])
