"""The dashboard: every figure checked exactly against hand-made rows, the CSV, bad input."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from tests.factories import CoordinatorFactory, World, YouthFactory, signed_in
from webapp.extensions import db
from webapp.models import (
    Area,
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    Placement,
    TimelineEvent,
    Youth,
)
from webapp.services import statistics
from webapp.services.statistics import NO_AREA, Figures, Period

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
D = dt.date


def _at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def rows(app: Flask, frozen: None) -> dict[str, int]:
    """Two areas, four openings, nine youths; the figures they give are worked out by hand.

    Area A: y1 (lommepengejob 1 Feb - 1 Apr, left for an external job), y2
    (registered before the period; lommepengejob since 15 Dec, fritidsjob since
    1 Mar), y7 (lommepengejob 10 Feb - 1 May, left for education).
    Area B: y3 (fritidsjob at an opening of no area from 20 May; UPV and started
    education), y4 (fritidsjob 10-20 Mar), y8 (registered 23:30 UTC on 31 Dec,
    i.e. 1 Jan in Copenhagen; an external job before its lommepengejob from
    1 Feb), y9 (registered 1 Jul in Copenhagen: after the period).
    No area: y5 (steps only). Pending: y6 (never counted).
    """
    with app.app_context():
        a = Area(name="Stadion Allé", town="Ikast")
        b = Area(name="Østbyen", town="Ikast")
        housing = Employer(name="Boligforeningen", status="approved", is_housing_association=True)
        shop = Employer(name="Butikken", status="approved")

        def opening(employer: Employer, kind: str, positions: int, **kw: Any) -> Opening:
            values: dict[str, Any] = {
                "employer": employer,
                "title": f"{kind} {positions}",
                "category": "retail",
                "kind": kind,
                "positions": positions,
                "status": "open",
            }
            return Opening(**(values | kw))

        lomme = opening(housing, "lommepengejob", 3, area=a)
        fritid = opening(shop, "fritidsjob", 2, area=a)
        no_area = opening(shop, "fritidsjob", 1)
        other = opening(shop, "fritidsjob", 2, area=b)
        closed = opening(shop, "fritidsjob", 5, area=b, status="closed")

        def youth(name: str, area: Area | None, created: dt.datetime, **kw: Any) -> Youth:
            values: dict[str, Any] = {
                "first_name": name,
                "birth_date": D(2011, 1, 1),
                "area": area,
                "status": "active",
                "created_at": created,
            }
            return Youth(**(values | kw))

        y1 = youth("Y1", a, _at(2026, 1, 10))
        y2 = youth("Y2", a, _at(2025, 12, 1))
        y3 = youth("Y3", b, _at(2026, 3, 1))
        y4 = youth("Y4", b, _at(2026, 2, 15))
        y5 = youth("Y5", None, _at(2026, 4, 1))
        y6 = youth("Y6", a, _at(2026, 5, 1), status="pending")
        y7 = youth("Y7", a, _at(2026, 2, 1))
        y8 = youth("Y8", b, _at(2025, 12, 31, 23, 30))
        y9 = youth("Y9", b, _at(2026, 6, 30, 22, 30))

        def placement(y: Youth, o: Opening, start: dt.date, end: dt.date | None = None, **kw: Any):
            status = "ended" if end else kw.pop("status", "started")
            return Placement(
                youth=y, opening=o, start_date=start, end_date=end, status=status, **kw
            )

        placements = [
            placement(y1, lomme, D(2026, 2, 1), D(2026, 4, 1), end_reason="external_job"),
            placement(y2, lomme, D(2025, 12, 15)),
            placement(y2, fritid, D(2026, 3, 1)),
            placement(y3, no_area, D(2026, 5, 20), status="confirmed"),
            placement(y4, fritid, D(2026, 3, 10), D(2026, 3, 20), end_reason="youth_left"),
            placement(y7, lomme, D(2026, 2, 10), D(2026, 5, 1), end_reason="education"),
            placement(y8, lomme, D(2026, 2, 1)),
        ]
        events = [
            TimelineEvent(youth=y1, kind="external_job", occurred_on=D(2026, 4, 1)),
            TimelineEvent(youth=y8, kind="external_job", occurred_on=D(2026, 1, 20)),
            TimelineEvent(youth=y3, kind="milestone", code="upv", occurred_on=D(2026, 2, 1)),
            TimelineEvent(
                youth=y3, kind="milestone", code="started_education", occurred_on=D(2026, 6, 1)
            ),
            # Before the period: not counted.
            TimelineEvent(
                youth=y4, kind="milestone", code="started_education", occurred_on=D(2025, 6, 1)
            ),
        ]
        kinds = {k.code: k for k in db.session.scalars(select(OnboardingStepKind))}

        def step(y: Youth, code: str, status: str, on: dt.date | None) -> OnboardingStep:
            return OnboardingStep(youth=y, kind=kinds[code], status=status, done_on=on)

        steps = [
            step(y1, "mitid", "done", D(2026, 1, 15)),
            step(y1, "bank_account", "done", D(2026, 1, 20)),
            step(y3, "mitid", "done", D(2026, 3, 5)),
            step(y5, "tax_card", "done", D(2026, 4, 2)),
            step(y5, "parental_consent", "done", D(2025, 12, 31)),
            step(y5, "contract", "in_progress", None),
        ]
        db.session.add_all([a, b, housing, shop, lomme, fritid, no_area, other, closed])
        db.session.add_all([y1, y2, y3, y4, y5, y6, y7, y8, y9, *placements, *events, *steps])
        db.session.commit()
        return {"a": a.id, "b": b.id}


AREA_A = Figures(
    registered=2,
    placed_lommepengejob=2,
    placed_fritidsjob=1,
    retention_4_cohort=3,
    retention_4=3,
    retention_12_cohort=3,
    retention_12=1,
    moved_to_external=2,
    in_education=1,
    steps_done=2,
    open_positions=2,  # lommepengejob 3 - y2 - y8 (of area B), fritidsjob 2 - y2
    median_days_to_first_job=15.5,  # y1 22 days, y7 9 days
    steps_by_kind={"mitid": 1, "bank_account": 1},
)
AREA_B = Figures(
    registered=3,
    placed_lommepengejob=1,
    placed_fritidsjob=2,
    retention_4_cohort=3,
    retention_4=2,
    retention_12_cohort=2,
    retention_12=1,
    moved_to_external=0,
    in_education=1,
    steps_done=1,
    open_positions=2,
    median_days_to_first_job=31.0,  # y3 80, y4 23, y8 31
    steps_by_kind={"mitid": 1},
    milestones={"upv": 1, "started_education": 1},
)
NONE = Figures(registered=1, steps_done=1, steps_by_kind={"tax_card": 1})
TOTAL = Figures(
    registered=6,
    placed_lommepengejob=3,
    placed_fritidsjob=3,
    retention_4_cohort=6,
    retention_4=5,
    retention_12_cohort=5,
    retention_12=2,
    moved_to_external=2,
    in_education=2,
    steps_done=4,
    open_positions=4,
    median_days_to_first_job=23.0,  # 9, 22, 23, 31, 80
    steps_by_kind={"mitid": 2, "bank_account": 1, "tax_card": 1},
    milestones={"upv": 1, "started_education": 1},
)


def test_every_figure_per_area_and_in_total(app: Flask, rows: dict[str, int]) -> None:
    with app.app_context():
        report = statistics.report(PERIOD)
    assert report.by_area == {rows["a"]: AREA_A, rows["b"]: AREA_B, NO_AREA: NONE}
    assert report.total == TOTAL


def test_one_area(app: Flask, rows: dict[str, int]) -> None:
    with app.app_context():
        report = statistics.report(PERIOD, area_id=rows["b"])
    assert report.by_area == {rows["b"]: AREA_B}
    assert report.total == AREA_B


def test_a_period_too_short_for_the_retention_figures(app: Flask, rows: dict[str, int]) -> None:
    with app.app_context():
        march = statistics.report(Period(D(2026, 3, 1), D(2026, 3, 31)))
    assert march.total.retention_4_cohort == 1  # y2 from 1 Mar; y4's 10 Mar is too late
    assert march.total.retention_4 == 1
    assert march.total.retention_12_cohort == march.total.retention_12 == 0
    assert march.total.placed_fritidsjob == 2
    assert march.total.moved_to_external == 1  # y2: fritidsjob after a lommepengejob


def test_an_empty_database_gives_zeros(app: Flask, frozen: None) -> None:
    with app.app_context():
        report = statistics.report(PERIOD)
    assert report.total == Figures()
    assert report.by_area == {}


def test_the_number_of_queries_does_not_grow_with_the_data(
    app: Flask, rows: dict[str, int]
) -> None:
    with app.app_context():
        small = _queries(lambda: statistics.report(PERIOD))
        youths = YouthFactory.create_batch(30, birth_date=D(2011, 1, 1))
        opening = db.session.scalars(select(Opening)).first()
        db.session.add_all(
            Placement(youth=y, opening=opening, start_date=D(2026, 2, 1), status="started")
            for y in youths
        )
        db.session.commit()
        assert _queries(lambda: statistics.report(PERIOD)) == small


def _queries(action: Any) -> int:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_period_must_run_forwards() -> None:
    with pytest.raises(ValueError, match="after end"):
        Period(D(2026, 2, 1), D(2026, 1, 1))


# -- the page and the CSV --------------------------------------------------------------


def _coordinator(app: Flask) -> FlaskClient:
    with app.app_context():
        user = CoordinatorFactory(email="c@test.example", name="C")
        db.session.commit()
        public_id = user.public_id
    return signed_in(app, public_id)


@pytest.fixture
def coordinator(app: Flask, rows: dict[str, int]) -> FlaskClient:
    return _coordinator(app)


def _cards(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'data-figure="([a-z_0-9]+)"><div class="card-body">\s*'
            r'<div class="fs-3 fw-semibold figure-value">([^<]*)</div>',
            html,
        )
    )


def _by_area(html: str) -> tuple[list[str], dict[str, list[str]]]:
    """The figures-by-area table: its area columns, and each figure's row of cells."""
    found = re.search(r'<table[^>]*id="by-area">(.*?)</table>', html, re.S)
    assert found, "no table of figures by area"
    table = found.group(1)
    header = re.findall(r'<th scope="col" class="text-end">([^<]*)</th>', table)
    rows = {
        label: re.findall(r'<td class="text-end">([^<]*)</td>', cells)
        for label, cells in re.findall(r'<th scope="row"[^>]*>([^<]*)</th>(.*?)</tr>', table)
    }
    return header, rows


