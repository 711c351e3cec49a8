"""A coordinator over HTTP in the load benchmark: sign in, start a run, the pages visited.

Shared by the load test's coordinators (bench/locustfile.py, on locust's session) and
bench/board_load.py (on a plain `requests.Session`): both are `requests` sessions, so the
same functions serve both. No Flask, no gevent: imported in either process.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
RUN_PAGE = re.compile(r"/coordinator/runs/([A-Za-z0-9_-]{1,16})$")


class BoardError(RuntimeError):
    """The board did not answer as a coordinator's browser expects."""


def csrf_token(html: str) -> str:
    """The first form's CSRF token in `html`."""
    found = CSRF.search(html)
    if found is None:
        raise BoardError("no csrf_token in the page")
    return found.group(1) or found.group(2)


def sign_in(session: requests.Session, base: str, email: str, password: str) -> None:
    """Sign in through the login form, as a browser does (CSRF token from the form).

    Raises:
        BoardError: the board did not accept the login.
    """
    form = session.get(f"{base}/login")
    response = session.post(
        f"{base}/login",
        data={"csrf_token": csrf_token(form.text), "email": email, "password": password},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise BoardError(f"login of {email} answered {response.status_code}, not a redirect")


def start_run(session: requests.Session, base: str, today: dt.date) -> str:
    """Start a matching run of every area through the run form; its public id.

    Raises:
        BoardError: the form did not redirect to the run's page.
    """
    form = session.get(f"{base}/coordinator/runs")
    fields = {
        "csrf_token": csrf_token(form.text),
        "start_date": (today + dt.timedelta(days=7)).isoformat(),
        "period": "auto",
        "time_limit_s": "30",
        "method": "optimal",
    }
    response = session.post(f"{base}/coordinator/runs", data=fields, allow_redirects=False)
    found = RUN_PAGE.search(response.headers.get("Location", ""))
    if response.status_code != 302 or found is None:
        raise BoardError(f"the run form answered {response.status_code}, not the run's page")
    return found.group(1)


@dataclass(frozen=True)
class Page:
    """A page a coordinator opens: its name in the report, how often, and its URL drawn."""

    name: str
    weight: int
    url: Callable[[dict[str, Any], random.Random], str]


def _query(path: str, **values: object) -> str:
    return f"{path}?{urlencode(values)}"


PAGES = (
    Page("youth list", 3, lambda t, r: "/coordinator/youths"),
    Page(
        "youth list, filtered",
        2,
        lambda t, r: _query(
            "/coordinator/youths",
            area=r.choice(t["areas"]),
            min_age=14,
            max_age=16,
            interest=r.choice(t["interests"]),
        ),
    ),
    Page("youth profile", 3, lambda t, r: f"/coordinator/youths/{r.choice(t['youths'])}"),
    Page("runs list", 1, lambda t, r: "/coordinator/runs"),
    Page("run result", 1, lambda t, r: f"/coordinator/runs/{t['run']}"),
    Page("openings list", 2, lambda t, r: "/coordinator/openings"),
    Page(
        "/jobs, filtered",
        2,
        lambda t, r: _query("/jobs", area=r.choice(t["towns"]), day="tue", age=15),
    ),
    Page("users", 1, lambda t, r: "/coordinator/users"),
    Page("dashboard", 1, lambda t, r: "/coordinator/dashboard"),
)
