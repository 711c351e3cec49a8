"""The public pages in Arabic (right to left) and Somali in Chromium, on a phone and a desktop.

For `/jobs`, the interest form and a parent's consent page: the page says its
language and direction, nothing runs off the side (no horizontal scrolling, every
visible element inside the viewport, unless it is inside a box that scrolls on
its own), Arabic is mirrored (the brand on the right, the text aligned right),
and the page shows translated text. A full-page screenshot of each is saved
under artifacts/languages/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import select

from tests.browser.live import LiveBoard
from tests.factories import OpeningFactory, PlacementFactory, YouthFactory
from webapp.extensions import db
from webapp.models import Employer, OutboxMessage, User
from webapp.services import consent

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "languages"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# A word of each page in the language, to tell a translated page from a Danish one.
WORDS = {
    "ar": {"jobs": "أعمال في وقت الفراغ للشباب", "interest": "أنا مهتم", "consent": "أوافق"},
    "so": {
        "jobs": "Shaqooyin waqtiga firaaqada ee dhallinyarada",
        "interest": "Waan xiiseynayaa",
        "consent": "Waan oggolahay",
    },
}
# Every visible element that is not inside a box of its own that scrolls or clips, and
# lies (even partly) left or right of the viewport; and how wide the document is.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const outside = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .visually-hidden-focusable, .collapse:not(.show)')) continue;
    if (el.closest('.dropdown-menu:not(.show)')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || clipped(el)) continue;
    if (box.left < -1 || box.right > width + 1) {
      const where = `${Math.round(box.left)}..${Math.round(box.right)}`;
      outside.push(`${el.tagName.toLowerCase()}.${el.className}: ${where}`);
    }
  }
  return {width, scroll: document.documentElement.scrollWidth, outside: outside.slice(0, 10)};
}"""


@pytest.fixture(scope="module")
def consent_links(live_board: LiveBoard) -> dict[str, str]:
    """A consent link for a parent who reads Arabic and one who reads Somali (paths)."""
    links = {}
    with live_board.app.app_context(), live_board.app.test_request_context():
        employer = db.session.scalar(select(Employer).where(Employer.name == live_board.employer))
        coordinator = db.session.scalar(select(User).where(User.role == "coordinator"))
        assert employer is not None
        assert coordinator is not None
        for code in WORDS:
            opening = OpeningFactory(employer=employer, title=f"Cykelværksted {code}")
            youth = YouthFactory(first_name=f"Sprog{code}", age=14, parent_language=code)
            placement = PlacementFactory(youth=youth, opening=opening)
            db.session.commit()
            consent.send_request(coordinator, placement)
            body = db.session.scalars(
                select(OutboxMessage.body_text).where(
                    OutboxMessage.recipient == youth.parent_email,
                    OutboxMessage.template == "consent_request",
                )
            ).one()
            found = re.search(r"https?://[^/\s]+(/consent/\S+)", body)
            assert found is not None, body
            links[code] = found.group(1)
    return links


@pytest.fixture
def tab(browser: Browser, live_board: LiveBoard) -> Iterator[Any]:
    """Open a tab in a language and viewport; the console errors of every tab opened."""
    contexts = []
    problems: list[str] = []

    def open_tab(code: str, viewport: str) -> Page:
        context = browser.new_context(
            base_url=live_board.url,
            locale="da-DK",
            timezone_id="Europe/Copenhagen",
            viewport=VIEWPORTS[viewport],
        )
        context.set_default_timeout(10_000)
        context.add_cookies([{"name": "lang", "value": code, "url": live_board.url}])
        contexts.append(context)
        page = context.new_page()

        def record(message: ConsoleMessage) -> None:
            # A refused form comes back as 422 on purpose: Chromium logs that as an error.
            if message.type == "error" and "status of 422" not in message.text:
                problems.append(f"{page.url}: {message.text}")

        page.on("console", record)
        return page

    open_tab.problems = problems  # type: ignore[attr-defined]
    yield open_tab
    for context in contexts:
        context.close()
    assert problems == []


def _check(page: Page, code: str, word: str, name: str) -> None:
    """The page's language, direction, words and layout; saves its screenshot."""
    html = page.locator("html")
    assert html.get_attribute("lang") == code
    direction = "rtl" if code == "ar" else "ltr"
    assert html.get_attribute("dir") == direction
    assert word in page.locator("main").inner_text()
    layout = page.evaluate(LAYOUT)
    assert layout["scroll"] <= layout["width"], (name, layout)
    assert layout["outside"] == [], (name, layout)
    body_align = page.evaluate("getComputedStyle(document.querySelector('main')).textAlign")
    assert body_align in (("start", "right") if code == "ar" else ("start", "left")), body_align
    brand = page.locator(".board-brand").bounding_box()
    assert brand is not None
    middle = layout["width"] / 2
    assert (brand["x"] > middle) if code == "ar" else (brand["x"] < middle), (name, brand)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("code", list(WORDS))
def test_public_pages_in_arabic_and_somali_keep_their_layout(
    tab: Any, live_board: LiveBoard, consent_links: dict[str, str], code: str, viewport: str
) -> None:
    page = tab(code, viewport)
    page.goto("/jobs")
    _check(page, code, WORDS[code]["jobs"], f"jobs-{code}-{viewport}")

    page.goto("/interest")
    _check(page, code, WORDS[code]["interest"], f"interest-{code}-{viewport}")
    # Sent empty: the errors beside the fields must fit too.
    page.locator("main form button.btn-success").click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() > 0
    _check(page, code, WORDS[code]["interest"], f"interest-errors-{code}-{viewport}")

    page.goto(consent_links[code])
    _check(page, code, WORDS[code]["consent"], f"consent-{code}-{viewport}")


def test_the_language_picker_switches_a_visitor_to_arabic(tab: Any) -> None:
    page = tab("da", "phone")
    page.goto("/jobs")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.locator(".navbar-toggler").click()
    page.locator(".board-tools .dropdown-toggle").click()
    # The picker posts and comes back to /jobs, the URL it left: wait for the new page
    # itself, not the URL (already matched before the answer arrives).
    with page.expect_navigation(url="**/jobs"):
        page.locator('button[name="lang"][value="ar"]').click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.locator("html").get_attribute("lang") == "ar"
    _check(page, "ar", WORDS["ar"]["jobs"], "jobs-ar-after-picker")
