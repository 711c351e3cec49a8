"""Pages that stay small however many rows lie behind them (issue 11).

A board of a few hundred youths, openings and staff accounts is written once
for the module (tests/webapp/bulk_board.py). Each list shows one page of
rows, its pager keeps the filters, a youth's profile lists only the youth's
own friends and jobs (the rest is found through a search that gives at most
twenty), and every page makes as many queries after more rows are added as
before. Hostile page numbers and search terms get a calm answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from tests.factories import (
    CoordinatorFactory,
    EmployerStaffFactory,
    World,
    board_app,
    one,
    signed_in,
)
from tests.webapp.bulk_board import Sizes, seed
from webapp.extensions import db
from webapp.models import Area, Opening, Youth
from webapp.services import onboarding
from webapp.services.pickers import PICKER_LIMIT

LARGEST_PAGE = 200 * 1024  # bytes of HTML any page may have (issue 11)
SIZES = Sizes(youths=300, employers=30, openings=300, placements=120, areas=4)


@dataclass
class Board:
    """The module's board: its application, a signed-in coordinator and employer, a youth."""

    app: Flask
    coordinator: FlaskClient
    employer: FlaskClient
    youth: str
    statements: list[str]

    def get(self, url: str, client: FlaskClient | None = None) -> tuple[str, int]:
        """GET `url` (it must answer 200): the page and the number of SQL statements it made."""
        self.statements.clear()
        response = (client or self.coordinator).get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True), len(self.statements)


def _signed_in(app: Flask, public_id: str) -> FlaskClient:
    return signed_in(app, public_id)


@pytest.fixture(scope="module")
def board(fresh_database: Callable[[], str]) -> Iterator[Board]:
    app = board_app(fresh_database())
    statements: list[str] = []
    with app.app_context():
        db.create_all()
        onboarding.ensure_standard_step_kinds()
        seed(SIZES)
        coordinator = CoordinatorFactory(email="bulk-coordinator@test.example").public_id
        employer = EmployerStaffFactory(email="bulk-employer@test.example").public_id
        youth = db.session.scalars(
            select(Youth.public_id).where(Youth.status == "active").order_by(Youth.id)
        ).first()
        db.session.commit()
        engine = db.engine

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    assert youth is not None
    yield Board(app, _signed_in(app, coordinator), _signed_in(app, employer), youth, statements)
    event.remove(engine, "before_cursor_execute", record)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _links(page: str, prefix: str) -> set[str]:
    """The public ids of the records `page` links to under `prefix` (e.g. "/jobs/")."""
    return set(re.findall(rf'href="{re.escape(prefix)}([A-Za-z0-9_-]{{12}})"', page))


# -- the profile's choosers --------------------------------------------------------


def test_the_profile_lists_the_youths_own_friends_and_no_one_else(board: Board) -> None:
    page, _ = board.get(f"/coordinator/youths/{board.youth}")
    assert len(page) < LARGEST_PAGE / 4
    with board.app.app_context():
        youth = one(Youth, Youth.public_id == board.youth)
        friends = {b.public_id for b in youth.buddies}
    assert set(re.findall(r'name="buddies"[^>]*value="([^"]+)"', page)) == friends
    assert not re.search(r'<input[^>]*name="opening"', page)  # no opening before a search
    assert 'id="friend-q"' in page
    assert 'id="opening-q"' in page


def _search(board: Board, kind: str, term: str, client: FlaskClient | None = None) -> Any:
    path = "friends" if kind == "friend" else "openings"
    return (client or board.coordinator).post(
        f"/coordinator/youths/{board.youth}/{path}/search", data={f"{kind}-q": term}
    )


