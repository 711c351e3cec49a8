"""The school-holiday calendar: holidays by municipality, and each area's municipality."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Area, SchoolHoliday
from .errors import InvalidStateError
from .lookup import by_id


def holidays() -> list[SchoolHoliday]:
    """Every school holiday, by municipality and first day."""
    return list(
        db.session.scalars(
            select(SchoolHoliday).order_by(SchoolHoliday.municipality, SchoolHoliday.first_day)
        )
    )


def add_holiday(municipality: str, name: str, first_day: dt.date, last_day: dt.date) -> None:
    """Add a school holiday to a municipality's calendar.

    Raises:
        InvalidStateError: the last day is before the first.
    """
    if last_day < first_day:
        raise InvalidStateError(_("The last day must not be before the first."), field="last_day")
    db.session.add(
        SchoolHoliday(
            municipality=municipality.strip(),
            name=name.strip(),
            first_day=first_day,
            last_day=last_day,
        )
    )
    db.session.commit()


def delete_holiday(holiday_id: int) -> None:
    """Remove a holiday from the calendar.

    Raises:
        NotFoundError: no such holiday.
    """
    db.session.delete(by_id(SchoolHoliday, holiday_id))
    db.session.commit()


def set_municipality(area_id: int, municipality: str) -> None:
    """Set the municipality whose holidays apply to an area.

    Raises:
        NotFoundError: no such area.
    """
    by_id(Area, area_id).municipality = municipality.strip()
    db.session.commit()


def holiday_on(day: dt.date, area_ids: list[int] | None) -> SchoolHoliday | None:
    """The school holiday of a chosen area's municipality that `day` falls in, if any."""
    areas = select(Area.municipality).where(Area.municipality != "")
    if area_ids is not None:
        areas = areas.where(Area.id.in_(area_ids))
    return db.session.scalar(
        select(SchoolHoliday)
        .where(
            SchoolHoliday.municipality.in_(areas),
            SchoolHoliday.first_day <= day,
            SchoolHoliday.last_day >= day,
        )
        .order_by(SchoolHoliday.first_day)
        .limit(1)
    )
