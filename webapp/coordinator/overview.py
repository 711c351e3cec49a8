"""The coordinator's start page: what waits for approval."""

from __future__ import annotations

from flask import render_template

from ..models import EmployerStatus, OpeningStatus
from ..services import openings as opening_service
from ..services import youth_search
from .blueprint import bp


@bp.route("/")
def index() -> str:
    return render_template(
        "coordinator/index.html",
        registrations=youth_search.pending_registrations(),
        pending_openings=opening_service.list_openings(status=OpeningStatus.PENDING),
        employers=[
            e for e in opening_service.list_employers() if e.status == EmployerStatus.PENDING
        ],
    )
