"""Figures as people read them in the request's locale."""

from __future__ import annotations

from flask_babel import format_decimal


def one_decimal(value: float) -> str:
    """A figure with at most one decimal, in the locale's way ("11,5" in Danish)."""
    return str(format_decimal(value, format="#,##0.#"))


def coordinate(value: float) -> str:
    """A latitude or longitude to five decimals, in the locale's way ("56,13813" in Danish)."""
    return str(format_decimal(value, format="0.00000"))
