"""Forms of the public board."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    StringField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional

import jobmatch
from webapp.ui import board_day

from ..forms.common import (
    BaseForm,
    MultiCheckboxField,
    WindowForm,
    email_field,
    options,
    phone_field,
    text,
)
from ..forms.language import language_field
from ..forms.numbers import bounded_int
from ..ui.locale import current_locale
from ..ui.vocabulary import CATEGORIES, LANGUAGES

MIN_AGE, MAX_AGE = 13, 17


class InterestForm(BaseForm):
    """What a youth gives to say "I am interested": nothing more than a coordinator needs."""

    first_name = text(_l("First name"), max_length=80, required=True)
    birth_date = DateField(
        _l("Birth date"), validators=[Optional()], render_kw={"autocomplete": "bday"}
    )
    age = bounded_int(_l("Or your age"), low=MIN_AGE, high=MAX_AGE, required=False)
    email = email_field(_l("Your email"), required=False)
    phone = phone_field(_l("Your phone"))
    parent_name = StringField(_l("Parent's name"), validators=[Optional(), Length(max=120)])
    parent_email = email_field(_l("Parent's email"), required=False)
    parent_phone = phone_field(_l("Parent's phone"))
    # Messages go to each in the language chosen; the page's language until changed.
    language = language_field(_l("Language for messages to you"), default=current_locale)
    parent_language = language_field(
        _l("Language for messages to your parent"), default=current_locale
    )
    languages = MultiCheckboxField(_l("Languages you speak"), choices=options(LANGUAGES.items()))
    interests = MultiCheckboxField(_l("Jobs you would like"), choices=options(CATEGORIES.items()))
    # The board's openings, as (public id, title): set by the view for each request.
    jobs = MultiCheckboxField(_l("Jobs on the board you are interested in"), choices=[])
    # Sent by the page that shows the jobs: without it (an older page) the page's job is chosen.
    jobs_shown = HiddenField()
    availability = FieldList(FormField(WindowForm), min_entries=4, max_entries=21)
    consent = BooleanField(
        _l("I have read how my information is used, and my parent knows I am signing up."),
        validators=[InputRequired(message=_l("Please confirm to send the form."))],
    )

    def validate_birth_date(self, field: DateField) -> None:
        if field.data is None:
            return
        age = jobmatch.age_on(field.data, board_day.today())
        if age < MIN_AGE:
            raise ValidationError(_l("You must be at least 13 years old."))
        if age > MAX_AGE:
            raise ValidationError(_l("The board is for young people from 13 to 17."))

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then the rules across them: a way to reach the youth and a parent."""
        valid = super().validate(extra_validators)
        if (
            self.birth_date.data is None
            and self.age.data is None
            and not (self.birth_date.errors or self.age.errors)
        ):
            valid = _refuse(self.birth_date, _l("Give your birth date or your age."))
        if not (self.email.data or self.phone.data):
            valid = _refuse(self.phone, _l("Give an email or a phone number so we can reach you."))
        if not (self.parent_name.data or "").strip():
            valid = _refuse(self.parent_name, _l("Give your parent's name."))
        if not (self.parent_email.data or self.parent_phone.data):
            valid = _refuse(self.parent_phone, _l("Give your parent's email or phone number."))
        return valid


def _refuse(field: Field, message: Any) -> bool:
    """Add the message of a rule across fields to `field`; False, as the form is not valid."""
    field.errors = [*field.errors, str(message)]
    return False
