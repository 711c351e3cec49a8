"""Phone numbers as the board stores them: validated with phonenumbers, written in E.164.

A number without a country code is read as Danish (eight digits, spaces,
dashes, dots and brackets allowed); one with ``+`` or ``00`` and a country
code is read as that country's. Every phone field (youth, parent, employer,
interest form) goes through `normalise` (`webapp.forms.common.phone_field`).
"""

from __future__ import annotations

import phonenumbers
from flask_babel import lazy_gettext as _l

REGION = "DK"
MAX_TYPED = 30  # longer is no phone number, and phonenumbers need not read it


class PhoneNumberError(ValueError):
    """A value that is no valid phone number, with the reason for the person who typed it."""


def normalise(value: str) -> str:
    """`value` in E.164 (``+4520123456``); an empty value stays empty.

    Raises:
        PhoneNumberError: not a number phonenumbers knows as valid (Danish by default).
    """
    typed = value.strip()
    if not typed:
        return ""
    if len(typed) > MAX_TYPED or not typed.isprintable():
        raise PhoneNumberError(_l("Enter a phone number: 8 digits, or + and a country code."))
    if typed.startswith("00"):
        typed = "+" + typed[2:]
    try:
        number = phonenumbers.parse(typed, REGION)
    except phonenumbers.NumberParseException as exc:
        raise PhoneNumberError(
            _l("Enter a phone number: 8 digits, or + and a country code.")
        ) from exc
    if not phonenumbers.is_valid_number(number):
        if number.country_code == 45:
            raise PhoneNumberError(
                _l("This is not a Danish phone number: 8 digits, e.g. 20 12 34 56.")
            )
        raise PhoneNumberError(_l("This phone number does not exist in its country."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalised_or_none(value: str) -> str | None:
    """`value` in E.164, or None when it is empty or no valid number (a number stored before)."""
    try:
        return normalise(value) or None
    except PhoneNumberError:
        return None


def for_display(value: str) -> str:
    """An E.164 number as people read it: Danish numbers ``20 12 34 56``, others international."""
    try:
        number = phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 45:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
