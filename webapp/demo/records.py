"""The demo world as plain values, read from the data files by `loader`.

Records name each other as the files do: an employer by its name, an area by
its name, an account by its email, an opening by its title, a youth by first name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import OpeningStatus, PlacementStatus, Role, YouthSource, YouthStatus
from ..services.openings import EmployerData, OpeningData
from ..services.youths import Window


@dataclass(frozen=True)
class Area:
    """A housing area, field for field as the board stores it."""

    name: str
    department: str
    town: str
    postcode: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Employer:
    """The profile as the employer form gives it; contact email and phone are made up later."""

    profile: EmployerData
    approved: bool

    @property
    def name(self) -> str:
        return self.profile.name


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    role: Role
    employer: str | None


@dataclass(frozen=True)
class Opening:
    """The job as the opening form gives it, but for the employer's address and the area."""

    employer: str
    area: str | None
    status: OpeningStatus
    job: OpeningData

    @property
    def title(self) -> str:
        return self.job.title


@dataclass(frozen=True)
class Youth:
    first_name: str
    last_name: str
    age: int
    finished_9th_grade: bool
    area: str
    status: YouthStatus
    counsellor: str | None
    source: YouthSource
    excludes_an_employer: bool
    # Given for a youth who holds a job, so that the job keeps the law; else drawn.
    availability: list[Window] | None = None
    max_travel_km: float | None = None
    certificates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Placement:
    youth: str
    opening: str
    status: PlacementStatus
    end_reason: str
    external_job: str


@dataclass(frozen=True)
class Milestone:
    least_age: int
    code: str
    text: str


@dataclass(frozen=True)
class World:
    """Everything the data files say, checked and in file order."""

    areas: list[Area]
    employers: list[Employer]
    accounts: list[Account]
    openings: list[Opening]
    youths: list[Youth]
    extra_languages: list[str]
    interests: list[str]
    placements: list[Placement]
    milestones: list[Milestone]
    note: str
