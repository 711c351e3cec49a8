"""How jobmatch names the kind of a JSON value, for the reader and the validator alike.

A whole number is a JSON integer: `true` is a boolean, not 1, and `15.0` is a
number with a decimal point, not the whole number 15 (the spec's `int` keys
take integers only).
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Mapping
from typing import Any

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlevel = 3


def is_whole_number(value: Any) -> bool:
    """True for a JSON integer (an `int` that is not a `bool`)."""
    return isinstance(value, int) and not isinstance(value, bool)


def kind_of(value: Any) -> str:
    """The kind of a parsed JSON value, as it reads in a message ("a whole number")."""
    if isinstance(value, bool):
        return "a boolean"
    if is_whole_number(value):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "null" if value is None else "a value"


def shown(value: Any) -> str:
    """A parsed JSON value as it reads in a message: short, whatever its size or depth."""
    if is_whole_number(value) and value.bit_length() > 64:
        power = f"10**{math.floor(math.log10(abs(value)))}"
        return f"-{power} or less" if value < 0 else f"{power} or more"
    return _SHORT.repr(value)
