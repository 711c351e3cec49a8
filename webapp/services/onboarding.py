"""Onboarding: the steps a youth needs before the first day, with who helped and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from webapp.ui import board_day

from ..extensions import db
from ..models import (
    FINISHED_STEPS,
    EventKind,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    StepStatus,
    User,
    Youth,
)
from . import timeline
from .claims import hold_youth
from .errors import InvalidStateError
from .lookup import by_id

STANDARD_STEP_KINDS = (
    # code, Danish, English, fritidsjob, lommepengejob, Danish description, English
    (
        "bank_account",
        "Bankkonto / NemKonto",
        "Bank account / NemKonto",
        True,
        False,
        "Forældrene opretter kontoen for en mindreårig; løn og feriepenge går hertil.",
        "The parents open the account for a minor; wages and holiday pay go to it.",
    ),
    (
        "mitid",
        "MitID",
        "MitID",
        True,
        False,
        "Fra 13 år, med forældrene for 13-14-årige.",
        "From age 13, with the parents for 13-14-year-olds.",
    ),
    (
        "tax_card",
        "Skattekort / frikort",
        "Tax card / frikort",
        True,
        False,
        "Frikort kommer automatisk fra det år, man fylder 15; ellers opretter forældrene det.",
        "A frikort is automatic from the year the youth turns 15; else the parents set it up.",
    ),
    (
        "parental_consent",
        "Forældresamtykke og informationsbrev",
        "Parental consent and information letter",
        True,
        True,
        "Forældrene informeres skriftligt om job, timer, løn og risici.",
        "The parents are informed in writing about the job, hours, pay and risks.",
    ),
    (
        "contract",
        "Ansættelseskontrakt underskrevet",
        "Employment contract signed",
        True,
        False,
        "Kræves ved mere end 3 timer om ugen i gennemsnit; forældrene skriver under.",
        "Required above 3 hours a week on average; the parents sign.",
    ),
    (
        "first_day_meeting",
        "Møde før første arbejdsdag",
        "First-day meeting",
        False,
        False,
        "En kort snak med arbejdsgiveren og den unge før start.",
        "A short talk with the employer and the youth before the start.",
    ),
)


@dataclass(frozen=True)
class ChecklistRow:
    """One line of a youth's onboarding checklist."""

    kind: OnboardingStepKind
    step: OnboardingStep | None

    @property
    def status(self) -> str:
        return self.step.status if self.step else StepStatus.TODO

    @property
    def complete(self) -> bool:
        return self.status in FINISHED_STEPS


@dataclass(frozen=True)
class Checklist:
    """A youth's onboarding checklist with progress."""

    rows: list[ChecklistRow]

    @property
    def percent(self) -> int:
        if not self.rows:
            return 100
        return round(100 * sum(r.complete for r in self.rows) / len(self.rows))

    def missing_for(self, kind: str) -> list[OnboardingStepKind]:
        """Steps not yet done that a job of `kind` needs."""
        return [r.kind for r in self.rows if not r.complete and needed_for(r.kind, kind)]

    def missing_for_opening(self, opening: Opening) -> list[OnboardingStepKind]:
        """Steps not yet done that this opening needs: its own list, else its kind's."""
        if not opening.onboarding_steps:
            return self.missing_for(opening.kind)
        wanted = set(opening.onboarding_steps)
        return [r.kind for r in self.rows if not r.complete and r.kind.code in wanted]

    def done_codes(self) -> list[str]:
        """Codes of the steps done, as the interchange format's `onboarding`."""
        return [r.kind.code for r in self.rows if r.status == StepStatus.DONE]


def needed_for(kind: OnboardingStepKind, job_kind: str) -> bool:
    """Whether a job of `job_kind` needs this step."""
    return kind.for_fritidsjob if job_kind == "fritidsjob" else kind.for_lommepengejob


def step_kinds() -> list[OnboardingStepKind]:
    """Every kind of step, in checklist order."""
    return list(
        db.session.scalars(
            select(OnboardingStepKind).order_by(OnboardingStepKind.position, OnboardingStepKind.id)
        )
    )


