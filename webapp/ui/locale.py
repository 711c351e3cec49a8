"""The board's languages and the choice between them."""

from __future__ import annotations

from flask import request

LOCALES = ("da", "en")
DEFAULT_LOCALE = "da"


def select_locale() -> str:
    """Danish unless the visitor chose English (the `lang` cookie)."""
    chosen = request.cookies.get("lang", "")
    return chosen if chosen in LOCALES else DEFAULT_LOCALE
