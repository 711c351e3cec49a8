"""The youth's own sign-in cookie, apart from staff sessions, and the language of the pages.

The cookie holds a random token only (`services.youth_login`); it is sent to ``/me``
pages alone, never readable by scripts. A youth is signed in on a request only through
it: a staff session never counts as a youth's, nor the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, redirect, request, url_for
from werkzeug.wrappers import Response

from ..models import Youth
from ..services import youth_login
from ..ui.locale import LOCALES

YOUTH_COOKIE = "jobmatch_youth"
TICKET_COOKIE = "jobmatch_youth_ticket"
COOKIE_PATH = "/me"

F = TypeVar("F", bound=Callable[..., Any])


def set_cookie(response: Response, name: str, value: str, *, max_age: int) -> None:
    """Set one of the youth's cookies: only for /me, not for scripts, https in production."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )


def clear_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH)


def current_youth() -> Youth | None:
    """The youth signed in on this request, if any (looked up once per request)."""
    if "youth" not in g:
        g.youth = youth_login.signed_in_youth(request.cookies.get(YOUTH_COOKIE, ""))
    found: Youth | None = g.youth
    return found


def youth_required(view: F) -> F:
    """A view for a signed-in youth: the others go to the sign-in page."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_youth() is None:
            return redirect(url_for("family.sign_in"))
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def language_for(person_language: str) -> str:
    """The visitor's own choice of language (the `lang` cookie), else the person's."""
    chosen = request.cookies.get("lang", "")
    return chosen if chosen in LOCALES else person_language
