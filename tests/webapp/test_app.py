"""The application around the pages: health check, configuration, language, errors,
demo data, and migrations on the database under test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select

import webapp
from tests.factories import World, board_app, one
from webapp import ConfigurationError, create_app
from webapp.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from webapp.extensions import db
from webapp.models import Employer, Opening, Placement, TimelineEvent, User, Youth
from webapp.ui import board_day

ROOT = Path(webapp.__file__).resolve().parent.parent


def test_healthz(client: object) -> None:
    response = client.get("/healthz")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "up",
        "redis": "none",
        "workers": "none",
        "down": [],
    }


def test_healthz_reports_a_broken_database(make_app: Callable[..., Flask]) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent/dir/db.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "database": "down",
        "redis": "none",
        "workers": "none",
        "down": ["database"],
    }


def test_production_refuses_to_start_without_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBMATCH_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_database_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/jobs")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/jobs"


def test_danish_by_default_english_on_request(world: World) -> None:
    client = world.client_for("anonymous")
    page = client.get("/jobs").get_data(as_text=True)
    assert '<html lang="da"' in page
    assert "Fritidsjob for unge" in page
    response = client.post("/language", data={"lang": "en", "next": "/privacy"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy"
    page = client.get("/jobs").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Leisure-time jobs for young people" in page
    assert client.post("/language", data={"lang": "xx"}).status_code == 400
    response = client.post("/language", data={"lang": "da", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/jobs"


def test_every_user_facing_string_has_a_danish_translation() -> None:
    with (ROOT / "webapp/translations/da/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.string}
    method_map = [
        ("webapp/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    missing = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid not in translated:
            missing.add(msgid)
    assert not missing, (
        "untranslated (run `make translations`, translate in "
        "webapp/translations/da/LC_MESSAGES/messages.po, then `make translations` again): "
        f"{sorted(missing)}"
    )


def test_error_pages_are_danish(world: World, make_app: Callable[..., Flask]) -> None:
    response = world.client_for("anonymous").get("/no/such/page")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)
    app = make_app(TESTING=False)

    def broken() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Noget gik galt" in page
    assert "boom" not in page


def test_demo_seed_fills_every_page(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "60 youths" in result.output
    with app.app_context():
        youths = db.session.scalars(select(Youth)).all()
        assert len(youths) == 60
        assert {y.status for y in youths} == {"active", "pending", "archived"}
        assert all(13 <= y.age_on(board_day.today()) <= 17 for y in youths)
        assert db.session.query(Employer).count() >= 15
        assert db.session.query(Opening).count() == 30
        assert {p.status for p in db.session.scalars(select(Placement))} == {
            "confirmed",
            "started",
            "ended",
        }
        kinds = {e.kind for e in db.session.scalars(select(TimelineEvent))}
        assert {"registered", "step", "placed", "started", "external_job", "milestone"} <= kinds
        counsellor = one(User, User.email == "counsellor@example.org")
        assert db.session.query(Youth).filter(Youth.counsellor_id == counsellor.id).count() > 5
        a_youth = one(Youth, Youth.counsellor_id == counsellor.id)
        youth_id = a_youth.public_id
    # A second seed is refused; --if-empty makes it a no-op.
    assert runner.invoke(args=["seed-demo"]).exit_code != 0
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    assert "coordinator@example.org" in runner.invoke(args=["demo-accounts"]).output
    pages = {
        "coordinator": ["/coordinator/", "/coordinator/youths", f"/coordinator/youths/{youth_id}",
                        "/coordinator/registrations", "/coordinator/openings",
                        "/coordinator/employers", "/coordinator/users"],
        "employer": ["/employer/", "/employer/company"],
        "counsellor": ["/counsellor/", f"/counsellor/youths/{youth_id}"],
    }  # fmt: skip
    for email, role in DEMO_ACCOUNTS:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        for url in pages[role]:
            assert client.get(url).status_code == 200, (role, url)
    assert app.test_client().get("/jobs").get_data(as_text=True).count("card-title") >= 20


def test_demo_seed_is_refused_in_production(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBMATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a production secret")
    monkeypatch.setenv("BOARD_URL", "https://fritidsjob.example.dk")
    result = make_app(PRODUCTION=True).test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "never seeded in production" in result.output


def test_migrations_upgrade_match_the_models_and_downgrade(
    fresh_database: Callable[[], str],
) -> None:
    url = fresh_database()
    app = board_app(url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.metadata) == []
        runner = app.test_cli_runner()
        assert runner.invoke(args=["setup"]).exit_code == 0
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names())
        assert tables <= {"alembic_version"}
        upgrade()
        db.session.remove()
        db.engine.dispose()
    engine = create_engine(url)
    try:
        assert "youth" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_sqlite_writers_wait_for_each_other_long_enough(app: Flask) -> None:
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert options["connect_args"]["timeout"] == 30.0
    else:
        assert "connect_args" not in options


def test_sqlite_keeps_a_write_ahead_log(app: Flask) -> None:
    """Readers do not wait for the one writer's commit; fsync only at checkpoints."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's journal only")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
