"""The run page of a large run stays small: proposals and unplaced youths come a page at a time.

One run of 300 youths for 30 jobs (60 positions, 63 with the world's) is made
once for the module: 63 proposals and about 235 youths without a job, each with
about a dozen reasons. The run page shows a page of proposals (the board's
PAGE_SIZE), the first ten unplaced youths, all of them counted by their main
reason, and one form for every proposal's buttons; the rest is behind the
pagers, the list of the unplaced and each youth's own page. Through HTTP, on SQLite
and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import jobmatch
from tests.factories import NEXT_WEEK, OpeningFactory, World, YouthFactory, make_world
from tests.webapp.conftest import _clean
from webapp.extensions import db
from webapp.models import Proposal, WhatIf, Youth
from webapp.services import onboarding, runs
from webapp.services.run_page import UNPLACED_SHOWN

YOUTHS, OPENINGS, POSITIONS = 300, 30, 2
MOST_HTML = 200_000  # bytes of a page, the bound


@dataclass(frozen=True)
class BigRun:
    """The module's world and its run: public ids of the run, the unplaced and the placed."""

    world: World
    run: str
    unplaced: list[str]
    placed: str
    proposals: int
    per_page: int


@pytest.fixture(scope="module")
def big(session_app: Flask) -> Iterator[BigRun]:
    """A finished run of 300 youths on a clean database, made once for the module.

    The world's two jobs take three more, so the run proposes 63 pairs."""
    _clean(session_app)
    with session_app.app_context():
        onboarding.ensure_standard_step_kinds()
    world = make_world(session_app)
    with session_app.test_request_context():
        OpeningFactory.create_batch(OPENINGS, positions=POSITIONS)
        YouthFactory.create_batch(YOUTHS - 2)  # the world has two youths free for a job
        db.session.commit()
        run = runs.create_run(world.user("coordinator"), runs.RunParameters(NEXT_WEEK))
        assert run.status == "done", run.error
        placed = set(db.session.scalars(select(Youth.public_id).join(Proposal)))
        everyone = {y["id"] for y in run.problem["youths"]}
        unplaced = sorted(everyone - placed - {world.youth})  # Amira holds her job
        yield BigRun(
            world,
            run.public_id,
            unplaced,
            sorted(placed)[0],
            len(run.proposals),
            session_app.config["PAGE_SIZE"],
        )
    _clean(session_app)


