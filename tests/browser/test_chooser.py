"""The profile's searchable choosers in a real browser, on a phone: the keyboard alone finds
a friend and saves it, the opening search shows radios, axe finds nothing serious, and the
script breaks no rule of the CSP (a console error fails the test)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import select

from tests.browser.live import DANISH, DemoBoard
from webapp import demo
from webapp.extensions import db
from webapp.models import Opening, Youth

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def coordinator(browser: Browser, demo_board: DemoBoard) -> Iterator[tuple[Page, list[str]]]:
    """The demo coordinator signed in on a phone-sized tab; the console errors it meets."""
    context = browser.new_context(base_url=demo_board.url, viewport=PHONE, **DANISH)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", record)
    page.goto("/login")
    page.fill("#email", demo.DEMO_ACCOUNTS[0][0])
    page.fill("#password", demo.DEMO_PASSWORD)
    page.locator("main form button").click()
    page.wait_for_url("**/coordinator/")
    yield page, errors
    context.close()


def test_a_friend_is_found_and_saved_with_the_keyboard(
    coordinator: tuple[Page, list[str]], demo_board: DemoBoard
) -> None:
    page, errors = coordinator
    with demo_board.app.app_context():
        youths = db.session.scalars(
            select(Youth).where(Youth.status == "active").order_by(Youth.id).limit(40)
        ).all()
        youth = youths[0]
        friend = next(y for y in youths[1:] if y not in youth.buddies)
        target, name = youth.public_id, f"{friend.first_name} {friend.last_name}"
        opening = db.session.scalars(select(Opening).where(Opening.status == "open")).first()
        assert opening is not None
        title = opening.title
        db.session.remove()
    page.goto(f"/coordinator/youths/{target}")
    page.locator("summary", has_text="Skift venner").click()
    search = page.get_by_label("Find en ung ved navn")
    search.press_sequentially(friend.first_name, delay=20)
    status = page.locator("#friend-q-status")
    expect(status).to_contain_text("fundet")
    box = page.get_by_role("checkbox", name=re.compile(re.escape(name)))
    expect(box).not_to_be_checked()
    search.press("Enter")  # searches again; never sends the form
    assert page.url.endswith(f"/coordinator/youths/{target}")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.evaluate(AXE_SCRIPT)
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.get_by_role("button", name="Gem venner").click()
    expect(page.locator(".alert-success")).to_contain_text("Vennerne er gemt")
    expect(page.get_by_role("link", name=name)).to_be_visible()

    page.locator("summary", has_text="Placér i et job").click()
    page.get_by_label("Find et job ved titel, arbejdsgiver eller by").fill(title[:6])
    expect(page.locator("#opening-q-status")).to_contain_text("fundet")
    expect(page.get_by_role("radio", name=re.compile(re.escape(title))).first).to_be_visible()
    assert errors == []