def test_the_page_shows_every_figure(coordinator: FlaskClient) -> None:
    response = coordinator.get("/coordinator/dashboard?from=2026-01-01&to=2026-06-30")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _cards(html) == {
        "registered": "6",
        "placed_lommepengejob": "3",
        "placed_fritidsjob": "3",
        "retention_4": "5 af 6",
        "retention_12": "2 af 5",
        "moved_to_external": "2",
        "in_education": "2",
        "steps_done": "4",
        "open_positions": "4",
        "median_days_to_first_job": "23",
    }
    # The area filter names every area too: read the table itself.
    header, rows = _by_area(html)
    assert header == ["Stadion Allé", "Østbyen", "Intet område", "Alle områder"]
    assert rows["Tilmeldte unge"] == ["2", "3", "1", "6"]
    # Area A's median with a Danish decimal comma; none without an area.
    assert rows["Median antal dage fra tilmelding til første job"] == ["15,5", "31", "–", "23"]
    assert 'href="/coordinator/dashboard.csv?area=&amp;from=2026-01-01&amp;to=2026-06-30"' in html


def test_the_charts_are_images_without_scripts(coordinator: FlaskClient) -> None:
    html = coordinator.get("/coordinator/dashboard").get_data(as_text=True)
    charts = re.findall(
        r'<img class="w-100 h-auto[^"]*"[^>]* src="data:image/svg\+xml;base64,([^"]+)"', html
    )
    assert len(charts) == 3
    for chart in charts:
        svg = base64.b64decode(chart).decode()
        assert svg.startswith("<svg")
        assert "<script" not in svg
    assert "Østbyen" in base64.b64decode(charts[1]).decode()  # free positions by area
    # The charts bring no script: the page's are the board's own files only.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    assert all(re.match(r'<script src="/static/', tag) for tag in scripts), scripts