def _get(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _proposal_rows(page: str) -> list[str]:
    return re.findall(r'<button form="proposal-actions" formaction="/coordinator/proposals/'
                      r'([\w-]+)/confirm"', page)  # fmt: skip


def _unplaced(page: str) -> list[str]:
    """The public ids of the unplaced youths listed, by the link to each youth's page."""
    return re.findall(r'href="/coordinator/runs/[\w-]+/youths/([\w-]+)"', page)


def test_the_run_page_shows_a_page_of_each_list_and_stays_small(big: BigRun) -> None:
    client = big.world.client_for("coordinator")
    page = _get(client, f"/coordinator/runs/{big.run}")
    assert len(big.unplaced) > 4 * big.per_page  # a run far larger than a page
    assert len(page.encode()) < MOST_HTML
    assert len(_proposal_rows(page)) == big.per_page
    assert len(_unplaced(page)) == UNPLACED_SHOWN  # the others a page at a time
    # One form for every row's buttons, one for "confirm the selected", one for the rerun.
    assert page.split('<main id="main"')[1].count("<form") == 3
    # Every unplaced youth is counted by the main reason: positions taken by others.
    counts = re.search(r'id="unplaced-reasons">(.*?)</ul>', page, re.S)
    assert counts is not None
    assert f"Alle ({len(big.unplaced)})" in counts.group(1)
    assert f'href="/coordinator/runs/{big.run}/unplaced" id="all-unplaced"' in page


def test_the_pages_of_each_list_show_every_row_once(big: BigRun) -> None:
    client = big.world.client_for("coordinator")
    pages = -(-len(big.unplaced) // big.per_page)
    listed = []
    for number in range(1, pages + 1):
        page = _get(client, f"/coordinator/runs/{big.run}/unplaced?page={number}")
        assert len(page.encode()) < MOST_HTML
        listed += _unplaced(page)
    assert sorted(listed) == big.unplaced
    proposals = []
    for number in (1, 2, 3):
        proposals += _proposal_rows(_get(client, f"/coordinator/runs/{big.run}?page={number}"))
    assert len(proposals) == len(set(proposals)) == big.proposals > 2 * big.per_page


def test_the_lists_filter_by_status_and_by_reason(big: BigRun) -> None:
    client = big.world.client_for("coordinator")
    with big.world.app.app_context():
        first = db.session.scalar(select(Proposal).order_by(Proposal.id).limit(1))
        assert first is not None
        chosen = first.public_id
    assert client.post(f"/coordinator/proposals/{chosen}/confirm").status_code == 302
    sent = _get(client, f"/coordinator/runs/{big.run}?status=sent")
    assert re.findall(r'formaction="/coordinator/proposals/([\w-]+)/withdraw"', sent) == [chosen]
    assert _proposal_rows(sent) == []
    assert "Sendt til arbejdsgiveren (1)" in sent
    proposed = _get(client, f"/coordinator/runs/{big.run}?status=proposed&page=3")
    assert len(_proposal_rows(proposed)) == big.proposals - 1 - 2 * big.per_page
    taken = _get(client, f"/coordinator/runs/{big.run}/unplaced?reason=positions_taken")
    assert len(_unplaced(taken)) == big.per_page
    assert _unplaced(_get(client, f"/coordinator/runs/{big.run}/unplaced?reason=alcohol")) == []


def test_an_action_goes_back_to_the_view_it_was_sent_from(big: BigRun) -> None:
    client = big.world.client_for("coordinator")
    page = _get(client, f"/coordinator/runs/{big.run}?status=proposed&page=2")
    assert '<input type="hidden" name="status" value="proposed">' in page
    assert '<input type="hidden" name="page" value="2">' in page
    chosen = _proposal_rows(page)[0]
    pin = f"/coordinator/proposals/{chosen}/pin"
    back = client.post(pin, data={"status": "proposed", "page": "2"}).headers["Location"]
    assert back == f"/coordinator/runs/{big.run}?status=proposed&page=2#proposals"
    for hostile in ({"status": "<script>", "page": "-1"}, {"page": "9" * 40}, {"status": "x"}):
        back = client.post(f"/coordinator/proposals/{chosen}/clear", data=hostile)
        assert back.status_code == 302
        location = back.headers["Location"]
        assert "script" not in location
        assert location.startswith(f"/coordinator/runs/{big.run}")
    assert client.post(pin, data={"page": "3"}).headers["Location"].endswith("?page=3#proposals")
    client.post(f"/coordinator/proposals/{chosen}/clear")


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-3",
        "page=abc",
        "page=99999999999999999999",
        "page=1e9",
        "status=nosuchstatus",
        "status=<script>",
        "page=2&status=declined",
        "explain=" + "x" * 500,
        "page=%E2%88%9E",
    ],
)
def test_hostile_page_parameters_give_a_page(big: BigRun, query: str) -> None:
    client = big.world.client_for("coordinator")
    for path in (f"/coordinator/runs/{big.run}", f"/coordinator/runs/{big.run}/unplaced"):
        page = _get(client, f"{path}?{query}&reason=" + "z" * 300)
        assert "<script>" not in page.split("</header>")[-1]
        assert len(page.encode()) < MOST_HTML


def test_a_youths_page_shows_every_reason_and_never_solves(
    big: BigRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    solves: list[str] = []
    monkeypatch.setattr(jobmatch, "what_would_place", lambda *a, **k: solves.append("x") or [])
    client = big.world.client_for("coordinator")
    youth = big.unplaced[0]
    page = _get(client, f"/coordinator/runs/{big.run}/youths/{youth}")
    assert "Find ud af, hvad der ville give den unge et job" in page
    assert page.count("Kunne tage") >= 1  # the jobs the youth could take, taken by others
    old_link = client.get(f"/coordinator/runs/{big.run}?explain={youth}")  # before the pages
    assert old_link.headers["Location"] == f"/coordinator/runs/{big.run}/youths/{youth}"
    assert solves == []
    assert client.get(f"/coordinator/runs/{big.run}/youths/nosuchyouth").status_code == 404
    for other in (big.placed, big.world.pending_youth):  # placed, and not in the run
        page = _get(client, f"/coordinator/runs/{big.run}/youths/{other}")
        assert 'id="not-unplaced"' in page
        assert "Find ud af, hvad der ville give den unge et job" not in page
        asked = client.post(f"/coordinator/runs/{big.run}/youths/{other}/what-would")
        refused = _get(client, asked.headers["Location"])
        assert "Kørslen efterlod ikke den unge uden job" in refused
    assert solves == []
    with big.world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WhatIf)) == 0
