"""Employer pages. Every route requires the employer role and touches only the own company."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..auth.sessions import require_role
from ..coordinator.forms import ActionForm
from ..models import Employer
from ..opening_forms import CompanyForm, new_opening_form
from ..services import openings as opening_service
from ..services import placements
from ..services.errors import InvalidStateError
from ..views_common import INVALID, edit_opening, or_404, show_error

bp = Blueprint("employer", __name__, url_prefix="/employer")
bp.before_request(require_role("employer"))


def _employer() -> Employer:
    employer: Employer | None = current_user.employer
    if employer is None:
        abort(403)
    return employer


def _page(template: str, **context: Any) -> str | tuple[str, int]:
    page = render_template(template, **context)
    return (page, INVALID) if request.method == "POST" else page


@bp.route("/")
def index() -> str:
    employer = _employer()
    openings = opening_service.list_openings(employer=employer)
    return render_template(
        "employer/index.html",
        employer=employer,
        openings=openings,
        taken=opening_service.taken_positions(openings),
    )


@bp.route("/company", methods=["GET", "POST"])
def company() -> str | Response | tuple[str, int]:
    employer = _employer()
    form = CompanyForm(obj=employer if request.method == "GET" else None)
    if form.validate_on_submit():
        data = form.to_data()
        data.is_housing_association = employer.is_housing_association
        opening_service.update_employer(employer, data)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("employer.index"))
    return _page("employer/company.html", form=form, employer=employer)


@bp.route("/openings/new", methods=["GET", "POST"])
def opening_new() -> str | Response | tuple[str, int]:
    employer = _employer()
    form = new_opening_form()
    if form.validate_on_submit():
        try:
            opening = opening_service.create_opening(employer, form.to_data(), approved=False)
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The opening is saved and awaits a coordinator's approval."), "success")
            return redirect(url_for("employer.opening", public_id=opening.public_id))
    return _page("employer/opening_form.html", form=form, opening=None)


@bp.route("/openings/<public_id>")
def opening(public_id: str) -> str:
    opening = or_404(opening_service.get_opening_for_employer, current_user, public_id)
    return render_template(
        "employer/opening.html",
        opening=opening,
        candidates=placements.candidates_for_employer(opening, dt.date.today()),
        action_form=ActionForm(),
    )


@bp.route("/openings/<public_id>/edit", methods=["GET", "POST"])
def opening_edit(public_id: str) -> str | Response | tuple[str, int]:
    opening = or_404(opening_service.get_opening_for_employer, current_user, public_id)
    return edit_opening(
        opening,
        new_opening_form(),
        "employer/opening_form.html",
        url_for("employer.opening", public_id=opening.public_id),
    )


@bp.route("/openings/<public_id>/close", methods=["POST"])
def opening_close(public_id: str) -> Response:
    opening = or_404(opening_service.get_opening_for_employer, current_user, public_id)
    if ActionForm().validate_on_submit():
        try:
            opening_service.close_opening(opening)
        except InvalidStateError as error:
            flash(str(error), "danger")
        else:
            flash(_("The opening is closed."), "success")
    return redirect(url_for("employer.opening", public_id=opening.public_id))
