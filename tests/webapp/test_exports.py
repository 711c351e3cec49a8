"""The downloads Danish Excel opens: the dashboard's and the youth list's, as CSV and xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from flask.testing import FlaskClient

from tests.factories import (
    AreaFactory,
    CounsellorFactory,
    OpeningFactory,
    PlacementFactory,
    World,
    YouthFactory,
)
from webapp.extensions import db
from webapp.models import OnboardingStep, OnboardingStepKind
from webapp.services import exports
from webapp.ui import board_day

BOM = b"\xef\xbb\xbf"
QUERY = "from=2026-01-01&to=2026-06-30"


@pytest.fixture
def board(world: World) -> dict[str, Any]:
    """Two youths of Østbyen with a median wait of 15.5 days; a youth whose name is a formula."""
    with world.app.app_context():
        area = AreaFactory(name="Østbyen")
        hacker_area = AreaFactory(name="+Område")
        counsellor = CounsellorFactory(name="Søren Ågård")
        opening = OpeningFactory(area=area, positions=3, kind="lommepengejob")
        made = dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC)
        first = YouthFactory(first_name="Åse", last_name="Ødegård", area=area, created_at=made)
        second = YouthFactory(first_name="Bo", area=area, counsellor=counsellor, created_at=made)
        formula = YouthFactory(
            first_name='=HYPERLINK("http://evil.example","klik")',
            last_name="-2+3",
            area=hacker_area,
        )
        PlacementFactory(youth=first, opening=opening, start_date=dt.date(2026, 2, 11))
        PlacementFactory(youth=second, opening=opening, start_date=dt.date(2026, 2, 22))
        bank = db.session.query(OnboardingStepKind).filter_by(code="bank_account").one()
        db.session.add(
            OnboardingStep(youth=first, kind=bank, status="done", done_on=dt.date(2026, 3, 1))
        )
        db.session.commit()
        return {"area": area.id, "formula": formula.public_id}


@pytest.fixture
def coordinator(world: World, board: dict[str, Any]) -> FlaskClient:
    return world.client_for("coordinator")


def _csv(body: bytes) -> list[list[str]]:
    assert body.startswith(BOM), "no byte order mark: Excel would read the text as Latin-1"
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx(body: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book.worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _cells(body: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(body))
    return [cell for row in book.worksheets[0].iter_rows() for cell in row]


def _get(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


# -- the dashboard -----------------------------------------------------------------------


def test_the_dashboard_csv_is_for_danish_excel(
    coordinator: FlaskClient, board: dict[str, Any]
) -> None:
    response = _get(coordinator, f"/coordinator/dashboard.csv?area={board['area']}&{QUERY}")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="jobmatch-2026-01-01-2026-06-30.csv"'
    )
    table = _csv(response.data)
    assert table[0] == ["Område", "Fra", "Til", "Tal", "Værdi"]
    assert all(len(row) == 5 for row in table)
    values = {row[3]: row[4] for row in table[1:] if row[1] == "2026-01-01"}
    assert {row[0] for row in table[1:]} == {"Østbyen"}
    assert values["Tilmeldte unge"] == "2"
    assert values["Median antal dage fra tilmelding til første job"] == "15,5"  # 10 and 21 days
    assert values["Gennemført trin: Bankkonto / NemKonto"] == "1"
    assert values["Gennemført trin: MitID"] == "0"
    assert "bank_account" not in response.get_data(as_text=True)
    february = {row[3]: row[4] for row in table[1:] if row[1] == "2026-02-01"}
    assert february == {
        "Placeret i måneden": "2",
        "Heraf stadig i jobbet ved periodens slutning": "2",
    }
    assert [row[2] for row in table[1:] if row[1] == "2026-02-01"] == ["2026-02-28"] * 2


def test_the_dashboard_xlsx_holds_the_rows_of_the_csv(
    coordinator: FlaskClient, board: dict[str, Any]
) -> None:
    query = f"area={board['area']}&{QUERY}"
    rows = _csv(_get(coordinator, f"/coordinator/dashboard.csv?{query}").data)
    response = _get(coordinator, f"/coordinator/dashboard.xlsx?{query}")
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="jobmatch-2026-01-01-2026-06-30.xlsx"'
    )
    sheet = _xlsx(response.data)
    assert sheet[0] == rows[0]
    # Typed cells: dates as dates, numbers as numbers (Excel shows them the Danish way).
    assert sheet[1][:3] == ["Østbyen", dt.datetime(2026, 1, 1), dt.datetime(2026, 6, 30)]
    as_text = [[_as_csv(value) for value in row] for row in sheet[1:]]
    assert as_text == rows[1:]
    median = next(r for r in sheet if r[3] == "Median antal dage fra tilmelding til første job")
    assert median[4] == 15.5


def _as_csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def test_the_dashboard_page_offers_both_downloads(coordinator: FlaskClient) -> None:
    html = _get(coordinator, f"/coordinator/dashboard?{QUERY}").get_data(as_text=True)
    assert 'href="/coordinator/dashboard.csv?area=&amp;from=2026-01-01&amp;to=2026-06-30"' in html
    assert 'href="/coordinator/dashboard.xlsx?area=&amp;from=2026-01-01&amp;to=2026-06-30"' in html


def test_the_dashboard_csv_in_english(coordinator: FlaskClient) -> None:
    coordinator.set_cookie("lang", "en")
    table = _csv(_get(coordinator, f"/coordinator/dashboard.csv?{QUERY}").data)
    assert table[0] == ["Area", "From", "To", "Figure", "Value"]
    median = next(r for r in table if r[0] == "Østbyen" and r[3].startswith("Median"))
    assert median[4] == "15.5"


def test_an_area_named_like_a_formula_is_text(coordinator: FlaskClient) -> None:
    table = _csv(_get(coordinator, f"/coordinator/dashboard.csv?{QUERY}").data)
    assert "'+Område" in {row[0] for row in table}
    cells = _cells(_get(coordinator, f"/coordinator/dashboard.xlsx?{QUERY}").data)
    area = next(c for c in cells if c.value == "+Område")
    assert area.data_type == "s"
    assert area.quotePrefix


# -- the youth list ----------------------------------------------------------------------


def test_the_youth_list_as_csv(coordinator: FlaskClient, board: dict[str, Any]) -> None:
    response = _get(coordinator, f"/coordinator/youths.csv?area={board['area']}")
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="unge-{board_day.today()}.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    table = _csv(response.data)
    assert table[0] == [
        "Fornavn",
        "Efternavn",
        "Alder",
        "Boligområde",
        "Interesser",
        "UU-vejleder",
        "Status",
        "Gennemførte trin",
        "Trin i alt",
        "Job",
    ]
    # In the list's order (by first name, as the database sorts them).
    by_name = {row[0]: row for row in table[1:]}
    assert [row[:4] for row in table[1:]] == [
        ["Bo", "Hansen", "15", "Østbyen"],
        ["Åse", "Ødegård", "15", "Østbyen"],
    ]
    assert by_name["Åse"][6:10] == ["Aktiv", "1", str(len(_step_kinds(coordinator))), "1"]
    assert by_name["Bo"][5] == "Søren Ågård"
    body = response.get_data(as_text=True)
    for private in ("youth.example", "20202020", "Stadion Allé 7", "Secret coordinator note"):
        assert private not in body


def _step_kinds(client: FlaskClient) -> list[str]:
    with client.application.app_context():
        return list(db.session.scalars(db.select(OnboardingStepKind.code)))


def test_the_youth_list_takes_every_page_and_the_search(
    coordinator: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "BATCH", 2)  # the export reads the list two at a time
    table = _csv(_get(coordinator, "/coordinator/youths.csv").data)
    everyone = {row[0] for row in table[1:]}
    assert {"Åse", "Bo"} <= everyone
    assert len(table) - 1 == len(everyone) > 3  # the world's youths too, on many pages
    # The search term is in the session (never in a URL), and the download follows it.
    coordinator.post("/coordinator/youths", data={"q": "degå"})
    table = _csv(_get(coordinator, "/coordinator/youths.csv").data)
    assert [row[0] for row in table[1:]] == ["Åse"]
    html = _get(coordinator, "/coordinator/youths").get_data(as_text=True)
    assert 'href="/coordinator/youths.csv?status=active' in html
    assert 'href="/coordinator/youths.xlsx?status=active' in html
    assert "degå" not in html.split('id="youth-downloads"', 1)[1].split("</p>", 1)[0]


def test_a_youth_named_like_a_formula_is_text(
    coordinator: FlaskClient, board: dict[str, Any]
) -> None:
    table = _csv(_get(coordinator, "/coordinator/youths.csv").data)
    row = next(r for r in table if "HYPERLINK" in r[0])
    assert row[0] == '\'=HYPERLINK("http://evil.example","klik")'
    assert row[1] == "'-2+3"
    assert row[3] == "'+Område"
    response = _get(coordinator, "/coordinator/youths.xlsx")
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="unge-{board_day.today()}.xlsx"'
    )
    cells = _cells(response.data)
    name = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert name.value == '=HYPERLINK("http://evil.example","klik")'
    assert name.data_type == "s"  # text, not a formula
    assert name.quotePrefix
    assert next(c for c in cells if c.value == "-2+3").data_type == "s"


def test_the_youth_list_xlsx_holds_the_rows_of_the_csv(coordinator: FlaskClient) -> None:
    rows = _csv(_get(coordinator, "/coordinator/youths.csv").data)
    sheet = _xlsx(_get(coordinator, "/coordinator/youths.xlsx").data)
    assert sheet[0] == rows[0]
    as_text = [[_as_csv(v) for v in row] for row in sheet[1:]]
    assert [[v.removeprefix("'") for v in row] for row in rows[1:]] == as_text


@pytest.mark.parametrize("role", ["anonymous", "employer", "counsellor"])
@pytest.mark.parametrize(
    "path", ["/coordinator/youths.csv", "/coordinator/youths.xlsx", "/coordinator/dashboard.xlsx"]
)
def test_only_coordinators_download(world: World, role: str, path: str) -> None:
    response = world.client_for(role).get(path)
    assert response.status_code in (302, 403)
    assert not response.data.startswith(BOM)
