"""The one guard over a run's new proposals: a youth who took a job while the run was
solving is not proposed what the guard refuses, and the run page says why."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import event
from werkzeug.test import TestResponse

from tests.factories import (
    NEXT_WEEK,
    AvailabilityFactory,
    EmployerFactory,
    OpeningFactory,
    PlacementFactory,
    ShiftFactory,
    World,
    YouthFactory,
    one,
)
from tests.webapp.test_runs import _run, _start
from webapp.extensions import db
from webapp.models import Opening, Youth
from webapp.services import run_jobs
from webapp.services.placement_guard import refused_pairs


@pytest.mark.parametrize(
    ("max_jobs", "meanwhile", "reason"),
    [
        (2, "other_opening", "vagterne ligger på samme tid som et andet job, den unge har"),
        (
            2,
            "other_opening",
            "Tirsdag: 4 timer; loven tillader en 14-årig højst 2 på en skoledag "
            "sammen med de job, den unge har",
        ),
        (1, "other_opening", "den unge har allerede så mange job, som er tilladt"),
        (1, "opening", "den unge har allerede dette job"),
    ],
)
def test_a_proposal_the_guard_refuses_after_a_placement_by_hand_is_not_made(
    world: World,
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    max_jobs: int,
    meanwhile: str,
    reason: str,
) -> None:
    """While the run solves, a coordinator places Emil by hand: the run's pair for him is
    refused against what he holds now, and he is shown as not placed, with the reason."""
    with app.app_context():
        one(Youth, Youth.public_id == world.other_youth).max_jobs = max_jobs
        db.session.commit()
    solve = run_jobs.refuse_infeasible  # the solve's last step, before the proposals

    def solve_while_placing(*args: object, **kwargs: object) -> object:
        solution = solve(*args, **kwargs)  # type: ignore[arg-type]

        def place_by_hand() -> None:
            placed.append(
                world.client_for("coordinator").post(
                    f"/coordinator/youths/{world.other_youth}/placements",
                    data={"opening": getattr(world, meanwhile)},
                )
            )

        placed: list[TestResponse] = []
        thread = threading.Thread(target=place_by_hand)  # another request, another session
        thread.start()
        thread.join()
        assert placed[0].status_code == 302, placed[0].get_data(as_text=True)[:300]
        return solution

    monkeypatch.setattr(run_jobs, "refuse_infeasible", solve_while_placing)
    run_id = _start(world)
    with app.app_context():
        run = _run(app, run_id)
        assert run.status == "done"
        assert run.proposals == []
        assert [p["youth"] for p in run.parameters["refused"]] == [world.other_youth]
        assert {a["youth"] for a in run.solution["assignments"]} == {
            world.youth,
            world.other_youth,
        }
    page = (
        world.client_for("coordinator").get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
    )
    proposals, unplaced = page.split("Ikke placeret, og hvorfor")
    assert "Emil" not in proposals.split('id="proposals"')[1]  # no row, nothing to confirm
    assert "Emil Jensen" in unplaced
    sentence = unplaced[
        unplaced.index("Ikke foreslået til Kasseassistent hos Ikast Dagligvarer: ") :
    ]
    assert reason in sentence[: sentence.index("</li>")]


def test_only_youths_who_hold_a_job_now_are_asked_about(world: World, app: Flask) -> None:
    """The guard reads the youths who hold something: Emil holds nothing, so no check."""
    with app.app_context():
        emil = one(Youth, Youth.public_id == world.other_youth)
        kasse = one(Opening, Opening.public_id == world.opening)
        refused = refused_pairs([(emil, kasse)], start_date=NEXT_WEEK, period="school")
        assert refused == {}
        amira = one(Youth, Youth.public_id == world.youth)
        bager = one(Opening, Opening.title == "Bagerjobber")
        amira.max_jobs = 2
        refused = refused_pairs(
            [(emil, kasse), (amira, bager)], start_date=NEXT_WEEK, period="school"
        )
        assert [r.code for r in refused[(amira.id, bager.id)]] == ["legal_hours", "overlap"]
        assert (emil.id, kasse.id) not in refused


def _statements(app: Flask, holders: int) -> tuple[int, int]:
    """Statements of `refused_pairs` over `holders` youths who hold a job and get another."""
    with app.app_context():
        employer = EmployerFactory()
        held, more = (
            OpeningFactory(employer=employer, positions=holders + 1, shifts=[ShiftFactory()])
            for _ in range(2)
        )
        youths = [
            YouthFactory(max_jobs=2, availability=[AvailabilityFactory()]) for _ in range(holders)
        ]
        for youth in youths:
            PlacementFactory(youth=youth, opening=held)
        db.session.commit()
        pairs = [(y, more) for y in youths if y.id and more.id]  # read back, as a run has them
        seen: list[str] = []

        def record(*args: object) -> None:
            seen.append(str(args[2]))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            refused = refused_pairs(pairs, start_date=NEXT_WEEK, period="school")
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        db.session.rollback()
        return len(seen), len(refused)


def test_the_guard_over_a_run_reads_all_youths_at_once(app: Flask) -> None:
    """As many statements for 20 youths who hold a job as for one: no query per proposal."""
    one_youth, refused_one = _statements(app, 1)
    twenty, refused_twenty = _statements(app, 20)
    assert (refused_one, refused_twenty) == (1, 20)  # Tuesday 16-18 twice: at the same time
    assert one_youth == twenty
