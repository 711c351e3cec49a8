"""Absolute links to the board, the one place they are made: always from `BOARD_URL`.

Every link that leaves the board (an invitation, a reset, a notice, a link
shown to copy) names the board's public address from the `BOARD_URL`
setting, never the request's Host header: a forged header cannot point a link
elsewhere, and a worker without a request builds the same links.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def board_link(endpoint: str, **values: Any) -> str:
    """An absolute link to `endpoint` on the board at `BOARD_URL`, inside or outside a request."""
    base = urlsplit(current_app.config["BOARD_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def board_url_problem(url: str, *, production: bool) -> str | None:
    """What is wrong with `url` as the board's public address, or None when it will do.

    Production needs https: its session cookies are sent over https only, so a
    link to an http:// board could not sign anyone in.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed [ of an IPv6 host
        parts = urlsplit("")
    schemes = ("https",) if production else ("http", "https")
    if parts.scheme not in schemes or not parts.hostname:
        wanted = " or ".join(f"{scheme}://" for scheme in schemes)
        return f"must be an {wanted} address with a host, got {url!r}"
    if parts.username is not None:
        return "must not carry a user name or password (every email would show them)"
    if parts.query or parts.fragment:
        return f"must not carry a query or a fragment, got {url!r}"
    return None
