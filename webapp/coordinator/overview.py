"""The coordinator's start page: what waits for approval (the first few of each, and how many)."""

from __future__ import annotations

from flask import render_template

from ..models import EmployerStatus, OpeningStatus
from ..services import openings as opening_service
from ..services import youth_search
from .blueprint import bp

FIRST_FEW = 5  # waiting records of each kind the page lists; it counts them all


@bp.route("/")
def index() -> str:
    return render_template(
        "coordinator/index.html",
        registrations=youth_search.registrations_page(page=1, per_page=FIRST_FEW),
        pending_openings=opening_service.openings_page(
            status=OpeningStatus.PENDING, page=1, per_page=FIRST_FEW
        ),
        employers=opening_service.employers_page(
            status=EmployerStatus.PENDING, page=1, per_page=FIRST_FEW
        ),
    )
