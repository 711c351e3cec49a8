"""Form building blocks shared by the blueprints: translated messages, time windows, lists."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, Protocol

import flask_babel
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    Field,
    FloatField,
    Form,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
)

import jobmatch
from webapp.ui import board_day

from ..models import DAYS
from ..services import phones
from ..ui.vocabulary import DAY_LABELS

REQUIRED = _l("Please fill in this field.")
AT_MOST = _l("At most %(max)d characters.")
BETWEEN = _l("Between %(min)s and %(max)s.")
CONTROL_CHARACTERS = _l("Remove the invisible control characters from the text.")
DATE_RANGE = _l("Choose a date between %(first)d and %(last)d.")
NUMBER_TOO_LARGE = _l("The number is too large.")
NOT_A_NUMBER = _l("Not a valid float value.")
FIRST_YEAR, LAST_YEAR = 1900, 2100  # a date outside these years is a typing error
YEARS = {"first": FIRST_YEAR, "last": LAST_YEAR}
DATABASE_INT_MAX = 2**31 - 1  # the largest whole number a 32-bit INTEGER column holds
MAX_TEXT = 10_000  # no text field holds more, whatever its own limit
MULTI_LINE = "\t\n\r"  # what a text area may hold besides printable text
# A typed time of day: hours alone ("9", "15") or with minutes after ":", "." or nothing.
_TYPED_TIME = re.compile(r"^([0-9]{1,2})(?:[:.]?([0-9]{2}))?$")
TIME_PATTERN = r"[0-9]{1,2}([:.]?[0-9]{2})?"
TIME_HINT = _l("A time such as 15:30, 15.30 or 1530")
TIME_FORMAT = _l("Write a time from 00:00 to 23:59, e.g. 15:30 or 1530.")
TIME_FORMAT_END = _l("Write a time from 00:00 to 24:00, e.g. 18:00 or 1800.")


def _wtforms_plural_messages() -> None:  # pragma: no cover - only read by pybabel
    """WTForms' own plural messages, written here so that extraction finds them."""
    flask_babel.ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    )


# WTForms' own messages, listed so that they are extracted into our catalogue.
WTFORMS_MESSAGES = (
    _l("Not a valid integer value."),
    _l("Not a valid float value."),
    _l("Not a valid decimal value."),
    _l("Not a valid date value."),
    _l("Not a valid choice."),
    _l("This field is required."),
    _l("Invalid input."),
)


def options(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """Choices of a select or checkbox list from (value, label) pairs (labels may be lazy)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class _BabelTranslations:
    """WTForms translations backed by the board's own catalogue (WTForms has no Danish)."""

    def gettext(self, string: str) -> str:
        return str(flask_babel.get_translations().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Not flask_babel.ngettext: WTForms fills in the placeholders itself.
        return str(flask_babel.get_translations().ungettext(singular, plural, n))


def unprintable(text: str, *, allowed: str = "") -> bool:
    """Whether `text` holds a control character (but those `allowed`) or a lone surrogate."""
    return _unprintable_pattern(allowed).search(text) is not None


@cache
def _unprintable_pattern(allowed: str) -> re.Pattern[str]:
    """Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) but those
    `allowed`, and the surrogates (Cs): one search, not a lookup per character (a value of a
    megabyte is refused at C speed)."""
    controls = (chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)))
    kept = "".join(re.escape(c) for c in controls if c not in allowed)
    return re.compile(f"[{kept}\\ud800-\\udfff]")


def _text_refusal(field: Field) -> str | None:
    allowed = MULTI_LINE if isinstance(field, TextAreaField) else ""
    raw = [value for value in field.raw_data or () if isinstance(value, str)]
    if any(unprintable(value, allowed=allowed) for value in raw):
        return str(CONTROL_CHARACTERS)
    if any(len(value) > MAX_TEXT for value in raw):
        return str(AT_MOST) % {"max": MAX_TEXT}
    return None


def _typed(field: Field) -> bool:
    """Whether the field is typed as text (a number with decimals too), not picked."""
    return isinstance(field, StringField) or getattr(field, "typed_as_text", False)


