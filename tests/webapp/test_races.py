"""The same change sent twenty times at once, through HTTP, has one effect.

The board is served from a thread (werkzeug, threaded) on 127.0.0.1 at a free
port, on the suite's database (a SQLite file, or PostgreSQL with
`TEST_DATABASE_URL`). Twenty sessions, each signed in through the login form,
wait at a barrier and then send the same POST; the rows are counted before and
after: placements, running placements, outbox messages, timeline events, the
opening's held seats and the pair's pin or ban. One request's worth of change
is expected, every answer a calm redirect (never a 5xx).
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import astuple, dataclass

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.factories import EMAILS, PASSWORD, World, make_world, solved_run
from webapp.extensions import db
from webapp.models import (
    ACTIVE_PLACEMENTS,
    Opening,
    OutboxMessage,
    PairRule,
    Placement,
    TimelineEvent,
    Youth,
)
from webapp.ui import board_day

PARALLEL = 20
Requests = list[tuple[str, str, dict[str, str]]]  # (role, path, form) of each visitor
Prepared = tuple[str, str, Requests]  # the youth's and the opening's public ids, the requests


@pytest.fixture
def board(app: Flask) -> Iterator[str]:
    """The board's URL, served from a thread on the test's clean database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="race-board", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: object) -> None:
        return None


class Session:
    """One signed-in visitor with its own cookies; answers are status codes (no redirects)."""

    def __init__(self, url: str, email: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )
        assert self.post("/login", {"email": email, "password": PASSWORD}) == 302

    def post(self, path: str, data: dict[str, str]) -> int:
        """POST a form; the answer's status code."""
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.url + path, body, timeout=120) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            error.read()
            return int(error.code)


@dataclass(frozen=True)
class Effects:
    """What the rows of one youth and one opening hold."""

    placements: int = 0
    running: int = 0
    outbox: int = 0
    events: int = 0
    seats: int = 0
    rules: int = 0

    def minus(self, before: Effects) -> Effects:
        return Effects(*(a - b for a, b in zip(astuple(self), astuple(before), strict=True)))


def effects(app: Flask, youth_id: str, opening_id: str) -> Effects:
    """Count the rows of the pair (a youth and an opening, by public id)."""
    with app.app_context():
        youth = db.session.scalar(select(Youth).where(Youth.public_id == youth_id))
        opening = db.session.scalar(select(Opening).where(Opening.public_id == opening_id))
        assert youth is not None
        assert opening is not None

        def count(model: type, *where: object) -> int:
            return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        pair = (Placement.youth_id == youth.id, Placement.opening_id == opening.id)
        found = Effects(
            placements=count(Placement, *pair),
            running=count(Placement, *pair, Placement.status.in_(ACTIVE_PLACEMENTS)),
            outbox=count(OutboxMessage),
            events=count(TimelineEvent, TimelineEvent.youth_id == youth.id),
            seats=opening.filled,
            rules=count(
                PairRule, PairRule.youth_id == youth.id, PairRule.opening_id == opening.id
            ),
        )
        db.session.remove()
        return found


def send_together(url: str, requests: Requests) -> list[int]:
    """Sign in one session per (role, path, form), then send every POST at the same moment."""
    sessions = [Session(url, EMAILS[role]) for role, _, _ in requests]
    barrier = threading.Barrier(len(requests))

    def send(index: int) -> int:
        _, path, data = requests[index]
        barrier.wait()
        return sessions[index].post(path, data)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, range(len(requests))))


def next_tuesday() -> str:
    """The next Tuesday (the factories' shift day), as the forms write a date."""
    today = board_day.today()
    return (today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)).isoformat()


@dataclass(frozen=True)
class Race:
    """An action sent twenty times: the request of each visitor and one request's effects."""

    prepare: Callable[[World], Prepared]
    one: tuple[Effects, ...]  # what one request does (either of them, for a mixed race)


def _proposal(world: World, *, send: bool) -> tuple[str, str]:
    """The world's proposal for Emil (sent to the employer with `send`), and its opening."""
    _, proposal = solved_run(world, send=send)
    return proposal, world.opening


def _add_positions(world: World, opening: str) -> None:
    """Give the opening positions to spare, so that no seat limit hides a second effect."""
    with world.app.app_context():
        found = db.session.scalar(select(Opening).where(Opening.public_id == opening))
        assert found is not None
        found.positions = PARALLEL + found.filled
        db.session.commit()


