"""The consents that wait: running placements of youths under 18 whose parent has not
consented yet, a page at a time, each with its latest link (`consent`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

import jobmatch
from webapp.ui import board_day

from ..extensions import db
from ..models import (
    ACTIVE_PLACEMENTS,
    FINISHED_STEPS,
    ConsentRequest,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Placement,
    Youth,
    YouthStatus,
)
from .consent import ADULT_AGE, CONSENT_STEP, LinkState, state_of
from .errors import NotFoundError
from .paging import Page, paged


@dataclass(frozen=True)
class PendingConsent:
    """A running placement of a youth under 18 whose parent has not consented yet."""

    placement: Placement
    latest: ConsentRequest | None

    @property
    def state(self) -> LinkState | None:
        """The latest link's state (None: never sent)."""
        return None if self.latest is None else state_of(self.latest)


def pending_page(
    *, page: int, per_page: int, today: dt.date | None = None
) -> Page[PendingConsent]:
    """The placements that wait for a parent's consent, soonest first day first, a page at a time.

    A placement counts while it runs, its youth is active and under 18 today, and the youth's
    parental-consent step is not done (nor marked not needed).
    """
    today = today or board_day.today()
    adult_born = jobmatch.years_before(today, ADULT_AGE)
    finished = exists().where(
        OnboardingStep.youth_id == Placement.youth_id,
        OnboardingStep.kind_id == OnboardingStepKind.id,
        OnboardingStepKind.code == CONSENT_STEP,
        OnboardingStep.status.in_(FINISHED_STEPS),
    )
    query = (
        select(Placement)
        .join(Youth, Youth.id == Placement.youth_id)
        .where(
            Placement.status.in_(ACTIVE_PLACEMENTS),
            Youth.status == YouthStatus.ACTIVE,
            Youth.birth_date > adult_born,
            ~finished,
        )
        .options(
            selectinload(Placement.youth),
            selectinload(Placement.opening).selectinload(Opening.employer),
        )
        .order_by(Placement.start_date.is_(None), Placement.start_date, Placement.id)
    )
    found = paged(query, page=page, per_page=per_page)
    latest: dict[int, ConsentRequest] = {}
    if found.items:
        for request in db.session.scalars(
            select(ConsentRequest)
            .where(ConsentRequest.placement_id.in_([p.id for p in found.items]))
            .order_by(ConsentRequest.id)
        ):
            latest[request.placement_id] = request
    rows = [PendingConsent(p, latest.get(p.id)) for p in found.items]
    return Page(rows, found.page, found.pages, found.total)


def get_running_placement(placement_id: int) -> Placement:
    """A placement by id, for the coordinator's consent buttons.

    Raises:
        NotFoundError: no such placement.
    """
    placement = db.session.get(Placement, placement_id)
    if placement is None:
        raise NotFoundError("placement")
    return placement
