"""Staff accounts: the list, invitations, resetting access (by email to the owner),
changing a staff role, deactivating and activating."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..forms.common import ActionForm, options
from ..models import Role
from ..services import accounts, password_resets, roles, two_factor
from ..services import openings as opening_service
from ..services.errors import InvalidStateError
from ..ui.paging import requested_page
from ..ui.views import actor, form_page, or_404, post_action, show_error
from .blueprint import bp
from .forms import InviteForm


def _invitation_queued(link: str) -> str:
    return _("The invitation is queued for sending. Link: %(link)s", link=link)


@bp.route("/users")
def users() -> str:
    page = accounts.users_page(page=requested_page(), per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "coordinator/users.html",
        page=page,
        action_form=ActionForm(),
        two_factor_holders=two_factor.holders(page.items),
    )


@bp.route("/users/invite", methods=["GET", "POST"])
def user_invite() -> str | Response | tuple[str, int]:
    form = InviteForm()
    employers = opening_service.approved_employers()
    form.employer.choices = options([("", "—"), *((e.public_id, e.name) for e in employers)])
    if form.validate_on_submit():
        employer = next((e for e in employers if e.public_id == form.employer.data), None)
        try:
            _user, link = accounts.invite_user(
                inviter=actor(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=form.role.data or Role.EMPLOYER,
                employer=employer,
            )
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_invitation_queued(link), "success")
            return redirect(url_for("coordinator.users"))
    return form_page("coordinator/user_invite.html", form=form)


@bp.route("/users/<public_id>/reset", methods=["POST"])
def user_reset(public_id: str) -> Response:
    user = or_404(accounts.get_user, public_id)
    return post_action(
        lambda: password_resets.issue_reset(actor(), user),
        _(
            "The account's password is removed and its sessions are ended. A link to choose "
            "a new one is emailed to the account's own address."
        ),
        url_for("coordinator.users"),
    )


@bp.route("/users/<public_id>/two-factor/reset", methods=["POST"])
def user_two_factor_reset(public_id: str) -> Response:
    user = or_404(accounts.get_user, public_id)
    return post_action(
        lambda: two_factor.reset(actor(), user),
        _("Two-factor sign-in is removed: the account sets it up again at its next sign-in."),
        url_for("coordinator.users"),
    )


@bp.route("/users/<public_id>/role", methods=["POST"])
def user_role(public_id: str) -> Response:
    user = or_404(accounts.get_user, public_id)
    role = request.form.get("role", "")
    return post_action(
        lambda: roles.change_role(actor(), user, role),
        _("The role is changed. The account's sessions are ended: it signs in again."),
        url_for("coordinator.users"),
    )


def _set_active(public_id: str, *, active: bool) -> Response:
    user = or_404(accounts.get_user, public_id)
    return post_action(
        lambda: accounts.set_active(actor(), user, active=active),
        _("The account is updated."),
        url_for("coordinator.users"),
    )


@bp.route("/users/<public_id>/deactivate", methods=["POST"])
def user_deactivate(public_id: str) -> Response:
    return _set_active(public_id, active=False)


@bp.route("/users/<public_id>/activate", methods=["POST"])
def user_activate(public_id: str) -> Response:
    return _set_active(public_id, active=True)