def test_defaults_are_this_year_until_today(coordinator: FlaskClient) -> None:
    html = coordinator.get("/coordinator/dashboard").get_data(as_text=True)
    assert 'value="2026-01-01"' in html
    assert 'value="2026-06-30"' in html
    assert _cards(html)["registered"] == "6"


def test_filter_by_area(coordinator: FlaskClient, rows: dict[str, int]) -> None:
    html = coordinator.get(f"/coordinator/dashboard?area={rows['b']}").get_data(as_text=True)
    assert _cards(html)["registered"] == "3"
    assert _cards(html)["median_days_to_first_job"] == "31"
    assert "Stadion Allé</th>" not in html


def _csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv(coordinator: FlaskClient, rows: dict[str, int]) -> None:
    response = coordinator.get(
        f"/coordinator/dashboard.csv?area={rows['a']}&from=2026-01-01&to=2026-06-30"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="jobmatch-2026-01-01-2026-06-30.csv"'
    )
    table = _csv(response.data)
    assert table[0] == ["Område", "Fra", "Til", "Tal", "Værdi"]
    whole = [row for row in table[1:] if (row[1], row[2]) == ("2026-01-01", "2026-06-30")]
    assert {row[0] for row in table[1:]} == {"Stadion Allé"}
    # The figures in the dashboard's order, then a row per step and per milestone.
    values = dict(zip(statistics.FIGURES, (row[4] for row in whole), strict=False))
    assert values == {
        "registered": "2",
        "placed_lommepengejob": "2",
        "placed_fritidsjob": "1",
        "retention_4_cohort": "3",
        "retention_4": "3",
        "retention_12_cohort": "3",
        "retention_12": "1",
        "moved_to_external": "2",
        "in_education": "1",
        "steps_done": "2",
        "open_positions": "2",
        "median_days_to_first_job": "15,5",
    }
    assert whole[0][3] == "Tilmeldte unge"
    steps = {row[3]: row[4] for row in whole[12:] if row[3].startswith("Gennemført trin: ")}
    assert steps["Gennemført trin: Bankkonto / NemKonto"] == "1"
    assert steps["Gennemført trin: MitID"] == "1"
    assert {v for k, v in steps.items() if "MitID" not in k and "Bankkonto" not in k} == {"0"}
    assert "bank_account" not in response.get_data(as_text=True)
    # Then each month of the period: y1 and y7 started a lommepengejob in February,
    # y2 a fritidsjob in March; only y2 is still in the job on 30 June.
    months = [(row[1], row[3], row[4]) for row in table[1:] if row not in whole]
    assert months[2:6] == [
        ("2026-02-01", "Placeret i måneden", "2"),
        ("2026-02-01", "Heraf stadig i jobbet ved periodens slutning", "0"),
        ("2026-03-01", "Placeret i måneden", "1"),
        ("2026-03-01", "Heraf stadig i jobbet ved periodens slutning", "1"),
    ]
    assert len(months) == 12


