"""The address fields of the youth, employer and opening forms.

What could not be a Danish address (another script, bidirectional controls,
symbols; a postcode in other digits than 0-9) is refused beside the field, so
that it never reaches the geocoder (`services.geocoding.Query`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..services.geocoding.base import ADDRESS_CHARACTERS, MAX_ADDRESS
from .common import REQUIRED

ADDRESS_RULE = Regexp(
    rf"^[{ADDRESS_CHARACTERS}]*\Z",
    message=_l("Write the address in Latin letters and digits, as on a letter (, . - / allowed)."),
)
POSTCODE_RULE = Regexp(r"^[0-9]{4}\Z", message=_l("A postcode has four digits."))


def address_field(label: Any) -> StringField:
    """An optional street address: at most 200 characters of a Danish address."""
    return StringField(label, validators=[Optional(), Length(max=MAX_ADDRESS), ADDRESS_RULE])


def postcode_field(label: Any, *, required: bool) -> StringField:
    """A Danish postcode of four digits 0-9."""
    first = InputRequired(message=REQUIRED) if required else Optional()
    return StringField(label, validators=[first, POSTCODE_RULE])
