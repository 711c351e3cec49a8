"""The board served as docs/deploy.md and the Makefile serve it: under gunicorn with
deploy/gunicorn.conf.py (idle keep-alive connections outlive a proxy's, the sign-in
throttle counts on Redis over every process), and by `make run PORT=...` on the port asked
for."""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

import pytest
import redis

from tests.factories import board_app
from tests.smtp_sink import free_port
from webapp.extensions import db

ROOT = Path(__file__).parents[1]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/9"
SIGN_IN_LIMIT = 3
IDLE_S = 5  # longer than gunicorn's default keep-alive (2 s), shorter than a proxy's (60 s)
START_S = 60  # how long a server may take to listen on a loaded machine


def _environment(database_url: str, **settings: str) -> dict[str, str]:
    """This process's environment without its board settings, with `settings` instead."""
    own = ("FLASK_", "JOBMATCH_", "BOARD_", "SECRET_KEY", "DATABASE_URL", "QUEUE_", "MAIL_")
    own += ("GEOCODER", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "GUNICORN_CMD_ARGS")
    kept = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    return {**kept, "DATABASE_URL": database_url, **settings}


Server = tuple[Sequence[str] | str, int, dict[str, str]]  # a command, its port, its environment


@contextmanager
def _serving(*servers: Server) -> Iterator[None]:
    """Start every server, wait until each listens on its port; stop them (and children) after."""
    with ExitStack() as stack:
        started = []
        for command, port, env in servers:
            log = stack.enter_context(tempfile.TemporaryFile())
            process = subprocess.Popen(
                command,
                shell=isinstance(command, str),
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
            started.append((process, port, log))
        stack.callback(_stop, [process for process, _, _ in started])
        for process, port, log in started:
            _wait_listening(process, port, log)
        yield


def _wait_listening(process: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_S
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"{process.args} never listened: {log.read().decode()[-3000:]}")
            time.sleep(0.1)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop every process at once (SIGTERM), then wait for each."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=START_S)


def _get(connection: socket.socket, path: str) -> int:
    """Send one GET on the open `connection`, read the whole answer, return its status."""
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    response = http.client.HTTPResponse(connection)
    response.begin()
    response.read()
    return response.status


def _closed_by_server(connection: socket.socket) -> bool:
    """Whether the server has closed `connection` (without sending on it)."""
    connection.setblocking(False)
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except ConnectionResetError:
        return True
    except BlockingIOError:  # open, nothing to read
        return False
    finally:
        connection.setblocking(True)


@pytest.fixture(scope="module")
def database_url(database_dir: Path) -> str:
    """A SQLite board with its tables and no rows."""
    url = f"sqlite:///{database_dir / 'deploy.sqlite'}"
    app = board_app(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture(scope="module")
def limits_on_redis() -> Iterator[str | None]:
    """A Redis database for the sign-in throttle, or None when no Redis answers.

    The keys carry a prefix of this run's own and are removed after.
    """
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        yield None
        return
    prefix = f"jobmatch-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


@dataclass(frozen=True)
class Boards:
    """gunicorn servers of one board: deploy/gunicorn.conf.py, the same with gunicorn's own
    2 s keep-alive (one Redis counts the sign-ins of both when it answers), and one whose
    throttle's Redis is down."""

    ours: int
    default_keepalive: int
    throttle_redis_down: int
    limits_on_redis: bool


@pytest.fixture(scope="module")
def boards(database_url: str, limits_on_redis: str | None) -> Iterator[Boards]:
    limits = {
        "FLASK_RATELIMIT_STORAGE_URI": REDIS_URL,
        "FLASK_RATELIMIT_KEY_PREFIX": limits_on_redis,
    }
    production = _environment(
        database_url,
        JOBMATCH_ENV="production",
        SECRET_KEY="a production secret",
        BOARD_URL="https://fritidsjob.example.dk",
        FLASK_LOGIN_RATE_LIMIT=f"{SIGN_IN_LIMIT} per hour",
        # Cheap password hashes, as in every test: each wrong password costs two.
        FLASK_ARGON2_TIME_COST="1",
        FLASK_ARGON2_MEMORY_COST="32",
        **(limits if limits_on_redis else {}),
    )
    # The throttle's Redis does not answer: nothing listens on its port.
    redis_down = {
        **production,
        "FLASK_RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{free_port()}/0",
    }
    gunicorn = [str(BIN / "gunicorn"), "--config", str(GUNICORN_CONF), "--workers", "1"]
    ours, default, without_redis = free_port(), free_port(), free_port()
    with _serving(
        ([*gunicorn, "--bind", f"127.0.0.1:{ours}"], ours, production),
        ([*gunicorn, "--bind", f"127.0.0.1:{default}", "--keep-alive", "2"], default, production),
        ([*gunicorn, "--bind", f"127.0.0.1:{without_redis}"], without_redis, redis_down),
    ):
        yield Boards(ours, default, without_redis, limits_on_redis is not None)


def test_an_idle_keep_alive_connection_survives_under_the_deploy_config(boards: Boards) -> None:
    with (
        socket.create_connection(("127.0.0.1", boards.ours)) as kept,
        socket.create_connection(("127.0.0.1", boards.default_keepalive)) as dropped,
    ):
        assert _get(kept, "/jobs") == 200
        assert _get(dropped, "/jobs") == 200
        time.sleep(IDLE_S)  # both connections idle, as a proxy's pooled connection does
        # gunicorn's own keep-alive drops it (clients behind a proxy got resets); ours keeps it.
        assert _closed_by_server(dropped)
        assert not _closed_by_server(kept)
        assert _get(kept, "/jobs") == 200


def _sign_in_form(port: int) -> tuple[str, str]:
    """The session cookie and CSRF token of a fresh sign-in form."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    connection.close()
    assert cookie.startswith("session="), page[:500]
    assert token, page[:500]
    return cookie, token.group(1)


def _sign_in_status(port: int, cookie: str, token: str) -> int:
    """The status of one sign-in with a wrong password."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    body = urlencode({"csrf_token": token, "email": "anne@kommune.dk", "password": "wrong one"})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/login", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def test_the_sign_in_throttle_counts_over_every_process_on_redis(boards: Boards) -> None:
    if not boards.limits_on_redis:
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    cookie, token = _sign_in_form(boards.ours)
    # The first attempts alternate between the two servers: each counts on Redis.
    ports = [boards.ours, boards.default_keepalive] * SIGN_IN_LIMIT
    statuses = [_sign_in_status(port, cookie, token) for port in ports[: SIGN_IN_LIMIT + 1]]
    assert statuses == [422] * SIGN_IN_LIMIT + [429]


def test_signing_in_works_and_is_throttled_while_the_throttles_redis_is_down(
    boards: Boards,
) -> None:
    cookie, token = _sign_in_form(boards.throttle_redis_down)
    port = boards.throttle_redis_down
    statuses = [_sign_in_status(port, cookie, token) for _ in range(SIGN_IN_LIMIT + 1)]
    assert statuses == [422] * SIGN_IN_LIMIT + [429]  # counted in memory meanwhile


def test_the_deploy_config_outlasts_the_proxy() -> None:
    settings: dict[str, object] = {}
    exec(GUNICORN_CONF.read_text(), settings)
    assert settings["keepalive"] > settings["PROXY_IDLE_TIMEOUT_S"]  # type: ignore[operator]
    assert (settings["worker_class"], settings["wsgi_app"]) == ("gthread", "webapp:create_app()")
    assert "%(q)s" not in settings["access_log_format"]  # type: ignore[operator]
    assert "%(r)s" not in settings["access_log_format"]  # type: ignore[operator]


def _make_run(port: int) -> str:
    """What `make run PORT=<port>` would run, as make prints it."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", f"PORT={port}", f"VENV={BIN.parent}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_run_serves_on_the_port_asked_for_and_links_follow(database_url: str) -> None:
    port = free_port()
    recipe = _make_run(port)
    flask_commands = [line for line in recipe.splitlines() if "flask --app webapp" in line]
    assert len(flask_commands) >= 4, recipe
    # Every command of the recipe knows the port: the links of its emails follow it.
    assert all(f"FLASK_RUN_PORT={port} " in line for line in flask_commands), recipe
    serve = re.search(r"^(FLASK_RUN_PORT=.* run --host 127\.0\.0\.1.*)$", recipe, re.M)
    assert serve, recipe
    with (
        _serving((serve.group(1), port, _environment(database_url))),
        socket.create_connection(("127.0.0.1", port)) as connection,
    ):
        assert _get(connection, "/jobs") == 200


# Settings docs/deploy.md may name that a library reads, not the board's code.
SETTINGS_READERS = ("flask_mail", "flask_limiter", "gunicorn")


def _source_text() -> str:
    """The board's code, the deploy folder and the libraries that read settings, as one text."""
    files = [*(ROOT / "webapp").rglob("*.py"), *(ROOT / "deploy").iterdir()]
    for name in SETTINGS_READERS:
        spec = importlib.util.find_spec(name)
        assert spec is not None, name
        assert spec.origin is not None, name
        files += Path(spec.origin).parent.rglob("*.py")
    return "\n".join(path.read_text() for path in files if path.is_file())


def test_every_setting_docs_deploy_names_is_read_somewhere() -> None:
    documented = set(re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", DEPLOY_DOC.read_text()))
    assert {"BOARD_URL", "SECRET_KEY", "DATABASE_URL", "QUEUE_URL"} <= documented
    source = _source_text()
    unknown = sorted(
        name
        for name in documented
        if not re.search(rf"\b({name}|{name.removeprefix('FLASK_')})\b", source)
    )
    assert unknown == []


def test_the_links_inside_docs_deploy_reach_its_headings() -> None:
    text = DEPLOY_DOC.read_text()
    slugs = {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", text, re.M)
    }
    assert sorted(set(re.findall(r"\]\(#([^)]+)\)", text)) - slugs) == []
