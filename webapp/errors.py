"""Error pages and error logs.

Every error is a page in the visitor's language, never a stack trace; the log
keeps the stack trace but never the values of a database statement.
"""

from __future__ import annotations

import logging
import traceback

import httpx
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import StatementError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please try again.")),
    403: (_l("No access"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("The page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This action is not allowed here.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    422: (_l("Check the form"), _l("Some fields need to be corrected.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Wait a little and try again.")),
    500: (
        _l("Something went wrong"),
        _l("An error occurred. It has been logged; try again later."),
    ),
}


def _render(code: int) -> tuple[str, int]:
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, text=text), code


def _describe(error: BaseException) -> str:
    """The last line of a traceback, without what a database error carries of the data."""
    if isinstance(error, StatementError):
        kind = type(error.orig).__name__ if error.orig is not None else ""
        return f"{type(error).__qualname__}: ({kind}) {error.statement} [values not logged]\n"
    if getattr(error, "sqlstate", None) is not None or type(error).__module__.startswith(
        ("sqlite3", "psycopg")
    ):
        # The driver's own message quotes the data (PostgreSQL's "Failing row contains ...").
        return f"{type(error).__module__}.{type(error).__qualname__} [message not logged]\n"
    return "".join(traceback.format_exception_only(error))


def _redacted_traceback(error: BaseException) -> str:
    """A traceback of `error` and the errors it came from, each described by `_describe`."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    parts = []
    for link in reversed(chain):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(link.__traceback__))
        parts.append(_describe(link))
    return "".join(parts).rstrip("\n")


def _is_database_error(error: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, StatementError) or getattr(current, "sqlstate", None):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class DatabaseErrorRedactor(logging.Filter):
    """Logs a database error's traceback without the statement's values or the driver's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and _is_database_error(error):
            record.exc_text = _redacted_traceback(error)
            record.exc_info = None
        return True


class NoRowsLogged(logging.Filter):
    """SQLAlchemy's DEBUG log writes every fetched row (names, emails): those lines are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


class NoQueryStringsLogged(logging.Filter):
    """httpx logs each request's URL (INFO): the geocoder's query strings carry an address."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_without_query(arg) for arg in record.args)
        return True


def _without_query(value: object) -> object:
    if isinstance(value, httpx.URL):
        return value.copy_with(query=None)
    if isinstance(value, str) and "?" in value:
        return value.split("?", 1)[0]
    return value


def _install_log_filters() -> None:
    """Put the filters on the board's loggers and SQLAlchemy's and httpx's, once each."""
    loggers = [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name == "webapp" or name.startswith("webapp.")
    ]
    for logger in [logging.getLogger("webapp"), *loggers]:
        if not any(isinstance(f, DatabaseErrorRedactor) for f in logger.filters):
            logger.addFilter(DatabaseErrorRedactor())
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, NoRowsLogged) for f in engine_log.filters):
        engine_log.addFilter(NoRowsLogged())
    http_log = logging.getLogger("httpx")
    if not any(isinstance(f, NoQueryStringsLogged) for f in http_log.filters):
        http_log.addFilter(NoQueryStringsLogged())


def register(app: Flask) -> None:
    """Install the handlers and the filters that keep data out of the log."""
    _install_log_filters()

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> tuple[str, int]:
        title = _l("The form has expired")
        text = _l(
            "The page was open too long or the form was not sent from this site. "
            "Reload and try again."
        )
        return render_template("errors/error.html", code=400, title=title, text=text), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        return _render(error.code or 500)

    @app.errorhandler(InternalServerError)
    def _internal(_error: InternalServerError) -> tuple[str, int]:
        db.session.rollback()
        return _render(500)
