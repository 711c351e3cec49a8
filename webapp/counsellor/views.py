"""Counsellor pages. Every route requires the counsellor role and the youth's assignment."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.ui import board_day

from ..auth.sessions import require_role
from ..forms.youth import MilestoneForm, NoteForm
from ..models import AuditAction, Role, Youth
from ..services import audit, onboarding, timeline
from ..services import youths as youth_service
from ..ui.paging import requested_page
from ..ui.views import actor, add_milestone, add_note, or_404

bp = Blueprint("counsellor", __name__, url_prefix="/counsellor")
bp.before_request(require_role(Role.COUNSELLOR))


@bp.route("/")
def index() -> str:
    youths = youth_service.youths_of_counsellor(
        current_user, page=requested_page(), per_page=current_app.config["PAGE_SIZE"]
    )
    kinds = onboarding.step_kinds()
    return render_template(
        "counsellor/index.html",
        youths=youths,
        checklists={y.id: onboarding.checklist(y, kinds) for y in youths.items},
        today=board_day.today(),
    )


def _profile(youth: Youth, status: int = 200, **forms: Any) -> tuple[str, int]:
    page = render_template(
        "counsellor/youth.html",
        youth=youth,
        checklist=onboarding.checklist(youth),
        events=timeline.events_for(youth, page=requested_page()),
        note_form=forms.get("note_form") or NoteForm(prefix="note", formdata=None),
        milestone_form=forms.get("milestone_form")
        or MilestoneForm(prefix="milestone", formdata=None),
        age_only=youth_service.birth_date_estimated(youth),
        today=board_day.today(),
    )
    return page, status


@bp.route("/youths/<public_id>")
def youth(public_id: str) -> tuple[str, int]:
    youth = or_404(youth_service.get_youth_for_counsellor, current_user, public_id)
    audit.record_access(
        AuditAction.YOUTH_VIEWED, actor=actor(), youths=[youth], detail={"page": "counsellor"}
    )
    return _profile(youth)


@bp.route("/youths/<public_id>/notes", methods=["POST"])
def youth_note(public_id: str) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth_for_counsellor, current_user, public_id)
    return add_note(youth, _profile, _back(youth))


@bp.route("/youths/<public_id>/milestones", methods=["POST"])
def youth_milestone(public_id: str) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth_for_counsellor, current_user, public_id)
    return add_milestone(youth, _profile, _back(youth))


def _back(youth: Youth) -> str:
    return url_for("counsellor.youth", public_id=youth.public_id, _anchor="timeline")
