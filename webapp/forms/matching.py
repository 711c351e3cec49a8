"""Forms of matching runs, the holiday calendar, and the employer's answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from .common import REQUIRED, BaseForm, MultiCheckboxField, bounded_int, long_text, options, text

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
