"""Registrations youths sent themselves: approve them into a profile, or delete them."""

from __future__ import annotations

import datetime as dt

from flask import render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..forms.common import ActionForm
from ..services import youth_search
from ..services import youths as youth_service
from ..ui.views import actor, or_404, post_action
from .blueprint import bp


@bp.route("/registrations")
def registrations() -> str:
    return render_template(
        "coordinator/registrations.html",
        registrations=youth_search.pending_registrations(),
        action_form=ActionForm(),
        today=dt.date.today(),
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


@bp.route("/registrations/<public_id>/reject", methods=["POST"])
def registration_reject(public_id: str) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    return post_action(
        lambda: youth_service.reject_registration(youth),
        _("The registration is deleted."),
        url_for("coordinator.registrations"),
    )
