"""The audit trail: every path writes the entry expected (through HTTP), nothing personal in a
row, the access log on the profile, the retention purge, and entries that are never changed or
deleted otherwise."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tests.factories import PASSWORD, World, YouthFactory, board_app, solved_run
from tests.webapp.test_races import board, send_together
from webapp.extensions import db
from webapp.models import AuditAction, AuditEntry, User, Youth
from webapp.models.audit import AuditTrailChangedError
from webapp.services import audit

__all__ = ["board"]  # the race tests' server, a fixture here too

PROPOSAL_PAGE = {"page": "proposal"}
# What an entry is, for comparing: (action, actor, actor's role, youth, account, detail).
Row = tuple[str, str | None, str, str | None, str | None, dict[str, str]]


def _last_id(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0)


def _rows_after(app: Flask, last: int) -> list[Row]:
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id)
        )
        return [
            (
                e.action,
                e.actor_public_id,
                e.actor_role,
                e.youth_public_id,
                e.user_public_id,
                dict(e.detail),
            )
            for e in entries
        ]


@pytest.fixture
def since(app: Flask, world: World) -> Callable[[], list[Row]]:
    """The entries written by the test itself, after the world was made."""
    last = _last_id(app)
    return lambda: _rows_after(app, last)


def _youth(public_id: str) -> Youth:
    youth = db.session.scalar(select(Youth).where(Youth.public_id == public_id))
    assert youth is not None
    return youth


# -- what each path writes ------------------------------------------------------------------


def test_the_coordinators_profile_page_records_one_view(
    world: World, since: Callable[[], list[Row]]
) -> None:
    assert (
        world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}").status_code
        == 200
    )
    assert since() == [
        ("youth_viewed", world.coordinator, "coordinator", world.youth, None, {"page": "profile"})
    ]


def test_recording_a_view_does_not_make_the_page_read_its_youth_again(
    world: World, page_statements: Callable[[FlaskClient, str], list[str]]
) -> None:
    statements = page_statements(
        world.client_for("coordinator"), f"/coordinator/youths/{world.youth}"
    )
    written = [i for i, s in enumerate(statements) if s.startswith("INSERT INTO audit_entry")]
    assert len(written) == 1
    after = statements[written[0] + 1 :]
    assert not [
        s for s in after if "FROM availability_window" in s or "FROM onboarding_step " in s
    ]


def test_the_edit_form_records_a_view(world: World, since: Callable[[], list[Row]]) -> None:
    coordinator = world.client_for("coordinator")
    assert coordinator.get(f"/coordinator/youths/{world.youth}/edit").status_code == 200
    me = (world.coordinator, "coordinator", world.youth, None)
    assert since() == [("youth_viewed", *me, {"page": "edit"})]


def test_the_counsellors_youth_page_records_one_view_and_a_refusal_none(
    world: World, since: Callable[[], list[Row]]
) -> None:
    counsellor = world.client_for("counsellor")
    assert counsellor.get(f"/counsellor/youths/{world.youth}").status_code == 200
    assert counsellor.get(f"/counsellor/youths/{world.other_youth}").status_code == 404
    assert world.client_for("employer").get(f"/coordinator/youths/{world.youth}").status_code in (
        302,
        403,
        404,
    )
    assert since() == [
        ("youth_viewed", world.counsellor, "counsellor", world.youth, None, {"page": "counsellor"})
    ]


def test_an_employer_viewing_a_proposed_candidate_is_recorded(
    world: World, app: Flask, since: Callable[[], list[Row]]
) -> None:
    _run, proposal = solved_run(world)
    last = _last_id(app)  # the run's own entries (proposed) are not the view's
    page = world.client_for("employer").get(f"/employer/proposals/{proposal}")
    assert page.status_code == 200
    assert (
        world.client_for("other_employer").get(f"/employer/proposals/{proposal}").status_code
        == 404
    )
    assert _rows_after(app, last) == [
        ("youth_viewed", world.employer_user, "employer", world.other_youth, None, PROPOSAL_PAGE)
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_records_each_youth_in_it(
    world: World, since: Callable[[], list[Row]], kind: str
) -> None:
    response = world.client_for("coordinator").get(f"/coordinator/youths.{kind}")
    assert response.status_code == 200
    rows = since()
    # The active youths of the list (the pending registration is not in it).
    assert sorted(r[3] or "" for r in rows) == sorted([world.youth, world.other_youth])
    assert {r[:3] + r[4:] for r in _hashable(rows)} == {
        ("youth_exported", world.coordinator, "coordinator", None, (("export", kind),))
    }


def _hashable(rows: list[Row]) -> list[tuple[object, ...]]:
    return [(*r[:5], tuple(sorted(r[5].items()))) for r in rows]


def test_a_searched_export_records_only_the_youths_found_and_not_the_term(
    world: World, since: Callable[[], list[Row]]
) -> None:
    coordinator = world.client_for("coordinator")
    assert coordinator.post("/coordinator/youths", data={"q": "Amira"}).status_code == 302
    assert coordinator.get("/coordinator/youths.csv").status_code == 200
    rows = since()
    assert [(r[0], r[3]) for r in rows] == [("youth_exported", world.youth)]
    assert "Amira" not in json.dumps(rows)


def test_the_right_of_access_copy_is_recorded(
    world: World, since: Callable[[], list[Row]]
) -> None:
    response = world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}/export")
    assert response.status_code == 200
    assert since() == [
        (
            "youth_access_exported",
            world.coordinator,
            "coordinator",
            world.youth,
            None,
            {"format": "json"},
        )
    ]


def _edit(client: FlaskClient, public_id: str, **fields: str) -> None:
    data = {
        "first_name": "Amira",
        "last_name": "Hassan",
        "birth_date": "2011-03-04",
        "priority": "1",
        "max_jobs": "1",
    }
    response = client.post(f"/coordinator/youths/{public_id}/edit", data={**data, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def test_a_change_records_the_fields_it_touched_not_their_values(
    app: Flask, world: World, since: Callable[[], list[Row]]
) -> None:
    _edit(world.client_for("coordinator"), world.youth, phone="+45 41 41 41 41")
    ((action, actor, role, youth, user, detail),) = since()
    assert (action, actor, role, youth, user) == (
        "youth_changed",
        world.coordinator,
        "coordinator",
        world.youth,
        None,
    )
    assert detail["event"] == "updated"
    assert "phone" in detail["fields"].split(",")
    assert "41" not in json.dumps(detail)


def test_a_registration_archive_and_erasure_are_recorded_in_their_order(
    world: World, since: Callable[[], list[Row]]
) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        "/coordinator/youths/new",
        data={
            "first_name": "Nadia",
            "last_name": "Ali",
            "birth_date": "2011-05-04",
            "priority": "1",
            "max_jobs": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    created = response.headers["Location"].rsplit("/", 1)[-1]
    assert coordinator.post(f"/coordinator/youths/{created}/archive").status_code == 302
    assert coordinator.post(f"/coordinator/youths/{created}/erase").status_code == 302
    assert coordinator.get(f"/coordinator/youths/{created}").status_code == 404
    me = (world.coordinator, "coordinator", created, None)
    assert [(r[0], *r[1:5], r[5].get("event")) for r in since()] == [
        ("youth_created", *me, "registered"),
        ("youth_changed", *me, "archived"),
        ("youth_erased", *me, None),
    ]


def test_an_erasure_sent_ten_times_at_once_is_recorded_once(
    world: World, board: str, since: Callable[[], list[Row]]
) -> None:
    coordinator = world.client_for("coordinator")
    assert coordinator.post(f"/coordinator/youths/{world.other_youth}/archive").status_code == 302
    path = f"/coordinator/youths/{world.other_youth}/erase"
    answers = send_together(board, [("coordinator", path, {})] * 10)
    assert all(code < 500 for code in answers), answers
    erased = [r for r in since() if r[0] == "youth_erased"]
    assert erased == [
        ("youth_erased", world.coordinator, "coordinator", world.other_youth, None, {})
    ]


def test_an_erasure_refused_records_nothing(world: World, since: Callable[[], list[Row]]) -> None:
    # An active youth is archived first: the erasure is refused, and no entry says otherwise.
    response = world.client_for("coordinator").post(f"/coordinator/youths/{world.youth}/erase")
    assert response.status_code == 302
    assert since() == []


def test_a_rejected_registration_is_recorded_as_erased(
    world: World, since: Callable[[], list[Row]]
) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(f"/coordinator/registrations/{world.pending_youth}/reject")
    assert response.status_code == 302
    assert since() == [
        (
            "youth_erased",
            world.coordinator,
            "coordinator",
            world.pending_youth,
            None,
            {"reason": "registration rejected"},
        )
    ]


def test_a_merged_registration_is_recorded_as_erased_and_the_kept_youth_as_changed(
    world: World, since: Callable[[], list[Row]]
) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        f"/coordinator/registrations/{world.pending_youth}/merge", data={"into": world.youth}
    )
    assert response.status_code == 302
    me = (world.coordinator, "coordinator")
    assert [(r[0], *r[1:4], r[5].get("event"), r[5].get("reason")) for r in since()] == [
        ("youth_changed", *me, world.youth, "updated", None),
        ("youth_erased", *me, world.pending_youth, None, "merged"),
    ]


def test_deactivating_and_activating_an_account_are_recorded(
    world: World, since: Callable[[], list[Row]]
) -> None:
    coordinator = world.client_for("coordinator")
    for action in ("deactivate", "activate"):
        response = coordinator.post(f"/coordinator/users/{world.employer_user}/{action}")
        assert response.status_code == 302
    me = (world.coordinator, "coordinator", None, world.employer_user, {})
    assert since() == [("account_deactivated", *me), ("account_activated", *me)]


def test_an_invitation_records_the_new_account_and_its_role(
    app: Flask, world: World, since: Callable[[], list[Row]]
) -> None:
    response = world.client_for("coordinator").post(
        "/coordinator/users/invite",
        data={"name": "Ny Vejleder", "email": "ny-vejleder@test.example", "role": "counsellor"},
    )
    assert response.status_code in (200, 302)
    with app.app_context():
        invited = db.session.scalars(
            select(User.public_id).where(User.email == "ny-vejleder@test.example")
        ).one()
    assert since() == [
        (
            "account_created",
            world.coordinator,
            "coordinator",
            None,
            invited,
            {"role": "counsellor"},
        )
    ]


def test_a_password_change_is_recorded(world: World, since: Callable[[], list[Row]]) -> None:
    client = world.login(world.app.test_client(), "counsellor@test.example")
    new = "a much longer passphrase for the test"
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": new, "confirm": new},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    assert since() == [
        ("account_password_changed", world.counsellor, "counsellor", None, world.counsellor, {})
    ]


# -- nothing personal -----------------------------------------------------------------------


def test_no_entry_holds_a_name_contact_or_search_term(
    app: Flask, world: World, since: Callable[[], list[Row]]
) -> None:
    coordinator = world.client_for("coordinator")
    counsellor = world.client_for("counsellor")
    coordinator.post("/coordinator/youths", data={"q": "Hassan"})
    for url in (
        f"/coordinator/youths/{world.youth}",
        f"/coordinator/youths/{world.youth}/export",
        "/coordinator/youths.csv",
        "/coordinator/youths.xlsx",
    ):
        assert coordinator.get(url).status_code == 200, url
    assert counsellor.get(f"/counsellor/youths/{world.youth}").status_code == 200
    _edit(coordinator, world.youth, email="amira.new@youth.example", parent_phone="51515151")
    assert len(since()) >= 6
    with app.app_context():
        youth = _youth(world.youth)
        personal = {
            youth.first_name,
            youth.last_name,
            youth.email,
            youth.phone,
            youth.parent_name,
            youth.parent_email,
            youth.parent_phone,
            "amira",
            "Hassan",
            "amira@youth.example",
            "20202020",
            "51515151",
            "Secret coordinator note",
            "counsellor@test.example",
            "coordinator@test.example",
        } - {""}
        table = AuditEntry.__table__
        for row in db.session.execute(select(table)).mappings():
            flat = json.dumps({k: str(v) for k, v in row.items()}).lower()
            assert not [p for p in personal if p.lower() in flat], flat


# -- the access log on the profile ----------------------------------------------------------


def test_the_profile_shows_the_newest_entries_and_links_to_the_whole_log(
    app: Flask, world: World
) -> None:
    coordinator = world.client_for("coordinator")
    for _ in range(12):
        assert coordinator.get(f"/coordinator/youths/{world.youth}").status_code == 200
    page = coordinator.get(f"/coordinator/youths/{world.youth}").get_data(as_text=True)
    log = page[page.index('id="access-log"') :]
    assert log.count("<tr>") == 1 + 10  # the header and the ten newest
    assert "Coordinator" in log
    assert log.count("på profilen") == 10  # what each line says, in Danish
    assert f"/coordinator/youths/{world.youth}/access-log" in log
    whole = coordinator.get(f"/coordinator/youths/{world.youth}/access-log")
    assert whole.status_code == 200
    text_ = whole.get_data(as_text=True)
    # 13 views and the world's registration: 14 lines, one page of 25.
    assert text_.count("<tr>") == 1 + 14
    assert "Amira" in text_  # the page is about her; the log rows name no one but staff


def test_the_whole_log_is_paged_and_survives_hostile_page_numbers(
    app: Flask, world: World
) -> None:
    app.config["PAGE_SIZE"] = 5
    try:
        with app.app_context():
            youth = _youth(world.youth)
            for _ in range(11):
                audit.record(AuditAction.YOUTH_VIEWED, actor=world.user("counsellor"), youth=youth)
            db.session.commit()
        coordinator = world.client_for("coordinator")
        url = f"/coordinator/youths/{world.youth}/access-log"
        assert coordinator.get(url).get_data(as_text=True).count("<tr>") == 6
        last = coordinator.get(f"{url}?page=3").get_data(as_text=True)
        assert last.count("<tr>") == 1 + 2  # 12 entries: 5, 5 and 2
        for hostile in ("abc", "-1", "0", "9" * 40, "٣", "3.5", "%F0%9F%98%80"):
            assert coordinator.get(f"{url}?page={hostile}").status_code == 200, hostile
        assert coordinator.get(f"{url}?page=%00").status_code == 400  # the board refuses NUL
    finally:
        app.config["PAGE_SIZE"] = 25


@pytest.mark.parametrize("role", ["anonymous", "employer", "counsellor"])
def test_only_a_coordinator_sees_the_access_log(world: World, role: str) -> None:
    response = world.client_for(role).get(f"/coordinator/youths/{world.youth}/access-log")
    assert response.status_code in (302, 403, 404)
    assert "access-log" not in world.client_for("counsellor").get(
        f"/counsellor/youths/{world.youth}"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    "public_id", ["nobody", "x" * 5000, "%C3%86%C3%B8", "%F0%9F%98%80", "1;2"]
)
def test_the_access_log_of_an_unknown_youth_is_not_found(world: World, public_id: str) -> None:
    response = world.client_for("coordinator").get(f"/coordinator/youths/{public_id}/access-log")
    assert response.status_code == 404


# -- the service's guards -------------------------------------------------------------------


def test_an_entry_without_an_actor_is_the_systems(app: Flask, world: World) -> None:
    last = _last_id(app)
    with app.app_context():
        audit.record(AuditAction.ACCOUNT_DEACTIVATED, actor=None, user=world.user("employer"))
        db.session.commit()
    assert _rows_after(app, last) == [
        ("account_deactivated", None, "system", None, world.employer_user, {})
    ]


@pytest.mark.parametrize(
    "detail",
    [{"fields": 3}, {7: "x"}, {"fields": "x" * 501}, {"k" * 41: "x"}],
)
def test_a_detail_is_short_strings(app: Flask, detail: dict[object, object]) -> None:
    with app.app_context(), pytest.raises(ValueError, match="audit detail"):
        audit.record(AuditAction.YOUTH_VIEWED, actor=None, detail=detail)  # type: ignore[arg-type]


def test_an_action_is_one_of_the_trails(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError, match="not an audit action"):
        audit.record("youth_viewed", actor=None)  # type: ignore[arg-type]


def test_a_youth_not_yet_flushed_is_named_by_the_public_id_it_will_keep(app: Flask) -> None:
    with app.app_context():
        youth = YouthFactory.build(first_name="Ny")
        db.session.add(youth)
        entry = audit.record(AuditAction.YOUTH_CREATED, actor=None, youth=youth)
        db.session.commit()
        assert entry.youth_public_id == youth.public_id is not None


def test_the_session_refuses_to_change_or_delete_an_entry(app: Flask) -> None:
    with app.app_context():
        audit.record(AuditAction.YOUTH_VIEWED, actor=None)
        db.session.commit()
        entry = db.session.scalars(select(AuditEntry)).one()
        entry.action = "youth_erased"
        with pytest.raises(AuditTrailChangedError, match="never changed"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(AuditEntry)).one())
        with pytest.raises(AuditTrailChangedError, match="only purged"):
            db.session.flush()
        db.session.rollback()
        assert [e.action for e in db.session.scalars(select(AuditEntry))] == ["youth_viewed"]


# -- retention ------------------------------------------------------------------------------


def _aged(app: Flask, *days: int) -> None:
    with app.app_context():
        for age in days:
            entry = audit.record(AuditAction.YOUTH_VIEWED, actor=None)
            entry.at = dt.datetime.now(dt.UTC) - dt.timedelta(days=age, hours=1)
        db.session.commit()


def _ages(app: Flask) -> list[int]:
    with app.app_context():
        now = dt.datetime.now(dt.UTC)
        return sorted((now - at).days for at in db.session.scalars(select(AuditEntry.at)))


def test_the_purge_command_keeps_the_trails_retention(app: Flask) -> None:
    _aged(app, 0, 10, 729, 731, 2000)
    result = app.test_cli_runner().invoke(args=["purge-audit"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 audit entries older than 730 days." in result.output
    assert _ages(app) == [0, 10, 729]
    result = app.test_cli_runner().invoke(args=["purge-audit", "--days", "5"])
    assert "Deleted 2 audit entries older than 5 days." in result.output
    assert _ages(app) == [0]


def test_the_daily_retention_pass_purges_the_trail_too(app: Flask) -> None:
    _aged(app, 1, 800)
    result = app.test_cli_runner().invoke(args=["apply-retention"])
    assert result.exit_code == 0, result.output
    assert _ages(app) == [1]


@pytest.mark.parametrize("days", ["0", "-3", "ten", "1e3", "\x00"])
def test_the_purge_command_refuses_a_retention_that_is_not_whole_days(
    app: Flask, days: str
) -> None:
    _aged(app, 3)
    result = app.test_cli_runner().invoke(args=["purge-audit", "--days", days])
    assert result.exit_code == 2
    assert "--days" in result.output
    assert _ages(app) == [3]


@pytest.mark.parametrize("setting", [0, "365", 1.5, True])
def test_a_wrong_retention_setting_is_named(app: Flask, setting: object) -> None:
    _aged(app, 3)
    app.config["AUDIT_RETENTION_DAYS"] = setting
    try:
        result = app.test_cli_runner().invoke(args=["purge-audit"])
    finally:
        app.config["AUDIT_RETENTION_DAYS"] = 730
    assert result.exit_code == 1
    assert "AUDIT_RETENTION_DAYS must be a whole number of days" in result.output
    assert _ages(app) == [3]


def test_a_migrated_database_refuses_to_change_an_entry_and_deletes_only_by_the_purge(
    fresh_database: Callable[[], str],
) -> None:
    app = board_app(fresh_database())
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    with app.app_context():
        upgrade()
    _aged(app, 1, 500)
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only: UPDATE refused"):
            db.session.execute(text("UPDATE audit_entry SET action = 'youth_erased'"))
        db.session.rollback()
        if postgres:
            for statement in ("DELETE FROM audit_entry", "TRUNCATE audit_entry"):
                with pytest.raises(DBAPIError, match=r"append-only: (DELETE|TRUNCATE) refused"):
                    db.session.execute(text(statement))
                db.session.rollback()
        assert audit.purge(older_than=dt.datetime.now(dt.UTC) - dt.timedelta(days=30)) == 1
        if postgres:  # the purge's permission lasted for its own transaction only
            with pytest.raises(DBAPIError, match="append-only: DELETE refused"):
                db.session.execute(text("DELETE FROM audit_entry"))
            db.session.rollback()
        assert [e.action for e in db.session.scalars(select(AuditEntry))] == ["youth_viewed"]
        db.session.remove()
        db.engine.dispose()
