"""The dashboard's charts: one question each, the monthly trend right, a table beside each,
and readable on a phone (drawn in Chromium at 390 px: no label on another, letters big enough).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Playwright

from tests.factories import AreaFactory, OpeningFactory, PlacementFactory, World, YouthFactory
from webapp.dashboard import charts
from webapp.extensions import db
from webapp.services import statistics
from webapp.services.statistics import Figures, Month, Period, Report

D = dt.date
HALF_YEAR = "from=2026-01-01&to=2026-06-30"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def placements(world: World) -> dict[str, int]:
    """Placements of youths of Østbyen and of Vest, each worked out by hand per month.

    February: A (running) and B (ended 1 March); March: C twice (one ended, one
    running: one youth, still in a job); April: D (ends 15 July, after the
    period); May: E of Vest (running). December 2025 and July 2026: outside.
    """
    with world.app.app_context():
        east, west = AreaFactory(name="Østbyen"), AreaFactory(name="Vest")
        first = OpeningFactory(area=east, positions=9)
        second = OpeningFactory(area=east, positions=2)

        def place(youth: Any, start: dt.date, end: dt.date | None = None, at: Any = first) -> None:
            status = "ended" if end and end <= D(2026, 6, 30) else "started"
            PlacementFactory(
                youth=youth, opening=at, start_date=start, end_date=end, status=status
            )

        a, b, c, d = (YouthFactory(area=east) for _ in range(4))
        e, f = YouthFactory(area=west), YouthFactory(area=west)
        place(a, D(2026, 2, 1))
        place(b, D(2026, 2, 10), D(2026, 3, 1))
        place(c, D(2026, 3, 2), D(2026, 3, 20))
        place(c, D(2026, 3, 25), at=second)
        place(d, D(2026, 4, 5), D(2026, 7, 15))
        place(e, D(2026, 5, 1))
        place(f, D(2025, 12, 20))
        place(f, D(2026, 7, 1), at=second)
        db.session.commit()
        return {"east": east.id, "west": west.id}


def _months(rows: list[Month]) -> list[tuple[str, int, int]]:
    return [(f"{m.first_day:%Y-%m}", m.placed, m.still_in_job) for m in rows]


def test_the_monthly_trend(app: Flask, placements: dict[str, int]) -> None:
    with app.app_context():
        everyone = statistics.report(Period(D(2026, 1, 1), D(2026, 6, 30)))
        east = statistics.report(Period(D(2026, 1, 15), D(2026, 4, 2)), area_id=placements["east"])
    assert _months(everyone.months) == [
        ("2026-01", 0, 0),
        ("2026-02", 2, 1),
        ("2026-03", 1, 1),
        ("2026-04", 1, 1),
        ("2026-05", 1, 1),
        ("2026-06", 0, 0),
    ]
    # Part months count only their days in the period; "still" is at the period's end.
    assert _months(east.months) == [
        ("2026-01", 0, 0),
        ("2026-02", 2, 1),
        ("2026-03", 1, 1),
        ("2026-04", 0, 0),  # D starts on 5 April, after the period
    ]


def _sections(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<section class="[^"]*" id="chart-([a-z]+)"(.*?)</section>', html, re.S)
    )


def _table(section: str) -> list[list[str]]:
    return [
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)
    ]


def _svg(section: str) -> str:
    found = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', section)
    assert found, "no chart image"
    return base64.b64decode(found.group(1)).decode()


def test_each_chart_asks_one_question_and_has_its_table(
    world: World, placements: dict[str, int]
) -> None:
    client = world.client_for("coordinator")
    html = client.get(f"/coordinator/dashboard?area={placements['east']}&{HALF_YEAR}").get_data(
        as_text=True
    )
    sections = _sections(html)
    assert list(sections) == ["trend", "positions", "steps"]
    for key, section in sections.items():
        heading = re.search(r"<h2[^>]*>([^<]*)</h2>", section)
        assert heading, key
        assert heading.group(1).endswith("?"), key  # one question
        assert f'aria-labelledby="chart-{key}-question"' in html
        assert re.search(r"<details.*<table", section, re.S), key
        assert re.search(r"<caption[^>]*>" + re.escape(heading.group(1)), section)
        assert 'alt="' in section
    assert re.search(r"Hvor mange unge blev placeret hver måned", sections["trend"])
    assert _table(sections["trend"]) == [
        ["Måned", "Placeret", "Stadig i jobbet"],
        ["januar 2026", "0", "0"],
        ["februar 2026", "2", "1"],
        ["marts 2026", "1", "1"],
        ["april 2026", "1", "1"],
        ["maj 2026", "0", "0"],  # E lives in Vest
        ["juni 2026", "0", "0"],
    ]
    free = _table(sections["positions"])
    assert free[0] == ["Område", "Ledige pladser"]
    assert free[1:] == [["Østbyen", "5"]]  # 9 - A, D, E and F; the second opening is full
    svg = _svg(sections["trend"])
    # The chart's labels: Danish month names, and the two series in the legend.
    assert [">feb.<" in svg, "Stadig i jobbet" in svg, "<script" in svg] == [True, True, False]


def test_the_trend_chart_scales_and_thins_its_labels(app: Flask) -> None:
    def drawn(months: int) -> str:
        return _svg_of(charts.trend(_report(months)))

    with app.test_request_context():
        six, twelve, thirty = drawn(6), drawn(12), drawn(30)
    for svg in (six, twelve, thirty):
        # No fixed size: the image takes its column's width, its height follows.
        root = svg[: svg.index(">")]
        assert 'viewBox="0 0 420 340"' in root
        assert not re.search(r" (width|height)=", root)
    assert "rotate(" not in _x_labels(six)[0]
    assert all("rotate(" in label for label in _x_labels(twelve))
    assert len(_x_labels(twelve)) == 12
    assert len(_x_labels(thirty)) == 10  # every third of 30 months, turned
    shown = re.findall(r">([a-z]+\.? \d\d)<", thirty)
    assert shown[:3] == ["jan. 25", "apr. 25", "jul. 25"]


def _report(months: int) -> Report:
    first = D(2025, 1, 1)
    rows = []
    for n in range(months):
        day = D(first.year + n // 12, n % 12 + 1, 1)
        rows.append(Month(day, 20 + n, 10 + n))
    end = rows[-1].first_day + dt.timedelta(days=27)
    return Report(
        period=Period(first, end),
        areas=[],
        by_area={1: Figures(open_positions=24), 2: Figures(open_positions=3)},
        total=Figures(steps_by_kind={"mitid": 41, "tax_card": 2, "parental_consent": 24}),
        names={1: "Stadion Allé", 2: "Østbyen og Vestbyens Boligselskab"},
        months=rows,
    )


def _svg_of(chart: charts.Chart) -> str:
    return base64.b64decode(chart.image.split(",", 1)[1]).decode()


def _x_labels(svg: str) -> list[str]:
    axis = svg[svg.index('class="axis x') :]
    axis = axis[: axis.index('<g class="series')]
    return re.findall(r"<text [^>]*>[^<]*</text>", axis)


# -- drawn in Chromium at a phone's width ------------------------------------------------


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install -y chromium")
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
    )
    yield browser
    browser.close()


# Each text's box on the screen (its four corners: a turned label's box is turned too)
# and its letters' height, for the SVG shown 358 px wide (a 390 px phone less the margins).
MEASURE = """() => [...document.querySelectorAll('text')]
  .filter(t => t.textContent.trim() && getComputedStyle(t).display !== 'none')
  .map(t => { const b = t.getBBox(); const m = t.getScreenCTM();
    const at = (x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
    return {text: t.textContent,
            corners: [at(b.x, b.y), at(b.x + b.width, b.y),
                      at(b.x + b.width, b.y + b.height), at(b.x, b.y + b.height)],
            px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)}; })"""


STEPS = {
    "mitid": "MitID",
    "tax_card": "Skattekort / frikort",
    "parental_consent": "Forældresamtykke og informationsbrev",
    "contract": "Ansættelseskontrakt underskrevet",
}


@pytest.mark.browser
@pytest.mark.parametrize("months", [3, 6, 12, 24])
def test_readable_on_a_phone(app: Flask, chromium: Browser, months: int) -> None:
    with app.test_request_context():
        report = _report(months)
        drawn = [
            charts.trend(report),
            charts.open_positions(report),
            charts.steps(report, STEPS),
        ]
    page = chromium.new_page(viewport={"width": 358, "height": 800})
    try:
        for chart in drawn:
            page.set_content(f'<body style="margin:0">{_svg_of(chart)}</body>', wait_until="load")
            texts = page.evaluate(MEASURE)
            assert texts, chart.key
            for t in texts:
                assert t["px"] >= 13, (chart.key, t)  # at least 13 px letters
            for i, one in enumerate(texts):
                for other in texts[i + 1 :]:
                    assert not _overlap(one, other), (chart.key, months, one, other)
    finally:
        page.close()


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two boxes (convex, four corners each) share more than a pixel's edge.

    Separating axes: two convex shapes are apart when, along the normal of some
    edge of either, their shadows do not meet.
    """
    for corners in (a["corners"], b["corners"]):
        for n in range(4):
            (x1, y1), (x2, y2) = corners[n], corners[(n + 1) % 4]
            normal = (y1 - y2, x2 - x1)
            length = (normal[0] ** 2 + normal[1] ** 2) ** 0.5
            if length == 0:
                continue
            shadow_a = [(x * normal[0] + y * normal[1]) / length for x, y in a["corners"]]
            shadow_b = [(x * normal[0] + y * normal[1]) / length for x, y in b["corners"]]
            if max(shadow_a) <= min(shadow_b) + 1 or max(shadow_b) <= min(shadow_a) + 1:
                return False
    return True
