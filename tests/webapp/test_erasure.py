"""Erasing a youth: every copy of the personal data goes, the dashboard's past figures stay."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

import jobmatch
from tests.factories import (
    NEXT_WEEK,
    OpeningFactory,
    PlacementFactory,
    World,
    YouthFactory,
    next_weekday,
    one,
    solved_run,
)
from webapp.extensions import db
from webapp.models import (
    MatchRun,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    OutboxMessage,
    Placement,
    Proposal,
    TimelineEvent,
    WhatIf,
    Youth,
    YouthStatus,
)
from webapp.models.staff_sessions import StaffSession
from webapp.services import outbox, run_documents, run_erasure, statistics, youth_rights
from webapp.services.statistics import Figures, Period
from webapp.ui import board_day

TODAY = board_day.today()
EMIL = ("Emil", "Jensen", "emil@youth.example", "parent-emil@youth.example", "Parent of Emil")


def _ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def _history(app: Flask, world: World) -> None:
    """Emil's past: registered two years ago, a lommepengejob, then a fritidsjob, education."""
    with app.app_context():
        emil = one(Youth, Youth.public_id == world.other_youth)
        emil.created_at = dt.datetime.combine(_ago(730), dt.time(12), tzinfo=dt.UTC)
        lomme = OpeningFactory(title="Trappevask", kind="lommepengejob")
        PlacementFactory(
            youth=emil, opening=lomme, status="ended", start_date=_ago(600), end_date=_ago(500)
        )
        PlacementFactory(
            youth=emil, opening=OpeningFactory(), status="started", start_date=_ago(90)
        )
        kind = db.session.scalars(select(OnboardingStepKind)).first()
        assert kind is not None
        db.session.add(
            OnboardingStep(
                youth=emil, kind=kind, status="done", done_on=_ago(610), note="MitID ok"
            )
        )
        for kind_name, code, days in (
            ("milestone", "started_education", 300),
            ("external_job", "", 400),
        ):
            db.session.add(
                TimelineEvent(
                    youth=emil,
                    kind=kind_name,
                    code=code,
                    occurred_on=_ago(days),
                    text="Emil's note",
                )
            )
        db.session.add(TimelineEvent(youth=emil, kind="note", text="Emil Jensen is shy"))
        db.session.commit()


def _proposed_and_placed(app: Flask, world: World, tmp_path: Path) -> str:
    """A run proposes Emil; the employer takes him; the emails are written to `tmp_path`."""
    run, proposal = solved_run(world)
    first_day = next_weekday(on_or_after=NEXT_WEEK + dt.timedelta(days=1))
    response = world.client_for("employer").post(
        f"/employer/proposals/{proposal}/accept", data={"accept-start_date": first_day.isoformat()}
    )
    assert response.status_code == 302
    with app.app_context():
        db.session.add(
            WhatIf(
                run_id=one(MatchRun, MatchRun.public_id == run).id,
                youth_id=one(Youth, Youth.public_id == world.other_youth).id,
            )
        )
        db.session.commit()
        assert outbox.send_pending().sent >= 3
        sms = OutboxMessage(
            channel="sms",
            recipient="+4530303030",  # the parent's phone, which the factories' youths share
            subject="",
            template="first_day_today",
            body_text="Emil starter i dag kl. 16",
            status="sent",
        )
        db.session.add(sms)
        db.session.commit()
        (tmp_path / f"{sms.id:06d}-first_day_today.sms.txt").write_text("To: +4530303030")
    return run


PERIODS = [
    (_ago(760), _ago(1)),
    (_ago(700), _ago(400)),
    (_ago(365), _ago(1)),
    (_ago(120), _ago(30)),
]


OPEN_NOW = "Ledige pladser nu"  # the one figure of today, not of the period: erasure frees seats


def _past(figures: Figures) -> Figures:
    return dataclasses.replace(figures, open_positions=0)


def _dashboard(world: World) -> list[object]:
    """Every figure of the dashboard for the past periods: its CSV and the report behind it."""
    coordinator = world.client_for("coordinator")
    found: list[object] = []
    for start, end in PERIODS:
        response = coordinator.get(f"/coordinator/dashboard.csv?from={start}&to={end}")
        assert response.status_code == 200
        lines = response.get_data(as_text=True).splitlines()
        found.append([line for line in lines if OPEN_NOW not in line])
        with world.app.app_context():
            report = statistics.report(Period(start, end))
            by_area = {area: _past(f) for area, f in report.by_area.items()}
            found.append((_past(report.total), by_area, report.months))
    return found


