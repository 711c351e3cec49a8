"""The README's command-line example runs as written (its Python examples run as doctests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def console_steps() -> list[tuple[str, str]]:
    """(command, expected output) for every `$ ` line of the README's console blocks."""
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", (ROOT / "README.md").read_text(), re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


def test_the_readme_has_a_command_line_example() -> None:
    assert any(command.startswith("jobmatch check") for command, _ in console_steps())


def test_the_command_line_example_runs_as_written() -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command, expected in console_steps():
        result = subprocess.run(
            command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout == expected, command
