"""Loading the signed-in user from a server-side session, the guards every request passes,
and the role guard every staff blueprint uses.

The session cookie carries flask-login's account id and a random session token
(`SESSION_KEY`), nothing about a youth: the session itself, its timeouts and
what it keeps between pages (the youth list's search term, the messages for
the next page) are rows of `services/staff_sessions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_login import current_user, user_logged_in
from werkzeug.wrappers import Response

from ..extensions import login_manager
from ..models import Role, User
from ..models.staff_sessions import StaffSession
from ..services import staff_sessions, two_factor

SESSION_KEY = "sid"
# Pages a signed-in user still owing a second factor may open.
BEFORE_SECOND_FACTOR = frozenset(
    {"static", "auth.logout", "auth.set_language", "two_factor.verify", "two_factor.setup"}
)


def load_user(user_id: str) -> User | None:
    """The user of a session id "<public id>:<session version>" with a running server session."""
    public_id, _, version = user_id.partition(":")
    found = staff_sessions.find(session.get(SESSION_KEY), public_id)
    if found is None:
        return None
    user, record = found
    if str(user.session_version) != version or not user.is_active:
        return None
    if not staff_sessions.live(record, user):
        return None
    g.staff_session = record
    return user


def _started(_app: Flask, user: User, **_extra: Any) -> None:
    """On every sign-in (`login_user`): a new server session and token; the old one ends."""
    token, record = staff_sessions.start(user, previous_token=session.get(SESSION_KEY))
    session[SESSION_KEY] = token
    g.staff_session = record


def current_session() -> StaffSession | None:
    """The signed-in user's server session, None for a visitor."""
    if not current_user.is_authenticated:
        return None
    record: StaffSession | None = g.get("staff_session")
    return record


def end_current(reason: staff_sessions.EndReason) -> None:
    """End this browser's server session (the cookie's token is dropped too)."""
    token = session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        staff_sessions.end(token, reason)


def fresh_session() -> None:
    """Before a sign-in: this browser's server session ends and nothing of the cookie stays."""
    end_current(staff_sessions.EndReason.REPLACED)
    session.clear()


def search_term() -> str:
    """The youth list's search term kept with this session."""
    record = current_session()
    return record.youth_search if record is not None else ""


def keep_search_term(term: str) -> None:
    """Keep (or, with "", forget) the youth list's search term with this session."""
    if (record := current_session()) is not None:
        staff_sessions.keep_search(record, term)


def _flashes_from_server() -> None:
    """The messages kept with the server session are this page's to show."""
    record = current_session()
    if record is not None and (waiting := staff_sessions.take_flashes(record)):
        session["_flashes"] = [*session.get("_flashes", []), *waiting]


def _flashes_to_server(response: Response) -> Response:
    """Messages not shown yet wait with the server session, not in the cookie."""
    record = current_session()
    if record is not None and (waiting := session.pop("_flashes", None)):
        staff_sessions.keep_flashes(record, list(waiting))
    return response


def _second_factor_first() -> Response | None:
    """A signed-in user who owes a second factor gets the code page before any other."""
    record = current_session()
    if record is None or record.second_factor or request.endpoint in BEFORE_SECOND_FACTOR:
        return None
    if not two_factor.needed(current_user):
        return None
    return redirect(url_for("two_factor.verify"))


def _no_store(response: Response) -> Response:
    """Every page but the static files may show personal data: no cache keeps it."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def install(app: Flask) -> None:
    """Start a server session at each sign-in; guard each request; keep pages out of caches."""
    user_logged_in.connect(_started, app)
    app.before_request(_second_factor_first)
    app.before_request(_flashes_from_server)
    app.after_request(_no_store)
    app.after_request(_flashes_to_server)


def require_role(*roles: Role) -> Callable[[], object]:
    """A `before_request` hook: anonymous visitors go to the login page, other roles get 403."""

    def guard() -> object:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None

    return guard


def home_endpoint(user: User) -> str:
    """Where a user lands after signing in."""
    return f"{user.role}.index"
