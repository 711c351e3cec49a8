"""Employer pages. Every route requires the employer role and touches only the own company."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.ui import board_day

from ..auth.sessions import require_role
from ..forms.common import ActionForm
from ..forms.matching import AcceptForm, DeclineForm, FeedbackForm
from ..forms.opening import CompanyForm, new_opening_form
from ..models import AuditAction, Employer, Opening, Proposal, Role
from ..services import audit, opening_changes, placements, proposals
from ..services import openings as opening_service
from ..services.errors import InvalidStateError
from ..services.first_day import next_first_day
from ..ui.views import (
    INVALID,
    form_action,
    form_page,
    or_404,
    post_action,
    show_error,
)

bp = Blueprint("employer", __name__, url_prefix="/employer")
bp.before_request(require_role(Role.EMPLOYER))


def _employer() -> Employer:
    employer: Employer | None = current_user.employer
    if employer is None:
        abort(403)
    return employer


@bp.route("/")
def index() -> str:
    employer = _employer()
    openings = opening_service.list_openings(employer=employer)
    return render_template(
        "employer/index.html",
        employer=employer,
        openings=openings,
        taken=opening_service.taken_positions(openings),
        proposals=proposals.proposals_for_employer(employer),
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
    return form_page("employer/company.html", form=form, employer=employer)


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
    return form_page("employer/opening_form.html", form=form, opening=None)


@bp.route("/openings/<public_id>")
def opening(public_id: str) -> tuple[str, int]:
    opening = or_404(opening_service.get_opening_for_employer, current_user, public_id)
    return _opening_page(opening)


def _opening_page(opening: Any, status: int = 200, **forms: Any) -> tuple[str, int]:
    today = board_day.today()
    held = placements.placements_for_employer(opening)
    page = render_template(
        "employer/opening.html",
        opening=opening,
        candidates=[view for _placement, view in held],
        feedback={
            p.id: forms.get(f"feedback{p.id}")
            or FeedbackForm(prefix=f"feedback{p.id}", formdata=None)
            for p, _view in held
            if placements.feedback_due(p, today) and not p.employer_feedback
        },
        placements=[p for p, _view in held],
        proposals=[
            p
            for p in proposals.proposals_for_employer(opening.employer)
            if p.opening_id == opening.id
        ],
        action_form=ActionForm(),
        change=opening_changes.pending_change(opening),
    )
    return page, status


@bp.route("/openings/<public_id>/placements/<int:placement_id>/feedback", methods=["POST"])
def feedback(public_id: str, placement_id: int) -> Response | tuple[str, int]:
    opening = or_404(opening_service.get_opening_for_employer, current_user, public_id)
    placement = or_404(placements.get_placement_for_employer, opening, placement_id)
    form = FeedbackForm(prefix=f"feedback{placement.id}")
    return form_action(
        form,
        lambda: _opening_page(opening, INVALID, **{f"feedback{placement.id}": form}),
        lambda: placements.give_feedback(
            current_user, placement, text=form.text.data or "", today=board_day.today()
        ),
        _("Thank you for the feedback."),
        url_for("employer.opening", public_id=opening.public_id),
    )


# -- proposed candidates ----------------------------------------------------------

PROPOSAL = {"page": "proposal"}  # the audit trail's note of an employer's view of a candidate


def _proposal_page(proposal: Proposal, status: int = 200, **forms: Any) -> tuple[str, int]:
    accept_form = forms.get("accept_form") or AcceptForm(prefix="accept", formdata=None)
    if accept_form.start_date.data is None:
        accept_form.start_date.data = next_first_day(
            proposal.opening, not_before=proposal.run.start_date
        )
    page = render_template(
        "employer/proposal.html",
        proposal=proposal,
        candidate=proposals.candidate(proposal, board_day.today()),
        accept_form=accept_form,
        decline_form=forms.get("decline_form") or DeclineForm(prefix="decline", formdata=None),
    )
    return page, status


@bp.route("/proposals/<public_id>")
def proposal(public_id: str) -> tuple[str, int]:
    found = or_404(proposals.get_proposal_for_employer, current_user, public_id)
    audit.record_access(
        AuditAction.YOUTH_VIEWED, actor=current_user, youths=[found.youth], detail=PROPOSAL
    )
    return _proposal_page(found)


@bp.route("/proposals/<public_id>/accept", methods=["POST"])
def proposal_accept(public_id: str) -> Response | tuple[str, int]:
    found = or_404(proposals.get_proposal_for_employer, current_user, public_id)
    form = AcceptForm(prefix="accept")
    return form_action(
        form,
        lambda: _proposal_page(found, INVALID, accept_form=form),
        lambda: proposals.accept(current_user, found, start_date=form.start_date.data),
        _("Agreed: the youth is placed with you."),
        url_for("employer.opening", public_id=found.opening.public_id),
        refused=url_for("employer.proposal", public_id=found.public_id),
        beside=True,
    )


@bp.route("/proposals/<public_id>/decline", methods=["POST"])
def proposal_decline(public_id: str) -> Response | tuple[str, int]:
    found = or_404(proposals.get_proposal_for_employer, current_user, public_id)
    form = DeclineForm(prefix="decline")
    return form_action(
        form,
        lambda: _proposal_page(found, INVALID, decline_form=form),
        lambda: proposals.decline(current_user, found, reason=form.reason.data or ""),
        _("The candidate is declined. The coordinator is told."),
        url_for("employer.index"),
        refused=url_for("employer.proposal", public_id=found.public_id),
    )


@bp.route("/openings/<public_id>/edit", methods=["GET", "POST"])
def opening_edit(public_id: str) -> str | Response | tuple[str, int]:
    """Edit an opening; for an approved one, what matters waits for the coordinator."""
    opening = or_404(opening_service.get_opening_for_employer, current_user, public_id)
    form = new_opening_form()
    change = opening_changes.pending_change(opening)
    if request.method == "GET":
        form.fill(change.changed if change else opening)
    elif form.validate_on_submit():
        try:
            waits = opening_changes.edit_by_employer(opening, form.to_data())
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(
                _("Your change waits for the coordinator's approval. Until then the approved "
                  "version stays on the board.")
                if waits
                else _("The changes are saved."),
                "info" if waits else "success",
            )  # fmt: skip
            return redirect(url_for("employer.opening", public_id=opening.public_id))
    return form_page("employer/opening_form.html", form=form, opening=opening, change=change)


def _opening_button(public_id: str, action: Callable[[Opening], object], message: str) -> Response:
    opening = or_404(opening_service.get_opening_for_employer, current_user, public_id)
    return post_action(
        lambda: action(opening),
        message,
        url_for("employer.opening", public_id=opening.public_id),
    )


@bp.route("/openings/<public_id>/change/withdraw", methods=["POST"])
def opening_change_withdraw(public_id: str) -> Response:
    return _opening_button(
        public_id,
        opening_changes.withdraw_change,
        _("Your change is withdrawn. The approved version stays on the board."),
    )


@bp.route("/openings/<public_id>/close", methods=["POST"])
def opening_close(public_id: str) -> Response:
    return _opening_button(public_id, opening_service.close_opening, _("The opening is closed."))