def _employer_on(
    answers: dict[str, dict[str, str]],
) -> Callable[[World], Prepared]:
    """The employer's answers to the sent proposal (by path: form), taking turns."""

    def prepare(world: World) -> Prepared:
        proposal, opening = _proposal(world, send=True)
        turns = [
            ("employer", f"/employer/proposals/{proposal}/{path}", form)
            for path, form in answers.items()
        ]
        return world.other_youth, opening, turns * (PARALLEL // len(turns))

    return prepare


ACCEPT = {"accept": {"accept-start_date": next_tuesday()}}
DECLINE = {"decline": {"decline-reason": "Vi har fundet en anden"}}


def _coordinator_on(path: str, *, send: bool) -> Callable[[World], Prepared]:
    """A coordinator's button on the proposal (sent with `send`), seats to spare."""

    def prepare(world: World) -> Prepared:
        proposal, opening = _proposal(world, send=send)
        _add_positions(world, opening)
        return (
            world.other_youth,
            opening,
            [("coordinator", f"/coordinator/proposals/{proposal}/{path}", {})] * PARALLEL,
        )

    return prepare


def _placement(path: str, form: dict[str, str]) -> Callable[[World], Prepared]:
    """A coordinator's form on the world's confirmed placement (start or end)."""

    def prepare(world: World) -> Prepared:
        prefix = f"{path}{world.placement_id}-"
        data = {prefix + key: value for key, value in form.items()}
        url = f"/coordinator/youths/{world.youth}/placements/{world.placement_id}/{path}"
        return world.youth, world.opening, [("coordinator", url, data)] * PARALLEL

    return prepare


def _place(world: World) -> Prepared:
    """The coordinator places Emil by hand in the opening that has one position left."""
    form = {"opening": world.opening, "start_date": next_tuesday()}
    url = f"/coordinator/youths/{world.other_youth}/placements"
    return world.other_youth, world.opening, [("coordinator", url, form)] * PARALLEL


TODAY = board_day.today().isoformat()
# A shift day; Amira's steps are missing, so the coordinator starts her with an exception.
START = {"on": next_tuesday(), "anyway": "y", "reason": "Kontrakten er underskrevet i morgen"}
ACCEPTED = (Effects(placements=1, running=1, outbox=3, events=1),)
DECLINED = (Effects(events=1, seats=-1, rules=1),)
RACES = {
    "accept": Race(_employer_on(ACCEPT), ACCEPTED),
    "decline": Race(_employer_on(DECLINE), DECLINED),
    "confirm": Race(
        _coordinator_on("confirm", send=False), (Effects(outbox=1, events=1, seats=1),)
    ),
    "withdraw": Race(_coordinator_on("withdraw", send=True), (Effects(seats=-1),)),
    "pin": Race(_coordinator_on("pin", send=False), (Effects(rules=1),)),
    "forbid": Race(_coordinator_on("forbid", send=False), (Effects(rules=1),)),
    "start": Race(_placement("start", START), (Effects(events=1),)),
    "end": Race(
        _placement("end", {"on": TODAY, "reason": "completed", "note": ""}),
        (Effects(running=-1, events=1, seats=-1),),
    ),
    "place by hand": Race(
        _place, (Effects(placements=1, running=1, outbox=3, events=1, seats=1),)
    ),
    "accept and decline": Race(_employer_on({**ACCEPT, **DECLINE}), ACCEPTED + DECLINED),
}


@pytest.mark.parametrize("action", list(RACES))
def test_twenty_at_once_have_one_effect(app: Flask, board: str, action: str) -> None:
    race = RACES[action]
    world = make_world(app)
    youth, opening, requests = race.prepare(world)
    before = effects(app, youth, opening)
    answers = send_together(board, requests)
    seen = effects(app, youth, opening).minus(before)
    assert seen in race.one, (
        f"{action}: {len(requests)} requests, {seen}, answers {sorted(answers)}"
    )
    assert all(code in (200, 302) for code in answers), sorted(answers)


def test_placing_by_hand_again_says_calmly_it_is_done(world: World, app: Flask) -> None:
    client = world.client_for("coordinator")
    url = f"/coordinator/youths/{world.youth}/placements"
    before = effects(app, world.youth, world.opening)
    response = client.post(url, data={"opening": world.opening}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="alert alert-info"' in page
    assert "Den unge har allerede dette job." in page
    assert effects(app, world.youth, world.opening) == before
