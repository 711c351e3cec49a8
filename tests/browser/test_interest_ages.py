"""The public interest form's live hint in a real browser: which chosen job the age rules out.

The script (`webapp/static/interest-ages.js`, allowed by the CSP as a file of
the board's own) reads each job's ages from its checkbox and says, as the
birth date, the age or the ticks change, what the server would refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import select

from tests.browser.live import DANISH, LiveBoard
from tests.factories import OpeningFactory, years_ago
from webapp.extensions import db
from webapp.models import Employer, Opening

pytestmark = pytest.mark.browser

EVENING = "Varepåfyldning om aftenen"


@pytest.fixture
def evening_job(live_board: LiveBoard) -> Iterator[str]:
    """A 15+ opening on the board for this test only (closed after it, out of other journeys)."""
    with live_board.app.app_context():
        employer = db.session.scalar(select(Employer).where(Employer.name == live_board.employer))
        opening = OpeningFactory(employer=employer, title=EVENING, min_age=15, light_work=False)
        db.session.commit()
        public_id = opening.public_id
    yield public_id
    with live_board.app.app_context():
        found = db.session.scalar(select(Opening).where(Opening.public_id == public_id))
        assert found is not None
        found.status = "closed"
        db.session.commit()


@pytest.fixture
def youth_page(browser: Browser, live_board: LiveBoard) -> Iterator[tuple[Page, list[str]]]:
    """An anonymous visitor's tab, and the console errors it logs (a CSP violation is one)."""
    context = browser.new_context(base_url=live_board.url, **DANISH)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", record)
    yield page, problems
    context.close()


def test_the_hint_follows_the_birth_date_the_age_and_the_ticks(
    evening_job: str, youth_page: tuple[Page, list[str]]
) -> None:
    page, problems = youth_page
    page.goto(f"/jobs/{evening_job}/interest")
    hint = page.locator("#jobs-age-hint")
    job = page.locator(f'input[name="jobs"][value="{evening_job}"]')
    expect(job).to_be_checked()
    expect(hint).to_have_text("")

    page.fill("#birth_date", (years_ago(13) - dt.timedelta(days=10)).isoformat())
    expect(hint).to_have_text(f"Du er 13 år: '{EVENING}' kræver, at du er fyldt 15.")
    expect(job).to_have_class("form-check-input is-invalid")

    page.fill("#birth_date", years_ago(15).isoformat())  # the birthday itself counts
    expect(hint).to_have_text("")

    page.fill("#birth_date", "")
    page.fill("#age", "14")
    expect(hint).to_have_text(f"Du er 14 år: '{EVENING}' kræver, at du er fyldt 15.")

    job.uncheck()
    expect(hint).to_have_text("")
    job.check()
    expect(hint).to_contain_text("Du er 14 år")
    assert problems == []


def test_the_servers_refusal_stands_until_the_youth_changes_something(
    evening_job: str, youth_page: tuple[Page, list[str]]
) -> None:
    page, problems = youth_page
    page.goto(f"/jobs/{evening_job}/interest")
    page.fill("#first_name", "Lille")
    page.fill("#age", "13")
    page.fill("#email", "lille@browser.example")
    page.fill("#parent_name", "Mor")
    page.fill("#parent_phone", "55555555")
    page.check("#consent")
    page.locator("main form button.btn-success").click()
    error = page.locator("#jobs-error")
    expect(error).to_have_text(f"Du er 13 år: '{EVENING}' kræver, at du er fyldt 15.")
    # The answer's deferred script listens from its document's load on; a tick before that
    # would change nothing (seen on a busy CI machine).
    page.wait_for_load_state("load")
    expect(page.locator("#jobs-age-hint")).to_have_text("")  # said once, not twice
    page.locator(f'input[name="jobs"][value="{evening_job}"]').uncheck()
    expect(error).to_have_count(0)
    page.locator("main form button.btn-success").click()
    expect(page.locator("main")).to_contain_text("Tak")
    # The refused form's answer is a 422, which Chromium logs; nothing else may be.
    assert [p for p in problems if "status of 422" not in p] == []
