"""Password reset by email: asking for a link, and choosing a new password with it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..services import password_resets
from ..services.errors import InvalidStateError, NotFoundError
from ..ui.views import form_page, show_error
from .forms import ForgotPasswordForm, SetPasswordForm
from .views import bp


def _request_limit() -> str:
    return str(current_app.config.get("PASSWORD_RESET_RATE_LIMIT", "10 per hour"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_request_limit, methods=["POST"])
def forgot_password() -> str | Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_resets.request_reset(form.email.data or "")
        flash(
            _(
                "If an account has this email, a link to choose a new password is on its way. "
                "It works for %(minutes)d minutes.",
                minutes=password_resets.max_age_minutes(),
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return form_page("auth/reset_request.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    try:
        user = password_resets.user_for_reset(token)
    except NotFoundError:
        return render_template("auth/reset_expired.html")
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            password_resets.reset_password(token, form.password.data or "")
        except NotFoundError:
            return render_template("auth/reset_expired.html")
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("Your new password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return form_page("auth/reset_password.html", form=form, user=user)
