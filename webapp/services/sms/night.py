"""No SMS to a minor at night: 20:00 to 08:00 Copenhagen time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MORNING = dt.time(8)
EVENING = dt.time(20)


def is_night(moment: dt.datetime) -> bool:
    """Whether `moment` (aware) falls between 20:00 and 08:00 in Copenhagen."""
    local = moment.astimezone(COPENHAGEN).time()
    return not MORNING <= local < EVENING


def next_morning(moment: dt.datetime) -> dt.datetime:
    """The first 08:00 in Copenhagen at or after `moment`, in UTC; `moment` itself by day."""
    if not is_night(moment):
        return moment
    local = moment.astimezone(COPENHAGEN)
    day = local.date() if local.time() < MORNING else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, MORNING, tzinfo=COPENHAGEN).astimezone(dt.UTC)
