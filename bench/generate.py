"""A seeded generator of realistic jobmatch/1 problems for benchmarks.

The setting is the Danish fritidsjob / lommepengejob schemes: youths of 12-19
(most 13-17) living around town centres a few km wide, openings at local
businesses (fritidsjob) and in the housing areas (lommepengejob), after-school
shifts on weekdays and day shifts at weekends. Towns are spread over Denmark at
least `MIN_TOWN_GAP_KM` apart, so with travel limits of at most 15 km each
town is its own cluster of eligible pairs. With `density="dense"` the towns are
the districts of one city a few km apart and the travel limits reach across
it (`DENSE_TRAVEL_KM`), so that a youth can reach most openings: one component
of eligible pairs. The same arguments always give the same document.

    python -m bench.generate --youths 300 --openings 120 --towns 1 --seed 0 -o problem.json
    python -m bench.generate --youths 5000 --openings 1800 --towns 12 --density dense
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jobmatch

Json = dict[str, Any]

LAT_RANGE = (54.8, 57.6)
LON_RANGE = (8.1, 12.6)
MIN_TOWN_GAP_KM = 30.0
KM_PER_DEGREE = 111.2
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKEND = ("sat", "sun")
ONBOARDING_STEPS = ("bank_account", "mitid", "tax_card", "parental_consent")
LANGUAGES = ("ar", "so", "tr", "ur", "fa", "pl", "uk", "ti", "ps", "sq")
AGES = {12: 3, 13: 14, 14: 18, 15: 19, 16: 17, 17: 15, 18: 8, 19: 6}
TRAVEL_KM = {2: 10, 3: 15, 4: 15, 5: 20, 8: 15, 10: 15, 15: 10}
# A city: districts within CITY_RADIUS_KM of its centre, and travel limits by bike or bus.
DENSITIES = ("sparse", "dense")
CITY_RADIUS_KM = 5.0
DENSE_TRAVEL_KM = {8: 15, 10: 25, 15: 30, 20: 20, 25: 10}
POSITIONS = {1: 50, 2: 25, 3: 15, 4: 10}


@dataclass(frozen=True, slots=True)
class Category:
    """How openings of one category look: workplace, light work, hours, alcohol."""

    workplace: str
    light_share: float
    weekday_starts: tuple[str, ...]
    weekday_hours: tuple[float, ...]
    weekend_starts: tuple[str, ...] = ()
    alcohol: tuple[str, ...] = ("none",)
    certificate: str | None = None


FRITIDSJOB = {
    "supermarket": Category(
        "shop", 0.6, ("15:00", "16:00", "17:00", "18:00"), (2, 3, 4), ("08:00", "10:00")
    ),
    "bakery": Category(
        "bakery",
        0.4,
        ("15:00", "16:00"),
        (2, 3),
        ("05:00", "06:00", "07:00"),
        certificate="hygiejnebevis",
    ),
    "cafe": Category(
        "hotel_restaurant",
        0.3,
        ("15:00", "16:00", "17:00"),
        (2, 3, 4),
        ("10:00", "12:00"),
        ("none", "none", "food"),
        "hygiejnebevis",
    ),
    "restaurant": Category(
        "hotel_restaurant",
        0.0,
        ("17:00", "18:00"),
        (3, 4, 5),
        ("12:00", "17:00"),
        ("food", "food", "food", "bar"),
    ),
    "warehouse": Category("other", 0.2, ("15:00", "16:00"), (2, 3, 4), ("08:00",)),
    "childcare": Category("other", 0.8, ("14:00", "15:00"), (1.5, 2)),
    "cleaning": Category("other", 0.7, ("15:00", "16:00", "17:00"), (1.5, 2, 3), ("09:00",)),
    "office": Category("office", 0.6, ("15:00", "16:00"), (1.5, 2, 3)),
    "sports": Category("other", 0.9, ("16:00", "17:00"), (1.5, 2), ("09:00", "10:00")),
    "gardening": Category("other", 0.7, ("15:00", "16:00"), (2, 3), ("09:00", "10:00")),
    "newspaper": Category(
        "newspaper_delivery", 1.0, ("15:00", "16:00"), (1.5, 2), ("06:00", "07:00")
    ),
    "cinema": Category("culture", 0.2, ("17:00", "18:00", "19:00"), (3, 4), ("14:00",)),
    "service_station": Category(
        "service_station", 0.3, ("16:00", "17:00", "18:00"), (3, 4), ("08:00", "14:00")
    ),
}
LOMMEPENGEJOB = {
    "caretaker": Category("other", 1.0, ("15:00", "15:30", "16:00"), (1.5, 2), ("10:00",)),
    "cleaning": Category("other", 1.0, ("15:00", "16:00"), (1, 1.5, 2)),
    "gardening": Category("other", 1.0, ("15:00", "16:00"), (1.5, 2), ("10:00",)),
    "sports": Category("other", 1.0, ("16:00", "17:00"), (1.5, 2), ("10:00",)),
    "childcare": Category("other", 1.0, ("14:30", "15:00"), (1.5, 2)),
}
INTERESTS = tuple(sorted(set(FRITIDSJOB) | set(LOMMEPENGEJOB)))


@dataclass(frozen=True, slots=True)
class Town:
    """A town centre and how far its homes and workplaces spread (km, one sigma)."""

    lat: float
    lon: float
    spread_km: float


def generate(
    youths: int,
    openings: int,
    *,
    towns: int = 1,
    density: str = "sparse",
    seed: int = 0,
    start_date: dt.date = dt.date(2027, 2, 1),
) -> Json:
    """A realistic jobmatch/1 problem document (a plain dict), the same for the same arguments.

    Args:
        youths: how many youths.
        openings: how many openings.
        towns: how many towns the youths and openings are spread over, by town size.
        density: "sparse" (towns far apart, each its own cluster) or "dense" (the towns are
            districts of one city, and most openings are within a youth's reach).
        seed: the random seed.
        start_date: the problem's `start_date` (ages and birth dates refer to it).

    Returns:
        The document, with a few fixed pairs (each verified eligible) and forbidden pairs.

    Raises:
        ValueError: when a count is negative, there is no town or the density is unknown.
    """
    if youths < 0 or openings < 0 or towns < 1:
        raise ValueError(
            f"need youths, openings >= 0 and towns >= 1, got {youths}, {openings}, {towns}"
        )
    if density not in DENSITIES:
        raise ValueError(f"density must be one of {', '.join(DENSITIES)}, got {density!r}")
    rng = random.Random(seed)
    dense = density == "dense"
    places = _districts(rng, towns) if dense else _towns(rng, towns)
    travel = DENSE_TRAVEL_KM if dense else TRAVEL_KM
    sizes = [rng.lognormvariate(0, 0.6) for _ in places]
    youth_town = rng.choices(range(towns), sizes, k=youths)
    opening_town = rng.choices(range(towns), sizes, k=openings)
    opening_docs = _openings(rng, places, opening_town)
    youth_docs = [
        _youth(rng, f"y{i:05d}", places[t], start_date, travel) for i, t in enumerate(youth_town)
    ]
    by_town = _members(youth_town, youth_docs), _members(opening_town, opening_docs)
    _add_social(rng, youth_docs, opening_docs, youth_town, opening_town, by_town)
    document: Json = {
        "format": "jobmatch/1",
        "start_date": start_date.isoformat(),
        "period": "school",
        "youths": youth_docs,
        "openings": opening_docs,
    }
    document["fixed"] = _fixed_pairs(rng, document, opening_town, by_town[0])
    document["forbidden"] = _forbidden_pairs(rng, document, opening_town, by_town[0])
    return document


def _towns(rng: random.Random, count: int) -> list[Town]:
    """Town centres spread over Denmark, at least `MIN_TOWN_GAP_KM` apart where possible."""
    places: list[Town] = []
    gap = MIN_TOWN_GAP_KM
    while len(places) < count:
        for _ in range(2000):
            lat, lon = rng.uniform(*LAT_RANGE), rng.uniform(*LON_RANGE)
            if all(_km(lat, lon, t.lat, t.lon) >= gap for t in places):
                places.append(Town(round(lat, 4), round(lon, 4), rng.uniform(1.0, 2.0)))
                break
        else:
            gap *= 0.9
    return places


def _districts(rng: random.Random, count: int) -> list[Town]:
    """The districts of one city: centres within `CITY_RADIUS_KM` of the city's centre."""
    lat, lon = rng.uniform(55.6, 56.2), rng.uniform(9.5, 12.4)
    places: list[Town] = []
    for _ in range(count):
        north, east = (rng.uniform(-CITY_RADIUS_KM, CITY_RADIUS_KM) for _ in range(2))
        places.append(
            Town(
                round(lat + north / KM_PER_DEGREE, 4),
                round(lon + east / (KM_PER_DEGREE * math.cos(math.radians(lat))), 4),
                rng.uniform(1.0, 2.0),
            )
        )
    return places


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (radius 6371.0 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _near(rng: random.Random, town: Town) -> Json:
    """A point around the town centre, at most three sigmas out."""
    north = max(-3.0, min(3.0, rng.gauss(0, 1))) * town.spread_km
    east = max(-3.0, min(3.0, rng.gauss(0, 1))) * town.spread_km
    lat = town.lat + north / KM_PER_DEGREE
    lon = town.lon + east / (KM_PER_DEGREE * math.cos(math.radians(town.lat)))
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def _weighted(rng: random.Random, table: dict[int, int]) -> int:
    return rng.choices(list(table), list(table.values()))[0]


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _window(rng: random.Random, day: str, start: int, hours: Sequence[float]) -> Json:
    """A shift on `day` from `start` lasting one of `hours`, ending by midnight."""
    end = min(start + int(rng.choice(hours) * 60), 24 * 60)
    return {"day": day, "start": _clock(start), "end": _clock(end)}


def _youth(
    rng: random.Random, ident: str, town: Town, start_date: dt.date, travel: dict[int, int]
) -> Json:
    """One youth: age, school, after-school and weekend availability, home, languages, ..."""
    age = _weighted(rng, AGES)
    youth: Json = {"id": ident}
    if rng.random() < 0.25:
        anniversary = jobmatch.years_before(start_date, age)
        birthday = (
            anniversary
            if rng.random() < 0.02
            else anniversary - dt.timedelta(days=rng.randrange(1, 360))
        )
        youth["birth_date"] = birthday.isoformat()
    else:
        youth["age"] = age
    in_school = (
        age < 15 or (age == 15 and rng.random() < 0.9) or (age == 16 and rng.random() < 0.2)
    )
    if in_school != (age < 16) or rng.random() < 0.3:
        youth["in_compulsory_school"] = in_school
    if rng.random() < 0.95:
        youth["availability"] = _availability(rng)
    youth["location"] = _near(rng, town)
    youth["max_travel_km"] = _weighted(rng, travel)
    youth["interests"] = rng.sample(INTERESTS, rng.choice((0, 1, 1, 2, 2, 3)))
    languages = ["da"] if rng.random() < 0.9 else []
    if rng.random() < 0.3 + 0.05 * (age - 12):
        languages.append("en")
    if rng.random() < 0.3:
        languages.append(rng.choice(LANGUAGES))
    youth["languages"] = languages
    if age >= 15 and rng.random() < 0.15:
        youth["certificates"] = ["hygiejnebevis"]
    youth["onboarding"] = [s for s in ONBOARDING_STEPS if rng.random() < 0.5]
    youth["priority"] = rng.choices((1, 2, 3), (70, 20, 10))[0]
    youth["max_jobs"] = 2 if rng.random() < 0.1 else (0 if rng.random() < 0.005 else 1)
    return youth


def _availability(rng: random.Random) -> list[Json]:
    """After school on some weekdays, a day window on some weekend days."""
    shifts = []
    for day in WEEKDAYS:
        if rng.random() < 0.65:
            start = _minutes(rng.choice(("13:00", "14:00", "14:30", "15:00", "15:30", "16:00")))
            shifts.append(_window(rng, day, start, (3, 4, 5, 6, 7)))
    for day in WEEKEND:
        if rng.random() < 0.5:
            start = _minutes(rng.choice(("06:00", "08:00", "09:00", "10:00", "12:00")))
            shifts.append(_window(rng, day, start, (4, 6, 8, 10, 12)))
    return shifts


def _openings(rng: random.Random, places: Sequence[Town], town_of: Sequence[int]) -> list[Json]:
    """Openings in input order; employers are local and hold one to four openings each."""
    employers: dict[tuple[int, str], str] = {}
    docs = []
    for i, t in enumerate(town_of):
        lommepenge = rng.random() < 0.3
        table = LOMMEPENGEJOB if lommepenge else FRITIDSJOB
        category = rng.choice(sorted(table))
        if lommepenge:
            key = (t, "housing" if rng.random() < 0.7 else "housing-2")
        else:
            key = (t, f"{category}-{rng.randrange(3)}")
        employer = employers.setdefault(key, f"e{len(employers):04d}")
        docs.append(
            _opening(
                rng,
                f"o{i:05d}",
                employer,
                category,
                table[category],
                "lommepengejob" if lommepenge else "fritidsjob",
                places[t],
            )
        )
    return docs


def _opening(
    rng: random.Random,
    ident: str,
    employer: str,
    category: str,
    spec: Category,
    kind: str,
    town: Town,
) -> Json:
    """One opening of a category: shifts, age bounds, light work, alcohol, requirements."""
    light = rng.random() < spec.light_share
    alcohol = rng.choice(spec.alcohol)
    light = light and alcohol == "none"
    opening: Json = {
        "id": ident,
        "employer": employer,
        "title": f"{category} helper",
        "category": category,
        "kind": kind,
        "positions": _weighted(rng, POSITIONS) + (1 if kind == "lommepengejob" else 0),
        "light_work": light,
        "workplace": spec.workplace,
        "alcohol": alcohol,
    }
    if alcohol != "none" or not light:
        opening["min_age"] = rng.choice((15, 15, 16))
    elif rng.random() < 0.5:
        opening["min_age"] = rng.choice((13, 14, 15))
    if rng.random() < 0.2:
        opening["max_age"] = 17
    start = _minutes(rng.choice(spec.weekday_starts))
    days = sorted(rng.sample(range(5), rng.choice((1, 1, 2, 2, 3))))
    shifts = [_window(rng, WEEKDAYS[d], start, spec.weekday_hours) for d in days]
    if spec.weekend_starts and rng.random() < 0.4:
        weekend_start = _minutes(rng.choice(spec.weekend_starts))
        shifts.append(_window(rng, rng.choice(WEEKEND), weekend_start, (3, 4, 5, 6)))
    if not light and rng.random() < 0.3:
        shifts = shifts[-1:]
    opening["shifts"] = shifts
    opening["location"] = _near(rng, town)
    requires: Json = {}
    if rng.random() < 0.1:
        requires["languages"] = [rng.choice(("da", "da", "en", *LANGUAGES[:3]))]
    if spec.certificate and rng.random() < 0.3:
        requires["certificates"] = [spec.certificate]
    if requires:
        opening["requires"] = requires
    return opening


def _members(town_of: Sequence[int], docs: Sequence[Json]) -> dict[int, list[str]]:
    """Record ids by town."""
    members: dict[int, list[str]] = {}
    for t, doc in zip(town_of, docs, strict=True):
        members.setdefault(t, []).append(doc["id"])
    return members


def _add_social(
    rng: random.Random,
    youths: list[Json],
    openings: list[Json],
    youth_town: Sequence[int],
    opening_town: Sequence[int],
    by_town: tuple[dict[int, list[str]], dict[int, list[str]]],
) -> None:
    """Rankings on both sides, buddies and excluded employers, all within a town."""
    youths_in, openings_in = by_town
    for youth, t in zip(youths, youth_town, strict=True):
        local = openings_in.get(t, [])
        if local and rng.random() < 0.15:
            youth["preferences"] = rng.sample(local, min(len(local), rng.randint(1, 3)))
        friends = [y for y in youths_in[t] if y != youth["id"]]
        if friends and rng.random() < 0.03:
            youth["buddies"] = [rng.choice(friends)]
        if local and rng.random() < 0.02:
            excluded = openings[int(rng.choice(local)[1:])]["employer"]
            youth["exclude_employers"] = [excluded]
    for opening, t in zip(openings, opening_town, strict=True):
        local = youths_in.get(t, [])
        if local and rng.random() < 0.05:
            opening["preferences"] = rng.sample(local, min(len(local), rng.randint(1, 3)))


def _fixed_pairs(
    rng: random.Random,
    document: Json,
    opening_town: Sequence[int],
    youths_in: dict[int, list[str]],
) -> list[Json]:
    """About one running placement per 150 youths, each checked with `jobmatch.reasons_for`."""
    wanted = max(1, len(document["youths"]) // 150) if document["openings"] else 0
    youths = {y["id"]: y for y in document["youths"]}
    pairs: list[Json] = []
    used: set[str] = set()
    taken: list[int] = []
    for _ in range(200 * wanted):
        if len(pairs) >= wanted:
            break
        o = rng.randrange(len(document["openings"]))
        youth_id = rng.choice(youths_in.get(opening_town[o], [""]))
        opening = document["openings"][o]
        if not youth_id or youth_id in used or youths[youth_id]["max_jobs"] < 1:
            continue
        if taken.count(o) >= opening["positions"]:
            continue
        if _eligible(document, youths[youth_id], opening):
            pairs.append({"youth": youth_id, "opening": opening["id"]})
            used.add(youth_id)
            taken.append(o)
    return pairs


def _eligible(document: Json, youth: Json, opening: Json) -> bool:
    """Whether jobmatch finds no reason against the pair (rankings and buddies left out)."""
    alone = {key: value for key, value in youth.items() if key not in ("preferences", "buddies")}
    problem = jobmatch.load(
        {
            "format": "jobmatch/1",
            "start_date": document["start_date"],
            "period": document["period"],
            "youths": [alone],
            "openings": [{**opening, "preferences": []}],
        }
    )
    return not jobmatch.reasons_for(problem, problem.youths[0], problem.openings[0])


def _forbidden_pairs(
    rng: random.Random,
    document: Json,
    opening_town: Sequence[int],
    youths_in: dict[int, list[str]],
) -> list[Json]:
    """About one pair ruled out per 200 youths, never a fixed pair."""
    fixed = {(p["youth"], p["opening"]) for p in document["fixed"]}
    pairs: set[tuple[str, str]] = set()
    for _ in range(max(1, len(document["youths"]) // 200) if document["openings"] else 0):
        o = rng.randrange(len(document["openings"]))
        local = youths_in.get(opening_town[o])
        if local:
            pairs.add((rng.choice(local), document["openings"][o]["id"]))
    return [{"youth": y, "opening": o} for y, o in sorted(pairs - fixed)]


def main(argv: Sequence[str] | None = None) -> None:
    """Write a generated problem as JSON to a file or stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--youths", type=int, required=True)
    parser.add_argument("--openings", type=int, required=True)
    parser.add_argument("--towns", type=int, default=1)
    parser.add_argument("--density", choices=DENSITIES, default="sparse")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start-date", type=dt.date.fromisoformat, default=dt.date(2027, 2, 1))
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    try:
        document = generate(
            args.youths,
            args.openings,
            towns=args.towns,
            density=args.density,
            seed=args.seed,
            start_date=args.start_date,
        )
    except ValueError as error:
        parser.error(str(error))
    text = json.dumps(document, indent=1)
    if args.output is None:
        print(text)
    else:
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
