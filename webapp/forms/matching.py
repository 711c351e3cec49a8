"""Forms of matching runs, the holiday calendar, and the employer's answers."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, ValidationError
from wtforms.validators import InputRequired

from ..services.bulk_confirm import MAX_SELECTED, NONE_CHOSEN, TOO_MANY, UNKNOWN
from .common import REQUIRED, BaseForm, MultiCheckboxField, long_text, options, text
from .numbers import bounded_int

PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")

PERIOD_LABELS = {
    "auto": _l("From the school-holiday calendar"),
    "school": _l("School week"),
    "holiday": _l("Holiday week"),
}
METHOD_LABELS = {
    "optimal": _l("Optimal: place as many as possible, then the best fit"),
    "stable": _l("Stable: no youth and employer would both rather have each other"),
}


class RunForm(BaseForm):
    start_date = DateField(_l("Start date"), validators=[InputRequired(message=REQUIRED)])
    period = SelectField(_l("Week"), choices=options(PERIOD_LABELS.items()), default="auto")
    areas = MultiCheckboxField(_l("Areas (none chosen: all)"), choices=options([]))
    time_limit_s = bounded_int(_l("Time limit in seconds"), low=1, high=600, default=30)
    method = SelectField(_l("Method"), choices=options(METHOD_LABELS.items()), default="optimal")


class HolidayForm(BaseForm):
    municipality = text(_l("Municipality"), max_length=80, required=True)
    name = text(_l("Holiday"), max_length=80, required=True)
    first_day = DateField(_l("First day"), validators=[InputRequired(message=REQUIRED)])
    last_day = DateField(_l("Last day"), validators=[InputRequired(message=REQUIRED)])


class MunicipalityForm(BaseForm):
    area = SelectField(
        _l("Housing area"), choices=options([]), validators=[InputRequired(message=REQUIRED)]
    )
    municipality = text(_l("Municipality"), max_length=80, required=True)


class AcceptForm(BaseForm):
    start_date = DateField(_l("First day"), validators=[InputRequired(message=REQUIRED)])


class DeclineForm(BaseForm):
    reason = long_text(_l("Reason"), max_length=500, required=True)


class FeedbackForm(BaseForm):
    text = long_text(_l("How is it going?"), max_length=1000, required=True)


class BulkConfirmForm(BaseForm):
    """The proposals ticked on a run's page (their public ids); the service checks the run."""

    proposals = SelectMultipleField(_l("Proposals"), choices=[], validate_choice=False)

    def validate_proposals(self, field: Any) -> None:
        chosen = field.data or []
        if not chosen:
            raise ValidationError(str(NONE_CHOSEN))
        if len(chosen) > MAX_SELECTED:
            raise ValidationError(str(TOO_MANY) % {"max": MAX_SELECTED})
        if not all(isinstance(v, str) and PUBLIC_ID.fullmatch(v) for v in chosen):
            raise ValidationError(str(UNKNOWN))