def test_a_friend_search_gives_at_most_twenty_active_youths(board: Board) -> None:
    answer = _search(board, "friend", "bulk")
    assert answer.status_code == 200
    found = answer.get_json()
    assert len(found["results"]) == PICKER_LIMIT
    assert found["more"] is True
    with board.app.app_context():
        rows = {
            y.public_id: y
            for y in db.session.scalars(
                select(Youth).where(Youth.public_id.in_([r["id"] for r in found["results"]]))
            )
        }
        youth = one(Youth, Youth.public_id == board.youth)
        excluded = {youth.public_id, *(b.public_id for b in youth.buddies)}
    assert all(row.status == "active" for row in rows.values())
    assert not excluded & set(rows)
    # A name, the age and the area: no contact, no birth date, no note.
    assert all(set(r) == {"id", "label", "detail"} for r in found["results"])
    assert not any("@" in r["detail"] or "Hansen" in r["detail"] for r in found["results"])
    labels = [r["label"] for r in found["results"]]
    assert labels == sorted(labels, key=str.lower)
    # Every word counts, in either name: one youth.
    one_youth = _search(board, "friend", "hansen bulk00011").get_json()
    assert [r["label"] for r in one_youth["results"]] == ["Bulk00011 Hansen"]
    assert one_youth["message"] == "1 fundet."


def test_an_opening_search_finds_open_openings_by_title_employer_or_town(board: Board) -> None:
    by_employer = _search(board, "opening", "firma 7").get_json()["results"]
    assert by_employer
    assert all("firma" in r["detail"] and "7" in r["label"] + r["detail"] for r in by_employer)
    with board.app.app_context():
        statuses = set(
            db.session.scalars(
                select(Opening.status).where(Opening.public_id.in_([r["id"] for r in by_employer]))
            )
        )
    assert statuses == {"open"}
    assert len(_search(board, "opening", "herning").get_json()["results"]) == PICKER_LIMIT


@pytest.mark.parametrize(
    ("term", "status", "results"),
    [
        ("", 200, 0),
        ("%", 200, 0),  # a wildcard is a plain character
        ("_", 200, 0),
        ("bulk\x00", 422, 0),
        ("b" * 10_000, 422, 0),
        ("a " * 45, 200, None),  # only the first words count
        ("'; DROP TABLE youth; --", 200, 0),
    ],
)
def test_hostile_search_terms_get_a_calm_answer(
    board: Board, term: str, status: int, results: int | None
) -> None:
    for kind in ("friend", "opening"):
        answer = _search(board, kind, term)
        assert answer.status_code == status, (kind, term[:20])
        found = answer.get_json()
        assert isinstance(found["message"], str)
        assert len(found["results"]) <= PICKER_LIMIT
        if results is not None:
            assert len(found["results"]) == results


def test_the_searches_are_for_coordinators_only(board: Board) -> None:
    for kind in ("friend", "opening"):
        assert _search(board, kind, "bulk", board.employer).status_code == 403
        anonymous = _search(board, kind, "bulk", board.app.test_client())
        assert anonymous.status_code == 302
        assert "/login" in anonymous.headers["Location"]
        path = "friends" if kind == "friend" else "openings"
        url = f"/coordinator/youths/{board.youth}/{path}/search?{kind}-q=bulk"
        assert board.coordinator.get(url).status_code == 405  # a name never goes in a URL


def test_choosing_friends_and_an_opening_without_script(
    world: World, app: Flask, accessibility_problems: Callable[[str], list[str]]
) -> None:
    """The search step as a plain form: search, tick, save; search, choose, place."""
    coordinator = world.client_for("coordinator")
    base = f"/coordinator/youths/{world.youth}"
    searched = coordinator.post(f"{base}/buddies", data={"action": "search", "friend-q": "emil"})
    page = searched.get_data(as_text=True)
    assert searched.status_code == 200
    assert re.search(rf'name="buddies" id="buddies-{world.other_youth}" value="[^"]+" >', page)
    assert "1 fundet." in page
    assert "Omar" not in page
    assert accessibility_problems(page) == []
    saved = coordinator.post(
        f"{base}/buddies", data={"action": "save", "buddies": [world.other_youth]}
    )
    assert saved.status_code == 302
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        assert [b.public_id for b in youth.buddies] == [world.other_youth]
    # The named friend is ticked; a search keeps what is ticked and adds what it finds.
    again = coordinator.post(
        f"{base}/buddies",
        data={"action": "search", "friend-q": "nobody-of-that-name", "buddies": world.other_youth},
    ).get_data(as_text=True)
    assert re.search(rf'id="buddies-{world.other_youth}" value="[^"]+" checked>', again)
    assert "Intet fundet." in again

    searched = coordinator.post(
        f"/coordinator/youths/{world.other_youth}/placements",
        data={"action": "search", "opening-q": "herning bager"},
    )
    page = searched.get_data(as_text=True)
    assert searched.status_code == 200
    assert f'value="{world.other_opening}"' in page
    assert "Kasseassistent" not in page
    assert accessibility_problems(page) == []
    placed = coordinator.post(
        f"/coordinator/youths/{world.other_youth}/placements",
        data={"action": "place", "opening": world.other_opening},
    )
    assert placed.status_code == 302


