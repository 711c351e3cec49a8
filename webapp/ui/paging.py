"""The page a list's query string (or a form sent from the list) asks for."""

from __future__ import annotations

from collections.abc import Mapping

from flask import request

FURTHEST_PAGE = 1_000_000  # any page asked beyond this is taken as this (then the last one)


def requested_page(values: Mapping[str, str] | None = None) -> int:
    """The ``page`` of the query string (or of `values`, e.g. a form): a whole number from 1;
    anything else is the first page."""
    value = (request.args if values is None else values).get("page", "")
    if not (value.isascii() and value.isdecimal()):
        return 1
    if len(value) > len(str(FURTHEST_PAGE)):
        return FURTHEST_PAGE
    return min(max(1, int(value)), FURTHEST_PAGE)
