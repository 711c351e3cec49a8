"""Housing areas and their municipalities' school holidays."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .columns import UTCDateTime, utcnow


class Area(Base):
    """A housing area (boligområde) that youths live in and openings serve."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    department: Mapped[str] = mapped_column(String(40), default="")
    town: Mapped[str] = mapped_column(String(80))
    postcode: Mapped[str] = mapped_column(String(8), default="")
    # The municipality whose school holidays apply to the area's youths.
    municipality: Mapped[str] = mapped_column(String(80), default="", server_default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


class SchoolHoliday(Base):
    """A school holiday of a municipality (e.g. autumn holiday): holiday weeks for matching."""

    __tablename__ = "school_holiday"
    __table_args__ = (CheckConstraint("first_day <= last_day", name="span"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(80))
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
