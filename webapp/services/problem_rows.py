"""The rows a run's document is built from, read in a few queries (see `problem`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, scoped_session, selectinload

from ..models import (
    ACTIVE_PLACEMENTS,
    Employer,
    EmployerStatus,
    EventKind,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    OpeningStatus,
    Placement,
    Proposal,
    ProposalStatus,
    TimelineEvent,
    Youth,
    YouthPreference,
    YouthStatus,
)
from .onboarding import needed_for
from .pair_rules import PairIds

AnySession = Session | scoped_session[Any]


def active_youths(session: AnySession, areas: list[int] | None) -> list[Youth]:
    """The active youths of the areas (all when None), with what their records need."""
    query = (
        select(Youth)
        .where(Youth.status == YouthStatus.ACTIVE)
        .options(
            selectinload(Youth.availability),
            selectinload(Youth.steps).selectinload(OnboardingStep.kind),
            selectinload(Youth.buddies),
            selectinload(Youth.excluded_employers),
            selectinload(Youth.preferences).selectinload(YouthPreference.opening),
        )
        .order_by(Youth.id)
    )
    if areas is not None:
        query = query.where(Youth.area_id.in_(areas))
    return list(session.scalars(query))


def active_placements(session: AnySession) -> list[tuple[int, int]]:
    """(youth id, opening id) of every confirmed or started placement, oldest first."""
    rows = session.execute(
        select(Placement.youth_id, Placement.opening_id)
        .where(Placement.status.in_(ACTIVE_PLACEMENTS))
        .order_by(Placement.id)
    )
    return list(dict.fromkeys((y, o) for y, o in rows))


def openings_for(session: AnySession, areas: list[int] | None, held: set[int]) -> list[Opening]:
    """Open openings of approved employers in the areas, and every opening in `held`."""
    offered = _offered_clause(areas)
    return list(
        session.scalars(
            select(Opening)
            .join(Employer, Employer.id == Opening.employer_id)
            .where(or_(offered, Opening.id.in_(held)))
            .options(selectinload(Opening.shifts), selectinload(Opening.employer))
            .order_by(Opening.id)
        )
    )


def _offered_clause(areas: list[int] | None) -> ColumnElement[bool]:
    clause = and_(Opening.status == OpeningStatus.OPEN, Employer.status == EmployerStatus.APPROVED)
    if areas is not None:
        clause = and_(clause, or_(Opening.area_id.is_(None), Opening.area_id.in_(areas)))
    return clause


def offered(opening: Opening, areas: list[int] | None) -> bool:
    """Whether the opening takes new youths in this run (mirrors `_offered_clause`)."""
    return (
        opening.status == OpeningStatus.OPEN
        and opening.employer.status == EmployerStatus.APPROVED
        and (areas is None or opening.area_id is None or opening.area_id in areas)
    )


def had_job(session: AnySession, youth_ids: set[int]) -> set[int]:
    """The youths who ever held a placement or an external job."""
    placed = select(Placement.youth_id).where(Placement.youth_id.in_(youth_ids))
    external = select(TimelineEvent.youth_id).where(
        TimelineEvent.youth_id.in_(youth_ids), TimelineEvent.kind == EventKind.EXTERNAL_JOB
    )
    return set(session.scalars(placed.union(external)))


def step_codes(session: AnySession) -> dict[str, list[str]]:
    """The step codes each kind of job needs by default, in checklist order."""
    kinds = session.scalars(
        select(OnboardingStepKind).order_by(OnboardingStepKind.position, OnboardingStepKind.id)
    ).all()
    return {
        job: [k.code for k in kinds if needed_for(k, job)]
        for job in ("fritidsjob", "lommepengejob")
    }


def sent_proposals(session: AnySession) -> list[PairIds]:
    """(youth, opening) public ids of proposals sent to employers, oldest first."""
    return [
        (youth, opening)
        for youth, opening in session.execute(
            select(Youth.public_id, Opening.public_id)
            .join(Proposal, Proposal.youth_id == Youth.id)
            .join(Opening, Opening.id == Proposal.opening_id)
            .where(Proposal.status == ProposalStatus.SENT)
            .order_by(Proposal.id)
        )
    ]


def held_pairs(session: AnySession) -> set[PairIds]:
    """(youth, opening) public ids of running placements and proposals sent to employers."""
    placed = (
        select(Youth.public_id, Opening.public_id)
        .join(Placement, Placement.youth_id == Youth.id)
        .join(Opening, Opening.id == Placement.opening_id)
        .where(Placement.status.in_(ACTIVE_PLACEMENTS))
    )
    sent = (
        select(Youth.public_id, Opening.public_id)
        .join(Proposal, Proposal.youth_id == Youth.id)
        .join(Opening, Opening.id == Proposal.opening_id)
        .where(Proposal.status == ProposalStatus.SENT)
    )
    return {(y, o) for y, o in session.execute(placed.union(sent))}
