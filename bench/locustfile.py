"""The board's coordinators under load: each signs in with a session of its own and browses.

Started by bench/board_load.py (`locust -f bench/locustfile.py --headless ...`), never
imported by pytest: locust patches the standard library with gevent on import. Reads the
seeded targets (logins, ids to visit) from the JSON file in BOARD_LOAD_TARGETS and the think
time between two pages from BOARD_LOAD_THINK ("1,3": 1 to 3 seconds).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

from bench.board_http import PAGES, Page, sign_in

TARGETS: dict[str, Any] = json.loads(Path(os.environ["BOARD_LOAD_TARGETS"]).read_text())
THINK = [float(s) for s in os.environ.get("BOARD_LOAD_THINK", "1,3").split(",")]
ACCOUNTS = itertools.cycle(TARGETS["coordinators"])  # one coordinator per user, in turn
ERROR_CHARS = 160  # of a failure's message: enough for urllib3's reason
WEIGHTED = [page for page in PAGES for _ in range(page.weight)]


class Coordinator(HttpUser):
    """A coordinator who opens the board's pages in a random order, thinking in between."""

    wait_time = between(THINK[0], THINK[-1])

    def on_start(self) -> None:
        self.rng = random.Random()
        sign_in(self.client, "", next(ACCOUNTS), TARGETS["password"])

    @task
    def browse(self) -> None:
        """Open one page, a failure when it is not a 200 of the page asked (e.g. the login)."""
        page: Page = self.rng.choice(WEIGHTED)
        url = page.url(TARGETS, self.rng)
        with self.client.get(url, name=page.name, catch_response=True) as response:
            if response.status_code == 0:  # no answer: the connection was refused or reset
                response.failure(f"no answer: {response.error}"[:ERROR_CHARS])
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif response.history:
                response.failure(f"redirected to {response.url}")
