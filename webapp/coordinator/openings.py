"""Openings: the list, one opening's page, editing, approving (and employers' changes), closing."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..forms.common import ActionForm
from ..forms.opening import ChangeDecisionForm, new_opening_form
from ..models import Opening, OpeningStatus
from ..services import opening_changes
from ..services import openings as opening_service
from ..ui.paging import requested_page
from ..ui.views import INVALID, edit_opening, form_action, or_404, post_action
from .blueprint import bp


@bp.route("/openings")
def openings() -> str:
    status = request.args.get("status", "")
    status = status if status in tuple(OpeningStatus) else ""
    page = opening_service.openings_page(
        status=status, page=requested_page(), per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "coordinator/openings.html",
        page=page,
        openings=page.items,
        status=status,
        waiting=opening_changes.openings_with_changes(),
    )


@bp.route("/openings/<public_id>")
def opening(public_id: str) -> tuple[str, int]:
    return _opening_page(or_404(opening_service.get_opening, public_id))


def _opening_page(opening: Opening, status: int = 200) -> tuple[str, int]:
    taken = opening_service.taken_positions([opening]).get(opening.id, 0)
    change = opening_changes.pending_change(opening, with_broken=True)
    page = render_template(
        "coordinator/opening.html",
        opening=opening,
        left=opening.positions - taken,
        action_form=ActionForm(),
        change=change,
        decision_form=ChangeDecisionForm(formdata=None, version=change.version if change else 0),
    )
    return page, status


@bp.route("/openings/<public_id>/edit", methods=["GET", "POST"])
def opening_edit(public_id: str) -> str | Response | tuple[str, int]:
    opening = or_404(opening_service.get_opening, public_id)
    return edit_opening(
        opening,
        new_opening_form(),
        "coordinator/opening_form.html",
        url_for("coordinator.opening", public_id=opening.public_id),
        employer=opening.employer,
    )


def _change(public_id: str, change: Callable[[Opening], object], message: str) -> Response:
    opening = or_404(opening_service.get_opening, public_id)
    return post_action(
        lambda: change(opening),
        message,
        url_for("coordinator.opening", public_id=opening.public_id),
    )


@bp.route("/openings/<public_id>/approve", methods=["POST"])
def opening_approve(public_id: str) -> Response:
    return _change(
        public_id, opening_service.approve_opening, _("The opening is approved and open.")
    )


def _decide(
    public_id: str, decide: Callable[..., None], message: str
) -> Response | tuple[str, int]:
    opening = or_404(opening_service.get_opening, public_id)
    form = ChangeDecisionForm()
    return form_action(
        form,
        lambda: _opening_page(opening, INVALID),
        lambda: decide(opening, version=form.version.data),
        message,
        url_for("coordinator.opening", public_id=opening.public_id),
    )


@bp.route("/openings/<public_id>/change/approve", methods=["POST"])
def opening_change_approve(public_id: str) -> Response | tuple[str, int]:
    return _decide(
        public_id,
        opening_changes.approve_change,
        _("The change is approved: the changed opening is live. The employer is told."),
    )


@bp.route("/openings/<public_id>/change/reject", methods=["POST"])
def opening_change_reject(public_id: str) -> Response | tuple[str, int]:
    return _decide(
        public_id,
        opening_changes.reject_change,
        _("The change is rejected: the approved opening stays as it is. The employer is told."),
    )


@bp.route("/openings/<public_id>/close", methods=["POST"])
def opening_close(public_id: str) -> Response:
    return _change(public_id, opening_service.close_opening, _("The opening is closed."))


@bp.route("/openings/<public_id>/reopen", methods=["POST"])
def opening_reopen(public_id: str) -> Response:
    return _change(
        public_id, opening_service.reopen_opening, _("The opening awaits approval again.")
    )
