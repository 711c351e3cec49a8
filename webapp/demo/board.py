"""The board's side of the demo world: areas, employers, staff accounts and openings.

Employers and openings are made by the same services as the forms' (so town,
location and shifts are set as there); what the files leave open is drawn from
the caller's random generator.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass, replace

from ..extensions import db
from ..models import Area, Employer, Opening, OpeningStatus, Role, User
from ..services import openings, phones
from . import records

HOURLY_WAGES_DKK = (78, 80, 84, 90)


@dataclass
class Board:
    """The rows made, by the names the data files use."""

    areas: dict[str, Area]
    employers: dict[str, Employer]
    accounts: dict[str, User]
    openings: dict[str, Opening]

    @property
    def coordinators(self) -> list[User]:
        """The coordinator accounts, in the order of accounts.toml."""
        return [user for user in self.accounts.values() if user.role == Role.COORDINATOR]


def at_ten(day: dt.date) -> dt.datetime:
    """10:00 UTC on `day`: when the demo's dated records were made."""
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


def phone(rng: random.Random, prefix: str) -> str:
    """A made-up phone number in E.164: `prefix` and three drawn pairs of digits."""
    return phones.normalise(
        f"{prefix} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    )


def seed_board(
    world: records.World, rng: random.Random, today: dt.date, password_hash: str
) -> Board:
    """Make the areas, employers, accounts (all with `password_hash`) and openings."""
    areas = {a.name: Area(**asdict(a)) for a in world.areas}
    db.session.add_all(areas.values())
    employers = {e.name: _employer(e, rng) for e in world.employers}
    users = {
        a.email: User(
            email=a.email,
            name=a.name,
            role=a.role,
            employer=employers[a.employer] if a.employer else None,
            password_hash=password_hash,
        )
        for a in world.accounts
    }
    db.session.add_all(users.values())
    made = {o.title: _opening(o, employers[o.employer], areas, rng, today) for o in world.openings}
    return Board(areas=areas, employers=employers, accounts=users, openings=made)


def _employer(record: records.Employer, rng: random.Random) -> Employer:
    profile = record.profile
    if profile.contact_name:
        slug = "".join(c for c in profile.name.lower() if c.isalnum())[:20]
        profile = replace(
            profile, contact_email=f"kontakt@{slug}.example.org", contact_phone=phone(rng, "97")
        )
    return openings.create_employer(profile, approved=record.approved)


def _opening(
    record: records.Opening,
    employer: Employer,
    areas: dict[str, Area],
    rng: random.Random,
    today: dt.date,
) -> Opening:
    wage = None if record.job.kind == "lommepengejob" else rng.choice(HOURLY_WAGES_DKK)
    created = at_ten(today - dt.timedelta(days=rng.randint(5, 120)))
    job = replace(
        record.job,
        address=employer.address,
        postcode=employer.postcode,
        lat=employer.lat,
        lon=employer.lon,
        area_id=areas[record.area].id if record.area else None,
        hourly_wage_dkk=wage,
    )
    opening = openings.create_opening(
        employer, job, approved=record.status != OpeningStatus.PENDING
    )
    opening.created_at = created
    if record.status == OpeningStatus.CLOSED:
        openings.close_opening(opening)
    return opening
