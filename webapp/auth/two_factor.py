"""Pages of the second factor: the code at sign-in, setting up an authenticator app, the
account's two-factor page (new recovery codes, turning it off). A coordinator's reset of
another account's is on the users page (coordinator/users.py)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required, logout_user
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length

from ..extensions import limiter
from ..forms.common import REQUIRED, ActionForm, BaseForm
from ..services import staff_sessions, two_factor
from ..services.errors import AlreadyDoneError, InvalidStateError
from ..ui.views import actor, form_page, show_error
from .sessions import current_session, home_endpoint
from .views import _login_limit, _safe_next

bp = Blueprint("two_factor", __name__)
MAX_FAILURES = 5  # wrong codes in one session before it ends and the password is asked again
# Wrong codes for one account, over all its sign-ins of the last hour, before codes are refused.
MAX_ACCOUNT_FAILURES = 20
ACCOUNT_FAILURE_WINDOW = dt.timedelta(hours=1)


class CodeForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[InputRequired(message=REQUIRED), Length(max=two_factor.MAX_CODE_INPUT)],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )


def _onwards() -> str:
    """Where to go once the second factor is given: `next` when it is a page of ours."""
    return _safe_next(request.args.get("next")) or url_for(home_endpoint(actor()))


@bp.route("/login/two-factor", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def verify() -> str | Response | tuple[str, int]:
    user, record = actor(), current_session()
    if record is None or record.second_factor or not two_factor.needed(user):
        return redirect(_onwards())
    if two_factor.enrolment(user) is None:
        return redirect(url_for(".setup", next=request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        recent = staff_sessions.recent_failures(user, within=ACCOUNT_FAILURE_WINDOW)
        if recent >= MAX_ACCOUNT_FAILURES:
            form.code.errors = [_("Too many wrong codes for this account. Try again in an hour.")]
            return render_template("auth/two_factor.html", form=form), 429
        try:
            two_factor.verify(user, form.code.data)
        except InvalidStateError as error:
            if staff_sessions.count_failure(record, most=MAX_FAILURES):
                logout_user()
                session.clear()
                flash(_("Too many wrong codes. Sign in again."), "danger")
                return redirect(url_for("auth.login"))
            form.code.errors = [str(error)]
        else:
            staff_sessions.pass_second_factor(record)
            return redirect(_onwards())
    return form_page("auth/two_factor.html", form=form)


class SetupForm(CodeForm):
    setup = HiddenField(validators=[Length(max=two_factor.MAX_SETUP_TOKEN)])


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@login_required
def setup() -> str | Response | tuple[str, int]:
    user, record = actor(), current_session()
    if record is None or two_factor.enrolment(user) is not None:
        return redirect(url_for(".account"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(user, form.setup.data, form.code.data)
        except AlreadyDoneError:
            return redirect(url_for(".account"))
        except InvalidStateError as error:
            form.code.errors = [str(error)]
        else:
            staff_sessions.pass_second_factor(record)
            return render_template("auth/two_factor_codes.html", codes=codes, onwards=_onwards())
    offer = two_factor.offer_setup(user, form.setup.data)
    form.setup.data = offer.token
    return form_page(
        "auth/two_factor_setup.html",
        form=form,
        qr=Markup(two_factor.qr_svg(two_factor.setup_uri(user, offer.secret))),
        secret=offer.secret,
    )


def _account_page(off_form: CodeForm) -> str | tuple[str, int]:
    user = actor()
    return form_page(
        "auth/two_factor_account.html",
        enrolled=two_factor.enrolment(user) is not None,
        required=two_factor.required(user),
        codes_left=two_factor.recovery_codes_left(user),
        off_form=off_form,
        action_form=ActionForm(),
    )


@bp.route("/account/two-factor")
@login_required
def account() -> str | tuple[str, int]:
    return _account_page(CodeForm(prefix="off"))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def renew_codes() -> str | Response:
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".account"))
    try:
        codes = two_factor.renew_recovery_codes(actor())
    except InvalidStateError as error:
        flash(str(error), "danger")
        return redirect(url_for(".account"))
    return render_template("auth/two_factor_codes.html", codes=codes, onwards=url_for(".account"))


@bp.route("/account/two-factor/off", methods=["POST"])
@login_required
def turn_off() -> str | Response | tuple[str, int]:
    form = CodeForm(prefix="off")
    if form.validate_on_submit():
        try:
            two_factor.turn_off(actor(), form.code.data)
        except AlreadyDoneError as error:
            flash(str(error), "info")
            return redirect(url_for(".account"))
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("Two-factor sign-in is off."), "success")
            return redirect(url_for(".account"))
    return _account_page(form)
