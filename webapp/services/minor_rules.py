"""The rules that protect a working child, as short sentences for a parent or a youth.

The figures come from the library's rule table (`jobmatch.rules`, dk-2026): the hours a
day and a week, the rest, the working window of the workplace, light work only; the rules
that hold for everyone under 18 (supervision, lifting, no dangerous work) are fixed by law
and written here.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from jobmatch.rules import rule_table

from ..models import Opening, Youth

MINUTES_PER_HOUR = 60


def _hours(minutes: int) -> str:
    """Minutes as hours: "2", "7.5"."""
    hours = minutes / MINUTES_PER_HOUR
    return f"{hours:g}"


def _clock(minutes: int) -> str:
    return f"{minutes // MINUTES_PER_HOUR:02d}:{minutes % MINUTES_PER_HOUR:02d}"


def rules_for(youth: Youth, opening: Opening, day: dt.date) -> list[str]:
    """What the law promises the youth in this job on `day`, one plain sentence each.

    Empty for a youth of 18 or over (or under the minimum age, who may not work at all).
    """
    table = rule_table()
    age = youth.age_on(day)
    in_school = youth.in_compulsory_school(day)
    school = table.limits(age, in_school, school_week=True)
    holiday = table.limits(age, in_school, school_week=False)
    if school is None or holiday is None or school.group == "adult":
        return []
    rules = []
    if school.school_day_minutes is not None:
        rules.append(
            _(
                "At most %(school)s hours on a school day and %(other)s hours on other days.",
                school=_hours(school.school_day_minutes),
                other=_hours(school.day_minutes),
            )
        )
    else:
        rules.append(_("At most %(hours)s hours a day.", hours=_hours(school.day_minutes)))
    if school.week_minutes != holiday.week_minutes:
        rules.append(
            _(
                "At most %(school)s hours in a week with school, %(holiday)s in a holiday week.",
                school=_hours(school.week_minutes),
                holiday=_hours(holiday.week_minutes),
            )
        )
    else:
        rules.append(_("At most %(hours)s hours a week.", hours=_hours(school.week_minutes)))
    if (window := school.window(opening.workplace)) is not None:
        start, end = window
        rules.append(
            _("Work only between %(start)s and %(end)s.", start=_clock(start), end=_clock(end))
        )
    rules.append(
        _(
            "At least %(hours)s hours of rest in a row every day.",
            hours=_hours(school.rest_minutes),
        )
    )
    rules.append(_("At least 2 days off every week."))
    rules.append(_("A break of at least 30 minutes on a day longer than 4.5 hours."))
    if school.light_work_only:
        rules.append(_("Only light work."))
    if "food" not in school.alcohol_allowed:
        rules.append(_("No work where alcohol is served."))
    rules.append(_("An adult who knows the work is always there to help."))
    rules.append(_("No dangerous machines or substances, and no lifting of more than 12 kg."))
    rules.append(_("The employer tells you in writing about the hours, the pay and any risks."))
    return rules
