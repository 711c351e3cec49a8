"""The opening form with its shift editor, used by employers and coordinators alike."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from ..models import OPENING_KINDS, Opening
from ..services import geo, onboarding
from ..services.openings import EmployerData, OpeningData, areas
from ..ui.vocabulary import (
    ALCOHOL_LABELS,
    CATEGORIES,
    CERTIFICATES,
    KIND_LABELS,
    LANGUAGES,
    WORKPLACE_LABELS,
)
from .address import address_field, postcode_field
from .common import (
    REQUIRED,
    BaseForm,
    MultiCheckboxField,
    WindowForm,
    email_field,
    fill_windows,
    options,
    phone_field,
    text,
    windows_of,
)
from .numbers import bounded_int, decimal

SHIFT_ROWS = 7


class OpeningForm(BaseForm):
    title = text(_l("Title"), max_length=160, required=True)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    category = SelectField(
        _l("Category"),
        choices=options(CATEGORIES.items()),
        validators=[InputRequired(message=REQUIRED)],
    )
    kind = SelectField(
        _l("Kind of job"), choices=options((k, KIND_LABELS[k]) for k in OPENING_KINDS)
    )
    positions = bounded_int(_l("Positions"), low=1, high=50, default=1)
    min_age = bounded_int(_l("Minimum age"), low=13, high=17, default=13)
    max_age = bounded_int(_l("Maximum age (optional)"), low=13, high=30, required=False)
    light_work = BooleanField(
        _l("Light work that 13-14-year-olds and youths in compulsory school may do")
    )
    workplace = SelectField(_l("Type of workplace"), choices=options(WORKPLACE_LABELS.items()))
    alcohol = SelectField(_l("Alcohol"), choices=options(ALCOHOL_LABELS.items()))
    address = address_field(_l("Address of the workplace"))
    postcode = postcode_field(_l("Postcode"), required=True)
    lat = decimal(_l("Latitude (optional)"), low=54.5, high=57.8)
    lon = decimal(_l("Longitude (optional)"), low=8.0, high=15.2)
    area_id = SelectField(_l("Housing area"), coerce=str, choices=options([("", "—")]), default="")
    required_languages = MultiCheckboxField(
        _l("Required languages"), choices=options(LANGUAGES.items())
    )
    required_certificates = MultiCheckboxField(
        _l("Required certificates"), choices=options(CERTIFICATES.items())
    )
    onboarding_steps = MultiCheckboxField(
        _l("Steps needed before the first day"), choices=options([])
    )
    hourly_wage_dkk = bounded_int(
        _l("Hourly wage in DKK (optional)"), low=0, high=1000, required=False
    )
    shifts = FieldList(FormField(WindowForm), min_entries=SHIFT_ROWS, max_entries=28)

    def set_choices(self, areas: list[tuple[str, str]], steps: list[tuple[str, str]]) -> None:
        self.area_id.choices = options([("", "—"), *areas])
        self.onboarding_steps.choices = options(steps)

    def fill(self, opening: Opening) -> None:
        """Fill the form from an opening (GET of the edit page)."""
        for name in (
            "title", "description", "category", "kind", "positions", "min_age", "max_age",
            "light_work", "workplace", "alcohol", "address", "postcode", "lat", "lon",
            "required_languages", "required_certificates", "onboarding_steps", "hourly_wage_dkk",
        ):  # fmt: skip
            getattr(self, name).data = getattr(opening, name)
        self.area_id.data = str(opening.area_id or "")
        if geo.looked_up(opening):
            # Coordinates looked up from the address, not entered: follow the address.
            self.lat.data = self.lon.data = None
        fill_windows(self.shifts, opening.shifts, SHIFT_ROWS)

    def to_data(self) -> OpeningData:
        return OpeningData(
            title=self.title.data or "",
            description=self.description.data or "",
            category=self.category.data or "",
            kind=self.kind.data or "fritidsjob",
            positions=self.positions.data or 1,
            min_age=self.min_age.data or 13,
            max_age=self.max_age.data,
            light_work=bool(self.light_work.data),
            workplace=self.workplace.data or "other",
            alcohol=self.alcohol.data or "none",
            address=self.address.data or "",
            postcode=self.postcode.data or "",
            lat=self.lat.data,
            lon=self.lon.data,
            area_id=int(self.area_id.data) if self.area_id.data else None,
            required_languages=list(self.required_languages.data or []),
            required_certificates=list(self.required_certificates.data or []),
            onboarding_steps=list(self.onboarding_steps.data or []),
            hourly_wage_dkk=self.hourly_wage_dkk.data,
            shifts=windows_of(self.shifts.entries),
        )


class EmployerForm(BaseForm):
    name = text(_l("Name of the business"), max_length=160, required=True)
    cvr = StringField(
        _l("CVR number (optional)"),
        validators=[Optional(), Regexp(r"^\d{8}$", message=_l("A CVR number has eight digits."))],
    )
    description = TextAreaField(
        _l("About the workplace"), validators=[Optional(), Length(max=4000)]
    )
    address = address_field(_l("Address"))
    postcode = postcode_field(_l("Postcode"), required=True)
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = email_field(_l("Contact email"), required=False)
    contact_phone = phone_field(_l("Contact phone"))
    is_housing_association = BooleanField(_l("The housing association (lommepengejob)"))

    def to_data(self) -> EmployerData:
        return EmployerData(
            name=self.name.data or "",
            cvr=self.cvr.data or "",
            description=self.description.data or "",
            address=self.address.data or "",
            postcode=self.postcode.data or "",
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            is_housing_association=bool(
                self.is_housing_association and self.is_housing_association.data
            ),
        )


def new_opening_form() -> OpeningForm:
    """The opening form with today's housing areas and onboarding steps as choices."""
    form = OpeningForm()
    locale = str(get_locale() or "da")
    form.set_choices(
        [(str(a.id), a.name) for a in areas()],
        [(k.code, k.name(locale)) for k in onboarding.step_kinds()],
    )
    return form


class CompanyForm(EmployerForm):
    """The employer's own profile: whether it is the housing association is not theirs to set."""

    is_housing_association = None  # type: ignore[assignment]


class ChangeDecisionForm(BaseForm):
    """A coordinator's approval or rejection of an opening's waiting change: the version seen."""

    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(message=REQUIRED), NumberRange(min=0)]
    )
