"""How long a wrong sign-in (or a reset request) takes for a known account and an unknown email.

The board's sign-in form over HTTP (a werkzeug server on a free port, the
board's production Argon2 cost: time 3, 64 MiB), on a fresh SQLite database
with one coordinator. The tries alternate between a wrong password for the
coordinator, an email no account has, and an invited account without a
password; each case's median over `--tries` is printed with its distance from
the known account's. The sign-in throttles are raised out of the way (they
answer before any hash and would only be measured themselves). With
`--page forgot` the same cases ask for a reset link instead ("Forgot your
password?"): an email goes out for the known account only.

    .venv/bin/python -m bench.login_timing [--tries 50] [--page login|forgot]
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
    "known account": "coordinator@kommune.example",
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
            "PASSWORD_RESET_RATE_LIMIT": "1000000 per minute",
            "PASSWORD_RESET_MAIL_LIMIT": "1000000 per minute",
            "MAIL_FILE_DIR": "",
        }
    )
    with app.app_context():
        db.create_all()
        db.session.add_all(
            [
                User(
                    email=CASES["known account"],
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


# Each page: its path, the form for an email, and the answer every case must get.
PAGES = {
    "login": ("/login", {"password": WRONG}, 422),
    "forgot": ("/password/forgot", {}, 302),
}


def _try(session: requests.Session, base: str, page: str, email: str) -> float:
    """Seconds one request of `page` for `email` takes, answer read."""
    path, form, expected = PAGES[page]
    began = time.perf_counter()
    answer = session.post(
        f"{base}{path}", data={"email": email, **form}, timeout=30, allow_redirects=False
    )
    elapsed = time.perf_counter() - began
    if answer.status_code != expected:
        raise SystemExit(f"{page} {email}: expected {expected}, got {answer.status_code}")
    return elapsed


def measure(tries: int, page: str = "login") -> dict[str, list[float]]:
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
                        _try(session, base, page, email)
                times: dict[str, list[float]] = {case: [] for case in CASES}
                for _ in range(tries):
                    for case, email in CASES.items():
                        times[case].append(_try(session, base, page, email))
        finally:
            server.shutdown()
            thread.join()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--page", choices=sorted(PAGES), default="login")
    arguments = parser.parse_args()
    tries = arguments.tries
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    times = measure(tries, arguments.page)
    known = statistics.median(times["known account"])
    print(
        f"{arguments.page}: median of {tries} tries each, and the difference from a known account"
    )
    for case, values in times.items():
        median = statistics.median(values)
        print(f"  {case:34} {median * 1000:7.1f} ms  {(median - known) / known:+6.1%}")


if __name__ == "__main__":
    main()
