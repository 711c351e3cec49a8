"""The board's day: dates are Copenhagen's, whatever time zone the server runs in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Copenhagen")


def today() -> dt.date:
    """Today in Copenhagen (between 23:00 and 01:00 UTC it is not the server's date)."""
    return dt.datetime.now(ZONE).date()


def day_of(moment: dt.datetime) -> dt.date:
    """The Copenhagen day of a stored instant."""
    return moment.astimezone(ZONE).date()
