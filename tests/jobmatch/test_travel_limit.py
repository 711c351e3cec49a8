"""The spec's travel limit is `max_travel_km` + 1 mm: the solver and `jobmatch check` agree on
which pairs lie within reach, at the exact limit (issue 8's repro) and just around it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jobmatch
from jobmatch.check import check
from jobmatch.cli import main
from jobmatch.eligibility import Eligibility
from jobmatch.geo import PLACES_AT_ONCE, Location, Points, chord_of, farther_than, haversine_from
from jobmatch.nearby import Nearby

from .factories import document, opening, solution_document, youth

HOME = {"lat": 55.568648, "lon": 8.754246}
WORK = {"lat": 55.598835, "lon": 8.668733}
AT_THE_LIMIT_KM = 6.336394554750454  # the library's own distance of HOME to WORK


def problem_document(home: dict[str, float], work: dict[str, float], limit: float) -> Any:
    return document([youth(location=home, max_travel_km=limit)], [opening(location=work)])


def placed_and_accepted(doc: Any) -> tuple[bool, bool]:
    """Whether the solver places the pair, and whether the validator accepts it placed."""
    problem = jobmatch.load(doc)
    placed = bool(jobmatch.solve(problem).assignments)
    forced = solution_document(problem, [("y1", "o1")])
    accepted = not [v for v in check(problem, forced) if v.rule == "too_far"]
    return placed, accepted


def test_at_the_exact_limit_the_solver_places_and_check_accepts() -> None:
    assert placed_and_accepted(problem_document(HOME, WORK, AT_THE_LIMIT_KM)) == (True, True)


def test_the_cli_check_accepts_what_the_cli_solve_placed_at_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps(problem_document(HOME, WORK, AT_THE_LIMIT_KM)))
    solution = tmp_path / "s.json"
    assert main(["solve", str(problem), "-o", str(solution)]) == 0
    assert json.loads(solution.read_text())["assignments"][0]["opening"] == "o1"
    assert main(["check", str(problem), str(solution)]) == 0
    assert capsys.readouterr().out == "ok: 1 assignments keep every rule\n"


@pytest.mark.parametrize(
    ("beyond_km", "within"),
    [(-0.001, True), (0.0, True), (0.0000009, True), (0.0000011, False), (0.001, False)],
)
def test_both_follow_the_limit_plus_a_millimetre(beyond_km: float, within: bool) -> None:
    """A job `beyond_km` farther than `max_travel_km` is within reach up to 1 mm."""
    limit = AT_THE_LIMIT_KM - beyond_km
    assert placed_and_accepted(problem_document(HOME, WORK, limit)) == (within, within)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-60, 60),
    st.floats(-179, 179),
    st.floats(-0.05, 0.05),
    st.floats(-0.05, 0.05),
    st.sampled_from([-0.0000015, -0.0000005, 0.0, 0.0000005, 0.0000015]),
)
def test_solver_and_check_agree_around_the_limit(
    lat: float, lon: float, dlat: float, dlon: float, slack: float
) -> None:
    """Whichever of the two formulas' roundings, the pair is in or out for both."""
    home, work = {"lat": lat, "lon": lon}, {"lat": lat + dlat, "lon": lon + dlon}
    km = jobmatch.distance_km(Location(**home), Location(**work))
    placed, accepted = placed_and_accepted(problem_document(home, work, max(km + slack, 0.0)))
    assert placed == accepted


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-89.9, 89.9),
    st.floats(-180, 180),
    st.lists(
        st.tuples(
            st.floats(-3, 3), st.floats(-40, 40), st.sampled_from([1.0, 15.0, 200.0, 3000.0])
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_every_youth_within_the_limit_is_found_anywhere_on_earth(
    lat: float, lon: float, homes: list[tuple[float, float, float]]
) -> None:
    """The box of latitudes and longitudes searched around an opening misses no youth within
    reach: near the poles, across the date line, and at every travel limit."""
    work = {"lat": lat, "lon": lon}
    youths, within = [], set()
    for i, (dlat, dlon, limit) in enumerate(homes):
        home = {"lat": max(min(lat + dlat, 90.0), -90.0), "lon": (lon + dlon + 180) % 360 - 180}
        km = jobmatch.distance_km(Location(**home), Location(**work))
        # Right at the limit the two formulas' roundings may differ: keep clear of it.
        if abs(km - limit) < 1e-6:
            continue
        youths.append(youth(f"y{i}", location=home, max_travel_km=limit))
        if km <= limit:
            within.add(f"y{i}")
    if not youths:
        return
    problem = jobmatch.load(document(youths, [opening(location=work)]))
    found = {problem.youths[y].id for y in Eligibility(problem).candidates().youth.tolist()}
    assert found == within


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.lists(st.tuples(st.floats(-90, 90), st.floats(-180, 180)), min_size=1, max_size=8),
    st.sampled_from(["at", "below", "above", "far", "no_limit"]),
)
def test_the_chord_test_agrees_with_the_haversine_distance_to_the_last_bit(
    lat: float, lon: float, homes: list[tuple[float, float]], where: str
) -> None:
    """`geo.farther_than` decides without trigonometry per point; at, just below and just
    above each exact distance it says what `haversine_km(...) > limit` says."""
    points = Points.of(np.array([h[0] for h in homes]), np.array([h[1] for h in homes]))
    subset = np.arange(len(homes))
    km = haversine_from(points, subset, lat, lon)
    limit = {
        "at": km,
        "below": np.nextafter(km, -np.inf),
        "above": np.nextafter(km, np.inf),
        "far": np.full(len(homes), 25_000.0),
        "no_limit": np.full(len(homes), np.inf),
    }[where]
    far = farther_than(points, subset, np.array([lat]), np.array([lon]), limit, chord_of(limit))
    assert far[0].tolist() == (km > limit).tolist()


def test_every_place_is_judged_alike_however_many_there_are() -> None:
    """Places past the first `PLACES_AT_ONCE` get the same test: at the exact distance of
    the last place, the haversine distance decides."""
    rng = np.random.default_rng(3)
    points = Points.of(rng.uniform(55, 56, 40), rng.uniform(9, 11, 40))
    subset = np.arange(40)
    places = 3 * PLACES_AT_ONCE + 5
    lat, lon = rng.uniform(55, 56, places), rng.uniform(9, 11, places)
    km = np.array([haversine_from(points, subset, a, b) for a, b in zip(lat, lon, strict=True)])
    limit = km[-1]
    far = farther_than(points, subset, lat, lon, limit, chord_of(limit))
    assert far.tolist() == (km > limit).tolist()
    assert not far[-1].any()
    assert far.any()


@settings(max_examples=80, deadline=None)
@given(
    st.floats(-89.9, 89.9),
    st.floats(-180, 180),
    st.lists(st.tuples(st.floats(-3, 3), st.floats(-40, 40)), min_size=1, max_size=25),
    st.lists(
        st.tuples(st.floats(-3, 3), st.floats(-40, 40), st.sampled_from([1.0, 15.0, 3000.0])),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from([0.0, 10.0]),
)
def test_the_groups_of_openings_hold_every_youth_within_reach_of_each(
    lat: float,
    lon: float,
    openings: list[tuple[float, float]],
    homes: list[tuple[float, float, float]],
    margin_km: float,
) -> None:
    """Each opening is in one group, whose youths include all within their travel limit plus
    the margin of it: near the poles, across the date line, and with openings without a
    place (who may be reached from anywhere)."""

    def place(dlat: float, dlon: float) -> tuple[float, float]:
        return max(min(lat + dlat, 90.0), -90.0), (lon + dlon + 180) % 360 - 180

    youth_places = [place(dlat, dlon) for dlat, dlon, _ in homes]
    opening_places = [place(dlat, dlon) for dlat, dlon in openings]
    opening_places[0] = (np.nan, np.nan)  # no address
    travel = np.array([limit for _, _, limit in homes])
    nearby = Nearby(
        np.array([p[0] for p in youth_places]),
        np.array([p[1] for p in youth_places]),
        travel,
        np.array([p[0] for p in opening_places]),
        np.array([p[1] for p in opening_places]),
    )
    grouped = {}
    for group, youths in nearby.groups(margin_km):
        assert youths.tolist() == sorted(youths.tolist())
        for o in group.tolist():
            assert o not in grouped
            grouped[o] = set(youths.tolist())
    assert sorted(grouped) == list(range(len(openings)))
    assert grouped[0] == set(range(len(homes)))
    for o, (o_lat, o_lon) in enumerate(opening_places[1:], start=1):
        for y, (y_lat, y_lon) in enumerate(youth_places):
            km = jobmatch.distance_km(Location(y_lat, y_lon), Location(o_lat, o_lon))
            if km <= travel[y] + margin_km:
                assert y in grouped[o], (o, y, km)
