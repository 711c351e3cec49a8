"""Every main page of every role passes axe-core, on a desktop and on a phone.

The demo world (`demo_board`, with one finished run) gives the pages real
rows. Each role signs in once in a browser context of its own and walks its
pages at 1280 x 800 and at 390 x 844; on each page axe-core (the copy bundled
by `axe-playwright-python`) runs over the whole document, and any rule of
impact "serious" or "critical" fails the test with its nodes listed. A console
error (a CSP violation is one) fails it too. A full-page screenshot of each
page goes to artifacts/accessibility/, and every page's height at each width to
artifacts/accessibility/page-heights.json. At 1280 px the header stays one line;
on the phone the collapsed menu opens and shows each group's pages.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import select

from tests.browser.live import DANISH, DemoBoard
from webapp import demo
from webapp.extensions import db
from webapp.models import Employer, MatchRun, Opening, RunDocuments, User, Youth

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "accessibility"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
FAILING = ("serious", "critical")
HEADER_MAX_PX = 64  # one compact line at 1280 px, logo and all
ACCOUNTS = {role: email for email, role in demo.DEMO_ACCOUNTS}


def _first(query: Any) -> str:
    found = db.session.scalars(query.limit(1)).first()
    assert found is not None, str(query)
    return str(found)


@pytest.fixture(scope="module")
def pages(demo_board: DemoBoard) -> dict[str, dict[str, str]]:
    """Each role's main pages, by name: the lists, one of each detail, the forms."""
    with demo_board.app.app_context():
        youth = _first(select(Youth.public_id).where(Youth.status == "active"))
        employer = _first(select(Employer.public_id).where(Employer.status == "approved"))
        opening = _first(select(Opening.public_id).where(Opening.status == "open"))
        run = _first(select(MatchRun.public_id).order_by(MatchRun.id.desc()))
        solution = db.session.scalars(
            select(RunDocuments.solution)
            .join(MatchRun, MatchRun.id == RunDocuments.run_id)
            .order_by(MatchRun.id.desc())
        )
        unplaced = next(iter(solution)).get("unmatched", [{"youth": "none"}])[0]["youth"]
        staff = db.session.scalars(select(User).where(User.role != "coordinator")).all()
        by_email = {user.email: user for user in staff}
        own = by_email[ACCOUNTS["employer"]]
        own_opening = _first(
            select(Opening.public_id).where(Opening.employer_id == own.employer_id)
        )
        counsellor = by_email[ACCOUNTS["counsellor"]]
        followed = _first(select(Youth.public_id).where(Youth.counsellor_id == counsellor.id))
        db.session.remove()
    return {
        "public": {
            "jobs": "/jobs",
            "job": f"/jobs/{opening}",
            "interest": "/interest",
            "employer-register": "/employers/register",
            "privacy": "/privacy",
            "login": "/login",
        },
        "coordinator": {
            "overview": "/coordinator/",
            "youths": "/coordinator/youths",
            "youth": f"/coordinator/youths/{youth}",
            "youth-edit": f"/coordinator/youths/{youth}/edit",
            "youth-new": "/coordinator/youths/new",
            "registrations": "/coordinator/registrations",
            "employers": "/coordinator/employers",
            "employer": f"/coordinator/employers/{employer}",
            "openings": "/coordinator/openings",
            "opening": f"/coordinator/openings/{opening}",
            "opening-edit": f"/coordinator/openings/{opening}/edit",
            "runs": "/coordinator/runs",
            "run": f"/coordinator/runs/{run}",
            "run-unplaced": f"/coordinator/runs/{run}/unplaced",
            "run-youth": f"/coordinator/runs/{run}/youths/{unplaced}",
            "first-days": "/coordinator/placements",
            "holidays": "/coordinator/holidays",
            "users": "/coordinator/users",
            "invite": "/coordinator/users/invite",
            "onboarding-steps": "/coordinator/onboarding-steps",
            "dashboard": "/coordinator/dashboard",
            "password": "/account/password",
        },
        "employer": {
            "openings": "/employer/",
            "opening": f"/employer/openings/{own_opening}",
            "opening-new": "/employer/openings/new",
            "company": "/employer/company",
        },
        "counsellor": {
            "youths": "/counsellor/",
            "youth": f"/counsellor/youths/{followed}",
        },
    }


