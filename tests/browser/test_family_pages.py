"""A parent's consent page and a youth's own page in Chromium on a phone, in Danish and Arabic.

The demo world is served for real (its own database, `demo_board`). A coordinator sends
the consent link; the parent opens it from the email on a phone, reads the job and the
rules and taps "I consent". A youth with a proposal signs in with the code from the
email, taps "Yes", and sees the first day and what is missing. Each page is checked for
its language and direction, for nothing running off the side of a 390 px screen, and
for console errors (a CSP violation is one); a screenshot of each is saved under
artifacts/family/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import select

from tests.browser.live import DemoBoard
from tests.factories import OpeningFactory, PlacementFactory, YouthFactory, next_weekday
from webapp.demo import DEMO_ACCOUNTS
from webapp.extensions import db
from webapp.models import OutboxMessage, Proposal, ProposalStatus, User, Youth
from webapp.services import consent, proposals
from webapp.services.errors import InvalidStateError

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "family"
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://[^\s\"<>]+(/consent/[^\s\"<>]+)")
CODE = re.compile(r"\b([0-9]{6})\b")
# How far the page reaches beyond the screen's width, in px (0: nothing to scroll sideways).
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def phone(browser: Browser, demo_board: DemoBoard) -> Iterator[tuple[Page, list[str]]]:
    """A phone's browser in Denmark on the demo board, and the console errors it sees."""
    context = browser.new_context(
        base_url=demo_board.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", record)
    yield page, errors
    context.close()


def _check(page: Page, name: str, *, language: str, direction: str) -> None:
    """The page says its language and direction, fits the phone, and is saved as a picture."""
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == direction
    assert page.evaluate(OVERFLOW) <= 0, f"{name} runs off the side of a phone"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _newest(board: DemoBoard, template: str, recipient: str) -> str:
    with board.app.app_context():
        body = db.session.scalars(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.template == template, OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id.desc())
        ).first()
        db.session.remove()
    assert body is not None, f"no {template} to {recipient}"
    return body


def _consent_link(board: DemoBoard, *, first_name: str, parent_language: str) -> str:
    """A youth of 15 in a job, and the path of the link the coordinator sends the parent."""
    parent = f"forælder-{first_name.lower()}@family.example"
    with board.app.test_request_context():
        youth = YouthFactory(
            first_name=first_name,
            parent_email=parent,
            parent_language=parent_language,
            phone="",
        )
        opening = OpeningFactory(
            title="Hjælper i cykelværkstedet",
            description="Pumper dæk, rydder op og hjælper kunderne.",
            workplace="shop",
        )
        placement = PlacementFactory(youth=youth, opening=opening, start_date=next_weekday())
        db.session.commit()
        coordinator = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0][0]))
        assert coordinator is not None
        consent.send_request(coordinator, placement)
        db.session.remove()
    found = LINK.search(_newest(board, "consent_request", parent))
    assert found is not None
    return found.group(1)


def test_a_parent_consents_on_a_phone_in_danish(
    demo_board: DemoBoard, phone: tuple[Page, list[str]]
) -> None:
    page, errors = phone
    page.goto(_consent_link(demo_board, first_name="Sana", parent_language="da"))
    assert page.locator("h1").inner_text() == "Sana kan få et job"
    assert page.get_by_text("Hjælper i cykelværkstedet").is_visible()
    assert page.get_by_text("Pumper dæk").is_visible()
    assert page.get_by_text("Loven beskytter dit barn").is_visible()
    assert page.get_by_text("12 kg").is_visible()
    _check(page, "consent-da", language="da", direction="ltr")
    page.get_by_label("En besked til koordinatoren (hvis du vil)").fill("Hun glæder sig")
    page.get_by_role("button", name="Jeg giver samtykke").tap()
    expect(page.locator("h1")).to_have_text("Tak")
    _check(page, "consent-da-answered", language="da", direction="ltr")
    assert errors == []