def hostile_value(field: Field) -> str | None:
    """Why a field's value cannot be kept whatever the form's own rules say, or None.

    Text with control characters (a text area may hold tabs and line breaks),
    text longer than `MAX_TEXT`, whole numbers beyond the database's integer,
    numbers that are not finite, dates outside `FIRST_YEAR`..`LAST_YEAR`.
    """
    if _typed(field) and not isinstance(field, HiddenField):
        return _text_refusal(field)
    data = field.data
    if isinstance(field, IntegerField) and isinstance(data, int) and abs(data) > DATABASE_INT_MAX:
        return str(NUMBER_TOO_LARGE)
    if isinstance(field, FloatField) and isinstance(data, float) and not math.isfinite(data):
        return str(NOT_A_NUMBER)
    if isinstance(field, DateField) and isinstance(data, dt.date):
        return None if FIRST_YEAR <= data.year <= LAST_YEAR else str(DATE_RANGE) % YEARS
    return None


class _RefusesHostileValues:
    """Every field of the form is also checked by `hostile_value`.

    Text that cannot be kept is refused with that reason alone; a number or a
    date keeps the field's own message when it has one. Nested forms
    (`SubForm` rows of a `FieldList`) check their own fields.
    """

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)  # type: ignore[misc]
        for field in self:  # type: ignore[attr-defined]
            if (message := hostile_value(field)) is not None:
                own = list(field.errors) if not _typed(field) else []
                field.errors = own or [message]
                valid = False
        return valid


class BaseForm(_RefusesHostileValues, FlaskForm):
    """A CSRF-protected form whose messages come from the board's catalogue."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> _BabelTranslations:
            return _BabelTranslations()


class ActionForm(BaseForm):
    """A button that changes state: only the CSRF token."""


class SubForm(_RefusesHostileValues, Form):
    """A nested form (no CSRF of its own) with the board's messages."""

    class Meta:
        def get_translations(self, form: Any) -> _BabelTranslations:
            return _BabelTranslations()


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


INVALID_EMAIL = _l("Enter a valid email address.")
MAX_EMAIL = 254  # the longest address SMTP carries (RFC 5321's path, less its brackets)


