"""The demo world: its data files, their checks, and the rows seeding makes from them."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from webapp.demo import DEMO_ACCOUNTS, DemoDataError, is_empty, seed
from webapp.demo.loader import DATA, load
from webapp.extensions import db
from webapp.models import (
    ACTIVE_PLACEMENTS,
    Area,
    MatchRun,
    Opening,
    Placement,
    PlacementStatus,
    RunStatus,
    User,
    Youth,
)
from webapp.services import accounts
from webapp.services.placement_guard import placement_codes
from webapp.ui import board_day

DAY = dt.date(2025, 5, 15)
# Rows named by what the data files name them by, so that snapshots need no ids.
NATURAL_KEYS = {
    "area": "name",
    "employer": "name",
    "user": "email",
    "youth": "email",
    "opening": "title",
    "onboarding_step_kind": "code",
}
# The audit trail names its subjects by public id, random as the rows' own.
LEFT_OUT = {
    "id",
    "public_id",
    "password_hash",
    "actor_public_id",
    "youth_public_id",
    "user_public_id",
}


def _snapshot(since: dt.datetime) -> dict[str, list[str]]:
    """Every table's rows without ids, foreign keys as natural keys, sorted.

    Times from `since` on (set by the clock, not by the demo) read ``<now>``.
    """
    tables = db.metadata.sorted_tables
    rows = {t.name: [dict(r._mapping) for r in db.session.execute(select(t))] for t in tables}
    names = {
        (table, row["id"]): row[key] for table, key in NATURAL_KEYS.items() for row in rows[table]
    }

    def plain(table: Any, row: dict[str, Any]) -> str:
        values: dict[str, Any] = {}
        for column in table.columns:
            value = row[column.name]
            if column.name in LEFT_OUT:
                continue
            if column.foreign_keys and value is not None:
                target = next(iter(column.foreign_keys)).column.table.name
                value = names.get((target, value), f"{target} #{value}")
            elif isinstance(value, dt.datetime):
                aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
                value = "<now>" if aware >= since else aware.isoformat()
            values[column.name] = value
        return json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)

    return {t.name: sorted(plain(t, row) for row in rows[t.name]) for t in tables}


def test_seeding_is_deterministic(app: Flask) -> None:
    with app.app_context():
        start = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        seed(DAY)
        first = _snapshot(start)
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        assert is_empty()
        seed(DAY)
        second = _snapshot(start)
    assert first == second
    assert len(first["youth"]) == 60
    assert len(first["timeline_event"]) > 300


def test_the_seeded_world_is_the_one_of_the_data_files(app: Flask) -> None:
    world = load()
    with app.app_context():
        counts = seed(DAY)
        assert counts == {
            "areas": 2,
            "employers": 16,
            "openings": 30,
            "youths": 60,
            "placements": 14,
        }
        openings = {
            o.title: (
                o.employer.name,
                o.status,
                o.area.name if o.area else None,
                [(s.day_index, s.start_min, s.end_min) for s in o.shifts],
            )
            for o in db.session.scalars(select(Opening))
        }
        assert openings == {
            o.title: (o.employer, o.status, o.area, o.job.shifts) for o in world.openings
        }
        youths = {
            y.first_name: (
                y.last_name,
                y.age_on(DAY),
                y.status,
                y.counsellor.email if y.counsellor else None,
            )
            for y in db.session.scalars(select(Youth))
        }
        assert youths == {
            y.first_name: (y.last_name, y.age, y.status, y.counsellor) for y in world.youths
        }
        placements = {
            (p.youth.first_name, p.opening.title, p.status, p.end_reason)
            for p in db.session.scalars(select(Placement))
        }
        assert placements == {
            (p.youth, p.opening, p.status, p.end_reason) for p in world.placements
        }
        users = {(u.email, u.role) for u in db.session.scalars(select(User))}
        assert users == {(a.email, a.role) for a in world.accounts}
        for email, _role in DEMO_ACCOUNTS:
            assert accounts.authenticate(email, "jobmatch-demo") is not None


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the demo's data files to spoil."""
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def _replace(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "openings.toml",
            "min_age = 13",
            'min_age = "13"',
            "openings.toml, opening 1 'Kasseassistent': field 'min_age': "
            "expected a whole number, got '13'",
        ),
        (
            "employers.toml",
            'postcode = "7430"',
            'postcod = "7430"',
            "employers.toml, employer 1 'Ikast Dagligvarer': field 'postcode': missing",
        ),
        (
            "employers.toml",
            'address = "Strøget 12"',
            'address = "Strøget 12"\nadress = "Strøget 12"',
            "employers.toml, employer 1 'Ikast Dagligvarer': field 'adress': unknown field",
        ),
        (
            "openings.toml",
            'employer = "Ikast Dagligvarer"',
            'employer = "Ikast Dagligvare"',
            "openings.toml, opening 1 'Kasseassistent': field 'employer': "
            "'Ikast Dagligvare' is not an employer in employers.toml",
        ),
        (
            "openings.toml",
            '{ day = "tue", start = "16:00"',
            '{ day = "tue", start = "16.00"',
            "openings.toml, opening 1 'Kasseassistent', shift 1: field 'start': "
            "must be a time HH:MM",
        ),
        (
            "openings.toml",
            '{ day = "tue", start = "16:00"',
            '{ day = "tirsdag", start = "16:00"',
            "openings.toml, opening 1 'Kasseassistent', shift 1: field 'day': "
            "must be one of mon, tue, wed, thu, fri, sat, sun; got 'tirsdag'",
        ),
        (
            "openings.toml",
            'category = "retail"',
            'category = "retial"',
            "openings.toml, opening 1 'Kasseassistent': field 'category': must be one of",
        ),
        (
            "youths.toml",
            'first_name = "Mohammed"',
            'first_name = "Amira"',
            "youths.toml, youth 2 'Amira': field 'first_name': 'Amira' is used by youths 1 too",
        ),
        (
            "youths.toml",
            "age = 13",
            "age = 12",
            "youths.toml, youth 1 'Amira': field 'age': must be from 13 to 17, got 12",
        ),
        (
            "placements.toml",
            'youth = "Amira"',
            'youth = "Amina"',
            "placements.toml, placement 1 'Amina': field 'youth': "
            "'Amina' is not a youth's first name in youths.toml",
        ),
        ("areas.toml", 'name = "Østbyen"', 'name = "Østbyen', "areas.toml: not valid TOML"),
        (
            "milestones.toml",
            "[[milestones]]",
            "[[milestone]]",
            "milestones.toml: field 'milestone': unknown field",
        ),
    ],
)
def test_a_mistake_in_a_data_file_is_named(
    data: Path, name: str, old: str, new: str, message: str
) -> None:
    _replace(data, name, old, new)
    with pytest.raises(DemoDataError) as raised:
        load(data)
    assert str(raised.value).startswith(message), str(raised.value)


