"""A matching run reads the rows' coordinates and never asks the geocoder; what it could not
check for distance (a youth with a travel radius and no place, an opening with no place) is
listed on its page, "Afstand ikke tjekket". Through the board's forms, with the fake DAWA of
tests/fake_dawa.py (the fixtures of test_geocoding_board).
"""

from __future__ import annotations

import re

from flask import Flask

from tests.factories import NEXT_WEEK, World, YouthFactory
from tests.fake_dawa import FakeDawa
from tests.webapp.test_geocoding_board import OPENING_FORM, board, dawa, new_youth, page_of
from webapp.extensions import db

__all__ = ["board", "dawa"]  # the fixtures, used by name


def test_a_run_never_asks_dawa_and_lists_what_it_could_not_check_for_distance(
    world: World, app: Flask, board: FakeDawa
) -> None:
    coordinator = world.client_for("coordinator")
    lost = new_youth(coordinator, first_name="Ubekendt", address="Ukendtvej 99", postcode="9999")
    created = coordinator.post(
        f"/coordinator/employers/{world.employer}/openings/new",
        data={**OPENING_FORM, "title": "Lager uden adresse", "address": "", "postcode": "9999"},
    )
    assert created.status_code == 302, created.data[:500]
    board.requests.clear()
    started = coordinator.post(
        "/coordinator/runs",
        data={"start_date": NEXT_WEEK.isoformat(), "period": "auto", "time_limit_s": "5"},
    )
    assert started.status_code == 302, started.data[:500]
    page = page_of(coordinator.get(str(started.headers["Location"])))
    assert board.requests == []  # the run read the rows' coordinates, it looked nothing up
    warnings = page[page.index('id="distance-not-checked"') :]
    warnings = warnings[: warnings.index("</section>")]
    assert "Afstand ikke tjekket" in warnings
    assert f'href="/coordinator/youths/{lost}">Ubekendt</a>' in warnings
    assert "Lager uden adresse" in warnings
    # The world's youths and openings are located (the postcode table): not listed.
    assert "Amira" not in warnings


def test_the_list_names_fifty_and_counts_the_rest(world: World, app: Flask) -> None:
    with app.app_context():
        for n in range(60):
            YouthFactory(first_name=f"Uden{n:02d}", max_travel_km=3.0)
        db.session.commit()
    coordinator = world.client_for("coordinator")
    started = coordinator.post(
        "/coordinator/runs",
        data={"start_date": NEXT_WEEK.isoformat(), "period": "auto", "time_limit_s": "5"},
    )
    page = page_of(coordinator.get(str(started.headers["Location"])))
    warnings = page[page.index('id="distance-not-checked"') :]
    warnings = warnings[: warnings.index("</section>")]
    assert "60 unge med en rejseradius har ingen placering:" in warnings
    assert len(re.findall(r">Uden\d\d</a>", warnings)) == 50
    assert "og 10 mere" in warnings
