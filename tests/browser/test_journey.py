"""The board's story in a real browser: from an employer's opening to the dashboard's count.

Each person has a browser context of their own and signs in through the form,
with CSRF on. Every page visited is saved as a full-page screenshot under
artifacts/screenshots/, and no page may log a console error (a CSP violation
shows up as one).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import OnboardingStepKind, Opening, Youth

from .conftest import LiveBoard, Visitor

pytestmark = pytest.mark.browser

TITLE = "Cykelmekaniker-hjælper"
YOUTH = ("Selma", "Browser")


def _save(page: Page) -> None:
    page.locator("main form button.btn-primary").last.click()


def employer_posts_an_opening(employer: Visitor) -> None:
    page = employer.page
    employer.sign_in()
    employer.shot("openings")
    page.goto("/employer/openings/new")
    page.fill("#title", TITLE)
    page.fill("#description", "Hjælp på værkstedet: lappe slanger og pumpe dæk.")
    page.select_option("#category", "retail")
    page.select_option("#kind", "fritidsjob")
    page.fill("#positions", "1")
    page.fill("#min_age", "13")
    page.check("#light_work")
    page.select_option("#workplace", "shop")
    page.fill("#postcode", "7430")
    page.select_option("#shifts-0-day", "tue")
    page.fill("#shifts-0-start", "15:30")
    page.fill("#shifts-0-end", "17:30")
    page.select_option("#shifts-1-day", "thu")
    page.fill("#shifts-1-start", "15:30")
    page.fill("#shifts-1-end", "17:30")
    employer.shot("new-opening")
    _save(page)
    expect(page.locator("h1")).to_contain_text(TITLE)
    expect(page.locator("main")).to_contain_text("15:30")
    employer.shot("opening-posted")


def coordinator_approves_it(coordinator: Visitor, board: LiveBoard) -> None:
    page = coordinator.page
    coordinator.sign_in()
    expect(page.locator("main")).to_contain_text(TITLE)
    coordinator.shot("overview")
    page.get_by_role("link", name=TITLE).first.click()
    coordinator.shot("opening-pending")
    page.locator("main form button.btn-success").click()
    with board.app.app_context():
        status = db.session.scalar(select(Opening.status).where(Opening.title == TITLE))
    assert status == "open"
    coordinator.shot("opening-approved")


def coordinator_registers_a_youth(coordinator: Visitor, board: LiveBoard) -> str:
    page = coordinator.page
    page.goto("/coordinator/youths/new")
    page.fill("#first_name", YOUTH[0])
    page.fill("#last_name", YOUTH[1])
    page.fill("#birth_date", (dt.date.today() - dt.timedelta(days=14 * 365 + 100)).isoformat())
    page.fill("#email", "selma@browser.example")
    page.fill("#phone", "20 30 40 50")
    page.fill("#postcode", "7430")
    page.fill("#parent_name", "Sara Browser")
    page.fill("#parent_email", "sara@browser.example")
    page.fill("#parent_phone", "30 40 50 60")
    page.select_option("#area_id", label=board.area)
    page.select_option("#counsellor_id", label=board.counsellor)
    page.fill("#max_travel_km", "5")
    page.check("input[name=languages][value=da]")
    page.check("input[name=interests][value=retail]")
    page.select_option("#availability-0-day", "tue")
    page.fill("#availability-0-start", "15:00")
    page.fill("#availability-0-end", "19:00")
    page.select_option("#availability-1-day", "thu")
    page.fill("#availability-1-start", "15:00")
    page.fill("#availability-1-end", "19:00")
    coordinator.shot("new-youth")
    _save(page)
    page.wait_for_url(re.compile(r"/coordinator/youths/[\w-]+$"))
    expect(page.locator("h1")).to_contain_text(" ".join(YOUTH))
    coordinator.shot("youth-registered")
    return page.url.rsplit("/", 1)[-1]


def coordinator_ticks_onboarding(coordinator: Visitor, board: LiveBoard, youth: str) -> int:
    """Tick the steps a fritidsjob needs; the progress bar moves with each."""
    page = coordinator.page
    with board.app.app_context():
        kinds = db.session.scalars(
            select(OnboardingStepKind).where(OnboardingStepKind.for_fritidsjob)
        ).all()
        kind_ids = [k.id for k in kinds]
    bar = page.get_by_role("progressbar")
    before = int(bar.get_attribute("aria-valuenow") or "0")
    for kind_id in kind_ids:
        form = page.locator(f"form[action$='/youths/{youth}/steps/{kind_id}']")
        form.locator("select").select_option("done")
        form.locator("input[name$='-note']").fill("Sammen med mor")
        form.locator("button").click()
        page.wait_for_load_state()
        now = int(page.get_by_role("progressbar").get_attribute("aria-valuenow") or "0")
        assert now > before, (kind_id, before, now)
        before = now
    coordinator.shot("onboarding-ticked")
    return len(kind_ids)


def coordinator_places_by_hand(coordinator: Visitor, board: LiveBoard) -> None:
    page = coordinator.page
    with board.app.app_context():
        opening = db.session.scalar(select(Opening.public_id).where(Opening.title == TITLE))
    place = page.locator("details:has(form[action$='/placements'])")
    place.locator("summary").click()
    place.locator("select").select_option(opening)
    place.locator("input[type=date]").fill(dt.date.today().isoformat())
    coordinator.shot("place-by-hand")
    place.locator("button").click()
    expect(page.locator("main")).to_contain_text(TITLE)
    coordinator.shot("youth-placed")


def counsellor_follows_the_timeline(counsellor: Visitor, youth: str) -> None:
    page = counsellor.page
    counsellor.sign_in()
    expect(page.locator("main")).to_contain_text(YOUTH[0])
    counsellor.shot("my-youths")
    page.goto(f"/counsellor/youths/{youth}")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("MitID")
    expect(timeline).to_contain_text(TITLE)
    counsellor.shot("youth-timeline")


def dashboard_counts_it(coordinator: Visitor, steps: int) -> None:
    page = coordinator.page
    page.get_by_role("link", name="Nøgletal").click()
    cards = page.locator("#figures")
    expect(cards.locator("[data-figure=registered] .figure-value")).to_have_text("1")
    expect(cards.locator("[data-figure=placed_fritidsjob] .figure-value")).to_have_text("1")
    expect(cards.locator("[data-figure=steps_done] .figure-value")).to_have_text(str(steps))
    expect(cards.locator("[data-figure=open_positions] .figure-value")).to_have_text("0")
    expect(cards.locator("[data-figure=median_days_to_first_job] .figure-value")).to_have_text("0")
    for chart in page.locator("main img").all():
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    coordinator.shot("dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent CSV").click()
    assert download.value.suggested_filename.startswith("jobmatch-")


def test_from_opening_to_dashboard(visitors: dict[str, Visitor], live_board: LiveBoard) -> None:
    employer, coordinator, counsellor = (
        visitors["employer"],
        visitors["coordinator"],
        visitors["counsellor"],
    )
    employer_posts_an_opening(employer)
    coordinator_approves_it(coordinator, live_board)
    youth = coordinator_registers_a_youth(coordinator, live_board)
    steps = coordinator_ticks_onboarding(coordinator, live_board, youth)
    coordinator_places_by_hand(coordinator, live_board)
    counsellor_follows_the_timeline(counsellor, youth)
    dashboard_counts_it(coordinator, steps)
    with live_board.app.app_context():
        assert db.session.scalar(select(Youth.first_name).where(Youth.public_id == youth))
    problems = [p for v in visitors.values() for p in v.problems]
    assert problems == []
