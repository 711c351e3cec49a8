"""The youth's own page at /me: sign in with a one-time code, see and answer, change contact."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..forms.common import ActionForm, BaseForm, fill_windows, windows_of
from ..models import Youth
from ..services import youth_login, youth_page, youth_proposals
from ..services.errors import AlreadyDoneError, InvalidStateError, NotFoundError
from ..ui.views import INVALID, show_error
from .blueprint import bp
from .forms import (
    AVAILABILITY_ROWS,
    AnswerForm,
    CodeForm,
    ContactForm,
    YouthAvailabilityForm,
    YouthContactForm,
)
from .youth_session import (
    TICKET_COOKIE,
    YOUTH_COOKIE,
    clear_cookie,
    current_youth,
    language_for,
    set_cookie,
    youth_required,
)

DEFAULT_LOCALE = "da"


def _sign_in_limit() -> str:
    """The throttle of the staff's sign-in form, per address, on each of the two forms."""
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _youth() -> Youth:
    youth = current_youth()
    if youth is None:  # youth_required lets no such request in
        abort(401)
    return youth


def _visitor_language() -> str:
    return language_for(DEFAULT_LOCALE)


@bp.route("/me/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def sign_in() -> str | Response | tuple[str, int]:
    """Ask for a code: the same answer whether or not the address is known."""
    with force_locale(_visitor_language()):
        form = ContactForm()
        if not form.validate_on_submit():
            page = render_template("family/sign_in.html", form=form)
            return (page, INVALID) if form.is_submitted() else page
        ticket = youth_login.request_code(form.contact.data or "")
        response = redirect(url_for("family.enter_code"))
        minutes = youth_login.CODE_MINUTES * 60
        set_cookie(response, TICKET_COOKIE, ticket, max_age=minutes)
        return response


@bp.route("/me/code", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
def enter_code() -> str | Response | tuple[str, int]:
    with force_locale(_visitor_language()):
        ticket = request.cookies.get(TICKET_COOKIE, "")
        if not ticket:
            return redirect(url_for("family.sign_in"))
        form = CodeForm()
        if form.validate_on_submit():
            try:
                token = youth_login.verify_code(ticket, form.code.data or "")
            except InvalidStateError as error:
                show_error(form, error)
            else:
                response = redirect(url_for("family.me"))
                clear_cookie(response, TICKET_COOKIE)
                hours = youth_login.SESSION_HOURS * 3600
                set_cookie(response, YOUTH_COOKIE, token, max_age=hours)
                return response
        page = render_template("family/code.html", form=form)
        return (page, INVALID) if form.is_submitted() else page


@bp.route("/me/sign-out", methods=["POST"])
def sign_out() -> Response:
    response = redirect(url_for("family.sign_in"))
    if ActionForm().validate_on_submit():
        youth_login.sign_out(request.cookies.get(YOUTH_COOKIE, ""))
        clear_cookie(response, YOUTH_COOKIE)
    return response


@bp.route("/me")
@youth_required
def me() -> str:
    youth = _youth()
    locale = language_for(youth.language)
    with force_locale(locale):
        return render_template(
            "family/me.html",
            youth=youth,
            proposals=youth_proposals.waiting_proposals(youth),
            jobs=youth_page.jobs_of(youth, locale),
            ready=youth_page.steps_before_a_job(youth, locale),
            answer_form=AnswerForm(),
        )


@bp.route("/me/proposals/<public_id>", methods=["POST"])
@youth_required
def answer_proposal(public_id: str) -> Response:
    youth = _youth()
    with force_locale(language_for(youth.language)):
        form = AnswerForm()
        back = redirect(url_for("family.me"))
        if not form.validate_on_submit():
            flash(_("Press yes or no."), "danger")
            return back
        try:
            proposal = youth_proposals.youths_proposal(youth, public_id)
            youth_proposals.answer(youth, proposal, yes=form.answer.data == "yes")
        except NotFoundError:
            flash(_("This job no longer waits for an answer."), "danger")
        except AlreadyDoneError as error:
            flash(str(error), "info")
        except InvalidStateError as error:
            flash(str(error), "danger")
        else:
            flash(
                _("Thank you. We tell the coordinator.")
                if form.answer.data == "yes"
                else _("Thank you. The job is taken back."),
                "success",
            )
        return back


def _edit_page(
    form: BaseForm, template: str, save: Callable[[], object]
) -> str | Response | tuple[str, int]:
    """A youth's change: saved (`save`) and back to /me, or the form again with its errors."""
    if form.validate_on_submit():
        try:
            save()
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("family.me"))
    page = render_template(template, form=form)
    return (page, INVALID) if form.is_submitted() else page


@bp.route("/me/contact", methods=["GET", "POST"])
@youth_required
def contact() -> str | Response | tuple[str, int]:
    youth = _youth()
    with force_locale(language_for(youth.language)):
        form = YouthContactForm(data={"email": youth.email, "phone": youth.phone})
        return _edit_page(
            form,
            "family/contact.html",
            lambda: youth_page.update_contact(
                youth, email=form.email.data or "", phone=form.phone.data or ""
            ),
        )


@bp.route("/me/availability", methods=["GET", "POST"])
@youth_required
def availability() -> str | Response | tuple[str, int]:
    """The weekly times the youth can work, checked and saved as the coordinator's form is."""
    youth = _youth()
    with force_locale(language_for(youth.language)):
        form = YouthAvailabilityForm()
        if request.method == "GET":
            fill_windows(form.availability, youth.availability, AVAILABILITY_ROWS)
        return _edit_page(
            form,
            "family/availability.html",
            lambda: youth_page.update_availability(youth, windows_of(form.availability.entries)),
        )