def test_a_parent_reads_the_consent_page_in_arabic(
    demo_board: DemoBoard, phone: tuple[Page, list[str]]
) -> None:
    page, errors = phone
    page.goto(_consent_link(demo_board, first_name="Layla", parent_language="ar"))
    _check(page, "consent-ar", language="ar", direction="rtl")
    buttons = page.locator("main form button")
    assert buttons.count() == 2
    for n in range(2):
        box = buttons.nth(n).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    buttons.first.tap()
    expect(page.locator("main form button")).to_have_count(0)
    _check(page, "consent-ar-answered", language="ar", direction="rtl")
    assert errors == []


def _youth_with_proposal(board: DemoBoard, *, language: str) -> tuple[str, str]:
    """A demo youth whose proposal the coordinator sent; (their email, the job's title)."""
    with board.app.test_request_context():
        coordinator = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0][0]))
        assert coordinator is not None
        for proposal in db.session.scalars(
            select(Proposal).where(Proposal.status == ProposalStatus.PROPOSED)
        ):
            try:
                proposals.confirm(coordinator, proposal)
            except InvalidStateError:  # a demo pair the rules refuse today: try the next
                continue
            youth = db.session.get(Youth, proposal.youth_id)
            assert youth is not None
            youth.email = f"ung-{youth.id}@family.example"
            youth.language = language
            title = proposal.opening.title
            email = youth.email
            db.session.commit()
            db.session.remove()
            return email, title
    raise AssertionError("no proposal of the demo run could be sent")


def _sign_in(page: Page, board: DemoBoard, email: str) -> None:
    page.goto("/me")
    page.get_by_role("textbox").fill(email)
    page.locator("main form button").tap()
    page.wait_for_url("**/me/code")
    code = CODE.search(_newest(board, "youth_code", email))
    assert code is not None
    page.get_by_role("textbox").fill(code.group(1))
    page.locator("main form button").tap()
    page.wait_for_url("**/me")


def test_a_youth_signs_in_on_a_phone_and_says_yes_in_danish(
    demo_board: DemoBoard, phone: tuple[Page, list[str]]
) -> None:
    page, errors = phone
    email, title = _youth_with_proposal(demo_board, language="da")
    _sign_in(page, demo_board, email)
    assert page.locator("h1").inner_text().startswith("Hej ")
    assert page.get_by_text(title).first.is_visible()
    _check(page, "me-da", language="da", direction="ltr")
    page.get_by_role("button", name="Ja").first.tap()
    expect(page.get_by_text("Tak. Vi giver koordinatoren besked.")).to_be_visible()
    expect(page.get_by_text("Du sagde ja")).to_be_visible()
    page.get_by_role("link", name="Ret e-mail eller telefon").tap()
    page.wait_for_url("**/me/contact")
    _check(page, "me-contact-da", language="da", direction="ltr")
    page.goto("/me/availability")
    _check(page, "me-availability-da", language="da", direction="ltr")
    assert errors == []


def test_a_youths_page_in_arabic_is_mirrored_and_fits_a_phone(
    demo_board: DemoBoard, phone: tuple[Page, list[str]]
) -> None:
    page, errors = phone
    email, _title = _youth_with_proposal(demo_board, language="ar")
    _sign_in(page, demo_board, email)
    _check(page, "me-ar", language="ar", direction="rtl")
    phone = page.locator("main span[dir=ltr]").filter(has_text=re.compile(r"^\+\d+$"))
    assert phone.evaluate("el => getComputedStyle(el).direction") == "ltr"  # not "4520...+"
    page.get_by_role("link", name="غيّر أوقات عملي").tap()
    page.wait_for_url("**/me/availability")
    _check(page, "me-availability-ar", language="ar", direction="rtl")
    for row in range(page.locator("main select").count()):  # empty every row: no times left
        page.locator(f"#availability-{row}-day").select_option("")
        page.locator(f"#availability-{row}-start").fill("")
        page.locator(f"#availability-{row}-end").fill("")
    page.locator("#availability-0-day").select_option("sun")
    page.locator("#availability-0-start").fill("6")
    page.locator("#availability-0-end").fill("0700")
    page.locator("main form button").tap()
    page.wait_for_url("**/me")
    expect(page.get_by_text("06:00–07:00")).to_be_visible()
    assert errors == []