@pytest.fixture
def mail_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    return tmp_path


def _erase(world: World, public_id: str) -> None:
    coordinator = world.client_for("coordinator")
    assert coordinator.post(f"/coordinator/youths/{public_id}/archive").status_code == 302
    response = coordinator.post(f"/coordinator/youths/{public_id}/erase", follow_redirects=True)
    assert response.status_code == 200
    assert "kun unavngivne tal er tilbage" in response.get_data(as_text=True)


def test_erasing_removes_every_copy_and_keeps_the_past_figures(
    world: World, app: Flask, mail_folder: Path
) -> None:
    run = _proposed_and_placed(app, world, mail_folder)
    _history(app, world)
    before = _dashboard(world)
    with app.app_context():
        written = {p.name for p in mail_folder.iterdir()}
        about_emil = [
            m.id
            for m in db.session.scalars(select(OutboxMessage))
            if "Emil" in m.body_text or "emil@" in m.recipient
        ]
        assert len(about_emil) >= 3  # the youth, the parent, the counsellor
        run_row = one(MatchRun, MatchRun.public_id == run)
        assert world.other_youth in json.dumps(run_row.problem)
        run_documents.loaded(run_row)  # in this process's cache now

    _erase(world, world.other_youth)

    assert _dashboard(world) == before
    with app.app_context():
        assert db.session.scalar(select(Youth).where(Youth.public_id == world.other_youth)) is None
        left = one(Youth, Youth.status == YouthStatus.ANONYMISED)
        assert (left.first_name, left.last_name, left.email, left.parent_email, left.notes) == (
            "",
            "",
            "",
            "",
            "",
        )
        assert (left.phone, left.parent_phone, left.address, left.lat, left.counsellor_id) == (
            "",
            "",
            "",
            None,
            None,
        )
        assert left.birth_date == youth_rights.NO_BIRTH_DATE
        assert (left.availability, left.languages, left.interests) == ([], [], [])
        # Nothing anywhere holds a name, an address or the old public id.
        for model in (OutboxMessage, MatchRun, Proposal, TimelineEvent, Placement, OnboardingStep):
            for row in db.session.scalars(select(model)):
                text = json.dumps(
                    {c.name: str(getattr(row, c.key)) for c in model.__table__.columns}
                )
                for mark in (*EMIL, world.other_youth, "Emil's note", "MitID ok", "shy"):
                    assert mark not in text, (model.__name__, mark)
        assert (
            db.session.scalar(
                select(func.count()).select_from(Proposal).where(Proposal.youth_id == left.id)
            )
            == 0
        )
        assert db.session.scalar(select(func.count()).select_from(WhatIf)) == 0
        # The mail files of the erased messages are gone, the others stay.
        files = {p.name for p in mail_folder.iterdir()}
        assert all(not name.startswith(f"{i:06d}-") for i in about_emil for name in files)
        assert files == {
            n for n in written if not any(n.startswith(f"{i:06d}-") for i in about_emil)
        }
        assert files  # the employer's message names no youth: it stays
        # The run still reads, without Emil, also from a process that had it cached.
        run_row = one(MatchRun, MatchRun.public_id == run)
        problem = jobmatch.load(run_row.problem)
        jobmatch.load_solution(run_row.solution, problem)
        documents = run_documents.loaded(run_row)
        assert documents is not None
        assert world.other_youth not in {y.id for y in documents[0].youths}
        # What the figures count stays: placements' days, the step's day, the milestones.
        assert sorted(p.start_date for p in left.placements if p.start_date) == [
            _ago(600),
            _ago(90),
        ]
        assert all(p.status == "ended" for p in left.placements)
        assert [(e.kind, e.code, e.text) for e in left.events] == [
            ("milestone", "started_education", ""),
            ("external_job", "", ""),
        ]
    page = world.client_for("coordinator").get(f"/coordinator/runs/{run}")
    assert page.status_code == 200
    assert "Emil" not in page.get_data(as_text=True)


