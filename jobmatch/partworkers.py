"""Parts of a problem solved in child interpreters (`python -m jobmatch.partchild`).

Each child gets its share of the parts (`jobmatch.parts.Part`: a part's problem with its
eligible pairs and scores), pickled, on standard input and writes their
solutions, pickled, to standard output. A child is a fresh interpreter that imports
jobmatch and nothing of its caller: unlike multiprocessing's spawn and fork server, it
never runs the caller's main script again (a plain script needs no `__main__` guard), and
unlike fork it is safe from a threaded caller such as a web server.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from .errors import SolverError
from .model import Solution
from .parts import Part


def solve_in_children(parts: Sequence[Part], method: str, children: int) -> list[Solution]:
    """Each part's solution, in order, from up to `children` interpreters side by side.

    The parts are dealt out largest first, each to the child with the fewest youths so
    far, so that the children finish at about the same time.
    """
    shares: list[list[int]] = [[] for _ in range(min(children, len(parts)))]
    loads = [0] * len(shares)
    for index in sorted(range(len(parts)), key=lambda i: -len(parts[i].problem.youths)):
        child = loads.index(min(loads))
        shares[child].append(index)
        loads[child] += len(parts[index].problem.youths)
    with ThreadPoolExecutor(len(shares)) as pool:
        solved = list(pool.map(lambda share: _child([parts[i] for i in share], method), shares))
    by_index = {
        index: solution
        for share, results in zip(shares, solved, strict=True)
        for index, solution in zip(share, results, strict=True)
    }
    return [by_index[index] for index in range(len(parts))]


def _child(parts: list[Part], method: str) -> list[Solution]:
    """Solve `parts` in one child interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "jobmatch.partchild"],
        input=pickle.dumps((parts, method), protocol=pickle.HIGHEST_PROTOCOL),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise SolverError(f"a process solving parts failed: {reason}")
    solutions: list[Solution] = pickle.loads(done.stdout)
    return solutions
