"""The forms of the family pages: short, one thing each, for a phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Regexp

from ..forms.common import REQUIRED, BaseForm, WindowForm, email_field, phone_field, strip
from ..services.consent import MAX_NOTE
from ..services.youth_login import MAX_CONTACT


class ConsentForm(BaseForm):
    """The parent's answer: one of two buttons, and a note if they like."""

    note = TextAreaField(
        _l("A note for the coordinator (if you like)"),
        filters=[strip],
        validators=[Length(max=MAX_NOTE, message=_l("At most %(max)d characters."))],
    )
    consent = SubmitField(_l("I consent"))
    refuse = SubmitField(_l("I do not consent"))

    def answer(self) -> bool | None:
        """True for "I consent", False for "I do not consent", None for neither or both."""
        if bool(self.consent.data) == bool(self.refuse.data):
            return None
        return bool(self.consent.data)


class ContactForm(BaseForm):
    """Where the sign-in code goes: the youth's email address or phone number."""

    contact = StringField(
        _l("Your email or phone number"),
        filters=[strip],
        validators=[
            InputRequired(message=REQUIRED),
            Length(max=MAX_CONTACT, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "off"},
    )


class CodeForm(BaseForm):
    """The six-digit code the youth got."""

    code = StringField(
        _l("The code (6 digits)"),
        filters=[strip],
        validators=[
            InputRequired(message=REQUIRED),
            Regexp(r"^[0-9 ]{6,9}$", message=_l("Write the 6 digits of the code.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "9"},
    )


class AnswerForm(BaseForm):
    """A youth's yes or no to a proposal: the button pressed."""

    answer = StringField(validators=[InputRequired(), AnyOf(("yes", "no"))])


class YouthContactForm(BaseForm):
    """The youth's own email address and phone number."""

    email = email_field(_l("Email"), required=False)
    phone = phone_field(_l("Phone"))


AVAILABILITY_ROWS = 4  # at least, and two blank rows below the youth's windows
MAX_WINDOWS = 30  # the coordinator's 28 rows and two blank ones; rows past it are not read


class YouthAvailabilityForm(BaseForm):
    """The weekly times the youth can work: the coordinator's rows (day, from, to)."""

    availability = FieldList(
        FormField(WindowForm), min_entries=AVAILABILITY_ROWS, max_entries=MAX_WINDOWS
    )