def test_erasing_twice_at_once_erases_once(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    coordinator.post(f"/coordinator/youths/{world.other_youth}/archive")
    clients = [world.client_for("coordinator") for _ in range(2)]
    codes: list[int] = []

    def erase(client: object) -> None:
        codes.append(client.post(f"/coordinator/youths/{world.other_youth}/erase").status_code)  # type: ignore[attr-defined]

    threads = [threading.Thread(target=erase, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) in ([302, 302], [302, 404])
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).where(Youth.status == YouthStatus.ANONYMISED))
            == 1
        )


def test_only_an_archived_youth_is_erased_and_an_erased_one_is_gone(
    world: World, app: Flask
) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(f"/coordinator/youths/{world.youth}/erase", follow_redirects=True)
    assert "Kun en arkiveret ung kan slettes" in response.get_data(as_text=True)
    with app.app_context():
        assert one(Youth, Youth.public_id == world.youth).first_name == "Amira"
    _erase(world, world.youth)
    assert coordinator.get(f"/coordinator/youths/{world.youth}").status_code == 404
    with app.app_context():
        hidden = one(Youth, Youth.status == YouthStatus.ANONYMISED).public_id
    assert coordinator.get(f"/coordinator/youths/{hidden}").status_code == 404
    listed = coordinator.get("/coordinator/youths?status=anonymised").get_data(as_text=True)
    assert hidden not in listed


def test_a_shared_parent_address_keeps_the_sibling_s_messages(world: World, app: Flask) -> None:
    with app.app_context():
        sibling = YouthFactory(
            first_name="Sara", last_name="Jensen", parent_email="parent-emil@youth.example"
        )
        emil = one(Youth, Youth.public_id == world.other_youth)
        for name in ("Emil", "Sara"):
            db.session.add(
                OutboxMessage(
                    recipient="parent-emil@youth.example",
                    subject="Besked",
                    template="placement_parent",
                    body_text=f"{name} har fået et job",
                )
            )
        db.session.add(
            OutboxMessage(
                recipient="parent-emil@youth.example",
                subject="Besked",
                template="placement_parent",
                body_text=f"Se mere: http://127.0.0.1:5000/me/{emil.public_id}",
            )
        )
        db.session.commit()
        sibling_id, emil_id = sibling.public_id, emil.public_id
    _erase(world, emil_id)
    with app.app_context():
        left = [m.body_text for m in db.session.scalars(select(OutboxMessage))]
        assert left == ["Sara har fået et job"]
        assert (
            one(Youth, Youth.public_id == sibling_id).parent_email == "parent-emil@youth.example"
        )


def test_the_opening_page_names_no_erased_youth(world: World, app: Flask) -> None:
    with app.app_context():
        emil = one(Youth, Youth.public_id == world.other_youth)
        opening = one(Opening, Opening.public_id == world.other_opening)
        PlacementFactory(youth=emil, opening=opening, status="started", start_date=_ago(30))
        db.session.commit()
    _erase(world, world.other_youth)
    page = world.client_for("coordinator").get(f"/coordinator/openings/{world.other_opening}")
    text = page.get_data(as_text=True)
    assert "En ung, hvis data er slettet — Afsluttet" in text
    assert "Emil" not in text


def test_a_search_for_the_erased_youth_is_forgotten(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    coordinator.post("/coordinator/youths", data={"q": "jensen"})
    other = world.client_for("coordinator")
    other.post("/coordinator/youths", data={"q": "Amira"})
    with app.app_context():
        assert sorted(db.session.scalars(select(StaffSession.youth_search))) == [
            "Amira",
            "jensen",
        ]
    _erase(world, world.other_youth)
    with app.app_context():
        kept = [s for s in db.session.scalars(select(StaffSession.youth_search)) if s]
        assert kept == ["Amira"]


def test_a_sentence_naming_the_youth_keeps_no_id() -> None:
    unplaced = {
        "youth": "other",
        "reasons": [
            {
                "code": "positions_taken",
                "detail": "eligible (score 3), but the 1 position(s) went to -x_Y1 (priority 1)",
            }
        ],
    }
    cleaned = run_erasure.without({"unmatched": [unplaced], "buddies": ["-x_Y1"]}, "-x_Y1")
    assert cleaned == {
        "unmatched": [
            {
                "youth": "other",
                "reasons": [
                    {
                        "code": "positions_taken",
                        "detail": "eligible (score 3), but the 1 position(s) went to "
                        "(erased) (priority 1)",
                    }
                ],
            }
        ],
        "buddies": [],
    }
