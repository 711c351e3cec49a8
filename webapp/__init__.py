"""The jobmatch board: a Flask application for coordinators, employers and counsellors."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Config, Flask
from flask_babel import get_locale
from flask_talisman import Talisman
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from . import extensions as ext
from .services import geocoding
from .services.links import board_url_problem
from .services.sms import settings as sms_settings
from .ui import locale
from .ui.locale import select_locale

REPO_ROOT = Path(__file__).resolve().parent.parent

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class ConfigurationError(RuntimeError):
    """The application cannot start with the configuration it was given."""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the board.

    Configuration comes from defaults, then the environment (`DATABASE_URL`,
    `SECRET_KEY`, `JOBMATCH_ENV`, `MAIL_*` and any `FLASK_*`), then `test_config`.

    Raises:
        ConfigurationError: in production (`JOBMATCH_ENV=production`) without a
            `SECRET_KEY` or a `BOARD_URL` of its own; a `BOARD_URL` that is no
            http(s) address.
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(REPO_ROOT / "templates"),
    )
    _configure(app, test_config)
    _trust_proxies(app)
    _register_extensions(app)
    _register_routing(app)
    _register_blueprints(app)
    _register_errorhandlers(app)
    _register_commands(app)
    _register_template_helpers(app)
    return app


SQLITE_WAIT_S = 30.0  # how long a write waits for SQLite's one writer before it fails


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Defaults, then environment, then the tests' dict."""
    production = os.environ.get("JOBMATCH_ENV", "development") == "production"
    app.config.from_mapping(
        PRODUCTION=production,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'jobmatch.sqlite'}",
        # Errors and the engine's log never show the values of a statement (personal data).
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "hide_parameters": True},
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,  # a larger request is refused (413) before it is read
        MAX_FORM_MEMORY_SIZE=500_000,  # one text part of a multipart form
        MAX_FORM_PARTS=1_000,
        BABEL_DEFAULT_LOCALE="da",
        BABEL_DEFAULT_TIMEZONE="Europe/Copenhagen",
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_SECURE=production,
        REMEMBER_COOKIE_HTTPONLY=True,
        FORCE_HTTPS=False,
        RATELIMIT_STORAGE_URI="memory://",
        # When the throttle's Redis does not answer (within 2 s), each process counts in
        # memory until it does again: signing in never fails for the throttle's sake.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 2, "socket_timeout": 2},
        RATELIMIT_HEADERS_ENABLED=True,
        LOGIN_RATE_LIMIT="10 per minute;50 per hour",
        # Sessions end after this long without a request, and this long after sign-in.
        SESSION_IDLE_MINUTES=30,
        SESSION_LIFETIME_HOURS=12,
        # Coordinators and counsellors sign in with an authenticator app too (docs/deploy.md).
        TWO_FACTOR_REQUIRED=production,
        INTEREST_RATE_LIMIT="60 per hour",
        ARGON2_TIME_COST=3,
        ARGON2_MEMORY_COST=65536,
        PAGE_SIZE=25,
        # The dashboard's figures are worked out at most this often per period, area and
        # language, and kept in CACHE_TYPE (each process's memory; "RedisCache" with
        # CACHE_REDIS_URL shares them between processes, docs/deploy.md). 0: every view.
        DASHBOARD_FRESH_SECONDS=60,
        # A run page's list of its first unplaced youths likewise, per run and language; made
        # again at once when a youth of the run is erased.
        RUN_PAGE_FRESH_SECONDS=60,
        CACHE_TYPE="SimpleCache",
        # How long personal data is kept (services/retention.py, docs/privacy.md).
        YOUTH_RETENTION_DAYS=3 * 365,
        REGISTRATION_RETENTION_DAYS=90,
        OUTBOX_RETENTION_DAYS=90,
        # The audit trail's own retention (services/audit.py, flask purge-audit).
        AUDIT_RETENTION_DAYS=2 * 365,
        MAIL_DEFAULT_SENDER="jobmatch@localhost",
        MAIL_SUPPRESS_SEND=not production,
        # The deployment's name and logo in the header (docs/board.md: Identity).
        BOARD_NAME="Første job",
        BOARD_LOGO_URL="",
        STALLED_ONBOARDING_DAYS=14,
        # How many reverse proxies in front add X-Forwarded-For (1 for nginx, docs/deploy.md).
        PROXY_COUNT=0,
        # Addresses are looked up with DAWA in production, in a postcode table otherwise
        # (services/geocoding); a "not found" is asked again after GEOCODER_NOT_FOUND_DAYS.
        GEOCODER="dawa" if production else "offline",
        GEOCODER_URL=geocoding.DEFAULT_URL,
        GEOCODER_TIMEOUT_S=3.0,
        GEOCODER_NOT_FOUND_DAYS=30,
        GEOCODER_PAUSE_S=60,
    )
    if url := os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(url)
    if key := os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = key
    for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD"):
        if name in os.environ:
            app.config[name] = os.environ[name]
    for name in ("BOARD_URL", "BOARD_NAME", "BOARD_LOGO_URL"):
        if value := os.environ.get(name):
            app.config[name] = value
    for name in (*geocoding.SETTINGS, *sms_settings.SETTINGS):
        if value := os.environ.get(name):
            app.config[name] = value
    if "MAIL_USE_TLS" in os.environ:
        app.config["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite has one writer at a time: the others wait for it, up to 30 s (Python's
        # default is 5 s, which a busy machine with twenty clicks at once can exceed).
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"timeout": SQLITE_WAIT_S, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # Development writes mail to files instead of sending it (services/outbox.py).
    if "MAIL_FILE_DIR" not in app.config:
        keep_local = not (production or app.testing)
        app.config["MAIL_FILE_DIR"] = str(Path(app.instance_path) / "outbox") if keep_local else ""
    _require_production_settings(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    # Every link that leaves the board is built from BOARD_URL (services/links.py).
    if not app.config.get("BOARD_URL"):
        app.config["BOARD_URL"] = _development_board_url()
    if problem := board_url_problem(app.config["BOARD_URL"], production=production):
        raise ConfigurationError(f"BOARD_URL {problem} (see docs/deploy.md)")
    if problem := geocoding.settings_problem(app.config):
        raise ConfigurationError(f"{problem} (see docs/deploy.md)")
    if problem := sms_settings.settings_problem(app.config):
        raise ConfigurationError(f"{problem} (see docs/deploy.md)")
    if production and app.config["RATELIMIT_STORAGE_URI"].startswith("memory:"):
        app.logger.warning(
            "the sign-in throttle counts in each process apart (RATELIMIT_STORAGE_URI is "
            "memory://): with more than one process, set FLASK_RATELIMIT_STORAGE_URI="
            "redis://... (docs/deploy.md)"
        )


PRODUCTION_SETTINGS = {
    "SECRET_KEY": "a long random string of your own",
    "BOARD_URL": "the board's public address, e.g. https://fritidsjob.kommune.dk",
}


def _require_production_settings(config: Config) -> None:
    """Production starts only with a secret key and a public address of its own."""
    missing = [name for name in PRODUCTION_SETTINGS if not config.get(name)]
    if config["PRODUCTION"] and missing:
        needs = " and ".join(f"{name} ({PRODUCTION_SETTINGS[name]})" for name in missing)
        raise ConfigurationError(f"production needs {needs}: see docs/deploy.md")


def _development_board_url() -> str:
    """Where `flask run` serves in development: its port, which `make run PORT=...` sets."""
    return f"http://127.0.0.1:{os.environ.get('FLASK_RUN_PORT') or 5000}"


def _trust_proxies(app: Flask) -> None:
    """Behind `PROXY_COUNT` proxies, the client's address and scheme are those the proxies saw.

    The sign-in throttle counts per address: without this, every client behind
    the proxy would share the proxy's one address, and its count.
    """
    if proxies := int(app.config["PROXY_COUNT"]):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _normalise_database_url(url: str) -> str:
    """Accept the common `postgres://` spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret(instance: Path) -> str:
    """A random key kept in `instance/`, so that development sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite in write-ahead-log mode: pages read while a run's results are written do not
    wait for that commit (one writer still writes at a time); fsync only at checkpoints."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _register_extensions(app: Flask) -> None:
    from .auth.sessions import install as install_sessions
    from .auth.sessions import load_user

    ext.db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(ext.db.engine, "connect", _write_ahead_log)
    ext.migrate.init_app(
        app, ext.db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True
    )
    ext.csrf.init_app(app)
    ext.babel.init_app(app, locale_selector=select_locale)
    locale.install(ext.babel, app)
    ext.mail.init_app(app)
    ext.run_worker.init_app(app)
    ext.limiter.init_app(app)
    ext.cache.init_app(app)
    ext.login_manager.init_app(app)
    ext.login_manager.login_view = "auth.login"
    ext.login_manager.login_message = None
    ext.login_manager.session_protection = "basic"
    ext.login_manager.user_loader(load_user)
    install_sessions(app)
    # One Talisman per application: it keeps per-application settings on itself.
    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        strict_transport_security=app.config["PRODUCTION"],
        content_security_policy=_content_security_policy(app.config["BOARD_LOGO_URL"]),
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="strict-origin-when-cross-origin",
        frame_options="DENY",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def _content_security_policy(logo_url: str) -> dict[str, str]:
    """`CSP`, letting images come from the logo's origin when it is on another host."""
    logo = urlsplit(logo_url)
    if logo.scheme not in ("http", "https") or not logo.netloc:
        return CSP
    return {**CSP, "img-src": f"{CSP['img-src']} {logo.scheme}://{logo.netloc}"}


def _register_routing(app: Flask) -> None:
    from .routing import install_converters, install_guards

    install_converters(app)
    install_guards(app)


def _register_blueprints(app: Flask) -> None:
    from .auth.two_factor import bp as two_factor_bp
    from .auth.views import bp as auth_bp
    from .coordinator import bp as coordinator_bp
    from .coordinator.matching import bp as matching_bp
    from .counsellor.views import bp as counsellor_bp
    from .dashboard.views import bp as dashboard_bp
    from .employer.views import bp as employer_bp
    from .family import bp as family_bp
    from .public.views import bp as public_bp
    from .sms import bp as sms_bp
    from .sms import gateway_bp as sms_gateway_bp

    for bp in (public_bp, auth_bp, coordinator_bp, employer_bp, counsellor_bp, dashboard_bp):
        app.register_blueprint(bp)
    app.register_blueprint(matching_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(family_bp)
    app.register_blueprint(sms_bp)
    app.register_blueprint(sms_gateway_bp)


def _register_errorhandlers(app: Flask) -> None:
    from .errors import register

    register(app)


def _register_commands(app: Flask) -> None:
    from .cli import register

    register(app)


def _register_template_helpers(app: Flask) -> None:
    from .ui import filters

    filters.register(app)

    @app.context_processor
    def _locale() -> dict[str, Any]:
        current = str(get_locale() or "da")
        return {
            "current_locale": current,
            "text_direction": locale.text_direction(current),
            "language_choices": locale.language_choices(),
        }

    logging.getLogger("webapp").setLevel(logging.INFO)
