"""Forms only coordinators use: invitations, step kinds, friends and placing by hand, search."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from ..forms.common import (
    AT_MOST,
    REQUIRED,
    BaseForm,
    MultiCheckboxField,
    email_field,
    options,
    text,
)
from ..ui.vocabulary import ROLE_LABELS


class InviteForm(BaseForm):
    name = text(_l("Name"), max_length=120, required=True)
    email = email_field(_l("Email"), required=True)
    role = SelectField(_l("Role"), choices=options(ROLE_LABELS.items()))
    employer = SelectField(
        _l("Employer (for employer staff)"), choices=options([("", "—")]), default=""
    )


class StepKindForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[
            InputRequired(message=REQUIRED),
            Regexp(
                r"^[a-z][a-z0-9_]{1,39}$",
                message=_l("Lowercase letters, digits and _ only, starting with a letter."),
            ),
        ],
    )
    name_da = text(_l("Name in Danish"), max_length=120, required=True)
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=120)])
    description_da = TextAreaField(_l("Description"), validators=[Optional(), Length(max=1000)])
    for_fritidsjob = BooleanField(_l("Needed for a leisure-time job"))
    for_lommepengejob = BooleanField(_l("Needed for a pocket-money job"))


MAX_FRIENDS = 50  # friends a youth may name at most


class PickerSearchForm(BaseForm):
    """A chooser's search term (the page names what it searches: prefix "friend" or "opening")."""

    q = StringField(
        _l("Search"),
        validators=[Optional(), Length(max=100, message=AT_MOST)],
        render_kw={"type": "search", "autocomplete": "off", "spellcheck": "false"},
    )


class BuddiesForm(BaseForm):
    """The friends a youth names: those named, ticked, and those a search found."""

    buddies = MultiCheckboxField(_l("Friends to work beside"), choices=options([]))

    def validate_buddies(self, field: MultiCheckboxField) -> None:
        if len(field.data or []) > MAX_FRIENDS:
            raise ValidationError(_l("At most %(max)d friends.", max=MAX_FRIENDS))


class PlaceForm(BaseForm):
    """Placing a youth by hand: an opening a search found, and the first day if known."""

    opening = RadioField(
        _l("Opening"), choices=options([]), validators=[InputRequired(message=REQUIRED)]
    )
    start_date = DateField(_l("Planned first day"), validators=[Optional()])
