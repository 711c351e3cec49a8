"""What the browser fixtures hand a test: the live board and one visitor per person."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page

from tests.factories import PASSWORD
from tests.smtp_sink import Sink

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
# A visitor in Denmark: Danish pages, and Copenhagen's date for the pages' scripts, as the
# board's day is (between 23:00 and 01:00 UTC a browser on UTC would be a day behind it).
DANISH = {"locale": "da-DK", "timezone_id": "Europe/Copenhagen"}
USERS = {
    "coordinator": "koordinator@browser.example",
    "employer": "arbejdsgiver@browser.example",
    "counsellor": "vejleder@browser.example",
}


@dataclass
class LiveBoard:
    """The running board: its URL, its application (to read rows), its mail server, its seed."""

    url: str
    app: Flask
    mail: Sink
    area: str = "Stadion Allé"
    employer: str = "Ikast Cykler"
    counsellor: str = "Vera Vejleder"


@dataclass
class DemoBoard:
    """The demo world served for real: its URL and its application (to read rows)."""

    url: str
    app: Flask


@dataclass
class Visitor:
    """One person's browser tab, saving a full-page screenshot of each page it shows."""

    page: Page
    role: str
    shots: list[Path]
    problems: list[str] = field(default_factory=list)

    def shot(self, name: str) -> None:
        """Save the page as artifacts/screenshots/NN-role-name.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{len(self.shots) + 1:02d}-{self.role}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)

    def sign_in(self) -> None:
        """Sign in through the login form (CSRF token and all)."""
        self.page.goto("/login")
        self.page.fill("#email", USERS[self.role])
        self.page.fill("#password", PASSWORD)
        self.shot("sign-in")
        self.page.locator("main form button").click()
        self.page.wait_for_url(f"**/{self.role}/")