def ensure_standard_step_kinds() -> None:
    """Create the standard step kinds that are missing (idempotent)."""
    existing = set(db.session.scalars(select(OnboardingStepKind.code)))
    for position, (code, da, en, fritid, lomme, desc_da, desc_en) in enumerate(
        STANDARD_STEP_KINDS
    ):
        if code not in existing:
            db.session.add(
                OnboardingStepKind(
                    code=code,
                    name_da=da,
                    name_en=en,
                    for_fritidsjob=fritid,
                    for_lommepengejob=lomme,
                    description_da=desc_da,
                    description_en=desc_en,
                    position=(position + 1) * 10,
                )
            )
    db.session.commit()


def add_step_kind(
    *,
    code: str,
    name_da: str,
    name_en: str,
    description_da: str,
    for_fritidsjob: bool,
    for_lommepengejob: bool,
) -> OnboardingStepKind:
    """Add a kind of onboarding step, placed last in the checklist.

    Raises:
        InvalidStateError: the code is taken (field ``code``).
    """
    if db.session.scalar(select(OnboardingStepKind).where(OnboardingStepKind.code == code)):
        raise InvalidStateError(_("A step with this code already exists."), field="code")
    last = db.session.scalar(select(func.max(OnboardingStepKind.position))) or 0
    kind = OnboardingStepKind(
        code=code,
        name_da=name_da.strip(),
        name_en=name_en.strip(),
        description_da=description_da.strip(),
        for_fritidsjob=for_fritidsjob,
        for_lommepengejob=for_lommepengejob,
        position=last + 10,
    )
    db.session.add(kind)
    db.session.commit()
    return kind


def checklist(youth: Youth, kinds: list[OnboardingStepKind] | None = None) -> Checklist:
    """The youth's checklist over every kind of step."""
    by_kind = {s.kind_id: s for s in youth.steps}
    return Checklist([ChecklistRow(k, by_kind.get(k.id)) for k in kinds or step_kinds()])


def get_step_kind(kind_id: int) -> OnboardingStepKind:
    """The kind of step with this id.

    Raises:
        NotFoundError: no such kind.
    """
    return by_id(OnboardingStepKind, kind_id)


@dataclass(frozen=True)
class StepChange:
    """What a coordinator sets for one kind of step: status, the day it was done, a note."""

    kind: OnboardingStepKind
    status: str
    done_on: dt.date | None
    note: str


def update_steps(actor: User, youth: Youth, changes: list[StepChange]) -> list[OnboardingStepKind]:
    """Set the steps of the checklist in one transaction; only those that change are recorded.

    A step changes when its status, date or note differs from what is stored
    (a step never touched counts as "to do" with no note). Each changed step
    records who helped and gets one timeline entry. Done without a date means
    done today; a step that is not done has no date. The youth's row is held
    first, so that the same form sent twice at once is saved once: the second
    finds nothing left to change.

    Returns:
        The kinds of the steps that changed, in the order given.
    """
    hold_youth(youth)
    stored = {s.kind_id: s for s in youth.steps}
    changed = []
    for change in changes:
        done_on = (
            (change.done_on or board_day.today()) if change.status == StepStatus.DONE else None
        )
        note = change.note.strip()
        step = stored.get(change.kind.id)
        now = (step.status, step.done_on, step.note) if step else (StepStatus.TODO, None, "")
        if now == (change.status, done_on, note):
            continue
        if step is None:
            step = OnboardingStep(youth=youth, kind=change.kind)
            db.session.add(step)
        step.status, step.done_on, step.note = change.status, done_on, note
        step.helped_by = actor
        timeline.record(
            youth,
            EventKind.STEP,
            actor=actor,
            code=change.kind.code,
            text=note,
            data={"status": change.status, "step": change.kind.name_da},
            occurred_on=done_on,
        )
        changed.append(change.kind)
    db.session.commit()
    return changed


def update_step(
    actor: User,
    youth: Youth,
    kind: OnboardingStepKind,
    *,
    status: str,
    done_on: dt.date | None,
    note: str,
) -> OnboardingStep:
    """Set one step's status, date and note as `update_steps` does; return the step."""
    update_steps(actor, youth, [StepChange(kind, status, done_on, note)])
    return next(s for s in youth.steps if s.kind_id == kind.id)