class Walker:
    """One role's tab: opens pages, runs axe, keeps what fails."""

    def __init__(self, page: Page, role: str) -> None:
        self.page = page
        self.role = role
        self.findings: list[str] = []
        self.heights: dict[str, int] = {}  # "<page> <viewport>": the page's height in px
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.findings.append(f"console error on {self.page.url}: {message.text}")

    def sign_in(self) -> None:
        if self.role == "public":
            return
        self.page.goto("/login")
        self.page.fill("#email", ACCOUNTS[self.role])
        self.page.fill("#password", demo.DEMO_PASSWORD)
        self.page.locator("main form button").click()
        self.page.wait_for_url(f"**/{self.role}/")

    def check(self, name: str, path: str) -> float:
        """Open `path` once and, at each viewport, save a screenshot and note what axe finds.

        Returns the header's height at 1280 px.
        """
        self.page.set_viewport_size(VIEWPORTS["desktop"])
        response = self.page.goto(path)
        assert response is not None, path
        assert response.ok, (path, response.status)
        self.page.evaluate(AXE_SCRIPT)
        height = self._header_height()
        for viewport, size in VIEWPORTS.items():
            self.page.set_viewport_size(size)
            scroll_height = self.page.evaluate("document.documentElement.scrollHeight")
            self.heights[f"{name} {viewport}"] = int(scroll_height)
            self.page.screenshot(
                path=str(SHOTS / f"{self.role}-{name}-{viewport}.png"), full_page=True
            )
            results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            for violation in results["violations"]:
                if violation["impact"] in FAILING:
                    self.findings.append(_describe(f"{viewport} {path}", violation))
        return height

    def _header_height(self) -> float:
        box = self.page.locator("body > header").bounding_box()
        assert box is not None
        return float(box["height"])


def _describe(where: str, violation: dict[str, Any]) -> str:
    nodes = [
        f"    {' '.join(node['target'])}: {' '.join((node.get('failureSummary') or '').split())}"
        for node in violation["nodes"][:8]
    ]
    return "\n".join(
        [f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}", *nodes]
    )


@pytest.fixture(scope="module")
def walkers(browser: Browser, demo_board: DemoBoard) -> Iterator[dict[str, Walker]]:
    """A signed-in browser context per role (and one for the public), Danish."""
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    contexts = []
    found = {}
    for role in ("public", "coordinator", "employer", "counsellor"):
        context = browser.new_context(base_url=demo_board.url, **DANISH)
        context.set_default_timeout(15_000)
        contexts.append(context)
        walker = Walker(context.new_page(), role)
        walker.sign_in()
        found[role] = walker
    yield found
    for context in contexts:
        context.close()
    # Every page's height at each width, for docs/ (the run page's among them).
    heights = {role: walker.heights for role, walker in found.items()}
    (SHOTS / "page-heights.json").write_text(json.dumps(heights, indent=2, sort_keys=True))


@pytest.mark.parametrize("role", ["public", "coordinator", "employer", "counsellor"])
def test_main_pages_pass_axe(
    role: str, walkers: dict[str, Walker], pages: dict[str, dict[str, str]]
) -> None:
    walker = walkers[role]
    heights = {path: walker.check(name, path) for name, path in pages[role].items()}
    assert walker.findings == [], "\n".join(walker.findings)
    tall = {path: height for path, height in heights.items() if height >= HEADER_MAX_PX}
    assert tall == {}, json.dumps(tall)


def test_phone_menu_opens_each_group(walkers: dict[str, Walker]) -> None:
    """At 390 px the coordinator's menu is one button; it opens, each group opens, a page loads."""
    page = walkers["coordinator"].page
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto("/coordinator/")
    groups = page.locator("#nav .navbar-nav .dropdown-toggle")
    expect(groups.first).to_be_hidden()
    page.get_by_role("button", name="Vis menu").click()
    expect(groups.first).to_be_visible()
    assert groups.count() == 4
    for index in range(groups.count()):
        group = groups.nth(index)
        group.click()
        expect(group).to_have_attribute("aria-expanded", "true")
        expect(group.locator("xpath=following-sibling::ul//a").first).to_be_visible()
    toggle = page.get_by_role("button", name="Unge")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.locator("#nav").get_by_role("link", name="Tilmeldinger", exact=True).click()
    page.wait_for_url("**/coordinator/registrations")
    current = page.locator("#nav [aria-current=page]")
    expect(current).to_have_attribute("href", "/coordinator/registrations")
    assert walkers["coordinator"].findings == []


def test_without_javascript_the_whole_menu_shows(browser: Browser, demo_board: DemoBoard) -> None:
    """With scripts off the menu neither folds nor drops down: each of its pages is shown."""
    context = browser.new_context(
        base_url=demo_board.url, locale="da-DK", java_script_enabled=False
    )
    try:
        walker = Walker(context.new_page(), "coordinator")
        walker.sign_in()
        page = walker.page
        for size in VIEWPORTS.values():
            page.set_viewport_size(size)
            page.goto("/coordinator/")
            links = page.locator("#nav .navbar-nav a")
            assert links.count() == 14  # 2 on the bar, 12 in its four groups
            for index in range(links.count()):
                expect(links.nth(index)).to_be_visible()
            page.screenshot(path=str(SHOTS / f"coordinator-no-javascript-{size['width']}.png"))
        page.locator("#nav").get_by_role("link", name="Skoleferiekalender").click()
        page.wait_for_url("**/coordinator/holidays")
        assert walker.findings == []
    finally:
        context.close()
