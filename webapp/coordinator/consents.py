"""Parents' consents that wait: the list, a page at a time, and sending a link (again)."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..forms.common import ActionForm
from ..services import consent, pending_consents
from ..ui.paging import requested_page
from ..ui.views import actor, or_404, post_action
from .blueprint import bp


@bp.route("/consents")
def consents() -> str:
    return render_template(
        "coordinator/consents.html",
        page=pending_consents.pending_page(
            page=requested_page(), per_page=current_app.config["PAGE_SIZE"]
        ),
        LinkState=pending_consents.LinkState,
        action_form=ActionForm(),
    )


@bp.route("/consents/<int:placement_id>/send", methods=["POST"])
def consent_send(placement_id: int) -> Response:
    """Send the parent a consent link; a link sent before stops working."""
    placement = or_404(pending_consents.get_running_placement, placement_id)
    back = url_for("coordinator.consents", page=requested_page(request.form))
    return post_action(
        lambda: consent.send_request(actor(), placement),
        lambda sent_by: _("The link is sent to the parent (%(ways)s).", ways=sent_by),
        back,
    )
