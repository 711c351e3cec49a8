"""Forms about a youth, shared by coordinators and counsellors."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional

from webapp.ui import board_day

from ..models import MILESTONES, StepStatus, Youth
from ..services import youths as youth_service
from ..services.youths import YouthData
from ..ui.vocabulary import (
    CATEGORIES,
    CERTIFICATES,
    END_REASON_LABELS,
    LANGUAGES,
    MILESTONE_LABELS,
    STEP_STATUS_LABELS,
)
from .address import address_field, postcode_field
from .common import (
    AT_MOST,
    REQUIRED,
    BaseForm,
    MultiCheckboxField,
    SubForm,
    WindowForm,
    email_field,
    fill_windows,
    long_text,
    not_in_future,
    options,
    phone_field,
    strip,
    text,
    windows_of,
)
from .language import language_field
from .numbers import bounded_int, decimal

AVAILABILITY_ROWS = 7
MAX_NOTE = 4000
BIRTH_DATE_OR_AGE = _l("Give the birth date, or the age if it is not known.")


class YouthForm(BaseForm):
    first_name = text(_l("First name"), max_length=80, required=True)
    last_name = text(_l("Surname"), max_length=80)
    # No Optional(): a blank date must reach validate_birth_date (the age may stand in for it).
    birth_date = DateField(_l("Birth date"), validators=[Optional(strip_whitespace=True)])
    age = bounded_int(_l("Age, if the birth date is not known"), low=12, high=25, required=False)
    finished_9th_grade_on = DateField(
        _l("Date 9th grade was finished (empty while in compulsory school)"),
        validators=[Optional()],
    )
    email = email_field(_l("Email"), required=False, autocomplete="off")
    phone = phone_field(_l("Phone"), autocomplete="off")
    address = address_field(_l("Address"))
    postcode = postcode_field(_l("Postcode"), required=False)
    area_id = SelectField(_l("Housing area"), choices=options([("", "—")]), default="")
    parent_name = StringField(_l("Parent's name"), validators=[Optional(), Length(max=120)])
    parent_email = email_field(_l("Parent's email"), required=False, autocomplete="off")
    parent_phone = phone_field(_l("Parent's phone"), autocomplete="off")
    language = language_field(_l("Language for messages to the youth"))
    parent_language = language_field(_l("Language for messages to the parent"))
    max_travel_km = decimal(_l("Travel radius in km"), low=0, high=200)
    languages = MultiCheckboxField(_l("Languages"), choices=options(LANGUAGES.items()))
    interests = MultiCheckboxField(_l("Interests"), choices=options(CATEGORIES.items()))
    certificates = MultiCheckboxField(_l("Certificates"), choices=options(CERTIFICATES.items()))
    priority = bounded_int(
        _l("Priority (1 = normal, higher = greater need)"), low=1, high=10, default=1
    )
    max_jobs = bounded_int(_l("Jobs at most at the same time"), low=0, high=3, default=1)
    excluded_employer_ids = MultiCheckboxField(_l("Never place at"), choices=options([]))
    counsellor_id = SelectField(_l("Counsellor"), choices=options([("", "—")]), default="")
    notes = TextAreaField(
        _l("Coordinator's notes (never shown to employers)"),
        validators=[Optional(), Length(max=MAX_NOTE)],
    )
    availability = FieldList(FormField(WindowForm), min_entries=AVAILABILITY_ROWS, max_entries=28)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.birth_date.data is None and self.age.data is None and not self.birth_date.errors:
            self.birth_date.errors = [
                str(_l("Give the birth date, or the age if it is not known."))
            ]
            valid = False
        return valid

    def validate_birth_date(self, field: DateField) -> None:
        if field.data is None:
            return
        today = board_day.today()
        age = (
            today.year
            - field.data.year
            - ((today.month, today.day) < (field.data.month, field.data.day))
        )
        if age < 12 or age > 25:
            raise ValidationError(_l("The age must be between 12 and 25."))

    def validate_finished_9th_grade_on(self, field: DateField) -> None:
        if field.data and self.birth_date.data and field.data <= self.birth_date.data:
            raise ValidationError(_l("The date must be after the birth date."))

    def set_choices(
        self,
        areas: list[tuple[str, str]],
        counsellors: list[tuple[str, str]],
        employers: list[tuple[str, str]],
    ) -> None:
        self.area_id.choices = options([("", "—"), *areas])
        self.counsellor_id.choices = options([("", "—"), *counsellors])
        self.excluded_employer_ids.choices = options(employers)

    def fill(self, youth: Youth) -> None:
        for name in (
            "first_name", "last_name", "birth_date", "finished_9th_grade_on", "email", "phone",
            "address", "postcode", "parent_name", "parent_email", "parent_phone", "language",
            "parent_language", "max_travel_km", "languages", "interests", "certificates",
            "priority", "max_jobs", "notes",
        ):  # fmt: skip
            getattr(self, name).data = getattr(youth, name)
        if youth_service.birth_date_estimated(youth):
            # Only the age is known: the stored date is an estimate, not to be shown as a fact.
            self.birth_date.data = None
            self.age.data = youth.age_on(board_day.today())
        self.area_id.data = str(youth.area_id or "")
        self.counsellor_id.data = str(youth.counsellor_id or "")
        self.excluded_employer_ids.data = [e.public_id for e in youth.excluded_employers]
        fill_windows(self.availability, youth.availability, AVAILABILITY_ROWS)

    def to_data(self) -> YouthData:
        age_only = self.birth_date.data is None and self.age.data is not None
        birth_date = self.birth_date.data or youth_service.estimated_birth_date(
            self.age.data or 0, board_day.today()
        )
        return YouthData(
            first_name=self.first_name.data or "",
            last_name=self.last_name.data or "",
            birth_date=birth_date,
            age_only=age_only,
            finished_9th_grade_on=self.finished_9th_grade_on.data,
            email=self.email.data or "",
            phone=self.phone.data or "",
            address=self.address.data or "",
            postcode=self.postcode.data or "",
            area_id=int(self.area_id.data) if self.area_id.data else None,
            parent_name=self.parent_name.data or "",
            parent_email=self.parent_email.data or "",
            parent_phone=self.parent_phone.data or "",
            language=self.language.data or "da",
            parent_language=self.parent_language.data or "da",
            max_travel_km=self.max_travel_km.data,
            languages=list(self.languages.data or []),
            interests=list(self.interests.data or []),
            certificates=list(self.certificates.data or []),
            priority=self.priority.data or 1,
            max_jobs=self.max_jobs.data if self.max_jobs.data is not None else 1,
            counsellor_id=int(self.counsellor_id.data) if self.counsellor_id.data else None,
            notes=self.notes.data or "",
            availability=windows_of(self.availability.entries),
            excluded_employer_ids=list(self.excluded_employer_ids.data or []),
        )


class StepRowForm(SubForm):
    """One step of the checklist form: status, the day it was done, a note."""

    status = SelectField(
        _l("Status"), choices=options((s, STEP_STATUS_LABELS[s]) for s in StepStatus)
    )
    done_on = DateField(_l("Done on"), validators=[Optional(), not_in_future])
    note = text(_l("Note on the step"), max_length=500)


class ChecklistForm(BaseForm):
    """The whole onboarding checklist in one form: a `StepRowForm` ``step<kind id>`` per step."""

    def rows(self) -> dict[int, StepRowForm]:
        """The step forms by kind id."""
        return {
            int(field.name.removeprefix("step")): field.form
            for field in self
            if isinstance(field, FormField)
        }


def checklist_form(kind_ids: list[int], **kwargs: Any) -> ChecklistForm:
    """A `ChecklistForm` with a row for each kind of step in `kind_ids`."""
    rows = {f"step{kind_id}": FormField(StepRowForm) for kind_id in kind_ids}
    form_class = type("ChecklistForm", (ChecklistForm,), rows)
    form: ChecklistForm = form_class(**kwargs)
    return form


class NoteForm(BaseForm):
    text = long_text(_l("Note for the timeline"), max_length=MAX_NOTE, required=True)


class MilestoneForm(BaseForm):
    code = SelectField(
        _l("Milestone"), choices=options((m, MILESTONE_LABELS[m]) for m in MILESTONES)
    )
    on = DateField(_l("Date of the milestone"), validators=[InputRequired(message=REQUIRED)])
    text = long_text(_l("What the milestone is about (optional)"), max_length=MAX_NOTE)


class StartForm(BaseForm):
    """The first day; with steps the job needs missing, only as an exception with a reason."""

    on = DateField(_l("First day"), validators=[InputRequired(message=REQUIRED)])
    anyway = BooleanField(_l("Start anyway, without the missing steps"))
    # No Optional(): a blank reason must reach validate_reason.
    reason = StringField(
        _l("Reason for starting without them"),
        filters=[strip],
        validators=[Length(max=500, message=AT_MOST)],
    )

    def validate_reason(self, field: StringField) -> None:
        if self.anyway.data and not field.data:
            raise ValidationError(_l("Give the reason for starting without the missing steps."))

    def exception(self) -> str | None:
        """The reason given for starting without the missing steps, or None."""
        return (self.reason.data or "") if self.anyway.data else None


class EndForm(BaseForm):
    on = DateField(_l("Last day"), validators=[InputRequired(message=REQUIRED)])
    reason = SelectField(_l("Reason"), choices=options(END_REASON_LABELS.items()))
    note = text(_l("Note"), max_length=500)
