"""Number fields: whole numbers within bounds, and decimals typed with a comma or a point."""

from __future__ import annotations

import re
from typing import Any

import flask_babel
from flask_babel import lazy_gettext as _l
from wtforms import Field, FloatField, IntegerField, widgets
from wtforms.validators import InputRequired, NumberRange, Optional

from .common import BETWEEN, REQUIRED


class _Between(NumberRange):
    """`NumberRange` that leaves text that is no number to the field's own message alone."""

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is None and field.process_errors:
            return
        super().__call__(form, field)


# A decimal number as a Danish or an English keyboard writes it: "1,5" or "1.5".
_TYPED_DECIMAL = re.compile(r"^([+-]?[0-9]{1,6})(?:[.,]([0-9]{1,8}))?$")
DECIMAL_FORMAT = _l("Write a number such as 1,5.")


class DecimalCommaField(FloatField):
    """A number with decimals, typed with a comma or a point, shown in the user's language.

    A text input with the decimal keyboard (`type=number` refuses "1,5" in
    some browsers); nothing but digits and one separator is read.
    """

    widget = widgets.TextInput()
    typed_as_text = True  # checked for hostile text like a text field (`common.hostile_value`)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        return str(flask_babel.format_decimal(self.data, format="0.########"))

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        typed = _TYPED_DECIMAL.match(str(valuelist[0]).strip())
        if typed is None:
            self.data = None
            raise ValueError(str(DECIMAL_FORMAT))
        whole, fraction = typed.groups()
        self.data = float(f"{whole}.{fraction or 0}")


def decimal(label: Any, *, low: float, high: float) -> DecimalCommaField:
    """An optional number with decimals within [low, high]."""
    return DecimalCommaField(
        label,
        validators=[Optional(), _Between(min=low, max=high, message=BETWEEN)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


def bounded_int(
    label: Any, *, low: int, high: int, default: int | None = None, required: bool = True
) -> IntegerField:
    """An integer field within [low, high], required or optional."""
    first = InputRequired(message=REQUIRED) if required else Optional()
    return IntegerField(
        label,
        default=default,
        validators=[first, _Between(min=low, max=high, message=BETWEEN)],
        render_kw={"inputmode": "numeric"},
    )
