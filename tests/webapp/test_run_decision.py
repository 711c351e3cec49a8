"""The run page as a decision: a summary first, a compact table with "confirm the selected",
one line per unplaced youth, and no sentence that says a youth would get a full job.

Everything goes through HTTP (the test client; the served board for the parallel
requests), on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import (
    NEXT_WEEK,
    AvailabilityFactory,
    OpeningFactory,
    World,
    YouthFactory,
    one,
)
from tests.webapp.test_races import Session, board  # noqa: F401 (the served board)
from webapp.extensions import db
from webapp.models import (
    Employer,
    EventKind,
    MatchRun,
    Opening,
    OutboxMessage,
    Proposal,
    ProposalStatus,
    TimelineEvent,
)
from webapp.services import runs

COORDINATOR = "coordinator@test.example"


def _run(world: World) -> str:
    """A finished run over every area, solved in the request; its public id."""
    with world.app.test_request_context():
        run = runs.create_run(world.user("coordinator"), runs.RunParameters(start_date=NEXT_WEEK))
        assert run.status == "done", run.error
        return run.public_id


def _page(client: FlaskClient, run_id: str) -> str:
    response = client.get(f"/coordinator/runs/{run_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment, spaces squeezed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _lines(page: str) -> dict[str, tuple[str, str]]:
    """Each unplaced youth's line: full name -> (the main reason, what would help)."""
    found = re.findall(
        r'<li class="list-group-item unplaced">\s*<a [^>]*>([^<]+)</a>:\s*'
        r'<span class="unplaced-reason">(.*?)</span>\s*<span class="unplaced-change">(.*?)</span>',
        page,
        re.S,
    )
    return {html.unescape(name): (_text(reason), _text(change)) for name, reason, change in found}


def _proposals(app: Flask, run_id: str) -> dict[str, str]:
    """The run's proposals: youth's first name -> proposal's public id."""
    with app.app_context():
        run = one(MatchRun, MatchRun.public_id == run_id)
        return {p.youth.first_name: p.public_id for p in run.proposals}


def _status(app: Flask, proposal_id: str) -> str:
    with app.app_context():
        return one(Proposal, Proposal.public_id == proposal_id).status


def _room(app: Flask, public_id: str, positions: int) -> None:
    with app.app_context():
        one(Opening, Opening.public_id == public_id).positions = positions
        db.session.commit()


# -- the summary ------------------------------------------------------------------


def test_the_summary_counts_and_compares_with_the_previous_run(world: World, app: Flask) -> None:
    client = world.client_for("coordinator")
    first = _run(world)  # Amira holds her job, Emil is proposed: 2 of 2 placed
    page = _page(client, first)
    assert "1 nye forslag · 2 af 2 unge placeret · 0 ikke placeret" in page
    assert "Den første færdige kørsel: intet at sammenligne med endnu." in page
    assert "Tidsgrænse: 30 s" in page  # a Danish number, not "30.0"
    with app.app_context():
        YouthFactory(first_name="Sara", last_name="Nielsen")  # free on Tuesdays: placed
        YouthFactory(first_name="Noor", last_name="Ali", availability=[])  # never free
        db.session.commit()
    second = _run(world)
    page = _page(client, second)
    summary = _text(page[page.index('id="summary"') : page.index('id="proposals"')])
    assert "2 nye forslag · 3 af 4 unge placeret · 1 ikke placeret" in summary
    assert re.search(r"Siden kørslen [^:]+: \+1 placeret \(2 dengang\)\.", summary), summary
    assert "Nye uden job: Noor." in summary
    by_area = _text(
        page[page.index('id="by-area"') : page.index("</table>", page.index("by-area"))]
    )
    assert "Stadion Allé 1 / 1" in by_area  # Amira's area
    by_priority = page[page.index('id="by-priority"') : page.index('id="by-area"')]
    cells = re.findall(r"<td>(\d+) / (\d+)</td>", by_priority)
    assert sum(int(placed) for placed, _ in cells) == 3
    assert sum(int(total) for _, total in cells) == 4
    # The score is explained in the coordinator's words, above the table.
    assert "Point: hvor godt jobbet passer til den unge." in page
    assert page.index('id="summary"') < page.index('id="proposals"') < page.index('id="unplaced"')