def test_a_missing_demo_account_is_named_and_nothing_is_seeded(app: Flask, data: Path) -> None:
    _replace(data, "accounts.toml", "coordinator@example.org", "mette@example.org")
    with app.app_context():
        with pytest.raises(
            DemoDataError, match=re.escape("coordinator account coordinator@example.org")
        ):
            seed(DAY, folder=data)
        assert is_empty()


def test_a_missing_data_file_is_named(data: Path) -> None:
    (data / "placements.toml").unlink()
    with pytest.raises(DemoDataError, match=r"^placements.toml: no such file"):
        load(data)


def test_seed_demo_names_a_broken_data_file_without_a_traceback(app: Flask, data: Path) -> None:
    _replace(data, "youths.toml", "age = 13", "age = 12")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--data", str(data)])
    assert result.exit_code == 1
    assert (
        "Error: youths.toml, youth 1 'Amira': field 'age': must be from 13 to 17" in result.output
    )
    assert "Traceback" not in result.output
    with app.app_context():
        assert is_empty()


def test_seed_demo_seeds_an_edited_copy_of_the_data(app: Flask, data: Path) -> None:
    _replace(data, "areas.toml", 'department = "afd. 630"', 'department = "afd. 631"')
    result = app.test_cli_runner().invoke(args=["seed-demo", "--data", str(data)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert (
            db.session.scalar(select(Area.department).where(Area.name == "Østbyen")) == "afd. 631"
        )


# -- the demo keeps the law -----------------------------------------------------


def test_every_seeded_running_placement_passes_the_guard(app: Flask) -> None:
    today = board_day.today()
    with app.app_context():
        seed(today)
        running = list(
            db.session.scalars(select(Placement).where(Placement.status.in_(ACTIVE_PLACEMENTS)))
        )
        assert len(running) == 11
        for placement in running:
            confirmed = placement.status == PlacementStatus.CONFIRMED
            on = placement.start_date if confirmed else today
            codes = placement_codes(placement.youth, placement.opening, on=on, besides=placement)
            assert codes == [], (placement.youth.first_name, placement.opening.title, codes)
            assert placement.start_date is not None
            shift_days = {s.day_index for s in placement.opening.shifts}
            assert placement.start_date.weekday() in shift_days, placement.opening.title
            assert (placement.start_date >= today) == confirmed


def test_a_run_on_a_fresh_seed_sets_no_job_aside(app: Flask) -> None:
    with app.app_context():
        seed()
    client = app.test_client()
    signed_in = client.post(
        "/login", data={"email": "coordinator@example.org", "password": "jobmatch-demo"}
    )
    assert signed_in.status_code == 302
    monday = board_day.today() + dt.timedelta(days=7 - board_day.today().weekday())
    form = {"start_date": monday.isoformat(), "period": "auto", "time_limit_s": "5"}
    response = client.post("/coordinator/runs", data={**form, "method": "optimal"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Forslag" in page
    assert 'id="set-aside"' not in page
    with app.app_context():
        run = db.session.scalars(select(MatchRun)).one()
        assert run.status == RunStatus.DONE
        assert run.parameters["set_aside"] == []
        assert len(run.problem["fixed"]) == 11  # every running placement is kept as it is


def test_a_placement_of_the_data_that_breaks_the_law_fails_the_seed(
    app: Flask, data: Path
) -> None:
    # Yusuf (16) holds 'Kasseassistent': from 17 the job is not his to hold.
    _replace(data, "openings.toml", "min_age = 13", "min_age = 17")
    with app.app_context():
        with pytest.raises(DemoDataError) as raised:
            seed(DAY, folder=data)
        assert str(raised.value) == (
            "placements.toml, placement 4 'Yusuf': the guard refuses 'Kasseassistent' from "
            f"{DAY.isoformat()}: too_young (see youths.toml and openings.toml)"
        )
        assert is_empty()
        assert db.session.scalar(select(func.count()).select_from(Opening)) == 0


def test_seed_demo_names_a_placement_the_guard_refuses(app: Flask, data: Path) -> None:
    _replace(data, "youths.toml", "max_travel_km = 15.0", "max_travel_km = 2.0")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--data", str(data)])
    assert result.exit_code == 1
    assert "placements.toml, placement 11 'Emil': the guard refuses 'Staldhjælper'" in (
        result.output
    )
    assert "too_far" in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert is_empty()


def test_availability_in_the_youths_file_is_checked(data: Path) -> None:
    wednesday = '{ day = "wed", start = "15:00"'
    _replace(data, "youths.toml", wednesday, wednesday.replace("15:00", "19:00"))
    with pytest.raises(DemoDataError) as raised:
        load(data)
    assert str(raised.value) == (
        "youths.toml, youth 1 'Amira', availability 2: field 'end': must be after the start"
    )


def test_every_demo_youth_and_parent_gets_sms_so_make_run_writes_them(app: Flask) -> None:
    """Phones in E.164, opted in: `make run`'s outbox writes the board's SMS beside the mails."""
    from webapp.models import ContactRole
    from webapp.services.sms import contacts

    with app.app_context():
        seed(DAY)
        youths = db.session.scalars(select(Youth)).all()
        missing = [
            (y.first_name, role.value)
            for y in youths
            for role in (ContactRole.YOUTH, ContactRole.PARENT)
            if contacts.number_for(y, role) is None
        ]
    assert youths
    assert missing == []
