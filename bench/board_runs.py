"""The load benchmark's matching runs: started through the run form, followed in the database."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import requests
from sqlalchemy import create_engine, text

from bench.board_http import sign_in, start_run

FINISHED = ("done", "failed")


class RunStarter:
    """A coordinator who starts matching runs through HTTP; their state read from the database."""

    def __init__(self, base: str, targets: dict[str, Any], database_url: str) -> None:
        self.base = base
        self.engine = create_engine(
            database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        )
        self.session = requests.Session()
        sign_in(self.session, base, targets["coordinators"][0], targets["password"])

    def start(self) -> dict[str, Any]:
        """Start a run of every area; the run, with how long the form's POST took."""
        began = time.monotonic()
        public_id = start_run(self.session, self.base, dt.date.today())
        return {
            "public_id": public_id,
            "began": began,
            "post_seconds": round(time.monotonic() - began, 2),
        }

    def status(self, public_id: str) -> str:
        with self.engine.connect() as connection:
            return str(
                connection.scalar(
                    text("SELECT status FROM match_run WHERE public_id = :p"), {"p": public_id}
                )
            )

    def wait(self, run: dict[str, Any], most_s: float) -> dict[str, Any]:
        """Poll until `run` is done or failed; the run with its status and seconds."""
        while (status := self.status(run["public_id"])) not in FINISHED:
            if time.monotonic() - run["began"] > most_s:
                raise SystemExit(f"the run did not finish within {most_s} s (status {status})")
            time.sleep(0.5)
        return self.finished(run, status)

    @staticmethod
    def finished(run: dict[str, Any], status: str) -> dict[str, Any]:
        seconds = round(time.monotonic() - run.pop("began"), 1)
        return {**run, "status": status, "seconds": seconds}

    def keeper(self) -> RunKeeper:
        return RunKeeper(self)


class RunKeeper:
    """Keeps one run solving: starts one at once and another whenever the last has finished."""

    def __init__(self, starter: RunStarter) -> None:
        self.starter = starter
        self.began = time.monotonic()
        self.current: dict[str, Any] | None = None
        self.runs: list[dict[str, Any]] = []

    def tick(self) -> None:
        """Called about every second while the phase runs."""
        if self.current is not None:
            status = self.starter.status(self.current["public_id"])
            if status not in FINISHED:
                return
            self.runs.append(self.starter.finished(self.current, status))
            self.current = None
        self.current = self.starter.start()

    def summary(self) -> dict[str, Any]:
        """The runs that finished in the phase and the share of it a run was solving."""
        elapsed = time.monotonic() - self.began
        finished = sum(r["seconds"] for r in self.runs)
        unfinished = time.monotonic() - self.current["began"] if self.current else 0
        if self.current:
            self.runs.append(
                {**self.current, "status": "still solving", "seconds": round(unfinished, 1)}
            )
            self.runs[-1].pop("began")
        return {
            "runs": self.runs,
            "solving_share": round(min(1.0, (finished + unfinished) / elapsed), 2),
        }