# -- one line per unplaced youth, no contradiction ------------------------------------


def test_each_unplaced_youth_gets_one_line_and_no_sentence_contradicts(
    world: World, app: Flask
) -> None:
    with app.app_context():
        # Free on Mondays only: the board's jobs are on Tuesdays, with room left.
        YouthFactory(
            first_name="Noor", last_name="Ali", availability=[AvailabilityFactory(day_index=0)]
        )
        # Free on Wednesdays, where the one job takes youths from 16 and goes to Ida.
        full = OpeningFactory(title="Lagerjob", min_age=16, positions=1)
        full.shifts[0].day_index = 2
        YouthFactory(
            first_name="Ida", age=17, availability=[AvailabilityFactory(day_index=2)]
        )  # the run gives it her
        liv = YouthFactory(
            first_name="Liv",
            last_name="Berg",
            age=14,
            availability=[AvailabilityFactory(day_index=2)],
        )
        # She has ruled out the board's other employers: their jobs fail on two rules.
        liv.excluded_employers = list(
            db.session.scalars(
                select(Employer).where(
                    Employer.public_id.in_((world.employer, world.other_employer))
                )
            )
        )
        db.session.commit()
    run_id = _run(world)
    page = _page(world.client_for("coordinator"), run_id)
    lines = _lines(page)
    assert set(lines) == {"Noor Ali", "Liv Berg"}
    assert page.count('class="list-group-item unplaced"') == 2
    reason, change = lines["Noor Ali"]
    assert reason.startswith("3 af de 3 job inden for rækkevidde har vagter uden for")
    assert change.startswith("Det ville hjælpe: Ville få job hos ")
    assert change.endswith("hvis den unge kunne Tirsdag 16:00-18:00.")
    _, change = lines["Liv Berg"]
    assert change == (
        "Det ville hjælpe: Ingen enkelt ændring fundet: de job, der næsten passer, "
        "har ingen ledige pladser."
    )
    # The details say why, without promising the full job.
    assert "Lagerjob hos " in page
    assert (
        "passer på nær én regel (for ung til jobbet), men alle pladser er besat lige nu." in page
    )
    sentences = [_text(li) for li in re.findall(r"<li>(.*?)</li>", page, re.S)]
    assert not [s for s in sentences if "Ville få job" in s and "besat" in s]


# -- confirm the selected -----------------------------------------------------------


def _three_proposals(world: World, app: Flask) -> tuple[str, dict[str, str]]:
    """A run proposing Emil, Sara and Lina for the world's Kasseassistent (room for all)."""
    _room(app, world.opening, 6)
    with app.app_context():
        YouthFactory(first_name="Sara")
        YouthFactory(first_name="Lina")
        db.session.commit()
    run_id = _run(world)
    found = _proposals(app, run_id)
    assert set(found) == {"Emil", "Sara", "Lina"}
    return run_id, found


