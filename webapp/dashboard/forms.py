"""The dashboard's filter: an area and a period, read from the query string."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, ValidationError
from wtforms.validators import Optional

from ..forms.common import SubForm, options

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


def _within_years(form: Any, field: DateField) -> None:
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Choose a date between 2000 and 2099."))


class DashboardFilterForm(SubForm):
    """Area (empty for all) and the first and last day of the period.

    A GET form without CSRF: it changes nothing, and its values are ids and
    dates only, never personal data.
    """

    area = SelectField(_l("Area"), choices=[], default="")
    start = DateField(_l("From"), name="from", validators=[Optional(), _within_years])
    end = DateField(_l("To"), name="to", validators=[Optional(), _within_years])

    def set_areas(self, areas: list[tuple[int, str]]) -> None:
        """Offer every area, and all of them together."""
        self.area.choices = options(
            [("", _l("All areas")), *((str(i), name) for i, name in areas)]
        )

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and self.start.data > field.data:
            raise ValidationError(_l("The end of the period must not be before its start."))

    def area_id(self) -> int | None:
        """The chosen area's id, or None for all areas (call after validation)."""
        return int(self.area.data) if self.area.data else None
