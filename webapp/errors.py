"""Error pages: every error is a page in the visitor's language, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
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


def register(app: Flask) -> None:
    """Install the handlers."""

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
