"""Hostile input gets a calm answer: a message beside the field, a 404, 400 or 413; never a 5xx.

Every form of every page (as each role sees it) is sent back with a control
character in each of its text fields: the page answers 422 with the Danish
message beside that field and no row is written. Ids the database cannot
hold and path parts with control characters are 404 on every route;
impossible ages and dates are refused or ignored; redirects never carry a
huge URL; a request over 2 MB is refused before it is read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from tests.factories import MatchingRecords, World, matching_records
from tests.webapp.hostile import ROLES, HtmlForm, forms_of, methods, owner, real_values, row_counts
from tests.webapp.hostile import rules as url_rules
from webapp.routing import MAX_REDIRECT_LENGTH

CONTROL_MESSAGE = "Fjern de usynlige kontroltegn fra teksten."
DATE_MESSAGE = "Vælg en dato mellem 1900 og 2100."
# Forms that are no WTForms form: the youth search keeps its words in the session.
SEARCH_FORMS = {"/coordinator/youths"}
HOSTILE = ("\x1b", "\t", "\n", "\r", "\x85", "\x7f", "\x01")  # a single-line field takes none


@pytest.fixture
def made(world: World) -> MatchingRecords:
    return matching_records(world)


def _error_text(page: str, field_id: str) -> str:
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def _pages(app: Flask, world: World, made: MatchingRecords) -> Iterator[tuple[str, str]]:
    """(role, url) of every page a role may GET."""
    for rule in url_rules(app):
        if "GET" not in methods(rule) or rule.endpoint.endswith(
            ("_export", "problem", "solution")
        ):
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **real_values(rule, world, made))
        yield owner(rule), url


def _text_forms(world: World, app: Flask, made: MatchingRecords) -> list[tuple[str, HtmlForm]]:
    found: dict[tuple[str, str, tuple[str, ...]], tuple[str, HtmlForm]] = {}
    for role, url in _pages(app, world, made):
        response = world.client_for(role).get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms_of(response.get_data(as_text=True), url):
            names = tuple(i.name for i in form.inputs if i.is_text)
            if form.method == "post" and names:
                found.setdefault((role, form.action, names), (role, form))
    return list(found.values())


def test_control_characters_are_refused_beside_every_text_field(
    world: World, app: Flask, made: MatchingRecords
) -> None:
    forms = _text_forms(world, app, made)
    actions = {form.action for _role, form in forms}
    assert {"/interest", "/employers/register", "/login", "/coordinator/youths/new"} <= actions
    assert any(a.startswith(f"/jobs/{world.opening}/interest") for a in actions)
    checked = 0
    for role, form in forms:
        for field in (i for i in form.inputs if i.is_text):
            # A NUL in every field; in every third one more control character in turn.
            other = HOSTILE[checked % len(HOSTILE)] if field.tag == "input" else "\x7f\x85"
            for hostile in ("Am\x00ira", f"Am{other}ira")[: 1 + (checked % 3 == 0)]:
                before = row_counts(app)
                data = {**form.data, field.name: hostile}
                response = world.client_for(role).post(form.action, data=data)
                where = f"{role} {form.action} {field.name}={hostile!r}: {response.status_code}"
                assert row_counts(app) == before, where
                if form.action in SEARCH_FORMS:
                    assert response.status_code == 302, where
                    assert world.client_for(role).get(form.action).status_code == 200, where
                    continue
                assert response.status_code == 422, where
                page = response.get_data(as_text=True)
                assert CONTROL_MESSAGE in _error_text(page, field.id), where
                checked += 1
    assert checked > 200, checked


def test_a_text_area_keeps_its_tabs_and_line_breaks(world: World, app: Flask) -> None:
    response = world.client_for("coordinator").post(
        f"/coordinator/youths/{world.youth}/notes", data={"note-text": "Ringede\r\n\tigen"}
    )
    assert response.status_code == 302
    page = (
        world.client_for("coordinator")
        .get(f"/coordinator/youths/{world.youth}")
        .get_data(as_text=True)
    )
    assert "Ringede" in page


def test_impossible_dates_and_numbers_in_forms_are_refused(
    world: World, app: Flask, made: MatchingRecords
) -> None:
    client = world.client_for("coordinator")
    for day in ("0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"):
        before = row_counts(app)
        response = client.post(
            "/coordinator/holidays",
            data={
                "holiday-municipality": "Ikast-Brande",
                "holiday-name": "Ferie",
                "holiday-first_day": day,
                "holiday-last_day": day,
            },
        )
        assert response.status_code == 422, day
        page = response.get_data(as_text=True)
        assert DATE_MESSAGE in _error_text(page, "holiday-first_day"), day
        assert row_counts(app) == before
    for lat in ("nan", "inf", "-inf", "1e400"):
        before = row_counts(app)
        response = world.client_for("employer").post(
            f"/employer/openings/{world.opening}/edit", data={"title": "Kasse", "lat": lat}
        )
        assert response.status_code == 422, lat
        assert _error_text(response.get_data(as_text=True), "lat"), lat  # its own range
        assert row_counts(app) == before


@pytest.mark.parametrize("role", ROLES)
def test_path_ids_the_database_cannot_hold_are_404(
    world: World, app: Flask, made: MatchingRecords, role: str
) -> None:
    hostile_ints = ("0", "2147483648", "9223372036854775808", "1" + "0" * 30, "9" * 5000)
    hostile_strings = ("%00", "a%01b", "x%7F", "%C2%85", "%0A", "y" * 600)
    tried = 0
    client = world.client_for(role)
    for rule in url_rules(app):
        if not rule.arguments:
            continue
        values = real_values(rule, world, made)
        before = row_counts(app)
        for name, value in values.items():
            marker: object = 987654 if isinstance(value, int) else "MARKER"
            with app.test_request_context():
                template = url_for(rule.endpoint, **{**values, name: marker})
            hostile = hostile_ints if isinstance(value, int) else hostile_strings
            for bad in hostile:
                url = template.replace(f"/{marker}", f"/{bad}", 1)
                for method in methods(rule):
                    response = client.open(url, method=method)
                    assert response.status_code == 404, f"{role} {method} {url[:80]} ({name})"
                    tried += 1
        assert row_counts(app) == before, rule.rule
    assert tried > 100


def test_impossible_ages_in_query_strings_are_ignored(world: World) -> None:
    coordinator = world.client_for("coordinator")
    for query in ("min_age=3000", "max_age=2100", "min_age=99999", "max_age=121", "min_age=²"):
        response = coordinator.get(f"/coordinator/youths?{query}")
        assert response.status_code == 200, query
    assert "Amira" in coordinator.get("/coordinator/youths?min_age=3000").get_data(as_text=True)
    for query in ("age=99", "age=²", "age=99999999", "area=" + "x" * 5000):
        assert world.client_for("anonymous").get(f"/jobs?{query}").status_code == 200, query
    for query in ("from=0001-01-01", "to=9999-12-31", "from=2100-01-01&to=1900-01-01"):
        assert coordinator.get(f"/coordinator/dashboard?{query}").status_code == 422, query


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("anonymous", "/jobs?area=%00"),
        ("anonymous", "/jobs?category=a%0Ab"),
        ("coordinator", "/coordinator/youths?interest=%1B"),
        ("coordinator", "/coordinator/dashboard?from=%00"),
        ("coordinator", "/coordinator/runs/x?explain=%00"),
    ],
)
def test_control_characters_in_a_query_string_are_a_bad_request(
    world: World, role: str, url: str
) -> None:
    response = world.client_for(role).get(url)
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke forstås" in response.get_data(as_text=True)


def _location(response: object) -> str:
    return response.headers.get("Location", "")  # type: ignore[attr-defined]


def test_long_inputs_never_reach_a_redirect(world: World, app: Flask) -> None:
    huge = "x" * 1_000_000
    response = world.client_for("coordinator").post("/coordinator/youths", data={"status": huge})
    assert response.status_code == 302
    assert len(_location(response)) < MAX_REDIRECT_LENGTH
    response = world.client_for("anonymous").get("/coordinator/youths?interest=" + "y" * 10_000)
    assert response.status_code == 302
    assert len(_location(response)) < MAX_REDIRECT_LENGTH
    client = world.client_for("anonymous")
    response = client.post(
        "/login?next=/" + "z" * 100_000,
        data={"email": "coordinator@test.example", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert _location(response) == "/coordinator/"
    response = client.post("/language", data={"lang": "en", "next": "/" + "n" * 5_000})
    assert response.status_code == 302
    assert _location(response) == "/jobs"
    response = client.post("/language", data={"lang": "en", "next": "/" + "n" * 100_000})
    assert response.status_code == 400  # beyond what any text field holds


def _client(world: World) -> FlaskClient:
    return world.client_for("anonymous")


def test_a_request_over_two_megabytes_is_refused_in_danish(world: World, app: Flask) -> None:
    before = row_counts(app)
    big = {"first_name": "A" * (3 * 1024 * 1024), "consent": "y"}
    response = _client(world).post("/interest", data=big)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert 'lang="da"' in page
    assert "Det, du sendte, er for stort." in page
    assert row_counts(app) == before


def _multipart(parts: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body of text parts (built here: the test client spools big ones)."""
    boundary = "hostileboundary"
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + f"{value}\r\n".encode()
        for name, value in parts.items()
    )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_multipart_forms_are_bounded_too(world: World, app: Flask) -> None:
    before = row_counts(app)
    for parts in ({"first_name": "A" * 600_000}, {f"field{i}": "x" for i in range(1_100)}):
        body, content_type = _multipart(parts)
        response = _client(world).post("/interest", data=body, content_type=content_type)
        assert response.status_code == 413
    body, content_type = _multipart({"first_name": "Sara", "age": "15"})
    response = _client(world).post("/interest", data=body, content_type=content_type)
    assert response.status_code == 422  # a small multipart form is read as usual
    assert row_counts(app) == before
