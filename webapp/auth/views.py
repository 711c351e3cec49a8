"""Sign-in and sign-out, invitations, password change and the choice of language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..services import accounts, login_throttle, two_factor
from ..services.errors import InvalidStateError, NotFoundError
from ..services.staff_sessions import EndReason
from ..ui.locale import LOCALES
from ..ui.views import actor, form_page, show_error
from .forms import ChangePasswordForm, LanguageForm, LoginForm, SetPasswordForm
from .sessions import end_current, fresh_session, home_endpoint

bp = Blueprint("auth", __name__)
MAX_NEXT = 1000  # a longer `next` is not a page of ours: go home instead


def _safe_next(target: str | None) -> str | None:
    """A local path to return to, never another site."""
    if not target or len(target) > MAX_NEXT:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = login_throttle.authenticate(form.email.data or "", form.password.data or "")
        except login_throttle.SignInPausedError as paused:
            form.password.errors = [str(paused)]
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            fresh_session()
            login_user(user)
            target = _safe_next(request.args.get("next"))
            if two_factor.needed(user):
                return redirect(url_for("two_factor.verify", next=target))
            return redirect(target or url_for(home_endpoint(user)))
        form.password.errors = [_("The email or the password is wrong.")]
    return form_page("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if current_user.is_authenticated:
        end_current(EndReason.LOGOUT)
        accounts.end_sessions(actor())
        logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    try:
        user = accounts.user_for_invitation(token)
    except NotFoundError:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.accept_invitation(token, form.password.data or "")
        except InvalidStateError as error:
            show_error(form, error)
        else:
            login_user(user)
            flash(_("Welcome! Your password is set."), "success")
            return redirect(url_for(home_endpoint(user)))
    return form_page("auth/invitation.html", form=form, user=user)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = actor()
        try:
            accounts.change_password(
                user, form.current_password.data or "", form.password.data or ""
            )
        except InvalidStateError as error:
            show_error(form, error)
        else:
            login_user(user)
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for(home_endpoint(user)))
    return form_page("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
def set_language() -> Response:
    form = LanguageForm()
    if not form.validate_on_submit() or form.lang.data not in LOCALES:
        abort(400)
    response = redirect(_safe_next(form.next.data) or url_for("public.jobs"))
    response.set_cookie(
        "lang",
        form.lang.data,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
