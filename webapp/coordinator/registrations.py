"""Registrations youths sent themselves: approve them, merge a duplicate, or delete them."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import HiddenField
from wtforms.validators import InputRequired, Regexp

from webapp.ui import board_day

from ..forms.common import ActionForm, BaseForm
from ..services import duplicates, merges, youth_search
from ..services import youths as youth_service
from ..ui.paging import requested_page
from ..ui.views import actor, or_404, post_action
from .blueprint import bp


@bp.route("/registrations")
def registrations() -> str:
    page = youth_search.registrations_page(
        page=requested_page(), per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "coordinator/registrations.html",
        page=page,
        duplicates=duplicates.likely_duplicates(page.items),
        REASON_LABELS=_reason_labels(),
        action_form=ActionForm(),
        today=board_day.today(),
    )


@bp.route("/registrations/<public_id>/approve", methods=["POST"])
def registration_approve(public_id: str) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    return post_action(
        lambda: youth_service.approve_registration(actor(), youth),
        _("The registration is approved. Complete the profile."),
        url_for("coordinator.youth_edit", public_id=youth.public_id),
        refused=url_for("coordinator.registrations"),
    )


class MergeForm(BaseForm):
    """The merge button: the youth to keep, by public id."""

    # A public id (URL-safe characters, at most the column's 16): nothing else reaches a query.
    into = HiddenField(validators=[InputRequired(), Regexp(r"^[A-Za-z0-9_-]{1,16}$")])


@bp.route("/registrations/<public_id>/merge", methods=["POST"])
def registration_merge(public_id: str) -> Response:
    """Merge a registration into the youth it duplicates; a second identical POST is calm."""
    form = MergeForm()
    back = url_for("coordinator.registrations")
    if not form.validate_on_submit():
        flash(_("Choose the youth to merge the registration into."), "danger")
        return redirect(back)
    into = form.into.data or ""
    return post_action(
        lambda: merges.merge_registration(actor(), public_id, into),
        lambda kept: _("The registration is merged into %(name)s.", name=kept.first_name),
        url_for("coordinator.youth", public_id=into),
        refused=back,
    )


def _reason_labels() -> dict[str, str]:
    """Why a registration is flagged, as the page says it."""
    return {
        "email": _("same email"),
        "parent_email": _("same parent's email"),
        "phone": _("same phone"),
        "parent_phone": _("same parent's phone"),
        "name_birth_date": _("same name and birth date"),
    }


@bp.route("/registrations/<public_id>/reject", methods=["POST"])
def registration_reject(public_id: str) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    return post_action(
        lambda: youth_service.reject_registration(youth),
        _("The registration is deleted."),
        url_for("coordinator.registrations"),
    )
