"""Typed values out of untrusted JSON: each wrong value becomes an `Issue`, never an exception.

`ValueReader` collects every issue, so that a coordinator fixing a spreadsheet
export sees all of them at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ..clock import DAYS, Shift, format_time, parse_time, time_rule
from ..errors import Issue
from ..geo import Location
from ..jsonkinds import is_whole_number, kind_of, shown

MISSING: Any = object()
"""The value of a key that is not there (distinct from null)."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def describe(value: Any) -> str:
    """The kind of a value, "nothing" for `MISSING`."""
    return "nothing" if value is MISSING else kind_of(value)


class ValueReader:
    """Reads values out of untrusted JSON, recording an issue instead of raising."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        # Each shift read so far by its text: a city's 24,000 windows and shifts are 400 or so
        # distinct ones, each read (and made) once.
        self._shifts: dict[tuple[str, str, str], Shift] = {}

    def fail(self, where: str, code: str, message: str, record: str | None = None) -> None:
        """Record one issue (`code` from `errors.ISSUE_CODES`)."""
        self.issues.append(Issue(where, record, code, message))

    def check_keys(
        self, obj: Mapping[str, Any], allowed: set[str], where: str, record: str | None
    ) -> None:
        """An issue for every key of `obj` not in `allowed`."""
        if obj.keys() <= allowed:
            return
        for key in sorted(set(obj) - allowed):
            self.fail(
                f"{where}.{key}",
                "unknown_key",
                f"unknown key; allowed keys: {', '.join(sorted(allowed))}",
                record,
            )

    def obj(self, value: Any, where: str, record: str | None = None) -> Mapping[str, Any] | None:
        """An object, else None."""
        if isinstance(value, Mapping):
            return value
        self.fail(where, "wrong_type", f"must be an object, got {describe(value)}", record)
        return None

    def items(self, value: Any, where: str, record: str | None = None) -> list[Any]:
        """A list (empty when missing)."""
        if value is MISSING:
            return []
        if isinstance(value, list):
            return value
        self.fail(where, "wrong_type", f"must be a list, got {describe(value)}", record)
        return []

    def string(self, value: Any, where: str, record: str | None, *, required: bool = False,
               default: str = "") -> str:  # fmt: skip
        """A string; a required one must be given and not blank."""
        if value is MISSING:
            if required:
                self.fail(where, "required", "is required", record)
            return default
        if not isinstance(value, str):
            self.fail(where, "wrong_type", f"must be a string, got {describe(value)}", record)
            return default
        if required and not value.strip():
            self.fail(where, "required", "must not be empty", record)
        return value

    def choice(
        self, value: Any, where: str, record: str | None, options: Iterable[str], default: str
    ) -> str:
        """One of `options`."""
        options = tuple(options)
        if value is MISSING:
            return default
        if value not in options:
            message = f"must be one of {', '.join(options)}; got {shown(value)}"
            self.fail(where, "not_allowed", message, record)
            return default
        return str(value)

    def integer(self, value: Any, where: str, record: str | None, *, minimum: int,
                maximum: int | None = None, default: int | None = None) -> int | None:  # fmt: skip
        """A whole number within bounds."""
        if value is MISSING:
            return default
        if not is_whole_number(value):
            message = f"must be a whole number, got {describe(value)} {shown(value)}"
            self.fail(where, "wrong_type", message, record)
            return default
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
            self.fail(where, "out_of_range", f"must be {bounds}, got {shown(value)}", record)
            return default
        return int(value)

    def number(
        self, value: Any, where: str, record: str | None, *, minimum: float, maximum: float
    ) -> float | None:
        """A finite number within bounds."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, "wrong_type", f"must be a number, got {describe(value)}", record)
            return None
        if not minimum <= value <= maximum:  # NaN lies within no bounds
            message = f"must be from {minimum:g} to {maximum:g}, got {shown(value)}"
            self.fail(where, "out_of_range", message, record)
            return None
        return float(value)

    def boolean(self, value: Any, where: str, record: str | None, default: bool) -> bool:
        """true or false."""
        if value is MISSING:
            return default
        if not isinstance(value, bool):
            message = f"must be true or false, got {describe(value)} {shown(value)}"
            self.fail(where, "wrong_type", message, record)
            return default
        return value

    def date(self, value: Any, where: str, record: str | None) -> dt.date | None:
        """A date YYYY-MM-DD."""
        if isinstance(value, str) and _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(where, "bad_date", f"must be a date YYYY-MM-DD, got {shown(value)}", record)
        return None

    def strings(self, value: Any, where: str, record: str | None) -> tuple[str, ...]:
        """A list of distinct non-empty strings."""
        if value is MISSING:  # most records leave most lists out
            return ()
        result: list[str] = []
        for i, item in enumerate(self.items(value, where, record)):
            if isinstance(item, str) and item.strip():
                result.append(item)
            else:
                message = f"must be a non-empty string, got {shown(item)}"
                self.fail(f"{where}[{i}]", "wrong_type", message, record)
        distinct = tuple(dict.fromkeys(result))
        if len(distinct) < len(result):
            for item, count in Counter(result).items():
                if count > 1:
                    self.fail(where, "duplicate", f"lists {shown(item)} {count} times", record)
        return distinct

    def location(self, value: Any, where: str, record: str | None) -> Location | None:
        """A `{"lat", "lon"}` object in degrees."""
        if value is MISSING:
            return None
        obj = self.obj(value, where, record)
        if obj is None:
            return None
        self.check_keys(obj, {"lat", "lon"}, where, record)
        lat = self.number(obj.get("lat"), f"{where}.lat", record, minimum=-90, maximum=90)
        lon = self.number(obj.get("lon"), f"{where}.lon", record, minimum=-180, maximum=180)
        return None if lat is None or lon is None else Location(lat, lon)

    def time(self, value: Any, where: str, record: str | None, *, is_end: bool) -> int | None:
        """An "HH:MM" time as minutes since midnight."""
        if value is MISSING:
            self.fail(where, "required", "is required", record)
            return None
        try:
            if isinstance(value, str):
                return parse_time(value, end=is_end)
            raise ValueError(f"{time_rule(end=is_end)}, got {shown(value)}")
        except ValueError as error:
            self.fail(where, "bad_time", str(error), record)
            return None

    def shifts(
        self, value: Any, where: str, record: str | None
    ) -> tuple[tuple[Shift, ...], tuple[tuple[int, Shift], ...]]:
        """A list of shifts, and each with its position in the list."""
        result: list[tuple[int, Shift]] = []
        for i, item in enumerate(self.items(value, where, record)):
            text = _shift_text(item)
            if text in self._shifts:
                result.append((i, self._shifts[text]))
                continue
            at = f"{where}[{i}]"
            obj = self.obj(item, at, record)
            if obj is None:
                continue
            self.check_keys(obj, {"day", "start", "end"}, at, record)
            day = obj.get("day", MISSING)
            if day is MISSING:
                self.fail(f"{at}.day", "required", "is required", record)
            elif day not in DAYS:
                message = f"must be one of {', '.join(DAYS)}; got {shown(day)}"
                self.fail(f"{at}.day", "not_allowed", message, record)
            start = self.time(obj.get("start", MISSING), f"{at}.start", record, is_end=False)
            end = self.time(obj.get("end", MISSING), f"{at}.end", record, is_end=True)
            if day not in DAYS or start is None or end is None:
                continue
            if end <= start:
                message = f"must be after the start {format_time(start)}, got {format_time(end)}"
                self.fail(f"{at}.end", "shift_order", message, record)
                continue
            shift = Shift(DAYS.index(day), start, end)
            if text is not None:
                self._shifts[text] = shift
            result.append((i, shift))
        return tuple(shift for _, shift in result), tuple(result)


def _shift_text(item: Any) -> tuple[str, str, str] | None:
    """The day, start and end text of a JSON object that gives those three keys only."""
    if type(item) is dict and len(item) == 3:
        day, start, end = item.get("day"), item.get("start"), item.get("end")
        if type(day) is str and type(start) is str and type(end) is str:
            return day, start, end
    return None
