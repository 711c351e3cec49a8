"""The English sentence of a reason (`Reason.detail`), written from its facts alone."""

from __future__ import annotations

from collections.abc import Iterable

from .clock import Shift, format_time
from .facts import (
    AlcoholServed,
    Excluded,
    Facts,
    Forbidden,
    Missing,
    MoreTaken,
    NoOpenings,
    NotLightWork,
    NotLooking,
    OutsideWindow,
    OverHours,
    PairFacts,
    PositionsTaken,
    RuledOut,
    ShortRest,
    TooFar,
    TooManyDays,
    TooOld,
    TooYoung,
    Unavailable,
)

_WHY = {
    "empty": "it was left empty because the youth's other constraints made that best overall",
    "higher": "they have a higher priority",
    "same": (
        "they have the same or higher priority, and giving them the position placed more "
        "youths or a better fit overall"
    ),
    "mixed": (
        "the youth could take this position only by leaving someone with more priority "
        "without a job, or fewer youths placed overall"
    ),
}


def detail(code: str, facts: Facts) -> str:
    """The sentence for a coordinator of a reason with this code and these facts."""
    if isinstance(facts, PairFacts):
        if facts.free_positions > 0:
            rest = f"and {facts.free_positions} position(s) are still free"
        else:
            rest = "but the positions are taken"
        return f"{_broken(code, facts)}; the only rule broken, {rest}"
    if isinstance(facts, PositionsTaken):
        names = ", ".join(
            f"{h.youth} (priority {h.priority}, score {h.score})" for h in facts.holders
        )
        return (
            f"eligible (score {facts.score}), but the {facts.positions} position(s) went "
            f"to {names}: {_WHY[facts.why]}"
        )
    if isinstance(facts, RuledOut):
        if code == "too_far":
            return f"{facts.count} of {facts.total} openings are farther than the youth travels"
        return f"rules out {facts.count} of the {facts.total} openings within reach"
    if isinstance(facts, MoreTaken):
        return f"and {facts.count} more openings the youth was eligible for, all full"
    if isinstance(facts, NoOpenings):
        return "there are no openings in the problem"
    assert isinstance(facts, NotLooking)
    return "the youth's max_jobs is 0: not looking for a job"


def _broken(code: str, facts: PairFacts) -> str:
    """What exactly breaks the rule for the pair."""
    if isinstance(facts, TooYoung):
        return f"the youth is {facts.age}; the opening needs {facts.min_age} or older"
    if isinstance(facts, TooOld):
        return f"the youth is {facts.age}; the opening takes youths up to {facts.max_age}"
    if isinstance(facts, NotLightWork):
        return (
            "the tasks are not light work, which youths under 15 or in compulsory school "
            "may only do"
        )
    if isinstance(facts, AlcoholServed):
        return f"alcohol is served ({facts.alcohol}), which the law rules out for this youth"
    if isinstance(facts, Unavailable):
        return "the youth is not available for " + shift_list(facts.shifts)
    if isinstance(facts, TooFar):
        return (
            f"the job is {facts.distance_km:.2f} km from home; the youth travels at most "
            f"{facts.limit_km:g} km"
        )
    if isinstance(facts, Missing):
        kind = "language" if code == "language" else "certificate"
        return f"requires the {kind}(s) " + ", ".join(facts.missing)
    if isinstance(facts, Excluded):
        return f"the youth has excluded the employer {facts.employer}"
    if isinstance(facts, Forbidden):
        return "a coordinator has ruled this pair out"
    if isinstance(facts, OutsideWindow):
        span = f"{format_time(facts.window_start)}-{format_time(facts.window_end)}"
        return f"{shift_list(facts.shifts)} lies outside the {span} the youth may work"
    if isinstance(facts, OverHours):
        where = {"school_day": "on a school day", "day": "on a day", "week": "a week"}
        return (
            f"{facts.minutes / 60:g} h {where[facts.limit]} where the youth may work "
            f"{facts.cap_minutes / 60:g} h"
        )
    if isinstance(facts, TooManyDays):
        return f"{facts.working_days} working days a week; at most {facts.max_days} allowed"
    assert isinstance(facts, ShortRest)
    return f"leaves less than {facts.min_rest_minutes // 60} h rest between two working days"


def shift_list(shifts: Iterable[Shift]) -> str:
    """Shifts as "sat 10:00-14:00, sun 10:00-12:00"."""
    return ", ".join(str(s) for s in shifts)
