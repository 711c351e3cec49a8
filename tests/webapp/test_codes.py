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
from webapp import models
from webapp.demo import DATA, DemoDataError
from webapp.demo.loader import load
from webapp.extensions import db
from webapp.models import OutboxStatus, Youth, YouthStatus
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
        (models.Role, vocabulary.ROLE_LABELS),
        (models.EmployerStatus, vocabulary.STATUS_LABELS),
        (models.OpeningStatus, vocabulary.STATUS_LABELS),
        (models.YouthStatus, vocabulary.STATUS_LABELS),
        (models.PlacementStatus, vocabulary.STATUS_LABELS),
        (models.StepStatus, vocabulary.STEP_STATUS_LABELS),
        (models.RunStatus, vocabulary.RUN_STATUS_LABELS),
        (models.ProposalStatus, vocabulary.PROPOSAL_STATUS_LABELS),
        (models.EventKind, vocabulary.EVENT_LABELS),
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


def test_templates_see_every_code_but_the_outbox_s(app: Flask) -> None:
    """Every StrEnum of the models is a template global, found from the models, not listed."""
    codes = {
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
    }
    hidden = {c for c in codes if app.jinja_env.globals.get(c.__name__) is not c}
    assert hidden == {OutboxStatus}  # no page shows the outbox
    rendered = app.jinja_env.from_string(
        "{{ 'held' if status in ACTIVE_PLACEMENTS }}/{{ ProposalStatus.SENT }}"
    ).render(status="started")
    assert rendered == "held/sent"


def test_the_demo_files_give_members() -> None:
    world = load()
    assert {type(y.status) for y in world.youths} == {YouthStatus}
    assert {type(y.source) for y in world.youths} == {models.YouthSource}
    assert {type(a.role) for a in world.accounts} == {models.Role}
    assert {type(p.status) for p in world.placements} == {models.PlacementStatus}
    assert {type(o.status) for o in world.openings} == {models.OpeningStatus}


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
