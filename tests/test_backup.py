"""Backups as docs/deploy.md takes them: deploy/backup.sh dumps a PostgreSQL board,
deploy/restore.sh brings it back into a fresh database with every row, and never
writes over a database that has tables."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import make_url

from tests.factories import board_app, make_world
from webapp.extensions import db
from webapp.services import onboarding

ROOT = Path(__file__).parents[1]
BACKUP, RESTORE = ROOT / "deploy" / "backup.sh", ROOT / "deploy" / "restore.sh"
SERVER = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"


def _url(name: str) -> str:
    """libpq's URL of database `name` on the test server."""
    url = make_url(SERVER).set(drivername="postgresql", database=name)
    return url.render_as_string(hide_password=False)


def _admin(statement: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def databases() -> Iterator[list[str]]:
    """Names for the test's databases on the PostgreSQL server, dropped after."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    try:
        _admin("SELECT 1")
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL answers at {make_url(SERVER).host}")
    names: list[str] = []
    yield names
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _new_database(names: list[str], kind: str) -> str:
    name = (
        f"jobmatch_{kind}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
    )
    names.append(name)
    _admin(f'CREATE DATABASE "{name}"')
    return name


def _rows(name: str) -> dict[str, tuple[int, str]]:
    """Every table of database `name`: its number of rows and a digest of their contents."""
    with psycopg.connect(_url(name)) as connection:
        tables = [
            table
            for (table,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        digest = (
            "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
            ' FROM "{}" AS t'
        )
        return {
            table: connection.execute(digest.format(table)).fetchone()  # type: ignore[misc]
            for table in tables
        }


def _run(*command: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def board(databases: list[str]) -> str:
    """A migrated board with the tests' small world in it."""
    name = _new_database(databases, "live")
    app = board_app(make_url(_url(name)).set(drivername="postgresql+psycopg").render_as_string())
    with app.app_context():
        upgrade()
        onboarding.ensure_standard_step_kinds()
    make_world(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return name


def test_a_backup_restores_into_a_fresh_database_with_every_row(
    board: str, databases: list[str], tmp_path: Path
) -> None:
    board_url = make_url(_url(board)).set(drivername="postgresql+psycopg").render_as_string()
    made = _run(BACKUP, tmp_path / "backups", DATABASE_URL=board_url)
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.parent == tmp_path / "backups"
    assert dump.name.startswith("jobmatch-")
    assert dump.suffix == ".dump"
    assert dump.stat().st_mode & 0o077 == 0  # minors' data: readable by its owner only

    fresh = _new_database(databases, "restored")
    restored = _run(RESTORE, dump, _url(fresh))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("restored at schema version 00")
    before, after = _rows(board), _rows(fresh)
    assert after == before
    assert before["youth"][0] >= 3  # the world's youths, not an empty copy of an empty board
    assert before["alembic_version"][0] == 1


def test_restore_never_writes_over_a_database_with_tables(board: str, tmp_path: Path) -> None:
    made = _run(BACKUP, tmp_path, DATABASE_URL=_url(board))
    assert made.returncode == 0, made.stderr
    before = _rows(board)
    refused = _run(RESTORE, made.stdout.strip(), _url(board))
    assert refused.returncode == 1
    assert "tables already: restore into a new, empty one" in refused.stderr
    assert _rows(board) == before


def test_a_backup_with_days_removes_older_dumps_only(board: str, tmp_path: Path) -> None:
    old, recent = tmp_path / "jobmatch-20200101T000000Z.dump", tmp_path / "jobmatch-recent.dump"
    for path, age_days in ((old, 40), (recent, 10)):
        path.write_bytes(b"")
        then = time.time() - age_days * 86400
        os.utime(path, (then, then))
    made = _run(BACKUP, tmp_path, "30", DATABASE_URL=_url(board))
    assert made.returncode == 0, made.stderr
    assert sorted(tmp_path.iterdir()) == sorted([recent, Path(made.stdout.strip())])
    assert _run(BACKUP, tmp_path, "a month", DATABASE_URL=_url(board)).returncode == 2


def test_a_backup_of_a_database_that_is_not_postgresql_is_refused(tmp_path: Path) -> None:
    refused = _run(BACKUP, tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'board.sqlite'}")
    assert refused.returncode == 2
    assert "DATABASE_URL is not a PostgreSQL database" in refused.stderr
    assert list(tmp_path.iterdir()) == []
