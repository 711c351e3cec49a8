"""The onboarding gate of the first day: the steps a job needs are done, or an exception.

The first day is not recorded while a step the opening needs is missing
(`onboarding.checklist(youth).missing_for_opening(opening)`), unless the
coordinator records an exception with a reason. The exception goes on the
youth's timeline (the STARTED event carries the missing steps' codes and the
reason); the pages say "started without ..." from the checklist for as long as
those steps stay missing, so the line goes away once a step is done. The daily
start (`placements.start_due`) records no exceptions: it leaves such a
placement confirmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import OnboardingStepKind, Opening, Placement, PlacementStatus, Youth
from . import onboarding
from .errors import InvalidStateError


@dataclass(frozen=True)
class StartException:
    """Why a first day was recorded with steps missing: the steps' codes and names, the reason."""

    codes: list[str]
    names: list[str]
    reason: str

    def as_data(self) -> dict[str, object]:
        """The STARTED event's data about the exception."""
        return {"missing": self.codes, "missing_names": self.names, "reason": self.reason}


def missing_steps(youth: Youth, opening: Opening) -> list[OnboardingStepKind]:
    """The steps the opening needs that the youth has not done."""
    return onboarding.checklist(youth).missing_for_opening(opening)


def check_steps(
    youth: Youth, opening: Opening, *, exception: str | None, field: str
) -> StartException | None:
    """Let the first day be recorded when the steps are done, or with an exception's reason.

    Args:
        exception: the coordinator's reason for starting with steps missing (None: no exception).
        field: the form field a refusal is shown beside.

    Returns:
        The exception to record on the timeline, or None when no step is missing.

    Raises:
        InvalidStateError: a step is missing and no reason is given (the steps named).
    """
    missing = missing_steps(youth, opening)
    if not missing:
        return None
    locale = str(get_locale() or "da")
    names = [kind.name(locale) for kind in missing]
    reason = (exception or "").strip()
    if not reason:
        raise InvalidStateError(
            _(
                "Steps the job needs are missing: %(steps)s. Finish them first, or tick"
                " “Start anyway” and give the reason."
            )
            % {"steps": ", ".join(names)},
            field=field,
        )
    return StartException(
        codes=[kind.code for kind in missing],
        names=[kind.name_da for kind in missing],
        reason=reason,
    )


@dataclass(frozen=True)
class Unready:
    """A placement whose youth misses steps the job needs."""

    placement: Placement
    missing: list[OnboardingStepKind]


def unready(rows: Sequence[Placement]) -> list[Unready]:
    """The placements among `rows` whose youth misses steps the job needs, in their order.

    `rows` should have their youth's steps and their opening loaded (`PLACEMENT_ROWS`).
    """
    kinds = onboarding.step_kinds()
    found = []
    for placement in rows:
        missing = onboarding.checklist(placement.youth, kinds).missing_for_opening(
            placement.opening
        )
        if missing:
            found.append(Unready(placement, missing))
    return found


# What a list of placements with their missing steps reads of each row, in one query each.
PLACEMENT_ROWS = (
    selectinload(Placement.youth).selectinload(Youth.steps),
    selectinload(Placement.opening).selectinload(Opening.employer),
)


def started_without() -> list[Unready]:
    """Every started placement whose youth still misses a step the job needs, by first day."""
    rows = db.session.scalars(
        select(Placement)
        .where(Placement.status == PlacementStatus.STARTED)
        .options(*PLACEMENT_ROWS)
        .order_by(Placement.start_date, Placement.id)
    ).all()
    return unready(rows)
