"""The run page offers, for each proposal, exactly the actions its stored state allows,
and its badges show the pin or ban the database holds."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask

from tests.factories import NEXT_WEEK, World, next_weekday, one, solved_run
from webapp.extensions import db
from webapp.models import PairRule, Proposal

Setup = Callable[[World, str], None]


def _coordinator(world: World, proposal_id: str, action: str) -> None:
    response = world.client_for("coordinator").post(
        f"/coordinator/proposals/{proposal_id}/{action}"
    )
    assert response.status_code == 302


def _employer(world: World, proposal_id: str, action: str, data: dict[str, str]) -> None:
    response = world.client_for("employer").post(
        f"/employer/proposals/{proposal_id}/{action}", data=data
    )
    assert response.status_code == 302, response.data[:500]


def _nothing(_world: World, _proposal_id: str) -> None:
    """The proposal as the run left it."""


def _decline(world: World, proposal_id: str) -> None:
    _employer(world, proposal_id, "decline", {"decline-reason": "Vi mangler en med kørekort"})


def _accept(world: World, proposal_id: str) -> None:
    first_day = next_weekday(on_or_after=NEXT_WEEK)  # a day of the job's shifts
    _employer(world, proposal_id, "accept", {"accept-start_date": first_day.isoformat()})


# state: (sent by the coordinator, what happens next, actions offered, badge shown)
STATES: dict[str, tuple[bool, Setup, list[str], str | None]] = {
    "proposed": (False, _nothing, ["confirm", "pin", "forbid"], None),
    "proposed+pinned": (
        False,
        lambda w, p: _coordinator(w, p, "pin"),
        ["confirm", "forbid", "clear"],
        "Låst",
    ),
    "proposed+forbidden": (
        False,
        lambda w, p: _coordinator(w, p, "forbid"),
        ["pin", "clear"],
        "Udelukket",
    ),
    "sent": (True, _nothing, ["withdraw", "pin", "forbid"], None),
    "withdrawn": (True, lambda w, p: _coordinator(w, p, "withdraw"), [], None),
    "declined": (True, _decline, ["clear"], "Udelukket"),  # a decline rules the pair out
    "accepted": (True, _accept, [], None),
}


def _offered(page: str, proposal_id: str) -> list[str]:
    """The proposal's action buttons on the page, by the last part of their URL, in order.

    Every button posts the page's one action form to its own URL (`formaction`).
    """
    prefix = re.escape(f"/coordinator/proposals/{proposal_id}/")
    return re.findall(rf'<button form="proposal-actions" formaction="{prefix}(\w+)"', page)


def _badges(page: str) -> list[str]:
    return re.findall(r'<span class="badge text-bg-(?:info|dark)">([^<]+)</span>', page)


@pytest.mark.parametrize("state", list(STATES))
def test_each_state_offers_exactly_its_actions(world: World, app: Flask, state: str) -> None:
    send, setup, actions, badge = STATES[state]
    run_id, proposal_id = solved_run(world, send=send)
    setup(world, proposal_id)
    with app.app_context():
        assert one(Proposal, Proposal.public_id == proposal_id).status == state.split("+")[0]
    page = world.client_for("coordinator").get(f"/coordinator/runs/{run_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert _offered(text, proposal_id) == actions
    assert _badges(text) == ([badge] if badge else [])


def test_after_ruling_out_the_page_no_longer_offers_confirm(world: World, app: Flask) -> None:
    run_id, proposal_id = solved_run(world, send=False)
    client = world.client_for("coordinator")
    assert "confirm" in _offered(
        client.get(f"/coordinator/runs/{run_id}").get_data(True), proposal_id
    )
    _coordinator(world, proposal_id, "forbid")
    page = client.get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
    assert "Bekræft og send til arbejdsgiveren" not in page
    assert _badges(page) == ["Udelukket"]
    _coordinator(world, proposal_id, "clear")
    page = client.get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
    assert _offered(page, proposal_id) == ["confirm", "pin", "forbid"]
    assert _badges(page) == []


def test_the_badge_follows_a_rule_changed_outside_the_page(world: World, app: Flask) -> None:
    """The page reads the rule the database holds, not what the last click set."""
    run_id, proposal_id = solved_run(world, send=False)
    _coordinator(world, proposal_id, "pin")
    with app.app_context():
        rule = one(PairRule)
        rule.rule = "forbid"
        db.session.commit()
    page = world.client_for("coordinator").get(f"/coordinator/runs/{run_id}").get_data(True)
    assert _offered(page, proposal_id) == ["pin", "clear"]
    assert _badges(page) == ["Udelukket"]
