"""How long a wrong sign-in takes for a known account and for an unknown email.

The board's sign-in form over HTTP (a werkzeug server on a free port, the
board's production Argon2 cost: time 3, 64 MiB), on a fresh SQLite database
with one coordinator. The tries alternate between a wrong password for the
coordinator, an email no account has, and an invited account without a
password; each case's median over `--tries` is printed with its distance from
the known account's. The sign-in throttles are raised out of the way (they
answer before any hash and would only be measured themselves).

    .venv/bin/python -m bench.login_timing [--tries 50]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import threading
import time
from pathlib import Path

import requests
from werkzeug.serving import make_server

from webapp import create_app
from webapp.extensions import db
from webapp.models import Role, User
from webapp.services.accounts import hash_password

CASES = {
    "known account, wrong password": "coordinator@kommune.example",
    "unknown email": "nobody@kommune.example",
    "invited account, no password yet": "invited@kommune.example",
}
WRONG = "not the password at all"


def _board(folder: Path) -> object:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'timing.sqlite'}",
            "SECRET_KEY": "login-timing",
            "WTF_CSRF_ENABLED": False,
            "LOGIN_RATE_LIMIT": "1000000 per minute",
            "LOGIN_ACCOUNT_RATE_LIMIT": "1000000 per minute",
            "MAIL_FILE_DIR": "",
        }
    )
    with app.app_context():
        db.create_all()
        db.session.add_all(
            [
                User(
                    email=CASES["known account, wrong password"],
                    name="Koordinator",
                    role=Role.COORDINATOR,
                    password_hash=hash_password("the coordinator's own password"),
                ),
                User(
                    email=CASES["invited account, no password yet"],
                    name="Ny",
                    role=Role.COORDINATOR,
                ),
            ]
        )
        db.session.commit()
    return app


def _try(session: requests.Session, base: str, email: str) -> float:
    """Seconds one wrong sign-in of `email` takes, answer read."""
    began = time.perf_counter()
    answer = session.post(f"{base}/login", data={"email": email, "password": WRONG}, timeout=30)
    elapsed = time.perf_counter() - began
    if answer.status_code != 422:
        raise SystemExit(f"{email}: expected 422, got {answer.status_code}")
    return elapsed


def measure(tries: int) -> dict[str, list[float]]:
    """The time of each try of each case, the cases taking turns."""
    with tempfile.TemporaryDirectory() as folder:
        app = _board(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)  # type: ignore[arg-type]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with requests.Session() as session:
                for email in CASES.values():  # warm up: first hashes, connections, templates
                    for _ in range(3):
                        _try(session, base, email)
                times: dict[str, list[float]] = {case: [] for case in CASES}
                for _ in range(tries):
                    for case, email in CASES.items():
                        times[case].append(_try(session, base, email))
        finally:
            server.shutdown()
            thread.join()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=50)
    tries = parser.parse_args().tries
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    times = measure(tries)
    known = statistics.median(times["known account, wrong password"])
    print(f"median of {tries} wrong sign-ins each (ms), and the difference from a known account")
    for case, values in times.items():
        median = statistics.median(values)
        print(f"  {case:34} {median * 1000:7.1f} ms  {(median - known) / known:+6.1%}")


if __name__ == "__main__":
    main()