def test_a_closed_or_unknown_opening_cannot_be_chosen(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    for opening in (world.pending_opening, "no-such-one", "x\x00y", "a" * 5000):
        refused = coordinator.post(
            f"/coordinator/youths/{world.other_youth}/placements", data={"opening": opening}
        )
        assert refused.status_code == 422, opening[:20]
        assert "Ikke et gyldigt valg." in refused.get_data(as_text=True)
    many = [f"id{n:010d}" for n in range(3000)] + ["x\x00"]
    refused = coordinator.post(
        f"/coordinator/youths/{world.youth}/buddies", data={"buddies": many}
    )
    assert refused.status_code == 422


# -- lists in pages ------------------------------------------------------------------


PAGES = {
    "/coordinator/youths": "/coordinator/youths/",
    "/coordinator/youths?status=archived": "/coordinator/youths/",
    "/coordinator/openings": "/coordinator/openings/",
    "/coordinator/openings?status=open": "/coordinator/openings/",
    "/coordinator/users": "/coordinator/users/",
    "/coordinator/employers": "/coordinator/employers/",
    "/coordinator/registrations": "/coordinator/youths/",
    "/coordinator/": None,
    "/jobs": "/jobs/",
    "/jobs?day=tue&area=Herning": "/jobs/",
    "/interest": None,
}


def test_every_list_shows_one_page_and_as_many_queries_with_more_rows(board: Board) -> None:
    per_page = board.app.config["PAGE_SIZE"]
    anonymous = board.app.test_client()
    profile = f"/coordinator/youths/{board.youth}"
    urls = [*PAGES, profile]

    def measure() -> dict[str, tuple[int, int]]:
        measured = {}
        for url in urls:
            page, queries = board.get(url, anonymous if url.startswith("/jobs") else None)
            assert len(page.encode()) < LARGEST_PAGE, url
            prefix = PAGES.get(url)
            if prefix == "/coordinator/users/":
                rows = set(re.findall(r'action="/coordinator/users/([^/"]+)/', page))
                assert 0 < len(rows) <= per_page, url
            elif prefix:
                assert 0 < len(_links(page, prefix) - {"new"}) <= per_page, url
            measured[url] = (len(page), queries)
        for kind in ("friend", "opening"):  # "bulk" and "more" both match every row
            board.statements.clear()
            answer = _search(board, kind, "u")
            assert len(answer.get_json()["results"]) == PICKER_LIMIT
            measured[kind] = (len(answer.data), len(board.statements))
        return measured

    before = measure()
    with board.app.app_context():
        seed(SIZES, prefix="More")
    after = measure()
    for url in [*urls, "friend", "opening"]:
        assert after[url][1] == before[url][1], f"{url}: {before[url][1]} -> {after[url][1]}"
        if not PAGES.get(url):  # the profile and the interest form: no longer with more rows
            assert after[url][0] < before[url][0] * 1.1, url


def test_the_youth_pager_keeps_the_filters_and_never_the_search_term(board: Board) -> None:
    with board.app.app_context():
        area = db.session.scalars(select(Area).order_by(Area.id)).first()
        assert area is not None
        area_id, area_name = area.id, area.name
    board.coordinator.post("/coordinator/youths", data={"q": "Hansen", "area": str(area_id)})
    page, _ = board.get(
        f"/coordinator/youths?area={area_id}&interest=retail&min_age=13&sort=oldest"
    )
    pager = re.findall(r'class="page-link" (?:rel="\w+" )?href="([^"]+)"', page)
    assert pager, "more than one page"
    for link in pager:
        assert f"area={area_id}" in link
        assert "interest=retail" in link
        assert "min_age=13" in link
        assert "sort=oldest" in link
        assert "Hansen" not in link
    following = re.search(r'rel="next" href="([^"]+)"', page)
    assert following
    second, _ = board.get(following.group(1).replace("&amp;", "&"))
    assert 'aria-current="page">2</a>' in second
    rows = re.findall(
        r"<tr>\s*<td><a [^>]+>[^<]+</a></td>\s*<td>\d+</td>\s*<td>([^<]+)</td>", second
    )
    assert rows
    assert set(rows) == {area_name}
    ages = [
        int(age)
        for shown in (page, second)
        for age in re.findall(r"</a></td>\s*<td>(\d+)</td>", shown)
    ]
    assert ages == sorted(ages, reverse=True)  # oldest first, across the two pages
    board.coordinator.get("/coordinator/youths?clear=1")


@pytest.mark.parametrize(
    "page", ["-1", "0", "1e3", "10" * 30, str(10**9), "٣", "%00", "a" * 10_000, "2&page=3"]
)
def test_hostile_page_numbers_get_a_calm_page(board: Board, page: str) -> None:
    anonymous = board.app.test_client()
    for url, client in (
        ("/coordinator/youths", board.coordinator),
        ("/coordinator/openings", board.coordinator),
        ("/coordinator/users", board.coordinator),
        ("/coordinator/employers", board.coordinator),
        ("/jobs", anonymous),
    ):
        response = client.get(f"{url}?page={page}")
        assert response.status_code in (200, 400), (url, page[:20])
        if response.status_code == 200:
            text = response.get_data(as_text=True)
            assert 'aria-current="page"' in text, (url, page[:20])


def test_the_job_board_filters_area_and_day_in_sql_and_its_pager_keeps_them(board: Board) -> None:
    anonymous = board.app.test_client()
    tuesday, _ = board.get("/jobs?day=tue&area=Herning", anonymous)
    page, _ = board.get("/jobs?area=Herning&kind=fritidsjob", anonymous)
    following = re.search(r'rel="next" href="([^"]+)"', page)
    assert following, "more than one page"
    link = following.group(1).replace("&amp;", "&")
    for kept in ("area=Herning", "kind=fritidsjob", "#results"):
        assert kept in link
    second, _ = board.get(link, anonymous)
    shown = _links(page, "/jobs/") | _links(second, "/jobs/")
    assert not _links(page, "/jobs/") & _links(second, "/jobs/")
    on_tuesdays = _links(tuesday, "/jobs/")
    assert on_tuesdays
    with board.app.app_context():
        found = select(Opening).where(Opening.public_id.in_(shown | on_tuesdays))
        openings = {o.public_id: o for o in db.session.scalars(found)}
        assert set(openings) == shown | on_tuesdays
        for opening in openings.values():
            assert opening.status == "open"
            assert "Herning" in (opening.town, opening.area.name if opening.area else "")
        assert all(1 in {s.day_index for s in openings[o].shifts} for o in on_tuesdays)
    total = re.search(r"(\d+) job", page)
    assert total
    assert int(total.group(1)) > board.app.config["PAGE_SIZE"]


def test_the_opening_employer_and_user_lists_page_through_every_row(board: Board) -> None:
    for url, prefix in (
        ("/coordinator/openings?status=pending", "/coordinator/openings/"),
        ("/coordinator/employers", "/coordinator/employers/"),
        ("/coordinator/registrations", "/coordinator/youths/"),
        ("/coordinator/users", "/coordinator/users/"),
    ):
        seen: set[str] = set()
        page, _ = board.get(url)
        while True:
            found = (
                set(re.findall(r'action="/coordinator/users/([^/"]+)/', page))
                if prefix.endswith("users/")
                else _links(page, prefix)
            )
            assert not found & seen, url
            seen |= found
            following = re.search(r'rel="next" href="([^"]+)"', page)
            if not following:
                break
            link = following.group(1).replace("&amp;", "&")
            assert "status=pending" in link or "status" not in url
            page, _ = board.get(link)
        assert len(seen) > board.app.config["PAGE_SIZE"], url
