"""The field for the language a youth or a parent is written to in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wtforms import SelectField

from ..ui.locale import DEFAULT_LOCALE, LANGUAGE_NAMES, LOCALES
from .common import options


def language_field(
    label: Any, *, default: str | Callable[[], str] = DEFAULT_LOCALE
) -> SelectField:
    """A choice of the six languages, each by its own name (an unknown value is refused)."""
    return SelectField(
        label,
        choices=options((code, LANGUAGE_NAMES[code]) for code in LOCALES),
        default=default,
    )
