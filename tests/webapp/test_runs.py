"""Matching runs through HTTP: parameters, the stored problem and solution, proposals to
placements, the holiday calendar, pins and bans, and the seats that never overfill."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.test import TestResponse

from tests.factories import (
    NEXT_WEEK,
    World,
    YouthFactory,
    next_weekday,
    one,
    signed_in,
    solved_run,
)
from webapp.extensions import db
from webapp.models import (
    AvailabilityWindow,
    MatchRun,
    OnboardingStep,
    Opening,
    OutboxMessage,
    PairRule,
    Placement,
    Proposal,
    SchoolHoliday,
    TimelineEvent,
    Youth,
)
from webapp.services import onboarding, proposals, seats
from webapp.services.errors import InvalidStateError
from webapp.ui import board_day


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "start_date": NEXT_WEEK.isoformat(),
        "period": "auto",
        "time_limit_s": "5",
        "method": "optimal",
    }
    data.update(overrides)
    return data


def count(model: type[object]) -> int:
    """Rows of `model` (call inside an app context)."""
    return db.session.query(model).count()


def _run(app: Flask, public_id: str) -> MatchRun:
    return one(MatchRun, MatchRun.public_id == public_id)


def _start(world: World, **overrides: object) -> str:
    """Start a run through the form; the public id of the run page it redirects to."""
    client = world.client_for("coordinator")
    response = client.post("/coordinator/runs", data=_form(**overrides))
    assert response.status_code == 302, response.data[:500]
    return response.headers["Location"].rsplit("/", 1)[1]


@pytest.mark.parametrize("status", ["pending", "running", "failed"])
def test_an_unfinished_runs_solution_is_not_offered(world: World, app: Flask, status: str) -> None:
    """While a run solves, its document may be one a job that lost the run wrote."""
    client = world.client_for("coordinator")
    run_id = _start(world)
    with app.app_context():
        run = _run(app, run_id)
        run.status = status
        db.session.commit()
    assert client.get(f"/coordinator/runs/{run_id}/solution.json").status_code == 404


def test_a_run_stores_problem_and_solution_and_shows_proposals_and_reasons(
    world: World, app: Flask
) -> None:
    client = world.client_for("coordinator")
    assert client.get("/coordinator/runs").status_code == 200
    run_id = _start(world)
    page = client.get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
    assert "Emil Jensen" in page
    assert "Kasseassistent" in page
    assert "Bekræft og send til arbejdsgiveren" in page
    assert 'http-equiv="refresh"' not in page  # done: no more refreshing
    problem = client.get(f"/coordinator/runs/{run_id}/problem.json")
    assert problem.get_json()["format"] == "jobmatch/1"
    assert "attachment" in problem.headers["Content-Disposition"]
    solution = client.get(f"/coordinator/runs/{run_id}/solution.json").get_json()
    assert solution["status"] == "optimal"
    with app.app_context():
        run = _run(app, run_id)
        assert run.status == "done"
        assert run.finished_at is not None
        assert run.parameters["time_limit_s"] == 5.0
        assert run.period == "school"
        # Amira's confirmed job is fixed, not proposed again.
        assert [p.youth.first_name for p in run.proposals] == ["Emil"]
        assert run.proposals[0].reasons["interest"] is True
        fixed = run.problem["fixed"]
        assert [f["youth"] for f in fixed] == [world.youth]


def test_an_unplaced_youth_gets_danish_reasons_and_what_would_place_on_demand(
    far_world: World,
) -> None:
    world = far_world
    run_id = _start(world)
    client = world.client_for("coordinator")
    page = client.get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
    farther = "ved at rejse 8,7 km i stedet for 1 km."
    assert "Ikke placeret, og hvorfor" in page
    assert f"Ville få job hos Ikast Dagligvarer (Kasseassistent) {farther}" in page
    assert f"Ville få job hos Herning Bager (Bagerjobber) {farther}" in page
    assert "2 af 2 åbne job ligger længere end 1 km hjemmefra." in page
    # What would place the youth is worked out only when asked for, on the youth's page.
    link = f"/coordinator/runs/{run_id}/youths/{world.other_youth}"
    assert f'href="{link}"' in page
    assert 'id="what-would"' not in page
    before = client.get(link).get_data(as_text=True)
    assert "Find ud af, hvad der ville give den unge et job" in before
    assert "<li>Ville få job" not in before.split('id="what-would"')[1]
    asked = client.post(f"{link}/what-would")  # solved in the worker (here: at once)
    assert asked.status_code == 302
    assert asked.headers["Location"] == f"{link}#what-would"
    text = client.get(link).get_data(as_text=True)
    found = re.search(r'id="what-would".*?<ul class="mb-0">(.*?)</ul>', text, re.S)
    assert found, "no answer to what would place the youth"
    answer = [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", found.group(1))]
    assert answer == [f"Ville få job hos Ikast Dagligvarer (Kasseassistent) {farther}"]
    assert "Find ud af, hvad der ville give den unge et job" not in text


def test_a_run_that_cannot_be_built_shows_its_danish_message(world: World, app: Flask) -> None:
    with app.app_context():
        pending = db.session.scalar(select(Youth).where(Youth.public_id == world.pending_youth))
        opening = db.session.scalar(select(Opening).where(Opening.public_id == world.opening))
        assert pending is not None
        assert opening is not None
        db.session.add(PairRule(youth_id=pending.id, opening_id=opening.id, rule="pin"))
        db.session.commit()
    run_id = _start(world)
    response = world.client_for("coordinator").get(f"/coordinator/runs/{run_id}")
    assert response.status_code == 200
    assert "kan ikke låses til" in response.get_data(as_text=True)
    with app.app_context():
        assert _run(app, run_id).status == "failed"


def test_a_bad_run_form_is_refused_beside_its_fields(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post("/coordinator/runs", data=_form(time_limit_s="0", start_date=""))
    assert response.status_code == 422
    assert count_runs(world) == 0


def count_runs(world: World) -> int:
    with world.app.app_context():
        return count(MatchRun)


def _add_holiday(client: FlaskClient, name: str, *, days: int) -> TestResponse:
    """Post a holiday in Ikast-Brande of `days` days from next week (0: ends the day before)."""
    return client.post(
        "/coordinator/holidays",
        data={
            "holiday-municipality": "Ikast-Brande",
            "holiday-name": name,
            "holiday-first_day": NEXT_WEEK.isoformat(),
            "holiday-last_day": (NEXT_WEEK + dt.timedelta(days=days - 1)).isoformat(),
        },
    )


def test_the_holiday_calendar_makes_a_holiday_week(world: World, app: Flask) -> None:
    client = world.client_for("coordinator")
    with app.app_context():
        from webapp.models import Area

        area = db.session.scalar(select(Area))
        assert area is not None
        area_id = area.id
    response = client.post(
        "/coordinator/holidays/areas",
        data={"area-area": str(area_id), "area-municipality": "Ikast-Brande"},
    )
    assert response.status_code == 302
    assert _add_holiday(client, "Efterårsferie", days=7).status_code == 302
    assert "Efterårsferie" in client.get("/coordinator/holidays").get_data(as_text=True)
    assert _add_holiday(client, "Forkert", days=0).status_code == 422  # ends before it starts
    holiday_run = _start(world, areas=str(area_id))
    school_run = _start(world, start_date=(NEXT_WEEK + dt.timedelta(days=30)).isoformat())
    with app.app_context():
        assert _run(app, holiday_run).period == "holiday"
        assert _run(app, holiday_run).problem["period"] == "holiday"
        assert _run(app, school_run).period == "school"


def test_pin_and_forbid_shape_the_next_run(world: World, app: Flask) -> None:
    run_id, proposal_id = solved_run(world, send=False)
    client = world.client_for("coordinator")
    assert client.post(f"/coordinator/proposals/{proposal_id}/forbid").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PairRule.rule)) == "forbid"
    rerun = client.post(f"/coordinator/runs/{run_id}/rerun")
    new_id = rerun.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        new = _run(app, new_id)
        assert new.parameters == _run(app, run_id).parameters
        assert {(p["youth"], p["opening"]) for p in new.problem["forbidden"]} == {
            (world.other_youth, world.opening)
        }
        assert all(p.opening.public_id != world.opening for p in new.proposals)
    assert client.post(f"/coordinator/proposals/{proposal_id}/pin").status_code == 302
    pinned = client.post(f"/coordinator/runs/{new_id}/rerun").headers["Location"]
    with app.app_context():
        run = _run(app, pinned.rsplit("/", 1)[1])
        assert [(p.youth.public_id, p.opening.public_id) for p in run.proposals] == [
            (world.other_youth, world.opening)
        ]
        assert run.proposals[0].reasons["pinned"] is True
    assert client.post(f"/coordinator/proposals/{proposal_id}/clear").status_code == 302
    with app.app_context():
        assert count(PairRule) == 0


def test_confirm_accept_and_the_timeline(world: World, app: Flask) -> None:
    run_id, proposal_id = solved_run(world, send=False)
    with app.app_context():
        emil = one(Youth, Youth.public_id == world.other_youth)
        emil.availability.append(AvailabilityWindow(day_index=5, start_min=600, end_min=720))
        db.session.commit()
    coordinator_client = world.client_for("coordinator")
    with app.app_context():
        outbox = count(OutboxMessage)
    response = coordinator_client.post(f"/coordinator/proposals/{proposal_id}/confirm")
    assert response.status_code == 302
    with app.app_context():
        proposal = one(Proposal, Proposal.public_id == proposal_id)
        assert proposal.status == "sent"
        assert proposal.opening.filled == 2  # Amira's job and this proposal
        assert count(OutboxMessage) > outbox  # the employer is told
        outbox = count(OutboxMessage)
    again = coordinator_client.post(f"/coordinator/proposals/{proposal_id}/confirm")
    assert again.status_code == 302
    employer = world.client_for("employer")
    index = employer.get("/employer/").get_data(as_text=True)
    assert f"/employer/proposals/{proposal_id}" in index
    opening_page = employer.get(f"/employer/openings/{world.opening}").get_data(as_text=True)
    assert f"/employer/proposals/{proposal_id}" in opening_page  # where the email links to
    page = employer.get(f"/employer/proposals/{proposal_id}").get_data(as_text=True)
    assert "Emil" in page
    assert "Jensen" not in page
    assert "emil@youth.example" not in page
    assert "Secret coordinator note" not in page
    assert "15:00–19:00" in page  # Tuesday, the job's day
    assert "10:00–12:00" not in page  # Saturday: no shift then
    assert (
        world.client_for("other_employer").get(f"/employer/proposals/{proposal_id}").status_code
        == 404
    )
    bad = employer.post(
        f"/employer/proposals/{proposal_id}/accept", data={"accept-start_date": ""}
    )
    assert bad.status_code == 422
    first_day = next_weekday(on_or_after=NEXT_WEEK + dt.timedelta(days=1))  # not the run's start
    response = employer.post(
        f"/employer/proposals/{proposal_id}/accept",
        data={"accept-start_date": first_day.isoformat()},
    )
    assert response.status_code == 302
    with app.app_context():
        placement = one(Placement, Placement.start_date == first_day)
        assert placement.status == "confirmed"
        assert placement.opening.filled == 2  # the proposal's seat became the placement's
        assert count(OutboxMessage) > outbox  # the youth, a parent and the counsellor
        kinds = list(
            db.session.scalars(
                select(TimelineEvent.kind)
                .where(TimelineEvent.youth_id == placement.youth_id)
                .order_by(TimelineEvent.id)
            )
        )
        assert kinds == ["proposed", "placed"]
    timeline = coordinator_client.get(f"/coordinator/youths/{world.other_youth}")
    assert "Foreslået til arbejdsgiveren" in timeline.get_data(as_text=True)
    # A re-run keeps the new placement: nothing more to propose for Emil there.
    rerun = coordinator_client.post(f"/coordinator/runs/{run_id}/rerun").headers["Location"]
    with app.app_context():
        run = _run(app, rerun.rsplit("/", 1)[1])
        assert run.proposals == []
        assert {f["youth"] for f in run.problem["fixed"]} == {world.youth, world.other_youth}


def test_a_sent_proposal_is_kept_by_the_next_run(world: World, app: Flask) -> None:
    run_id, _proposal_id = solved_run(world)
    client = world.client_for("coordinator")
    rerun = client.post(f"/coordinator/runs/{run_id}/rerun").headers["Location"]
    with app.app_context():
        run = _run(app, rerun.rsplit("/", 1)[1])
        assert (world.other_youth, world.opening) in {
            (f["youth"], f["opening"]) for f in run.problem["fixed"]
        }
        assert run.proposals == []


def test_a_declined_candidate_frees_the_position_and_is_not_proposed_again(
    world: World, app: Flask
) -> None:
    run_id, proposal_id = solved_run(world)
    employer = world.client_for("employer")
    empty = employer.post(f"/employer/proposals/{proposal_id}/decline", data={})
    assert empty.status_code == 422
    response = employer.post(
        f"/employer/proposals/{proposal_id}/decline",
        data={"decline-reason": "Vi mangler en med kørekort"},
    )
    assert response.status_code == 302
    with app.app_context():
        proposal = one(Proposal, Proposal.public_id == proposal_id)
        assert proposal.status == "declined"
        assert proposal.opening.filled == 1
        rule = db.session.scalar(select(PairRule))
        assert rule is not None
        assert rule.rule == "forbid"
        assert rule.reason == "Vi mangler en med kørekort"
        assert rule.created_by_id is None
    answered = employer.post(
        f"/employer/proposals/{proposal_id}/accept",
        data={"accept-start_date": NEXT_WEEK.isoformat()},
    )
    assert answered.status_code == 302
    client = world.client_for("coordinator")
    rerun = client.post(f"/coordinator/runs/{run_id}/rerun").headers["Location"]
    with app.app_context():
        run = _run(app, rerun.rsplit("/", 1)[1])
        assert all(p.opening.public_id != world.opening for p in run.proposals)
        assert count(Placement) == 1


def test_withdrawing_a_sent_proposal_frees_its_position(world: World, app: Flask) -> None:
    _run_id, proposal_id = solved_run(world)
    client = world.client_for("coordinator")
    assert client.post(f"/coordinator/proposals/{proposal_id}/withdraw").status_code == 302
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        assert opening.filled == 1


def test_the_database_refuses_an_overfilled_opening(world: World, app: Flask) -> None:
    with app.test_request_context():
        overfill = update(Opening).values(filled=Opening.positions + 1)
        with pytest.raises(IntegrityError):
            db.session.execute(overfill)
        db.session.rollback()
        opening = one(Opening, Opening.public_id == world.opening)
        seats.take(opening)  # the second of two positions
        with pytest.raises(InvalidStateError):
            seats.take(opening)
        db.session.rollback()


def test_confirming_the_last_position_twice_gives_it_once(world: World, app: Flask) -> None:
    """Two proposals for the last position, confirmed by two coordinators at the same time."""
    run_id, first = solved_run(world, send=False)
    with app.app_context():
        proposal = one(Proposal, Proposal.public_id == first)
        sara = YouthFactory(first_name="Sara", last_name="Nielsen")
        twin = Proposal(run_id=proposal.run_id, youth_id=sara.id, opening_id=proposal.opening_id)
        db.session.add(twin)
        db.session.commit()
        ids = [proposal.id, twin.id]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(proposal_id: int) -> None:
        with app.test_request_context():
            row = db.session.get(Proposal, proposal_id)
            assert row is not None
            row.youth, row.opening  # noqa: B018 - loaded before the race
            barrier.wait()
            try:
                proposals.confirm(world.user("coordinator"), row)
            except InvalidStateError:
                outcomes.append("refused")
            else:
                outcomes.append("sent")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "sent"]
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        assert opening.filled == opening.positions == 2
        # The refused confirmation left its proposal as it was.
        assert sorted(p.status for p in _run(app, run_id).proposals) == ["proposed", "sent"]


def test_the_worker_thread_solves_outside_the_request(
    world: World, make_app: Callable[..., Flask]
) -> None:
    threaded = make_app(MATCH_RUNS_SYNC=False)
    client = signed_in(threaded, world.coordinator)
    response = client.post("/coordinator/runs", data=_form())
    run_id = response.headers["Location"].rsplit("/", 1)[1]
    deadline = time.monotonic() + 30
    status = "pending"
    while time.monotonic() < deadline:
        page = client.get(f"/coordinator/runs/{run_id}").get_data(as_text=True)
        with threaded.app_context():
            status = _run(threaded, run_id).status
        if status in ("done", "failed"):
            break
        assert 'http-equiv="refresh"' in page
        time.sleep(0.05)
    assert status == "done"
    threaded.extensions["jobmatch_worker"].shutdown()
    with threaded.app_context():
        assert [p.youth.public_id for p in _run(threaded, run_id).proposals] == [world.other_youth]


def _world_placement(app: Flask, world: World) -> Placement:
    placement = db.session.get(Placement, world.placement_id)
    assert placement is not None
    return placement


def test_first_days_list_placements_with_steps_missing(world: World, app: Flask) -> None:
    with app.app_context():
        _world_placement(app, world).start_date = NEXT_WEEK
        db.session.commit()
    page = world.client_for("coordinator").get("/coordinator/placements")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Amira Hassan" in text
    assert "NemKonto" in text
    with app.app_context():
        _world_placement(app, world).start_date = NEXT_WEEK + dt.timedelta(days=60)
        db.session.commit()
    later = world.client_for("coordinator").get("/coordinator/placements")
    assert "Amira Hassan" not in later.get_data(as_text=True)


def test_placements_start_on_their_first_day(world: World, app: Flask) -> None:
    with app.app_context():
        placement = _world_placement(app, world)
        placement.start_date = board_day.today()
        for kind in onboarding.step_kinds():  # the steps the job needs are done
            db.session.add(OnboardingStep(youth=placement.youth, kind=kind, status="done"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["start-placements"])
    assert "Started 1 placements." in result.output
    with app.app_context():
        placement = _world_placement(app, world)
        assert placement.status == "started"
        assert db.session.scalar(select(TimelineEvent.kind).where(TimelineEvent.kind == "started"))


def test_the_employer_gives_feedback_at_four_weeks(world: World, app: Flask) -> None:
    url = f"/employer/openings/{world.opening}/placements/{world.placement_id}/feedback"
    employer = world.client_for("employer")
    early = employer.post(url, data={f"feedback{world.placement_id}-text": "Fint"})
    assert early.status_code == 302
    with app.app_context():
        assert _world_placement(app, world).employer_feedback == ""
        placement = _world_placement(app, world)
        placement.status = "started"
        placement.start_date = board_day.today() - dt.timedelta(days=30)
        db.session.commit()
    page = employer.get(f"/employer/openings/{world.opening}").get_data(as_text=True)
    assert "Hvordan går det?" in page
    empty = employer.post(url, data={})
    assert empty.status_code == 422
    done = employer.post(url, data={f"feedback{world.placement_id}-text": "Mødestabil og glad"})
    assert done.status_code == 302
    assert world.client_for("other_employer").post(url, data={}).status_code == 404
    with app.app_context():
        assert _world_placement(app, world).employer_feedback == "Mødestabil og glad"
        event = one(TimelineEvent, TimelineEvent.kind == "feedback")
        assert event.text == "Mødestabil og glad"
    counsellor = world.client_for("counsellor").get(f"/counsellor/youths/{world.youth}")
    assert "Mødestabil og glad" in counsellor.get_data(as_text=True)


def test_ending_a_placement_or_erasing_a_youth_frees_the_seats(world: World, app: Flask) -> None:
    _run_id, _proposal_id = solved_run(world)  # Emil's proposal holds the second seat
    client = world.client_for("coordinator")
    prefix = f"end{world.placement_id}"
    response = client.post(
        f"/coordinator/youths/{world.youth}/placements/{world.placement_id}/end",
        data={f"{prefix}-on": board_day.today().isoformat(), f"{prefix}-reason": "education"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert _world_placement(app, world).status == "ended"
        opening = one(Opening, Opening.public_id == world.opening)
        assert opening.filled == 1
    client.post(f"/coordinator/youths/{world.other_youth}/archive")
    assert client.post(f"/coordinator/youths/{world.other_youth}/erase").status_code == 302
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        assert opening.filled == 0


def test_an_opening_cannot_shrink_below_its_taken_positions(world: World, app: Flask) -> None:
    _run_id, _proposal_id = solved_run(world)
    with app.test_request_context():
        from webapp.services import openings

        opening = openings.get_opening(world.opening)
        data = openings.OpeningData(
            title=opening.title,
            category=opening.category,
            positions=1,
            shifts=[(1, 16 * 60, 18 * 60)],
        )
        with pytest.raises(InvalidStateError) as refused:
            openings.update_opening(opening, data)
        assert refused.value.field == "positions"


def test_a_job_that_no_longer_fits_is_set_aside_not_a_failed_run(world: World, app: Flask) -> None:
    with app.app_context():
        amira = one(Youth, Youth.public_id == world.youth)
        amira.availability[0].day_index = 2  # Wednesdays now; the job is on Tuesdays
        db.session.commit()
    run_id = _start(world)
    page = world.client_for("coordinator").get(f"/coordinator/runs/{run_id}")
    text = page.get_data(as_text=True)
    warning = text[text.index('id="set-aside"') :][:1000]
    assert "Job, den unge ikke længere kan have" in warning
    assert "Amira — Kasseassistent: Tirsdag 16:00-18:00 ligger uden for de tider" in warning
    assert "regler" not in warning  # her availability, not the law
    with app.app_context():
        run = _run(app, run_id)
        assert run.status == "done"
        assert run.problem["fixed"] == []
        assert [p["youth"] for p in run.parameters["set_aside"]] == [world.youth]
        kasse = next(o for o in run.problem["openings"] if o["id"] == world.opening)
        assert kasse["positions"] == 1  # Amira's position stays taken
    assert "Amira Hassan" not in text.split("Ikke placeret, og hvorfor")[1]


def _error_beside(page: str, field_id: str) -> str:
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', page, re.S)
    assert match, f"no error element for {field_id}"
    return html.unescape(match.group(1))


BAD_FORMS = [
    (
        "/coordinator/runs",
        {"start_date": "2026-02-30", "period": "auto", "time_limit_s": "0", "method": "optimal"},
        {"start_date": "Ikke en gyldig dato.", "time_limit_s": "Mellem 1 og 600."},
    ),
    (
        "/coordinator/runs",
        {"start_date": NEXT_WEEK.isoformat(), "period": "leap", "time_limit_s": "5"},
        {"period": "Ikke et gyldigt valg."},
    ),
    (
        "/coordinator/holidays",
        {
            "holiday-municipality": "Herning",
            "holiday-name": "Vinterferie",
            "holiday-first_day": NEXT_WEEK.isoformat(),
            "holiday-last_day": (NEXT_WEEK - dt.timedelta(days=3)).isoformat(),
        },
        {"holiday-last_day": "Den sidste dag må ikke ligge før den første."},
    ),
    (
        "/coordinator/holidays/areas",
        {"area-area": "", "area-municipality": " "},
        {"area-municipality": "Udfyld venligst dette felt."},
    ),
]


@pytest.mark.parametrize(("url", "data", "errors"), BAD_FORMS)
def test_bad_matching_input_is_refused_beside_the_field(
    world: World, app: Flask, url: str, data: dict[str, str], errors: dict[str, str]
) -> None:
    response = world.client_for("coordinator").post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field_id, message in errors.items():
        assert message in _error_beside(page, field_id)
    with app.app_context():
        assert count(MatchRun) == 0
        assert count(SchoolHoliday) == 0


def test_bad_answers_of_the_employer_are_refused_beside_the_field(
    world: World, app: Flask
) -> None:
    _run_id, proposal_id = solved_run(world)
    employer = world.client_for("employer")
    accept = employer.post(
        f"/employer/proposals/{proposal_id}/accept", data={"accept-start_date": "i morgen"}
    )
    assert accept.status_code == 422
    assert "Ikke en gyldig dato." in _error_beside(
        accept.get_data(as_text=True), "accept-start_date"
    )
    decline = employer.post(
        f"/employer/proposals/{proposal_id}/decline", data={"decline-reason": "x" * 501}
    )
    assert decline.status_code == 422
    assert "Højst 500 tegn." in _error_beside(decline.get_data(as_text=True), "decline-reason")
    with app.app_context():
        assert count(Placement) == 1
        assert count(PairRule) == 0


def test_flask_match_runs_and_prints_the_figures(world: World, app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["match", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "placed 2, new proposals 1, unplaced 0" in result.output
    stable = app.test_cli_runner().invoke(args=["match", "--method", "stable"])
    assert "Price of stability" in stable.output
    with app.app_context():
        assert count(MatchRun) == 2


def test_a_run_stalled_long_after_its_limit_can_be_run_again(world: World, app: Flask) -> None:
    with app.app_context():
        run = MatchRun(
            status="running",
            start_date=NEXT_WEEK,
            parameters={"start_date": NEXT_WEEK.isoformat(), "time_limit_s": 5.0},
            created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        )
        db.session.add(run)
        db.session.commit()
        run_id = run.public_id
    page = world.client_for("coordinator").get(f"/coordinator/runs/{run_id}")
    text = page.get_data(as_text=True)
    assert "serveren er måske genstartet" in text
    assert 'http-equiv="refresh"' not in text
    assert f"/coordinator/runs/{run_id}/rerun" in text


def test_a_sent_proposal_outside_the_chosen_areas_still_holds_its_position(
    world: World, app: Flask
) -> None:
    _run_id, _proposal_id = solved_run(world)  # Emil (no area) at Kasseassistent
    with app.app_context():
        from webapp.models import Area

        area_id = db.session.scalar(select(Area.id))
    run_id = _start(world, areas=str(area_id))
    with app.app_context():
        run = _run(app, run_id)
        assert world.other_youth not in {y["id"] for y in run.problem["youths"]}
        kasse = next(o for o in run.problem["openings"] if o["id"] == world.opening)
        assert kasse["positions"] == 1  # Amira's job; Emil's proposal holds the other
        assert run.proposals == []


def test_a_run_stored_under_other_rules_shows_its_proposals_and_asks_for_a_rerun(
    world: World, app: Flask
) -> None:
    run_id, proposal_id = solved_run(world, send=False)
    with app.app_context():
        run = _run(app, run_id)
        # As if an earlier library, before runs kept their outcome, had placed a pair this
        # one finds ineligible.
        stored = dict(run.solution)
        stored["assignments"] = [
            {**a, "opening": "no-such-opening"} for a in stored["assignments"]
        ]
        run.solution = stored
        run.figures = None
        db.session.commit()
    response = world.client_for("coordinator").get(f"/coordinator/runs/{run_id}")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "Kørslen blev lavet efter en tidligere udgave af reglerne" in page
    assert f"/coordinator/proposals/{proposal_id}/confirm" in page
    assert "Every youth in the run is placed" not in page
    assert f"/coordinator/runs/{run_id}/rerun" in page


def test_a_ruled_out_pair_cannot_be_sent_even_by_a_stale_page(world: World, app: Flask) -> None:
    _run_id, proposal_id = solved_run(world, send=False)
    client = world.client_for("coordinator")
    assert client.post(f"/coordinator/proposals/{proposal_id}/forbid").status_code == 302
    with app.app_context():
        outbox = count(OutboxMessage)
        filled = db.session.scalar(
            select(Opening.filled).where(Opening.public_id == world.opening)
        )
    response = client.post(f"/coordinator/proposals/{proposal_id}/confirm", follow_redirects=True)
    assert "Parret er udelukket" in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        proposal = db.session.scalar(select(Proposal).where(Proposal.public_id == proposal_id))
        assert proposal is not None
        assert proposal.status == "proposed"
        assert count(OutboxMessage) == outbox
        assert proposal.opening.filled == filled
    assert client.post(f"/coordinator/proposals/{proposal_id}/clear").status_code == 302
    assert client.post(f"/coordinator/proposals/{proposal_id}/confirm").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(Proposal.status).where(Proposal.public_id == proposal_id))
            == "sent"
        )