def test_confirm_the_selected_sends_each_and_names_the_refused(world: World, app: Flask) -> None:
    run_id, found = _three_proposals(world, app)
    client = world.client_for("coordinator")
    page = _page(client, run_id)
    assert page.count('form="bulk-confirm"') == 3
    assert "Bekræft de valgte" in page
    # Lina's pair is ruled out after the page was shown: her box is still ticked.
    assert client.post(f"/coordinator/proposals/{found['Lina']}/forbid").status_code == 302
    response = client.post(
        f"/coordinator/runs/{run_id}/confirm",
        data={"bulk-proposals": list(found.values())},
        follow_redirects=True,
    )
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert "2 sendt, 1 afvist: Lina (Kasseassistent): Parret er udelukket" in text
    assert _status(app, found["Emil"]) == ProposalStatus.SENT
    assert _status(app, found["Sara"]) == ProposalStatus.SENT
    assert _status(app, found["Lina"]) == ProposalStatus.PROPOSED
    # Sent again (a second click): already done counts as sent, nothing is sent twice.
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    again = client.post(
        f"/coordinator/runs/{run_id}/confirm",
        data={"bulk-proposals": [found["Emil"], found["Sara"]]},
        follow_redirects=True,
    )
    assert "2 sendt, 0 afvist." in _text(again.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == before


def test_confirm_the_selected_sent_at_once_sends_each_proposal_once(
    world: World,
    app: Flask,
    board: str,  # noqa: F811 (the fixture imported above)
) -> None:
    run_id, found = _three_proposals(world, app)
    with app.app_context():
        seats = one(Opening, Opening.public_id == world.opening).filled
        outbox = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    together = 4
    sessions = [Session(board, COORDINATOR) for _ in range(together)]
    barrier = Barrier(together)
    pairs = [("bulk-proposals", p) for p in found.values()]

    def send(session: Session) -> int:
        barrier.wait()
        # urlencode takes (name, value) pairs as well: one name, three values
        return session.post(f"/coordinator/runs/{run_id}/confirm", pairs)  # type: ignore[arg-type]

    with ThreadPoolExecutor(max_workers=together) as pool:
        answers = list(pool.map(send, sessions))
    assert answers == [302] * together
    with app.app_context():
        db.session.remove()
        for public_id in found.values():
            assert one(Proposal, Proposal.public_id == public_id).status == ProposalStatus.SENT
        proposed = db.session.scalar(
            select(func.count())
            .select_from(TimelineEvent)
            .where(TimelineEvent.kind == EventKind.PROPOSED)
        )
        assert proposed == 3
        assert one(Opening, Opening.public_id == world.opening).filled == seats + 3
        sent = db.session.scalar(select(func.count()).select_from(OutboxMessage)) - outbox
    assert sent % 3 == 0
    assert sent // 3 >= 1  # the same number of messages for each proposal, once


def test_hostile_selections_are_refused_beside_the_button(world: World, app: Flask) -> None:
    run_id, found = _three_proposals(world, app)
    other_run = _run(world)
    stranger = _proposals(app, other_run)["Emil"]
    client = world.client_for("coordinator")
    url = f"/coordinator/runs/{run_id}/confirm"
    refusals = {
        "nothing": ([], "Sæt flueben ved de forslag, der skal bekræftes."),
        "unknown": (["nosuchproposal"], "hører ikke til denne kørsel"),
        "another run's": ([stranger, found["Emil"]], "hører ikke til denne kørsel"),
        "NUL": (["abc\x00def"], "hører ikke til denne kørsel"),
        "too long": (["x" * 5000], "hører ikke til denne kørsel"),
        "10,000 ids": ([found["Emil"]] * 10_000, "Vælg højst 500 forslag ad gangen."),
        "10,000 distinct": ([f"id{n}" for n in range(10_000)], "Vælg højst 500 forslag"),
    }
    for name, (chosen, message) in refusals.items():
        response = client.post(url, data={"bulk-proposals": chosen})
        assert response.status_code == 422, name
        page = response.get_data(as_text=True)
        error = re.search(
            r'<div class="alert alert-danger[^"]*" id="bulk-error"[^>]*>(.*?)</div>', page
        )
        assert error, name
        assert message in html.unescape(error.group(1)), (name, error.group(1))
    for public_id in found.values():
        assert _status(app, public_id) == ProposalStatus.PROPOSED
    assert client.post("/coordinator/runs/nosuchrun/confirm").status_code == 404
    assert world.client_for("employer").post(url).status_code in (302, 403)
