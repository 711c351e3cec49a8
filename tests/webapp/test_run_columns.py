"""A run's problem and solution (megabytes for a large run) are read only where they are needed.

Every SQL statement a request sends is recorded (the `page_statements`
fixture, on SQLAlchemy's ``before_cursor_execute``): the runs list, the
employer's pages and the run page itself (which words what the run kept when
it was written) never select the two documents; the downloads do. Through
HTTP, on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient

from tests.factories import World, solved_run

BIG_COLUMNS = re.compile(r"run_document\.(problem|solution)\b")
Statements = Callable[[FlaskClient, str], list[str]]


def _big_columns(statements: list[str]) -> list[str]:
    """The documents (`run_document`'s columns) the statements select."""
    return sorted({found for s in statements for found in BIG_COLUMNS.findall(s)})


def test_only_the_run_page_reads_the_big_columns(
    world: World, page_statements: Statements
) -> None:
    run_id, proposal_id = solved_run(world)  # sent to the employer
    coordinator = world.client_for("coordinator")
    employer = world.client_for("employer")
    # The list of runs and the proposal's date: the run's row, without the two.
    for client, url in (
        (coordinator, "/coordinator/runs"),
        (employer, f"/employer/proposals/{proposal_id}"),
    ):
        made = page_statements(client, url)
        assert any("FROM match_run" in s for s in made), url
        assert _big_columns(made) == [], url
    for url in ("/employer/", f"/employer/openings/{world.opening}"):
        assert _big_columns(page_statements(employer, url)) == [], url
    # The run page words the unplaced from what the run kept (`run_outcome`).
    made = page_statements(coordinator, f"/coordinator/runs/{run_id}")
    assert any("FROM match_run" in s for s in made)
    assert _big_columns(made) == []
    for kind in ("problem", "solution"):
        made = page_statements(coordinator, f"/coordinator/runs/{run_id}/{kind}.json")
        assert _big_columns(made) == [kind]
