"""Parts of pages that are the same for everyone who may see them, worked out once a while.

The dashboard's figures for a period and an area take tens of queries and three
charts; twenty coordinators looking at the same period need them worked out
once. A part is kept under a key of its own (what it shows, never who asked or
anything personal) for `seconds`, with the time it was made, in the board's
cache (`extensions.cache`: each process's memory, or Redis in production).
With `seconds` 0 it is made on every call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ..extensions import cache
from ..models import utcnow


@dataclass(frozen=True)
class Kept:
    """A part of a page as HTML, and when it was made (UTC)."""

    html: Markup
    made_at: dt.datetime


def kept(key: str, seconds: int, make: Callable[[], str]) -> Kept:
    """The part kept under `key` when it is younger than `seconds`; else `make` it and keep it."""
    if seconds <= 0:
        return Kept(Markup(make()), utcnow())
    found = cache.get(key)
    if isinstance(found, tuple) and len(found) == 2:
        html, made_at = found
        return Kept(Markup(html), made_at)
    made = Kept(Markup(make()), utcnow())
    cache.set(key, (str(made.html), made.made_at), timeout=seconds)
    return made
