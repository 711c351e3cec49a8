"""Parts of pages that are the same for everyone who may see them, worked out once a while.

The dashboard's figures for a period and an area take tens of queries and three
charts; twenty coordinators looking at the same period need them worked out
once. A part is kept under a key of its own (what it shows, never who asked or
anything personal) for `seconds`, with the time it was made, in the board's
cache (`extensions.cache`: each process's memory, or Redis in production).
With `seconds` 0 it is made on every call.

A part older than `seconds` is still shown, for up to as long again, while one
thread of one process makes it anew behind the view (the others go on showing
the old one): so no view waits for the tens of queries, only the first view
after `2 * seconds` without any.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import copy_current_request_context, has_request_context
from markupsafe import Markup

from ..extensions import cache
from ..models import utcnow

log = logging.getLogger(__name__)
MAKING_S = 60  # a part being made anew is left to its maker this long at most


@dataclass(frozen=True)
class Kept:
    """A part of a page as HTML, and when it was made (UTC)."""

    html: Markup
    made_at: dt.datetime


def kept(key: str, seconds: int, make: Callable[[], str]) -> Kept:
    """The part kept under `key` when it is younger than `seconds`; one up to twice that old
    while it is made anew behind the view; else `make` it now and keep it."""
    if seconds <= 0:
        return Kept(Markup(make()), utcnow())
    found = cache.get(key)
    if isinstance(found, tuple) and len(found) == 2:
        html, made_at = found
        if utcnow() - made_at >= dt.timedelta(seconds=seconds):
            _make_behind(key, seconds, make)
        return Kept(Markup(html), made_at)
    return _make_and_keep(key, seconds, make)


def _make_and_keep(key: str, seconds: int, make: Callable[[], str]) -> Kept:
    made = Kept(Markup(make()), utcnow())
    cache.set(key, (str(made.html), made.made_at), timeout=2 * seconds)
    return made


def _make_behind(key: str, seconds: int, make: Callable[[], str]) -> None:
    """Make the part anew in a thread of its own, unless another view already does."""
    making = f"{key}:making"
    if not has_request_context() or not cache.add(making, True, timeout=MAKING_S):
        return

    @copy_current_request_context  # the request's locale and URLs, a database session of its own
    def make_anew() -> None:
        try:
            _make_and_keep(key, seconds, make)
        except Exception:
            log.exception("the page part %s could not be made anew", key.split(":", 1)[0])
        finally:
            cache.delete(making)

    threading.Thread(target=make_anew, name=f"page-part {key}", daemon=True).start()
