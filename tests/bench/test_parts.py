"""bench.parts: a small problem of several towns in 1 and 2 processes and on an RQ worker of
the local Redis, written between its own markers in a copy of the doc; bad counts are
refused with a message."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bench import parts
from tests.webapp.queue_support import redis_or_skip


def test_the_table_says_the_solutions_are_the_same_and_keeps_the_rest_of_the_doc(
    tmp_path: Path,
) -> None:
    redis_or_skip()
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nhand-written\n", encoding="utf-8")
    parts.main(["--sizes", "60x24x3", "--processes", "1,2", "--workers", "1", "-o", str(doc)])
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nhand-written\n")
    generated = text.split(parts.BEGIN)[1].split(parts.END)[0]
    rows = [line for line in generated.splitlines() if line.startswith(("| 1 ", "| 2 "))]
    assert [row.split(" | ")[0] for row in rows] == [
        "| 1 process",
        "| 2 processes",
        "| 1 RQ worker",
    ]
    assert all("| optimal |" in row and "| yes |" in row for row in rows)
    assert all(row.endswith("| 0 |") for row in rows)  # no broken rules
    parts.main(["--sizes", "60x24x3", "--processes", "1", "--workers", "none", "-o", str(doc)])
    assert doc.read_text(encoding="utf-8").count(parts.BEGIN) == 1


@pytest.mark.parametrize("bad", ["0", "1,x", "", "65"])
def test_bad_counts_are_refused_by_name(bad: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="bad counts"):
        parts.parse_processes(bad)


def test_nothing_to_measure_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parts.main(["--processes", "none", "--workers", "none"])
    assert "nothing to measure" in capsys.readouterr().err
