"""The header: the deployment's name and logo, a menu grouped by task, the current page marked."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import World

LOGO = "https://kommune.example/logo.svg"


def _header(page: str) -> str:
    found = re.search(r"<header\b.*?</header>", page, re.S)
    assert found, "no <header> on the page"
    return found.group(0)


def test_default_name_and_no_logo(client: FlaskClient) -> None:
    page = client.get("/jobs").get_data(as_text=True)
    header = _header(page)
    assert "Første job" in header
    assert "board-logo" not in header
    assert re.search(r"<title>[^<]* · Første job</title>", page)


def test_the_deployments_name_and_logo(make_app: Callable[..., Flask]) -> None:
    """Both are settings; a logo on another host is let through the CSP for images only."""
    app = make_app(BOARD_NAME="Fritidsjob Ikast-Brande", BOARD_LOGO_URL=LOGO)
    response = app.test_client().get("/jobs")
    header = _header(response.get_data(as_text=True))
    assert "Fritidsjob Ikast-Brande" in header
    assert f'<img class="board-logo" src="{LOGO}" alt="">' in header
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert policy["img-src"] == "'self' data: https://kommune.example"
    assert policy["script-src"].startswith("'self'")  # nothing else widened


def test_a_logo_on_the_board_itself_keeps_the_policy(make_app: Callable[..., Flask]) -> None:
    app = make_app(BOARD_LOGO_URL="/static/mark.svg")
    response = app.test_client().get("/jobs")
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"] + ";"


def test_the_coordinators_menu_is_grouped(world: World) -> None:
    """Six items on the bar (two plain links, four groups) hold every coordinator page."""
    header = _header(world.client_for("coordinator").get("/coordinator/").get_data(as_text=True))
    bar = re.findall(r'<li class="nav-item[^"]*">\s*<(a|button)\b', header)
    assert bar == ["a", "button", "button", "button", "a", "button"]
    for path in (
        "/coordinator/youths",
        "/coordinator/registrations",
        "/coordinator/employers",
        "/coordinator/openings",
        "/coordinator/runs",
        "/coordinator/placements",
        "/coordinator/holidays",
        "/coordinator/dashboard",
        "/coordinator/users",
        "/coordinator/onboarding-steps",
    ):
        assert f'href="{path}"' in header, path


def test_the_current_page_and_its_group_are_marked(world: World) -> None:
    client = world.client_for("coordinator")
    header = _header(client.get("/coordinator/registrations").get_data(as_text=True))
    assert re.findall(r'href="([^"]+)" aria-current="page"', header) == [
        "/coordinator/registrations"
    ]
    groups = re.findall(r'dropdown-toggle active"[^>]*aria-current="true">([^<]+)<', header)
    assert groups == ["Unge"]
    # A youth's profile lies within "All youths": marked as within, not as that page.
    profile = _header(client.get(f"/coordinator/youths/{world.youth}").get_data(as_text=True))
    assert 'href="/coordinator/youths" aria-current="true"' in profile
    assert 'aria-current="page"' not in profile


def test_every_role_has_its_own_menu(world: World) -> None:
    menus = {
        "anonymous": ("/jobs", "/interest", "/me", "/employers/register", "/login"),
        "employer": ("/employer/", "/employer/company", "/jobs"),
        "counsellor": ("/counsellor/", "/jobs"),
    }
    for role, paths in menus.items():
        header = _header(world.client_for(role).get("/jobs").get_data(as_text=True))
        links = re.findall(r'<a class="(?:nav-link|btn)[^"]*" href="([^"]+)"', header)
        assert tuple(links) == paths, role
