"""Fixtures every part of the suite may use: a real SMTP server, a folder for SQLite files."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.smtp_sink import Sink, free_port, serving


@pytest.fixture
def smtp_port() -> int:
    """A free port on 127.0.0.1, nothing listening yet."""
    return free_port()


@pytest.fixture
def start_sink(smtp_port: int) -> Iterator[Callable[..., Sink]]:
    """Start an SMTP sink (or the handler given) on `smtp_port`, when asked; stopped after."""
    with ExitStack() as running:

        def start(sink: Sink | None = None) -> Sink:
            return running.enter_context(serving(sink or Sink(), smtp_port))

        yield start


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    """An SMTP sink listening for the whole session, and its port."""
    port = free_port()
    with serving(Sink(), port) as sink:
        yield sink, port


# Linux's shared-memory filesystem: a commit there needs no fsync (2.6 ms each on this
# machine's disk, 0.13 ms here), and the suite commits thousands of times.
MEMORY_FILESYSTEM = Path("/dev/shm")


@pytest.fixture(scope="session")
def database_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder for the session's SQLite files, in memory where Linux has /dev/shm; removed after.

    SQLite behaves the same there (the same file, locks and journal); only a
    crash of the machine would lose it, which a test database never minds.
    """
    if not MEMORY_FILESYSTEM.is_dir():
        yield tmp_path_factory.mktemp("databases")
        return
    folder = Path(tempfile.mkdtemp(prefix="jobmatch-tests-", dir=MEMORY_FILESYSTEM))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
