"""Read the demo world from its TOML files and check every record before a row is made.

A mistake in a file is a `DemoDataError` that names the file, the record and
the field, e.g. ``openings.toml, opening 4 'Bagerjobber weekend': field
'min_age': expected a whole number, got '14'``. A field the loader does not
know is a mistake too, so that a misspelt name never falls back to a default.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Collection, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from jobmatch import DAYS, parse_time

from ..models import (
    ALCOHOL,
    MILESTONES,
    OPENING_KINDS,
    WORKPLACES,
    EmployerStatus,
    OpeningStatus,
    PlacementStatus,
    Role,
    YouthSource,
    YouthStatus,
)
from ..services.openings import EmployerData, OpeningData
from ..services.youths import Window, overlapping
from ..ui.vocabulary import CATEGORIES, CERTIFICATES, END_REASON_LABELS, LANGUAGES
from . import records

DATA = Path(__file__).with_name("data")
YOUTH_AGES = (13, 17)

# The field that names a record of each kind, for the other files to refer to it.
NAMED_BY = {
    "areas": "name",
    "employers": "name",
    "accounts": "email",
    "openings": "title",
    "youths": "first_name",
    "placements": "youth",
    "milestones": "code",
}

T = TypeVar("T")
Code = TypeVar("Code", bound=StrEnum)
Known = dict[str, set[str]]  # the names of each kind read so far
_REQUIRED: Any = object()


class DemoDataError(ValueError):
    """A demo data file that cannot be used; the message names the file, record and field."""


class Fields:
    """The fields of one record (or of a file's top level), each read once and checked."""

    def __init__(self, where: str, values: object) -> None:
        if not isinstance(values, dict):
            raise DemoDataError(f"{where}: expected a table of fields, got {values!r}")
        self.where = where
        self._values: dict[str, Any] = dict(values)

    def error(self, name: str, problem: str) -> DemoDataError:
        """An error about field `name` of this record."""
        return DemoDataError(f"{self.where}: field {name!r}: {problem}")

    def _take(self, name: str, kinds: tuple[type, ...], what: str, default: Any) -> Any:
        if name not in self._values:
            if default is _REQUIRED:
                raise self.error(name, "missing")
            return default
        value = self._values.pop(name)
        if isinstance(value, bool) != (bool in kinds) or not isinstance(value, kinds):
            raise self.error(name, f"expected {what}, got {value!r}")
        return value

    def text(self, name: str, default: Any = _REQUIRED, *, among: Collection[str] = ()) -> str:
        """A string; one of `among` when given; not blank when required."""
        value: str = self._take(name, (str,), "text", default)
        if default is _REQUIRED and not value.strip():
            raise self.error(name, "must not be empty")
        if among and value != default:
            self._check_among(name, value, among)
        return value

    def member(self, name: str, codes: type[Code], default: Any = _REQUIRED) -> Code:
        """One of the codes of `codes` (a status or a role), as its member."""
        return codes(self.text(name, default, among=tuple(codes)))

    def reference(
        self, name: str, known: Collection[str], what: str, default: Any = _REQUIRED
    ) -> Any:
        """The name of a record of another kind, e.g. an employer in employers.toml."""
        value = self._take(name, (str,), "text", default)
        if value != default and value not in known:
            raise self.error(name, f"{value!r} is not {what}")
        return value

    def integer(
        self, name: str, default: Any = _REQUIRED, *, least: int = 0, most: int | None = None
    ) -> Any:
        """A whole number from `least` to `most`."""
        value = self._take(name, (int,), "a whole number", default)
        if value is not default and (value < least or (most is not None and value > most)):
            bound = f"from {least} to {most}" if most is not None else f"at least {least}"
            raise self.error(name, f"must be {bound}, got {value}")
        return value

    def number(self, name: str, default: Any = _REQUIRED) -> Any:
        """A number, whole or not."""
        value = self._take(name, (int, float), "a number", default)
        return value if value is default else float(value)

    def flag(self, name: str) -> bool:
        """true or false; false when absent."""
        value: bool = self._take(name, (bool,), "true or false", False)
        return value

    def codes(self, name: str, among: Collection[str]) -> list[str]:
        """A list of codes, each one of `among`; empty when absent."""
        values: list[Any] = self._take(name, (list,), "a list", [])
        for value in values:
            if not isinstance(value, str):
                raise self.error(name, f"expected a list of texts, got {value!r}")
            self._check_among(name, value, among)
        return values

    def tables(self, name: str) -> list[Any]:
        """A list of tables (``[[name]]`` or ``[{...}, ...]``)."""
        values: list[Any] = self._take(name, (list,), "a list of tables", _REQUIRED)
        return values

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def done(self) -> None:
        """Refuse the fields nobody read: they are misspelt or do not belong here."""
        if self._values:
            name = next(iter(self._values))
            raise self.error(name, "unknown field (a typo?)")

    def _check_among(self, name: str, value: str, among: Collection[str]) -> None:
        allowed = [str(code) for code in among]
        if value not in allowed:
            raise self.error(name, f"must be one of {', '.join(allowed)}; got {value!r}")


def read(folder: Path, name: str) -> Fields:
    """The top level of data file `name`."""
    try:
        document = tomllib.loads((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DemoDataError(f"{name}: no such file in {folder}") from error
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{name}: not valid TOML: {error}") from error
    return Fields(name, document)


def each(document: Fields, key: str, make: Callable[[Fields, Known], T], known: Known) -> list[T]:
    """The ``[[key]]`` records of `document` made by `make`; adds their names to `known`.

    No two records of a kind share a name (the field of `NAMED_BY`).
    """
    unique = NAMED_BY[key]
    made: list[T] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(document.tables(key), 1):
        label = values.get(unique) if isinstance(values, dict) else None
        fields = Fields(f"{document.where}, {key.removesuffix('s')} {number} {label!r}", values)
        record = make(fields, known)
        fields.done()
        name = getattr(record, unique)
        if name in seen:
            raise fields.error(unique, f"{name!r} is used by {key} {seen[name]} too")
        seen[name] = number
        made.append(record)
    known[key] = set(seen)
    return made


def load(folder: Path = DATA) -> records.World:
    """The whole demo world from the files in `folder`, checked.

    Raises:
        DemoDataError: a file is missing, is not TOML, or a record is wrong.
    """
    known: Known = {}
    areas = each(read(folder, "areas.toml"), "areas", _area, known)
    employers = each(read(folder, "employers.toml"), "employers", _employer, known)
    accounts = each(read(folder, "accounts.toml"), "accounts", _account, known)
    known["counsellors"] = {a.email for a in accounts if a.role == Role.COUNSELLOR}
    openings = each(read(folder, "openings.toml"), "openings", _opening, known)
    youths_file = read(folder, "youths.toml")
    extra_languages = youths_file.codes("extra_languages", LANGUAGES)
    interests = youths_file.codes("interests", CATEGORIES)
    youths = each(youths_file, "youths", _youth, known)
    youths_file.done()
    placements = each(read(folder, "placements.toml"), "placements", _placement, known)
    milestones_file = read(folder, "milestones.toml")
    note = milestones_file.text("note")
    milestones = each(milestones_file, "milestones", _milestone, known)
    milestones_file.done()
    return records.World(
        areas=areas,
        employers=employers,
        accounts=accounts,
        openings=openings,
        youths=youths,
        extra_languages=extra_languages,
        interests=interests,
        placements=placements,
        milestones=milestones,
        note=note,
    )


def require_accounts(world: records.World, listed: Iterable[tuple[str, Role]]) -> None:
    """Every (email, role) in `listed` is an account of the world.

    Raises:
        DemoDataError: one is missing from accounts.toml or has another role.
    """
    roles = {a.email: a.role for a in world.accounts}
    for email, role in listed:
        if roles.get(email) != role:
            raise DemoDataError(f"accounts.toml: the demo's {role} account {email} is missing")


def _area(fields: Fields, _known: Known) -> records.Area:
    return records.Area(
        name=fields.text("name"),
        department=fields.text("department", ""),
        town=fields.text("town"),
        postcode=fields.text("postcode"),
        lat=fields.number("lat"),
        lon=fields.number("lon"),
    )


def _employer(fields: Fields, _known: Known) -> records.Employer:
    profile = EmployerData(
        name=fields.text("name"),
        postcode=fields.text("postcode"),
        address=fields.text("address", ""),
        contact_name=fields.text("contact", ""),
        description=fields.text("description", ""),
        is_housing_association=fields.flag("housing_association"),
    )
    status = fields.member("status", EmployerStatus, EmployerStatus.APPROVED)
    approved = status == EmployerStatus.APPROVED
    return records.Employer(profile=profile, approved=approved)


def _account(fields: Fields, known: Known) -> records.Account:
    email, name, role = fields.text("email"), fields.text("name"), fields.member("role", Role)
    employer = fields.reference(
        "employer", known["employers"], "an employer in employers.toml", None
    )
    if (role == Role.EMPLOYER) != (employer is not None):
        raise fields.error("employer", "an employer account, and only one, names its employer")
    return records.Account(email=email, name=name, role=role, employer=employer)


def _opening(fields: Fields, known: Known) -> records.Opening:
    employer = fields.reference("employer", known["employers"], "an employer in employers.toml")
    job = OpeningData(
        title=fields.text("title"),
        category=fields.text("category", among=CATEGORIES),
        kind=fields.text("kind", among=OPENING_KINDS),
        workplace=fields.text("workplace", among=WORKPLACES),
        alcohol=fields.text("alcohol", "none", among=ALCOHOL),
        light_work=fields.flag("light_work"),
        min_age=fields.integer("min_age", least=13),
        max_age=fields.integer("max_age", None, least=13),
        positions=fields.integer("positions", least=1),
        required_languages=fields.codes("languages", LANGUAGES),
        required_certificates=fields.codes("certificates", CERTIFICATES),
        shifts=_windows(fields, "shifts"),
    )
    if job.max_age is not None and job.max_age < job.min_age:
        raise fields.error("max_age", "must not be below min_age")
    area = fields.reference("area", known["areas"], "an area in areas.toml", None)
    status = fields.member("status", OpeningStatus, OpeningStatus.OPEN)
    return records.Opening(employer=employer, area=area, status=status, job=job)


def _windows(fields: Fields, name: str) -> list[Window]:
    """An opening's shifts or a youth's availability: days and times, none overlapping."""
    windows = []
    for number, values in enumerate(fields.tables(name), 1):
        window = Fields(f"{fields.where}, {name.removesuffix('s')} {number}", values)
        day = DAYS.index(window.text("day", among=DAYS))
        start, end = _time(window, "start", end=False), _time(window, "end", end=True)
        window.done()
        if start >= end:
            raise window.error("end", "must be after the start")
        windows.append((day, start, end))
    if not windows:
        raise fields.error(name, "needs at least one day and time")
    if overlapping(windows):
        raise fields.error(name, "two times on the same day overlap")
    return windows


def _time(fields: Fields, name: str, *, end: bool) -> int:
    try:
        return parse_time(fields.text(name), end=end)
    except ValueError as error:
        raise fields.error(name, str(error)) from error


def _youth(fields: Fields, known: Known) -> records.Youth:
    youth = records.Youth(
        first_name=fields.text("first_name"),
        last_name=fields.text("last_name", ""),
        age=fields.integer("age", least=YOUTH_AGES[0], most=YOUTH_AGES[1]),
        finished_9th_grade=fields.flag("finished_9th_grade"),
        area=fields.reference("area", known["areas"], "an area in areas.toml"),
        status=fields.member("status", YouthStatus, YouthStatus.ACTIVE),
        counsellor=fields.reference(
            "counsellor", known["counsellors"], "a counsellor's email in accounts.toml", None
        ),
        source=fields.member("source", YouthSource, YouthSource.COORDINATOR),
        excludes_an_employer=fields.flag("excludes_an_employer"),
        availability=_windows(fields, "availability") if "availability" in fields else None,
        max_travel_km=fields.number("max_travel_km", None),
        certificates=fields.codes("certificates", CERTIFICATES),
    )
    if youth.status == YouthStatus.PENDING and youth.source != YouthSource.PUBLIC:
        raise fields.error("source", "a pending registration comes from the public board")
    return youth


def _placement(fields: Fields, known: Known) -> records.Placement:
    placement = records.Placement(
        youth=fields.reference("youth", known["youths"], "a youth's first name in youths.toml"),
        opening=fields.reference(
            "opening", known["openings"], "an opening's title in openings.toml"
        ),
        status=fields.member("status", PlacementStatus),
        end_reason=fields.text("end_reason", "", among=END_REASON_LABELS),
        external_job=fields.text("external_job", ""),
    )
    if (placement.status == PlacementStatus.ENDED) != bool(placement.end_reason):
        raise fields.error("end_reason", "an ended placement, and only one, has an end reason")
    if (placement.end_reason == "external_job") != bool(placement.external_job):
        raise fields.error("external_job", "names the job of a placement ended for one")
    return placement


def _milestone(fields: Fields, _known: Known) -> records.Milestone:
    return records.Milestone(
        least_age=fields.integer("least_age", least=YOUTH_AGES[0]),
        code=fields.text("code", among=MILESTONES),
        text=fields.text("text"),
    )
