"""Clock and calendar arithmetic: weekdays, "HH:MM" times of day, weekly shifts, ages."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
_TIME = re.compile(r"^(\d{2}):(\d{2})$")


@lru_cache(maxsize=4096)  # a problem repeats the same few times thousands of times
def parse_time(text: str, *, end: bool = False) -> int:
    """Minutes since midnight of an "HH:MM" time from 00:00 to 23:59, or 24:00 as an `end`.

    Raises:
        ValueError: the text is not such a time.
    """
    match = _TIME.match(text)
    if match:
        total = int(match[1]) * 60 + int(match[2])
        if int(match[2]) < 60 and (total < MINUTES_PER_DAY or (end and total == MINUTES_PER_DAY)):
            return total
    raise ValueError(f"{time_rule(end=end)}, got {text!r}")


def time_rule(*, end: bool = False) -> str:
    """What `parse_time` accepts, as it reads in a message."""
    allowed = "00:00 to 24:00" if end else "00:00 to 23:59 (24:00 only as an end)"
    return f"must be a time HH:MM from {allowed}"


def format_time(minutes: int) -> str:
    """Minutes since midnight as HH:MM (1440 is 24:00)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier: the birth date of someone turning `years` on `day`.

    29 February gives 28 February in a common year, so that `age_on` of the result on
    `day` is `years`.
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, and the year back is a common year
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`; a birthday on `day` counts (29 Feb turns on 1 Mar)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


@dataclass(frozen=True, slots=True, order=True)
class Shift:
    """A weekly window: day 0 (Monday) to 6 (Sunday), minutes since midnight, start < end."""

    day: int
    start: int
    end: int

    @property
    def minutes(self) -> int:
        """Length of the shift in minutes, breaks included."""
        return self.end - self.start

    def overlaps(self, other: Shift) -> bool:
        """True when both shifts share a minute on the same day."""
        return self.day == other.day and self.start < other.end and other.start < self.end

    def contains(self, other: Shift) -> bool:
        """True when `other` lies wholly inside this window."""
        return self.day == other.day and self.start <= other.start and other.end <= self.end

    def __str__(self) -> str:
        return f"{DAYS[self.day]} {format_time(self.start)}-{format_time(self.end)}"
