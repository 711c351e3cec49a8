"""The page a list's query string asks for."""

from __future__ import annotations

from flask import request

FURTHEST_PAGE = 1_000_000  # any page asked beyond this is taken as this (then the last one)


def requested_page() -> int:
    """The query string's ``page``: a whole number from 1; anything else is the first page."""
    value = request.args.get("page", "")
    if not (value.isascii() and value.isdecimal()):
        return 1
    if len(value) > len(str(FURTHEST_PAGE)):
        return FURTHEST_PAGE
    return min(max(1, int(value)), FURTHEST_PAGE)
