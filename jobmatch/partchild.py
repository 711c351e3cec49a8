"""A child interpreter of `jobmatch.partworkers`: reads (parts, method) pickled from
standard input (each a `jobmatch.parts.Part`), writes their solutions, pickled, to
standard output."""

from __future__ import annotations

import pickle
import sys

from .solver import solve_part


def main() -> None:
    """Solve the parts the parent sent, without explanations (the parent merges)."""
    parts, method = pickle.loads(sys.stdin.buffer.read())
    solutions = [solve_part(part, method) for part in parts]
    sys.stdout.buffer.write(pickle.dumps(solutions, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
