"""Fictional demo data: two housing areas in Ikast, their youths, local employers and jobs.

Every person and business here is invented. Dates are relative to the day of
seeding, so that ages stay within 13-17 and the timelines look recent.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, select

from .extensions import db
from .models import (
    DAYS,
    Area,
    AvailabilityWindow,
    Employer,
    OnboardingStep,
    Opening,
    Placement,
    Shift,
    TimelineEvent,
    User,
    Youth,
    YouthPreference,
)
from .services import accounts, geo, onboarding, seats

DEMO_PASSWORD = "jobmatch-demo"
DEMO_ACCOUNTS = (
    ("coordinator@example.org", "coordinator"),
    ("employer@example.org", "employer"),
    ("counsellor@example.org", "counsellor"),
)

AREAS = (
    ("Stadion Allé", "afd. 11", "Ikast", "7430", 56.1331, 9.1496),
    ("Østbyen", "afd. 630", "Ikast", "7430", 56.1392, 9.1733),
)

# name, postcode, address, housing association, contact, description
EMPLOYERS = (
    ("Ikast Dagligvarer", "7430", "Strøget 12", False, "Hanne Krogh", "Supermarked midt i Ikast."),
    ("Bageriet på Torvet", "7430", "Torvet 3", False, "Jens Bager", "Familiebageri siden 1962."),
    ("Ikast IF Fodbold", "7430", "Stadion Allé 40", False, "Lars Holm", "Fodboldklub for alle."),
    ("Grønt Hjørne Planteskole", "7430", "Herningvej 88", False, "Birthe Lund", "Planteskole."),
    (
        "Boligforeningen Ikast — viceværterne",
        "7430",
        "Østergade 20",
        True,
        "Kim Vestergaard",
        "Lommepengejob i boligområderne: viceværthjælp, legepatrulje og skraldeindsamling.",
    ),
    ("Svømmehallens Café", "7430", "Frisenborgparken 2", False, "Sara Mikkelsen", "Café."),
    ("Herning Byggemarked", "7400", "Silkeborgvej 140", False, "Per Dam", "Byggemarked."),
    ("Pizzeria Bella Herning", "7400", "Bredgade 44", False, "Marco Rossi", "Pizzeria."),
    ("Ikast Bio", "7430", "Bøgildvej 5", False, "Lene Thomsen", "Biograf med tre sale."),
    ("Midtjysk Avisomdeling", "7430", "Industrivej 9", False, "Ole Brandt", "Omdeling."),
    ("Herning Kontorservice", "7400", "Dalgasgade 15", False, "Anne Winther", "Kontorhotel."),
    ("Hansens Gårdbutik", "7441", "Bordingvej 210", False, "Maja Hansen", "Gårdbutik."),
    ("Ikast Tank & Vask", "7430", "Vestergade 101", False, "Bo Jensen", "Tankstation."),
    ("Lystrup Rideskole", "7400", "Lystrupvej 30", False, "Camilla Ravn", "Rideskole."),
    ("Legeland Ikast", "7430", "Bording Vej 2", False, "Trine Skov", "Indendørs legeland."),
)

# employer index, title, category, kind, workplace, alcohol, light, min, max, positions,
# shifts (day, "HH:MM", "HH:MM"), languages, certificates, area index or None, status
OPENINGS: tuple[tuple[Any, ...], ...] = (
    (
        0,
        "Kasseassistent",
        "retail",
        "fritidsjob",
        "shop",
        "none",
        True,
        13,
        None,
        2,
        [("tue", "16:00", "18:00"), ("thu", "16:00", "18:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        0,
        "Varepåfyldning om aftenen",
        "warehouse",
        "fritidsjob",
        "shop",
        "none",
        False,
        15,
        None,
        2,
        [("mon", "18:00", "21:00"), ("wed", "18:00", "21:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        0,
        "Flaskeretur og oprydning",
        "cleaning",
        "fritidsjob",
        "shop",
        "none",
        True,
        13,
        15,
        1,
        [("sat", "09:00", "12:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        1,
        "Bagerjobber weekend",
        "bakery",
        "fritidsjob",
        "bakery",
        "none",
        True,
        14,
        None,
        2,
        [("sat", "06:00", "10:00"), ("sun", "06:00", "10:00")],
        ["da"],
        [],
        None,
        "open",
    ),
    (
        1,
        "Ekspedient i butikken",
        "bakery",
        "fritidsjob",
        "bakery",
        "none",
        True,
        15,
        None,
        1,
        [("fri", "15:00", "18:00")],
        ["da"],
        ["hygiejnebevis"],
        None,
        "open",
    ),
    (
        2,
        "Hjælpetræner U9",
        "sports",
        "fritidsjob",
        "other",
        "none",
        True,
        13,
        None,
        3,
        [("tue", "16:30", "18:00"), ("thu", "16:30", "18:00")],
        [],
        [],
        0,
        "open",
    ),
    (
        2,
        "Kiosk ved hjemmekampe",
        "food_service",
        "fritidsjob",
        "other",
        "none",
        True,
        14,
        None,
        2,
        [("sun", "12:00", "15:00")],
        [],
        [],
        0,
        "open",
    ),
    (
        3,
        "Planteskolehjælper",
        "garden",
        "fritidsjob",
        "farm",
        "none",
        True,
        13,
        None,
        2,
        [("wed", "15:00", "17:00"), ("sat", "09:00", "12:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        3,
        "Sæsonhjælp forår",
        "garden",
        "fritidsjob",
        "farm",
        "none",
        False,
        15,
        None,
        2,
        [("sat", "08:00", "14:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        4,
        "Viceværthjælper Stadion Allé",
        "caretaking",
        "lommepengejob",
        "other",
        "none",
        True,
        13,
        None,
        4,
        [("wed", "15:00", "17:00")],
        [],
        [],
        0,
        "open",
    ),
    (
        4,
        "Viceværthjælper Østbyen",
        "caretaking",
        "lommepengejob",
        "other",
        "none",
        True,
        13,
        None,
        4,
        [("thu", "15:00", "17:00")],
        [],
        [],
        1,
        "open",
    ),
    (
        4,
        "Legepatrulje",
        "childcare",
        "lommepengejob",
        "other",
        "none",
        True,
        13,
        None,
        3,
        [("fri", "15:00", "17:00")],
        [],
        [],
        1,
        "open",
    ),
    (
        4,
        "Skraldeindsamling i området",
        "cleaning",
        "lommepengejob",
        "other",
        "none",
        True,
        13,
        None,
        5,
        [("mon", "15:30", "17:00")],
        [],
        [],
        0,
        "open",
    ),
    (
        5,
        "Caféhjælper",
        "food_service",
        "fritidsjob",
        "other",
        "none",
        True,
        14,
        None,
        2,
        [("sat", "10:00", "14:00")],
        [],
        ["hygiejnebevis"],
        None,
        "open",
    ),
    (
        6,
        "Lagermedhjælper",
        "warehouse",
        "fritidsjob",
        "shop",
        "none",
        False,
        15,
        None,
        2,
        [("mon", "16:00", "20:00"), ("thu", "16:00", "20:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        6,
        "Kundeservice i haveafdelingen",
        "retail",
        "fritidsjob",
        "shop",
        "none",
        True,
        15,
        None,
        1,
        [("sat", "09:00", "15:00")],
        ["da"],
        [],
        None,
        "open",
    ),
    (
        7,
        "Opvasker og afrydning",
        "food_service",
        "fritidsjob",
        "hotel_restaurant",
        "food",
        False,
        16,
        None,
        2,
        [("fri", "17:00", "22:00"), ("sat", "17:00", "22:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        8,
        "Billetsalg og slik",
        "culture",
        "fritidsjob",
        "culture",
        "none",
        False,
        15,
        None,
        2,
        [("fri", "18:00", "22:00"), ("sun", "14:00", "18:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        8,
        "Oprydning efter forestillinger",
        "cleaning",
        "fritidsjob",
        "culture",
        "none",
        True,
        13,
        None,
        2,
        [("sat", "13:00", "16:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        9,
        "Avisbud Østbyen",
        "delivery",
        "fritidsjob",
        "newspaper_delivery",
        "none",
        True,
        13,
        None,
        3,
        [("sat", "06:00", "08:00")],
        [],
        [],
        1,
        "open",
    ),
    (
        9,
        "Reklameomdeling",
        "delivery",
        "fritidsjob",
        "newspaper_delivery",
        "none",
        True,
        13,
        None,
        4,
        [("wed", "15:00", "17:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        10,
        "Kontorhjælp og post",
        "office",
        "fritidsjob",
        "office",
        "none",
        True,
        14,
        None,
        1,
        [("tue", "15:00", "17:00")],
        ["da", "en"],
        [],
        None,
        "open",
    ),
    (
        11,
        "Hjælp i gårdbutikken",
        "farm",
        "fritidsjob",
        "farm",
        "none",
        True,
        13,
        None,
        2,
        [("sat", "09:00", "13:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        11,
        "Dyrepasning morgen",
        "farm",
        "fritidsjob",
        "farm",
        "none",
        True,
        14,
        None,
        1,
        [("sun", "06:30", "09:30")],
        [],
        [],
        None,
        "open",
    ),
    (
        12,
        "Vask og oprydning",
        "cleaning",
        "fritidsjob",
        "service_station",
        "none",
        False,
        16,
        None,
        1,
        [("mon", "17:00", "21:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        13,
        "Staldhjælper",
        "farm",
        "fritidsjob",
        "farm",
        "none",
        True,
        13,
        None,
        3,
        [("wed", "16:00", "18:00"), ("sat", "10:00", "13:00")],
        [],
        [],
        None,
        "open",
    ),
    (
        14,
        "Legeonkel/-tante i weekenden",
        "childcare",
        "fritidsjob",
        "other",
        "none",
        True,
        14,
        None,
        2,
        [("sun", "10:00", "14:00")],
        ["da"],
        ["first_aid"],
        None,
        "open",
    ),
    (
        14,
        "Rengøring af legeområder",
        "cleaning",
        "fritidsjob",
        "other",
        "none",
        True,
        13,
        None,
        1,
        [("fri", "16:00", "18:00")],
        [],
        [],
        None,
        "pending",
    ),
    (
        2,
        "Hjælper ved sommerstævne",
        "sports",
        "fritidsjob",
        "other",
        "none",
        True,
        13,
        None,
        6,
        [("sat", "09:00", "15:00")],
        [],
        [],
        0,
        "pending",
    ),
    (
        5,
        "Juleudsalg",
        "retail",
        "fritidsjob",
        "other",
        "none",
        True,
        14,
        None,
        1,
        [("sat", "10:00", "14:00")],
        [],
        [],
        None,
        "closed",
    ),
)

FIRST_NAMES = (
    "Amira",
    "Mohammed",
    "Freja",
    "Yusuf",
    "Sofie",
    "Ali",
    "Ida",
    "Hamza",
    "Emma",
    "Omar",
    "Noah",
    "Fatima",
    "William",
    "Sara",
    "Lucas",
    "Aisha",
    "Oscar",
    "Leyla",
    "Victor",
    "Hodan",
    "Emil",
    "Zainab",
    "Malthe",
    "Maryam",
    "Alma",
    "Abdi",
    "Clara",
    "Mustafa",
    "Lærke",
    "Ilyas",
    "Anna",
    "Khadija",
    "Magnus",
    "Nour",
    "Ella",
    "Ahmed",
    "Karla",
    "Bilal",
    "Olivia",
    "Hassan",
    "Mathias",
    "Dilara",
    "Frederik",
    "Sumaya",
    "August",
    "Elif",
    "Asta",
    "Kerem",
    "Maja",
    "Anas",
    "Josefine",
    "Ibrahim",
    "Laura",
    "Yara",
    "Sebastian",
    "Oleksandr",
    "Kateryna",
    "Jakub",
    "Zuzanna",
    "Farida",
)
LAST_NAMES = (
    "Hansen",
    "Ahmadi",
    "Nielsen",
    "Yilmaz",
    "Jensen",
    "Hassan",
    "Pedersen",
    "Warsame",
    "Andersen",
    "Rahimi",
    "Christensen",
    "Demir",
    "Larsen",
    "Mohamud",
    "Sørensen",
    "Kovalenko",
    "Rasmussen",
    "Nowak",
    "Jørgensen",
    "Haidari",
    "Madsen",
    "Abdullahi",
    "Kristensen",
    "Özdemir",
)
EXTRA_LANGUAGES = ("ar", "so", "tr", "fa", "uk", "pl", "ur", "ku", "ti", "bs")
CATEGORY_CODES = (
    "retail",
    "bakery",
    "food_service",
    "sports",
    "garden",
    "caretaking",
    "cleaning",
    "warehouse",
    "delivery",
    "office",
    "childcare",
    "culture",
    "farm",
)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _phone(rng: random.Random, prefix: str) -> str:
    return f"{prefix} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


def is_empty() -> bool:
    """Whether the database has no accounts yet."""
    return (db.session.scalar(select(func.count()).select_from(User)) or 0) == 0


def seed(today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with the demo data. Returns counts of what was made."""
    today = today or dt.date.today()
    rng = random.Random(2026)
    onboarding.ensure_standard_step_kinds()
    kinds = onboarding.step_kinds()
    password_hash = accounts.hash_password(DEMO_PASSWORD)

    areas = [
        Area(name=n, department=d, town=t, postcode=p, lat=lat, lon=lon)
        for n, d, t, p, lat, lon in AREAS
    ]
    db.session.add_all(areas)

    employers = []
    for name, postcode, address, housing, contact, description in EMPLOYERS:
        lat, lon = geo.locate(postcode) or (None, None)
        slug = "".join(c for c in name.lower() if c.isalnum())[:20]
        employers.append(
            Employer(
                name=name,
                postcode=postcode,
                town=geo.town_for(postcode),
                address=address,
                lat=lat,
                lon=lon,
                is_housing_association=housing,
                contact_name=contact,
                contact_email=f"kontakt@{slug}.example.org",
                contact_phone=_phone(rng, "97"),
                description=description,
                status="approved",
            )
        )
    employers.append(
        Employer(name="Ny Frisør Ikast", postcode="7430", town="Ikast", status="pending")
    )
    db.session.add_all(employers)

    def account(email: str, name: str, role: str, employer: Employer | None = None) -> User:
        return User(
            email=email, name=name, role=role, employer=employer, password_hash=password_hash
        )

    coordinator = account("coordinator@example.org", "Mette Sørensen", "coordinator")
    coordinator2 = account("coordinator2@example.org", "Karim Haddad", "coordinator")
    counsellor = account("counsellor@example.org", "Lone Bak (UU)", "counsellor")
    counsellor2 = account("counsellor2@example.org", "Jonas Friis (UU)", "counsellor")
    employer_user = account("employer@example.org", "Hanne Krogh", "employer", employers[0])
    employer_user2 = account("employer2@example.org", "Kim Vestergaard", "employer", employers[4])
    staff = [coordinator, coordinator2]
    db.session.add_all([*staff, counsellor, counsellor2, employer_user, employer_user2])

    openings = []
    for (
        e,
        title,
        category,
        kind,
        workplace,
        alcohol,
        light,
        min_age,
        max_age,
        positions,
        shifts,
        languages,
        certificates,
        area,
        status,
    ) in OPENINGS:
        employer = employers[e]
        opening = Opening(
            employer=employer,
            title=title,
            description="",
            category=category,
            kind=kind,
            workplace=workplace,
            alcohol=alcohol,
            light_work=light,
            min_age=min_age,
            max_age=max_age,
            positions=positions,
            required_languages=languages,
            required_certificates=certificates,
            address=employer.address,
            postcode=employer.postcode,
            town=employer.town,
            lat=employer.lat,
            lon=employer.lon,
            area=areas[area] if area is not None else None,
            hourly_wage_dkk=None if kind == "lommepengejob" else rng.choice((78, 80, 84, 90)),
            status=status,
            created_at=_at(today - dt.timedelta(days=rng.randint(5, 120))),
            shifts=[
                Shift(day_index=DAYS.index(d), start_min=_minutes(s), end_min=_minutes(t))
                for d, s, t in shifts
            ],
        )
        openings.append(opening)
    db.session.add_all(openings)
    db.session.flush()

    youths = []
    for i, first in enumerate(FIRST_NAMES):
        age = 13 + i % 5
        birth = today - dt.timedelta(days=365 * age + rng.randint(30, 330))
        finished = None
        if age >= 16 and i % 4 != 0:
            finished = dt.date(birth.year + 16, 6, 24)
        home = areas[i % 2]
        extra = rng.sample(EXTRA_LANGUAGES, k=rng.choice((0, 1, 1, 2)))
        windows = []
        for day in rng.sample(range(5), k=rng.randint(2, 4)):
            windows.append(
                (
                    day,
                    rng.choice((14 * 60 + 30, 15 * 60, 16 * 60)),
                    rng.choice((18 * 60, 19 * 60, 20 * 60)),
                )
            )
        if rng.random() < 0.6:
            windows.append((5, 8 * 60, rng.choice((13 * 60, 16 * 60))))
        if rng.random() < 0.4:
            windows.append((6, 6 * 60, 15 * 60))
        status = "active"
        if i >= 56:
            status = "pending"
        elif i in (7, 23):
            status = "archived"
        registered = today - dt.timedelta(days=rng.randint(20, 400))
        youth = Youth(
            first_name=first,
            last_name=LAST_NAMES[(i * 7) % len(LAST_NAMES)] if status != "pending" else "",
            birth_date=birth,
            finished_9th_grade_on=finished,
            email=f"ung{i + 1}@example.org",
            phone=f"20 {10 + i:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            address=f"{home.name} {rng.randint(1, 60)}" if status != "pending" else "",
            postcode="7430" if status != "pending" else "",
            town="Ikast" if status != "pending" else "",
            lat=home.lat,
            lon=home.lon,
            area=home if status != "pending" else None,
            parent_name=f"Forælder til {first}",
            parent_email=f"forælder{i + 1}@example.org".replace("æ", "ae"),
            parent_phone=f"30 {10 + i:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            max_travel_km=rng.choice((2.0, 3.0, 5.0, 10.0, 25.0)),
            languages=["da", *extra],
            interests=rng.sample(CATEGORY_CODES, k=rng.randint(1, 3)),
            certificates=["hygiejnebevis"] if rng.random() < 0.15 else [],
            priority=2 if rng.random() < 0.25 else 1,
            max_jobs=1,
            counsellor=(counsellor if i % 3 == 0 else counsellor2 if i % 3 == 1 else None)
            if status != "pending"
            else None,
            status=status,
            source="public" if status == "pending" or i % 6 == 0 else "coordinator",
            created_at=_at(registered),
            availability=[
                AvailabilityWindow(day_index=d, start_min=s, end_min=e)
                for d, s, e in sorted(windows)
            ],
        )
        if status == "pending":
            youth.created_at = _at(today - dt.timedelta(days=rng.randint(0, 6)))
            youth.interested_opening = rng.choice(openings[:20])
            youth.preferences = [YouthPreference(opening=youth.interested_opening, rank=1)]
        elif rng.random() < 0.3:
            liked = [o for o in openings[:28] if o.category in youth.interests]
            youth.preferences = [
                YouthPreference(opening=o, rank=r + 1) for r, o in enumerate(liked[:2])
            ]
        if i % 17 == 3:
            youth.excluded_employers = [employers[rng.randrange(len(employers) - 1)]]
        db.session.add(youth)
        youths.append(youth)
        actor = None if youth.source == "public" else rng.choice(staff)
        db.session.add(
            TimelineEvent(
                youth=youth,
                kind="registered",
                actor=actor,
                occurred_on=registered,
                created_at=_at(registered),
            )
        )
        if status == "pending":
            continue
        if youth.source == "public":
            db.session.add(
                TimelineEvent(
                    youth=youth,
                    kind="approved",
                    actor=rng.choice(staff),
                    occurred_on=registered,
                    created_at=_at(registered),
                )
            )
        done_count = rng.randint(0, len(kinds))
        for k, step_kind in enumerate(kinds):
            if k < done_count:
                on = min(today, registered + dt.timedelta(days=7 * (k + 1)))
                helper = rng.choice(staff)
                db.session.add(
                    OnboardingStep(
                        youth=youth, kind=step_kind, status="done", done_on=on, helped_by=helper
                    )
                )
                db.session.add(
                    TimelineEvent(
                        youth=youth,
                        kind="step",
                        code=step_kind.code,
                        actor=helper,
                        data={"status": "done", "step": step_kind.name_da},
                        occurred_on=on,
                        created_at=_at(on),
                    )
                )
            elif k == done_count and rng.random() < 0.5:
                db.session.add(
                    OnboardingStep(
                        youth=youth,
                        kind=step_kind,
                        status="in_progress",
                        helped_by=rng.choice(staff),
                        note="Aftalt med forældre",
                    )
                )
        if status == "archived":
            db.session.add(
                TimelineEvent(
                    youth=youth,
                    kind="archived",
                    actor=coordinator,
                    occurred_on=today - dt.timedelta(days=10),
                )
            )
    db.session.flush()

    # Placements: started, confirmed and ended, including a move to an external job.
    plan = (
        (0, 9, "started"),
        (1, 10, "started"),
        (2, 5, "started"),
        (3, 0, "started"),
        (5, 12, "started"),
        (6, 19, "started"),
        (10, 11, "started"),
        (12, 7, "started"),
        (14, 1, "confirmed"),
        (16, 13, "confirmed"),
        (20, 25, "confirmed"),
        (4, 9, "ended"),
        (9, 10, "ended"),
        (19, 12, "ended"),
    )
    placements = 0
    for y, o, status in plan:
        youth, opening = youths[y], openings[o]
        placed_on = today - dt.timedelta(days=rng.randint(60, 200))
        start = placed_on + dt.timedelta(days=14)
        placement = Placement(
            youth=youth, opening=opening, status=status, created_by_id=None, start_date=start
        )
        db.session.add(placement)
        placements += 1
        data = {"opening": opening.title, "employer": opening.employer.name}
        db.session.add(
            TimelineEvent(
                youth=youth, kind="placed", actor=coordinator, data=data, occurred_on=placed_on
            )
        )
        if status == "confirmed":
            placement.start_date = today + dt.timedelta(days=rng.randint(3, 14))
            continue
        db.session.add(
            TimelineEvent(
                youth=youth, kind="started", actor=coordinator, data=data, occurred_on=start
            )
        )
        if status == "ended":
            end = start + dt.timedelta(days=rng.randint(40, 120))
            placement.end_date = end
            placement.end_reason = "external_job" if y != 19 else "completed"
            db.session.add(
                TimelineEvent(
                    youth=youth,
                    kind="ended",
                    actor=coordinator,
                    data={**data, "reason": placement.end_reason},
                    occurred_on=end,
                )
            )
            if placement.end_reason == "external_job":
                db.session.add(
                    TimelineEvent(
                        youth=youth,
                        kind="external_job",
                        actor=coordinator,
                        text="Fritidsjob i Netto",
                        occurred_on=end,
                    )
                )

    # Counsellors' notes and milestones.
    for youth in youths:
        if youth.counsellor is None or youth.status != "active":
            continue
        when = today - dt.timedelta(days=rng.randint(5, 90))
        for least_age, code, text in (
            (14, "upv", "Vurderet uddannelsesparat"),
            (15, "education_plan", "Uddannelsesplan lavet: EUD"),
        ):
            if youth.age_on(today) >= least_age:
                db.session.add(
                    TimelineEvent(
                        youth=youth,
                        kind="milestone",
                        code=code,
                        actor=youth.counsellor,
                        occurred_on=when,
                        text=text,
                    )
                )
        if rng.random() < 0.4:
            db.session.add(
                TimelineEvent(
                    youth=youth,
                    kind="note",
                    actor=youth.counsellor,
                    occurred_on=when,
                    text="Samtale om fritidsjob og skole. God motivation.",
                )
            )
    db.session.flush()
    seats.recount()  # the placements above hold their openings' positions
    db.session.commit()
    return {
        "areas": len(areas),
        "employers": len(employers),
        "openings": len(openings),
        "youths": len(youths),
        "placements": placements,
    }
