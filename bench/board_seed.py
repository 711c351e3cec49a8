"""Fill a migrated board database with a municipality's worth of rows for the load benchmark.

    DATABASE_URL=sqlite:////tmp/board.sqlite python bench/board_seed.py --youths 5000 --out t.json

Run after `flask --app webapp setup` and `seed-demo` (bench/board_load.py does all three): the
demo world stays, and this tops it up to the scale asked, over eight towns of central Jutland,
with the models and services of the board as the tree under PYTHONPATH has them. Placements
pass the board's own guard (`placement_guard.placement_codes`) on their first day, so every
one is allowed by the law. Writes what the load test needs (the coordinators' logins and ids
to visit, never a youth's name) to the JSON file `--out`.

Runs as a script with the served tree first on PYTHONPATH, so it imports nothing from `bench`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp import create_app
from webapp.extensions import db
from webapp.models import (
    Area,
    AvailabilityWindow,
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Placement,
    Shift,
    User,
    Youth,
)
from webapp.services import accounts, onboarding, seats, timeline
from webapp.services.first_day import next_first_day
from webapp.services.placement_guard import placement_codes
from webapp.ui import board_day

SEED = 2026
PASSWORD = "bench-coordinator-password"
COUNSELLORS = 12
SAMPLED_YOUTHS = 300  # profiles the coordinators open, drawn from the active youths
PLACEMENT_TRIES = 12  # openings tried for a youth before another youth is drawn
FIRST_NAMES = (
    "Amira", "Emil", "Omar", "Freja", "Yusuf", "Ida", "Zainab", "Noah", "Leyla", "Malthe",
    "Hiba", "Oliver", "Aya", "Lucas", "Mariam", "Sofie", "Ahmed", "Clara", "Hassan", "Alma",
)  # fmt: skip
LAST_NAMES = ("Hansen", "Ali", "Jensen", "Yilmaz", "Nielsen", "Abdi", "Pedersen", "Kaya")
INTERESTS = ("retail", "bakery", "food_service", "sports", "garden", "caretaking", "warehouse")
LANGUAGES = ("ar", "so", "tr", "fa", "uk", "pl", "ur")
TRAVEL_KM = (2.0, 3.0, 5.0, 10.0, 25.0)
KINDS_OF_JOB = (  # title, category, workplace, least age, light work
    ("Kasseassistent", "retail", "shop", 13, True),
    ("Bagerjobber", "bakery", "bakery", 13, True),
    ("Opvasker", "food_service", "hotel_restaurant", 15, False),
    ("Trænerhjælper", "sports", "other", 13, True),
    ("Gartnerhjælp", "garden", "farm", 13, True),
    ("Viceværthjælp", "caretaking", "other", 13, True),
    ("Lagerhjælp", "warehouse", "shop", 15, False),
)


@dataclass(frozen=True)
class Town:
    """A town the seeded rows live in: its postcode, municipality and centre."""

    name: str
    postcode: str
    municipality: str
    lat: float
    lon: float


TOWNS = (
    Town("Ikast", "7430", "Ikast-Brande", 56.1388, 9.1580),
    Town("Herning", "7400", "Herning", 56.1393, 8.9738),
    Town("Brande", "7330", "Ikast-Brande", 55.9439, 9.1306),
    Town("Bording", "7441", "Ikast-Brande", 56.1651, 9.2393),
    Town("Sunds", "7451", "Herning", 56.2069, 9.0145),
    Town("Aulum", "7490", "Herning", 56.2646, 8.7877),
    Town("Vildbjerg", "7480", "Herning", 56.2011, 8.7633),
    Town("Silkeborg", "8600", "Silkeborg", 56.1697, 9.5451),
)


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind the database holds after seeding (the demo's included)."""

    youths: int = 5000
    employers: int = 300
    openings: int = 1500
    placements: int = 2000
    coordinators: int = 20

    @classmethod
    def for_youths(cls, youths: int, coordinators: int) -> Scale:
        """The issue's proportions (300 employers, 1,500 openings, 2,000 placements per 5,000)."""
        share = youths / cls.youths
        return cls(
            youths=youths,
            employers=max(10, round(cls.employers * share)),
            openings=max(30, round(cls.openings * share)),
            placements=max(10, round(cls.placements * share)),
            coordinators=coordinators,
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Seed the database of DATABASE_URL; write the load test's targets to --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--youths", type=int, default=Scale.youths)
    parser.add_argument("--coordinators", type=int, default=Scale.coordinators)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.youths < 50 or args.coordinators < 1:
        parser.error("seed at least 50 youths and 1 coordinator")
    scale = Scale.for_youths(args.youths, args.coordinators)
    began = time.perf_counter()
    with create_app().app_context():
        targets = Seeder(random.Random(SEED)).seed(scale)
        _settle()
    targets["seconds"] = round(time.perf_counter() - began, 1)
    args.out.write_text(json.dumps(targets, indent=1))
    print(f"seeded {asdict(scale)} in {targets['seconds']} s", file=sys.stderr)
    return 0


def _settle() -> None:
    """After the bulk load, what a board that grew over months has: the planner's statistics
    and its writes on disk (PostgreSQL's autovacuum and checkpoints would do it some time
    later, in the middle of the measurement; SQLite gathers no statistics by itself).
    Without statistics PostgreSQL planned /jobs for one approved employer instead of 285
    (53 ms in-process on 5,000 youths instead of 28)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("VACUUM ANALYZE")
            connection.exec_driver_sql("CHECKPOINT")
        else:
            connection.exec_driver_sql("ANALYZE")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class Seeder:
    """Tops the database up to a `Scale`, drawing everything left open from `rng`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.today = board_day.today()

    def seed(self, scale: Scale) -> dict[str, Any]:
        """Add the rows; return the targets of the load test."""
        password_hash = accounts.hash_password(PASSWORD)
        coordinators = self._staff("coordinator", scale.coordinators, password_hash)
        counsellors = self._staff("counsellor", COUNSELLORS, password_hash)
        areas = self._areas()
        for n in range(_more(Employer, scale.employers)):
            self._employer(n, password_hash)
        db.session.flush()
        employers = list(db.session.scalars(select(Employer)))
        for n in range(_more(Opening, scale.openings)):
            db.session.add(self._opening(n, self.rng.choice(employers), areas))
        db.session.flush()
        kinds = onboarding.step_kinds()
        for n in range(_more(Youth, scale.youths)):
            self._youth(n, self.rng.choice(areas), counsellors, coordinators, kinds)
            if n % 500 == 499:
                db.session.flush()
        db.session.flush()
        self._placements(_more(Placement, scale.placements), coordinators[0])
        db.session.flush()
        seats.recount()
        db.session.commit()
        active = list(
            db.session.scalars(
                select(Youth.public_id).where(Youth.status == "active").order_by(Youth.id)
            )
        )
        return {
            "password": PASSWORD,
            "coordinators": [user.email for user in coordinators],
            "youths": self.rng.sample(active, k=min(SAMPLED_YOUTHS, len(active))),
            "areas": [area.id for area in areas],
            "counsellors": [user.id for user in counsellors],
            "interests": list(INTERESTS),
            "towns": [town.name for town in TOWNS],
            "open_openings": db.session.scalar(
                select(func.count()).select_from(Opening).where(Opening.status == "open")
            ),
        }

    def _staff(self, role: str, count: int, password_hash: str) -> list[User]:
        users = [
            User(
                email=f"bench-{role}-{n}@bench.example.org",
                name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                role=role,
                password_hash=password_hash,
            )
            for n in range(count)
        ]
        db.session.add_all(users)
        return users

    def _areas(self) -> list[Area]:
        areas = [
            Area(
                name=f"{town.name} {side}",
                department=f"afd. {10 + number}",
                town=town.name,
                postcode=town.postcode,
                municipality=town.municipality,
                lat=town.lat + self.rng.uniform(-0.01, 0.01),
                lon=town.lon + self.rng.uniform(-0.01, 0.01),
            )
            for number, (town, side) in enumerate(
                (town, side) for town in TOWNS for side in ("Nord", "Syd")
            )
        ]
        db.session.add_all(areas)
        db.session.flush()
        return areas

    def _employer(self, number: int, password_hash: str) -> None:
        town = self.rng.choice(TOWNS)
        approved = self.rng.random() < 0.95
        employer = Employer(
            name=f"{town.name} Virksomhed {number}",
            address=f"Hovedgaden {self.rng.randint(1, 120)}",
            postcode=town.postcode,
            town=town.name,
            lat=town.lat + self.rng.uniform(-0.02, 0.02),
            lon=town.lon + self.rng.uniform(-0.02, 0.02),
            contact_name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
            contact_email=f"kontakt{number}@bench.example.org",
            status="approved" if approved else "pending",
        )
        staff = User(
            email=f"bench-employer-{number}@bench.example.org",
            name=employer.contact_name,
            role="employer",
            employer=employer,
            password_hash=password_hash,
        )
        db.session.add_all([employer, staff])

    def _opening(self, number: int, employer: Employer, areas: list[Area]) -> Opening:
        title, category, workplace, least_age, light = self.rng.choice(KINDS_OF_JOB)
        drawn = self.rng.random()
        status = "open" if drawn < 0.62 else "closed" if drawn < 0.9 else "pending"
        if employer.status != "approved":
            status = "pending"
        lommepenge = category == "caretaking"
        in_town = [area for area in areas if area.town == employer.town]
        return Opening(
            employer=employer,
            title=f"{title} {number}",
            description="Et fritidsjob med en fast voksen at spørge.",
            category=category,
            kind="lommepengejob" if lommepenge else "fritidsjob",
            positions=self.rng.choice((1, 2, 2, 3, 4)),
            min_age=least_age,
            light_work=light,
            workplace=workplace,
            address=employer.address,
            postcode=employer.postcode,
            town=employer.town,
            lat=employer.lat,
            lon=employer.lon,
            area=self.rng.choice(in_town) if lommepenge and in_town else None,
            hourly_wage_dkk=None if lommepenge else self.rng.choice((78, 84, 90)),
            status=status,
            created_at=_at_ten(self.today - dt.timedelta(days=self.rng.randint(5, 200))),
            closed_at=_at_ten(self.today) if status == "closed" else None,
            shifts=self._shifts(),
        )

    def _shifts(self) -> list[Shift]:
        shift = Shift
        start = self.rng.choice((15 * 60, 16 * 60, 17 * 60))
        days = sorted(self.rng.sample(range(5), k=self.rng.randint(1, 3)))
        shifts = [shift(day_index=day, start_min=start, end_min=start + 120) for day in days]
        if self.rng.random() < 0.3:
            shifts.append(shift(day_index=5, start_min=9 * 60, end_min=12 * 60))
        return shifts

    def _youth(
        self,
        number: int,
        area: Area,
        counsellors: list[User],
        staff: list[User],
        kinds: list[OnboardingStepKind],
    ) -> None:
        rng = self.rng
        age = rng.choice((13, 14, 14, 15, 15, 16, 16, 17))
        birth = self.today - dt.timedelta(days=365 * age + rng.randint(30, 330))
        drawn = rng.random()
        status = "active" if drawn < 0.86 else "pending" if drawn < 0.93 else "archived"
        registered = self.today - dt.timedelta(days=rng.randint(1, 400))
        youth = Youth(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            birth_date=birth,
            finished_9th_grade_on=dt.date(birth.year + 16, 6, 24) if age >= 17 else None,
            email=f"ung{number}@bench.example.org",
            phone=f"20 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            address=f"{area.name} {rng.randint(1, 80)}",
            postcode=area.postcode,
            town=area.town,
            lat=area.lat,
            lon=area.lon,
            area=area,
            parent_name="Forælder",
            parent_email=f"foraelder{number}@bench.example.org",
            max_travel_km=rng.choice(TRAVEL_KM),
            languages=["da", *rng.sample(LANGUAGES, k=rng.choice((0, 1, 1, 2)))],
            interests=rng.sample(INTERESTS, k=rng.randint(1, 3)),
            priority=2 if rng.random() < 0.25 else 1,
            counsellor=rng.choice(counsellors) if rng.random() < 0.6 else None,
            status=status,
            source="public" if status == "pending" else "coordinator",
            created_at=_at_ten(registered),
            availability=self._availability(),
        )
        db.session.add(youth)
        timeline.record(youth, "registered", actor=rng.choice(staff), occurred_on=registered)
        if status == "pending":
            return
        for kind in kinds[: rng.randint(0, len(kinds))]:
            on = min(self.today, registered + dt.timedelta(days=7))
            helper = rng.choice(staff)
            db.session.add(
                OnboardingStep(youth=youth, kind=kind, status="done", done_on=on, helped_by=helper)
            )
            data = {"status": "done", "step": kind.name_da}
            timeline.record(youth, "step", actor=helper, code=kind.code, data=data, occurred_on=on)

    def _availability(self) -> list[AvailabilityWindow]:
        window = AvailabilityWindow
        days = sorted(self.rng.sample(range(5), k=self.rng.randint(2, 4)))
        windows = [window(day_index=day, start_min=14 * 60 + 30, end_min=19 * 60) for day in days]
        if self.rng.random() < 0.6:
            windows.append(window(day_index=5, start_min=8 * 60, end_min=13 * 60))
        return windows

    def _placements(self, count: int, coordinator: User) -> None:
        """`count` placements of drawn active youths in open jobs of their town, guard-checked."""
        unplaced = ~select(Placement.id).where(Placement.youth_id == Youth.id).exists()
        active = select(Youth).where(Youth.status == "active", unplaced).order_by(Youth.id)
        youths = list(db.session.scalars(active.options(selectinload(Youth.availability))))
        by_town: dict[str, list[Opening]] = {}
        open_ones = select(Opening).where(Opening.status == "open").order_by(Opening.id)
        for opening in db.session.scalars(open_ones.options(selectinload(Opening.shifts))):
            by_town.setdefault(opening.town, []).append(opening)
        free = {o.id: o.positions - o.filled for in_town in by_town.values() for o in in_town}
        self.rng.shuffle(youths)
        made = 0
        with db.session.no_autoflush:  # each youth gets one job: the guard sees no other
            for youth in youths:
                if made == count:
                    break
                if self._place(youth, by_town.get(youth.town, []), free, coordinator):
                    made += 1
        if made < count:
            raise SystemExit(f"only {made} of {count} placements are allowed by the guard")

    def _place(
        self, youth: Youth, openings: list[Opening], free: dict[int, int], coordinator: User
    ) -> bool:
        drawn = self.rng.random()
        status = "started" if drawn < 0.45 else "confirmed" if drawn < 0.6 else "ended"
        holds = status != "ended"
        days = {window.day_index for window in youth.availability}
        candidates = [
            o
            for o in openings
            if (free[o.id] > 0 or not holds)
            and o.min_age <= youth.age_on(self.today)
            and {shift.day_index for shift in o.shifts} <= days
        ]
        for opening in self.rng.sample(candidates, k=min(PLACEMENT_TRIES, len(candidates))):
            placed_on = self.today - dt.timedelta(days=self.rng.randint(30, 200))
            if status == "confirmed":
                start = next_first_day(opening, today=self.today + dt.timedelta(days=3))
            else:
                start = next_first_day(opening, today=placed_on + dt.timedelta(days=14))
            checked_on = self.today if status == "started" else start
            if placement_codes(youth, opening, on=checked_on):
                continue
            placement = Placement(youth=youth, opening=opening, status=status, start_date=start)
            if status == "ended":
                placement.end_date = start + dt.timedelta(days=self.rng.randint(20, 90))
                placement.end_reason = "completed"
            else:
                free[opening.id] -= 1
            db.session.add(placement)
            data = {"opening": opening.title, "employer": opening.employer.name}
            timeline.record(youth, "placed", actor=coordinator, data=data, occurred_on=placed_on)
            return True
        return False


def _more(model: type[Any], wanted: int) -> int:
    """How many rows `model` lacks of `wanted` (the demo world's counted)."""
    return max(0, wanted - (db.session.scalar(select(func.count()).select_from(model)) or 0))


def _at_ten(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


if __name__ == "__main__":
    raise SystemExit(main())