def test_csv_of_all_areas_has_a_total(coordinator: FlaskClient) -> None:
    response = coordinator.get("/coordinator/dashboard.csv?from=2026-01-01&to=2026-06-30")
    table = _csv(response.data)
    totals = [row for row in table[1:] if row[0] == "Alle områder"]
    assert totals[0][3:] == ["Tilmeldte unge", "6"]
    milestones = {row[3]: row[4] for row in totals if row[3].startswith("Milepæl: ")}
    assert sorted(milestones.values()) == ["0", "0", "0", "1", "1"]  # UPV, started education
    assert {row[0] for row in table[1:]} == {
        "Stadion Allé",
        "Østbyen",
        "Intet område",
        "Alle områder",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "Ikke en gyldig dato."),
        ("to=yesterday", "Ikke en gyldig dato."),
        ("from=2026-06-01&to=2026-05-01", "Periodens slutning må ikke ligge før dens start."),
        ("from=1999-12-31", "Vælg en dato mellem 2000 og 2099."),
        ("to=9999-12-31", "Vælg en dato mellem 2000 og 2099."),
        ("area=999999", "Ikke et gyldigt valg."),
        ("area=abc", "Ikke et gyldigt valg."),
        ("area=" + "9" * 300, "Ikke et gyldigt valg."),
    ],
)
@pytest.mark.parametrize(
    "path", ["/coordinator/dashboard", "/coordinator/dashboard.csv", "/coordinator/dashboard.xlsx"]
)
def test_bad_input_is_refused_in_danish(
    coordinator: FlaskClient, path: str, query: str, message: str
) -> None:
    response = coordinator.get(f"{path}?{query}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("role", ["anonymous", "employer", "counsellor"])
@pytest.mark.parametrize(
    "path", ["/coordinator/dashboard", "/coordinator/dashboard.csv", "/coordinator/dashboard.xlsx"]
)
def test_only_coordinators(world: World, role: str, path: str) -> None:
    response = world.client_for(role).get(path)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_coordinators_find_it_in_the_menu(world: World) -> None:
    html = world.client_for("coordinator").get("/coordinator/").get_data(as_text=True)
    assert 'href="/coordinator/dashboard"' in html


def test_one_end_of_the_period_is_enough(coordinator: FlaskClient) -> None:
    html = coordinator.get("/coordinator/dashboard?from=2026-03-01").get_data(as_text=True)
    assert 'value="2026-03-01"' in html
    assert 'value="2026-06-30"' in html  # until today
    assert _cards(html)["registered"] == "2"  # y3 on 1 March, y5 on 1 April
    html = coordinator.get("/coordinator/dashboard?from=2026-08-01").get_data(as_text=True)
    assert html.count('value="2026-08-01"') == 2  # a period in the future ends where it starts
    html = coordinator.get("/coordinator/dashboard?to=2025-12-31").get_data(as_text=True)
    assert 'value="2025-01-01"' in html  # from the start of the end's year


def test_in_english(coordinator: FlaskClient) -> None:
    coordinator.set_cookie("lang", "en")
    html = coordinator.get("/coordinator/dashboard").get_data(as_text=True)
    assert "Youths registered" in html
    assert "5 of 6" in html
    assert "No area" in html


def test_unique_ids_and_labelled_fields(
    coordinator: FlaskClient, accessibility_problems: Callable[[str], list[str]]
) -> None:
    for query in ("", "?from=2026-13-01"):
        page = coordinator.get(f"/coordinator/dashboard{query}").get_data(as_text=True)
        assert accessibility_problems(page) == [], query
