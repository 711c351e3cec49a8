"""The messages that say why a youth was not placed, by reason code (msgids for `_l`).

`explanations` fills them in from each reason's facts; people are named by
first name only, jobs by title and employer.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

Message = Any  # a lazy msgid from `_l`

# Short names of the rules, for lists ("too young, alcohol is served").
RULE_NAMES: dict[str, Message] = {
    "too_young": _l("too young for the job"),
    "too_old": _l("older than the job takes"),
    "not_light_work": _l("not light work, which the youth may only do"),
    "alcohol": _l("alcohol is served"),
    "unavailable": _l("shifts outside the youth's available times"),
    "legal_hours": _l("more hours or days than the law allows the youth"),
    "working_window": _l("shifts outside the hours the law allows the youth"),
    "rest": _l("too little rest between working days"),
    "too_far": _l("farther from home than the youth travels"),
    "language": _l("a language the youth does not speak"),
    "certificate": _l("a certificate the youth does not have"),
    "excluded": _l("an employer the youth has ruled out"),
    "forbidden": _l("ruled out by a coordinator"),
    "positions_taken": _l("the positions went to others"),
    "max_jobs_zero": _l("the youth is not looking for a job"),
}

# A nearest miss: the job fails on this one rule only.
NEAR_MISS: dict[str, Message] = {
    "too_young": _l("Would get a job at %(employer)s (%(title)s) from the age of %(age)s."),
    "too_old": _l("Would get a job at %(employer)s (%(title)s) if it took youths over %(age)s."),
    "not_light_work": _l(
        "Would get a job at %(employer)s (%(title)s) if the tasks were light work: "
        "the youth is under 15 or in compulsory school."
    ),
    "alcohol": _l("Would get a job at %(employer)s (%(title)s) if no alcohol were served there."),
    "unavailable": _l("Would get a job at %(employer)s (%(title)s) if available %(shifts)s."),
    "legal_hours": _l(
        "Would get a job at %(employer)s (%(title)s) with fewer hours a day or a week "
        "(now %(hours)s hours a week), as the law limits the youth's hours."
    ),
    "working_window": _l(
        "Would get a job at %(employer)s (%(title)s) if its shifts lay within %(window)s, "
        "the hours the law allows the youth."
    ),
    "rest": _l(
        "Would get a job at %(employer)s (%(title)s) if its shifts left %(hours)s hours "
        "of rest between working days."
    ),
    "too_far": _l(
        "Would get a job at %(employer)s (%(title)s) if travelling %(km)s km instead of "
        "%(max_km)s km."
    ),
    "language": _l("Would get a job at %(employer)s (%(title)s) if speaking %(languages)s."),
    "certificate": _l(
        "Would get a job at %(employer)s (%(title)s) with the certificate %(certificates)s."
    ),
    "excluded": _l(
        "Would get a job at %(employer)s (%(title)s) if the youth had not ruled out this employer."
    ),
    "forbidden": _l(
        "Would get a job at %(employer)s (%(title)s) if a coordinator had not ruled out the pair."
    ),
}
# A near miss at a job with no position free: changing the one rule would not place the youth.
FULL_MISS: Message = _l(
    "%(title)s at %(employer)s fits except for one rule (%(rule)s), but all its "
    "positions are taken for now."
)

# Eligible for a job, but its positions went to others: why they came first.
TAKEN: dict[str, Message] = {
    "higher": _l(
        "Could take %(title)s at %(employer)s, but %(names)s came first: "
        "a higher priority, e.g. no job yet."
    ),
    "same": _l(
        "Could take %(title)s at %(employer)s, but %(names)s came first: the same or a "
        "higher priority, and more youths placed or a better fit overall."
    ),
    "mixed": _l(
        "Could take %(title)s at %(employer)s, but the positions went to %(names)s: "
        "giving one to this youth would leave someone with more priority without a job."
    ),
    "empty": _l(
        "Could take %(title)s at %(employer)s; it was left empty because that placed "
        "more youths overall."
    ),
}

# A reason about no single job: how many jobs a rule rules out, and the like.
SUMMARY: dict[str, Message] = {
    "too_far": _l("%(count)s of %(total)s open jobs are farther than %(km)s km from home."),
    "unavailable": _l(
        "%(count)s of the %(total)s jobs within reach have shifts outside the youth's "
        "available times (%(windows)s)."
    ),
    "positions_taken": _l("%(count)s more jobs the youth could take are all full."),
    "max_jobs_zero": _l("Not looking for a job: may hold no jobs at all."),
}
SUMMARY_OTHER: Message = _l("Rules out %(count)s of the %(total)s jobs within reach: %(rule)s.")
NO_OPENINGS: Message = _l("There are no open jobs in this run.")
NO_WINDOWS: Message = _l("none registered")
UNKNOWN_TRAVEL: Message = _l("any distance")
