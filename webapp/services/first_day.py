"""A placement's first day: today or later, on a weekday the opening has a shift.

One rule for every path that sets or records a first day: the employer's
accept, a placement by hand with a planned first day, the coordinator
recording the first day. `check_first_day` refuses a day that breaks it, with
the opening's shift days named, beside the form's date field;
`next_first_day` is the day the forms propose. Today is the server's today.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.ui import board_day

from ..models import Opening
from .errors import InvalidStateError

MAX_DAYS_AHEAD = 366  # a first day further ahead is a typing error, not a plan

# By weekday (Monday first): "on Mondays" and "a Monday", as the refusals put them.
ON_DAYS = (
    _l("on Mondays"),
    _l("on Tuesdays"),
    _l("on Wednesdays"),
    _l("on Thursdays"),
    _l("on Fridays"),
    _l("on Saturdays"),
    _l("on Sundays"),
)
A_DAY = (
    _l("a Monday"),
    _l("a Tuesday"),
    _l("a Wednesday"),
    _l("a Thursday"),
    _l("a Friday"),
    _l("a Saturday"),
    _l("a Sunday"),
)


def shift_days(opening: Opening) -> list[int]:
    """The weekdays (0 is Monday) the opening has a shift on, in week order."""
    return sorted({shift.day_index for shift in opening.shifts})


def next_first_day(
    opening: Opening, *, not_before: dt.date | None = None, today: dt.date | None = None
) -> dt.date:
    """The first day a form proposes: the next shift day from `not_before` (never before today)."""
    today = today or board_day.today()
    day = max(today, not_before or today)
    days = shift_days(opening)
    while days and day.weekday() not in days:
        day += dt.timedelta(days=1)
    return day


def check_first_day(
    opening: Opening, day: dt.date, *, field: str, today: dt.date | None = None
) -> None:
    """Refuse a first day before today, too far ahead, or on a weekday without a shift.

    Raises:
        InvalidStateError: with `field`, naming the opening's shift days and the next allowed day.
    """
    today = today or board_day.today()
    if day > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidStateError(_("Choose a first day within a year from today."), field=field)
    days = shift_days(opening)
    if day >= today and (not days or day.weekday() in days):
        return
    following = format_date(next_first_day(opening, today=today))
    if not days:
        raise InvalidStateError(
            _("The first day cannot be in the past: choose today or later."), field=field
        )
    words = {
        "days": _join([str(ON_DAYS[d]) for d in days], _("and")),
        "choice": _join([str(A_DAY[d]) for d in days], _("or")),
        "next": following,
    }
    if day < today:
        message = _(
            "The first day cannot be in the past. The job has shifts %(days)s:"
            " choose %(choice)s from today (the next is %(next)s)."
        )
    else:
        message = _(
            "The job has shifts %(days)s: choose %(choice)s from today (the next is %(next)s)."
        )
    raise InvalidStateError(message % words, field=field)


def _join(words: list[str], last: str) -> str:
    """ "a, b and c": the words with `last` ("and" or "or") before the last one."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"
