"""Employers: the list, creating, editing and approving one, and its new openings."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..forms.common import ActionForm
from ..forms.opening import EmployerForm, new_opening_form
from ..services import openings as opening_service
from ..services.errors import InvalidStateError
from ..ui.paging import requested_page
from ..ui.views import form_page, or_404, post_action, show_error
from .blueprint import bp


@bp.route("/employers")
def employers() -> str:
    page = opening_service.employers_page(
        page=requested_page(), per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template("coordinator/employers.html", page=page)


@bp.route("/employers/new", methods=["GET", "POST"])
def employer_new() -> str | Response | tuple[str, int]:
    form = EmployerForm()
    if form.validate_on_submit():
        employer = opening_service.create_employer(form.to_data(), approved=True)
        flash(_("The employer is created."), "success")
        return redirect(url_for("coordinator.employer", public_id=employer.public_id))
    return form_page("coordinator/employer_form.html", form=form, employer=None)


@bp.route("/employers/<public_id>")
def employer(public_id: str) -> str:
    employer = or_404(opening_service.get_employer, public_id)
    return render_template(
        "coordinator/employer.html",
        employer=employer,
        openings=opening_service.list_openings(employer=employer),
        action_form=ActionForm(),
    )


@bp.route("/employers/<public_id>/edit", methods=["GET", "POST"])
def employer_edit(public_id: str) -> str | Response | tuple[str, int]:
    employer = or_404(opening_service.get_employer, public_id)
    form = EmployerForm(obj=employer if request.method == "GET" else None)
    if form.validate_on_submit():
        opening_service.update_employer(employer, form.to_data())
        flash(_("The changes are saved."), "success")
        return redirect(url_for("coordinator.employer", public_id=employer.public_id))
    return form_page("coordinator/employer_form.html", form=form, employer=employer)


@bp.route("/employers/<public_id>/approve", methods=["POST"])
def employer_approve(public_id: str) -> Response:
    employer = or_404(opening_service.get_employer, public_id)
    return post_action(
        lambda: opening_service.approve_employer(employer),
        _("The employer is approved."),
        url_for("coordinator.employer", public_id=employer.public_id),
    )


@bp.route("/employers/<public_id>/openings/new", methods=["GET", "POST"])
def opening_new(public_id: str) -> str | Response | tuple[str, int]:
    employer = or_404(opening_service.get_employer, public_id)
    form = new_opening_form()
    if form.validate_on_submit():
        try:
            opening = opening_service.create_opening(employer, form.to_data(), approved=True)
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The opening is created and open."), "success")
            return redirect(url_for("coordinator.opening", public_id=opening.public_id))
    return form_page("coordinator/opening_form.html", form=form, employer=employer, opening=None)
