"""The status, role and timeline codes: StrEnums that are labelled, checked and stored as text."""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from tests.factories import YouthFactory
from webapp.demo import DATA, DemoDataError
from webapp.demo.loader import load
from webapp.extensions import db
from webapp.models import (
    EmployerStatus,
    EventKind,
    OpeningStatus,
    PlacementStatus,
    ProposalStatus,
    Role,
    RunStatus,
    StepStatus,
    Youth,
    YouthSource,
    YouthStatus,
)
from webapp.ui import vocabulary


def test_the_database_refuses_a_status_outside_its_enum(app: Flask) -> None:
    with app.app_context():
        youth = YouthFactory()
        db.session.commit()
        for status in YouthStatus:
            db.session.execute(update(Youth).where(Youth.id == youth.id).values(status=status))
        with pytest.raises(IntegrityError):
            db.session.execute(update(Youth).where(Youth.id == youth.id).values(status="aktiv"))
        db.session.rollback()


@pytest.mark.parametrize(
    ("codes", "labels"),
    [
        (Role, vocabulary.ROLE_LABELS),
        (EmployerStatus, vocabulary.STATUS_LABELS),
        (OpeningStatus, vocabulary.STATUS_LABELS),
        (YouthStatus, vocabulary.STATUS_LABELS),
        (PlacementStatus, vocabulary.STATUS_LABELS),
        (StepStatus, vocabulary.STEP_STATUS_LABELS),
        (RunStatus, vocabulary.RUN_STATUS_LABELS),
        (ProposalStatus, vocabulary.PROPOSAL_STATUS_LABELS),
        (EventKind, vocabulary.EVENT_LABELS),
    ],
)
def test_every_code_has_a_label(codes: type[StrEnum], labels: dict[str, object]) -> None:
    assert [c for c in codes if c not in labels] == []


def test_a_status_is_stored_and_read_back_as_its_text(app: Flask) -> None:
    with app.app_context():
        youth = YouthFactory(status=YouthStatus.ARCHIVED)
        db.session.commit()
        db.session.expire_all()
        stored = db.session.scalar(select(Youth.status).where(Youth.id == youth.id))
        assert type(stored) is str
        assert stored == "archived" == YouthStatus.ARCHIVED
        assert db.session.get_one(Youth, youth.id).status == YouthStatus.ARCHIVED


def test_templates_see_the_enums(app: Flask) -> None:
    for codes in (Role, OpeningStatus, YouthStatus, ProposalStatus, RunStatus, EventKind):
        assert app.jinja_env.globals[codes.__name__] is codes
    rendered = app.jinja_env.from_string(
        "{{ 'held' if status in ACTIVE_PLACEMENTS }}/{{ ProposalStatus.SENT }}"
    ).render(status="started")
    assert rendered == "held/sent"


def test_the_demo_files_give_members() -> None:
    world = load()
    assert {type(y.status) for y in world.youths} == {YouthStatus}
    assert {type(y.source) for y in world.youths} == {YouthSource}
    assert {type(a.role) for a in world.accounts} == {Role}
    assert {type(p.status) for p in world.placements} == {PlacementStatus}
    assert {type(o.status) for o in world.openings} == {OpeningStatus}


def test_a_status_outside_its_enum_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    path = folder / "placements.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('status = "started"', 'status = "begun"', 1), encoding="utf-8")
    with pytest.raises(DemoDataError) as raised:
        load(folder)
    assert str(raised.value).endswith(
        "field 'status': must be one of confirmed, started, ended; got 'begun'"
    )