class EmailAddress:
    """An email address as email-validator reads it, syntax only (no DNS look-ups).

    A valid address is written back normalised (the domain in lower case,
    Unicode in NFC). An address SMTP cannot carry as plain ASCII before the @,
    a quoted or a display name, an IP literal or a special-use domain
    (``.test``, ``.local``) is refused with `INVALID_EMAIL`.
    """

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data or field.errors:  # one message at a time: too long says so alone
            return
        try:
            valid = validate_email(field.data, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError:
            raise ValidationError(INVALID_EMAIL) from None
        field.data = valid.normalized


def email_field(label: Any, *, required: bool, autocomplete: str = "email") -> EmailField:
    """An email field (``type=email``) checked by `EmailAddress` and stored normalised.

    `autocomplete` is the browser's hint: "email" for one's own address, "off"
    where staff type someone else's.
    """
    first = InputRequired(message=REQUIRED) if required else Optional()
    validators: list[Any] = [
        first,
        Length(max=MAX_EMAIL, message=_l("At most %(max)d characters.")),
        EmailAddress(),
    ]
    return EmailField(
        label, filters=[strip], validators=validators, render_kw={"autocomplete": autocomplete}
    )


class PhoneNumber:
    """A number phonenumbers knows as valid (Danish without a country code), kept in E.164."""

    def __call__(self, form: Any, field: Any) -> None:
        try:
            field.data = phones.normalise(field.data or "")
        except phones.PhoneNumberError as error:
            raise StopValidation(str(error)) from error


def phone_field(label: Any, *, autocomplete: str = "tel") -> TelField:
    """An optional Danish or international phone number (``type=tel``: the phone's keypad)."""
    return TelField(
        label,
        validators=[Optional(), PhoneNumber()],
        filters=[strip],
        render_kw={"autocomplete": autocomplete},
    )


def canonical_time(value: Any) -> Any:
    """A time of day as people type it, written as "HH:MM"; anything else is left as typed.

    The one place where the board reads typed times: "15:00", "15.00", "1500",
    "15" and "9" (09:00) are all understood; hours and minutes are then checked
    by `jobmatch.parse_time`, so "25:00" or "1575" stays refused.
    """
    if not isinstance(value, str):
        return value
    match = _TYPED_TIME.match(value.strip())
    if match is None:
        return value.strip()
    return f"{int(match[1]):02d}:{match[2] or '00'}"


def time_input_attributes(placeholder: str) -> dict[str, Any]:
    """What a time field's input carries: a full keyboard (the iOS number pad has no colon)."""
    return {
        "placeholder": placeholder,
        "inputmode": "text",
        "autocomplete": "off",
        "pattern": TIME_PATTERN,
        "title": TIME_HINT,
    }


class WindowForm(SubForm):
    """One row of the shift or availability editor: day, from, to. A blank row is ignored."""

    day = SelectField(
        _l("Day"),
        choices=options([("", "—"), *((d, DAY_LABELS[d]) for d in DAYS)]),
        default="",
    )
    start = StringField(
        _l("From"), filters=[canonical_time], render_kw=time_input_attributes("15:00")
    )
    end = StringField(_l("To"), filters=[canonical_time], render_kw=time_input_attributes("18:00"))

    def is_blank(self) -> bool:
        return not (self.day.data or self.start.data or self.end.data)

    def validate_start(self, field: StringField) -> None:
        if self.is_blank():
            return
        if not self.day.data:
            raise ValidationError(_l("Choose a day."))
        try:
            _time(field.data)
        except ValueError:
            raise ValidationError(TIME_FORMAT) from None

    def validate_end(self, field: StringField) -> None:
        if self.is_blank():
            return
        try:
            end = _time(field.data, end=True)
        except ValueError:
            raise ValidationError(TIME_FORMAT_END) from None
        try:
            start = _time(self.start.data)
        except ValueError:
            return
        if end <= start:
            raise ValidationError(_l("The end must be after the start."))

    def window(self) -> tuple[int, int, int] | None:
        """(day index, start, end) of a filled row, None for a blank one."""
        if self.is_blank():
            return None
        return (
            DAYS.index(self.day.data),
            _time(self.start.data),
            _time(self.end.data, end=True),
        )


def _time(text: str | None, *, end: bool = False) -> int:
    """Minutes since midnight of a typed time (`canonical_time`, then `jobmatch.parse_time`)."""
    return jobmatch.parse_time(canonical_time(text or ""), end=end)


def windows_of(entries: Any) -> list[tuple[int, int, int]]:
    """The filled rows of a FieldList of `WindowForm`."""
    return [w for entry in entries if (w := entry.form.window()) is not None]


class StoredWindow(Protocol):
    """A stored weekly window: an availability or a shift row."""

    @property
    def day_index(self) -> int: ...
    @property
    def start_min(self) -> int: ...
    @property
    def end_min(self) -> int: ...


def fill_windows(field_list: Any, windows: Sequence[StoredWindow], rows: int) -> None:
    """Put stored windows into a FieldList, padded with blank rows."""
    while len(field_list.entries):
        field_list.pop_entry()
    for window in windows:
        field_list.append_entry(
            {
                "day": DAYS[window.day_index],
                "start": jobmatch.format_time(window.start_min),
                "end": jobmatch.format_time(window.end_min),
            }
        )
    while len(field_list.entries) < max(rows, len(windows) + 2):
        field_list.append_entry()


def not_in_future(form: Any, field: Any) -> None:
    """A date that has already happened (or is today)."""
    if field.data and field.data > board_day.today():
        raise ValidationError(_l("The date cannot be in the future."))


def strip(value: Any) -> Any:
    """Surrounding spaces are not content: "   " counts as empty."""
    return value.strip() if isinstance(value, str) else value


def text(label: Any, *, max_length: int, required: bool = False) -> StringField:
    """A one-line text field of at most `max_length` characters, stripped."""
    first = DataRequired(message=REQUIRED) if required else Optional()
    return StringField(
        label, filters=[strip], validators=[first, Length(max=max_length, message=AT_MOST)]
    )


def long_text(label: Any, *, max_length: int, required: bool = False) -> TextAreaField:
    """A text area of at most `max_length` characters, stripped."""
    first = DataRequired(message=REQUIRED) if required else Optional()
    return TextAreaField(
        label, filters=[strip], validators=[first, Length(max=max_length, message=AT_MOST)]
    )
