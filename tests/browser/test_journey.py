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
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from tests.browser.live import USERS, LiveBoard, Visitor
from tests.factories import AreaFactory
from webapp.extensions import db
from webapp.models import OnboardingStepKind, Opening, OutboxMessage
from webapp.ui import board_day

pytestmark = pytest.mark.browser

TITLE = "Cykelmekaniker-hjælper"
# The journey's own housing area: other test files on the same board register youths in the
# board's area, so the dashboard, filtered to this one, counts the journey's youths only.
AREA = "Fasanvænget"
YOUTH = ("Selma", "Browser")
# The employer's contact, the youth and the parent the journey registers.
JOURNEY_ADDRESSES = (
    "cykler@browser.example",
    "selma@browser.example",
    "foraelder-selma@browser.example",
)
# Free on Mondays only: no opening has a Monday shift, so the run explains why not.
UNPLACED = ("Omar", "Mandag")
TOMORROW = board_day.today() + dt.timedelta(days=1)
# The first day: a shift day (the opening works Tuesdays and Thursdays), and a Thursday so
# that the day before, when the reminders go, is never the Monday of the weekly digest.
FIRST_DAY = TOMORROW + dt.timedelta(days=(3 - TOMORROW.weekday()) % 7)


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
    for row, day in enumerate(("tue", "thu")):
        page.select_option(f"#shifts-{row}-day", day)
        page.fill(f"#shifts-{row}-start", "15:30")
        page.fill(f"#shifts-{row}-end", "17:30")
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


def coordinator_registers_a_youth(
    coordinator: Visitor,
    board: LiveBoard,
    name: tuple[str, str] = YOUTH,
    days: tuple[str, ...] = ("tue", "thu"),
) -> str:
    page = coordinator.page
    first = name[0].lower()
    page.goto("/coordinator/youths/new")
    page.fill("#first_name", name[0])
    page.fill("#last_name", name[1])
    page.fill("#birth_date", (board_day.today() - dt.timedelta(days=14 * 365 + 100)).isoformat())
    page.fill("#email", f"{first}@browser.example")
    page.fill("#phone", "20 30 40 50")
    page.fill("#postcode", "7430")
    page.fill("#parent_name", f"Forælder til {name[0]}")
    page.fill("#parent_email", f"foraelder-{first}@browser.example")
    page.fill("#parent_phone", "30 40 50 60")
    page.select_option("#area_id", label=AREA)
    page.select_option("#counsellor_id", label=board.counsellor)
    page.fill("#max_travel_km", "5")
    page.check("input[name=languages][value=da]")
    page.check("input[name=interests][value=retail]")
    for row, day in enumerate(days):
        page.select_option(f"#availability-{row}-day", day)
        page.fill(f"#availability-{row}-start", "15:00")
        page.fill(f"#availability-{row}-end", "19:00")
    coordinator.shot(f"new-youth-{first}")
    _save(page)
    page.wait_for_url(re.compile(r"/coordinator/youths/[\w-]+$"))
    expect(page.locator("h1")).to_contain_text(" ".join(name))
    coordinator.shot(f"youth-registered-{first}")
    return page.url.rsplit("/", 1)[-1]


def coordinator_ticks_onboarding(coordinator: Visitor, board: LiveBoard, youth: str) -> int:
    """Tick the steps a fritidsjob needs in the one checklist form; the progress bar moves."""
    page = coordinator.page
    with board.app.app_context():
        kinds = db.session.scalars(
            select(OnboardingStepKind).where(OnboardingStepKind.for_fritidsjob)
        ).all()
        kind_ids = [k.id for k in kinds]
    assert kind_ids, "no onboarding steps for a fritidsjob"
    before = int(page.get_by_role("progressbar").get_attribute("aria-valuenow") or "0")
    form = page.locator(f"form[action$='/youths/{youth}/steps']")
    for kind_id in kind_ids:
        form.locator(f"#step{kind_id}-status").select_option("done")
        form.locator(f"#step{kind_id}-note").fill("Sammen med mor")
    form.get_by_role("button", name="Gem trin").click()
    page.wait_for_load_state()
    now = int(page.get_by_role("progressbar").get_attribute("aria-valuenow") or "0")
    assert now > before, (before, now)
    coordinator.shot("onboarding-ticked")
    return len(kind_ids)


def coordinator_runs_a_match(coordinator: Visitor) -> None:
    """Start a run for tomorrow and wait for its result (the page refreshes itself)."""
    page = coordinator.page
    page.get_by_role("button", name="Matchning", exact=True).click()
    page.get_by_role("link", name="Kørsler", exact=True).click()
    page.fill("#start_date", TOMORROW.isoformat())
    page.fill("#time_limit_s", "10")
    coordinator.shot("new-run")
    page.locator("main form button.btn-primary").click()
    page.wait_for_url(re.compile(r"/coordinator/runs/[\w-]+$"))
    expect(page.locator("#proposals")).to_be_visible(timeout=60_000)
    proposal = page.locator("tr", has_text=" ".join(YOUTH))
    expect(proposal).to_contain_text(TITLE)
    coordinator.shot("run-result")


def coordinator_reads_an_explanation(coordinator: Visitor) -> None:
    """The youth free on Mondays only is not placed, with reasons and what would help."""
    page = coordinator.page
    card = page.locator(".unplaced", has_text=" ".join(UNPLACED))
    expect(card).to_contain_text("uden for den unges tider (Mandag 15:00-19:00)")
    card.locator("summary").click()  # the details behind the youth's one line
    card.get_by_role("link", name="Hvad ville give den unge et job?").click()
    # Worked out in the background: the youth's page updates by itself until it is there.
    page.get_by_role("button", name="Find ud af, hvad der ville give den unge et job").click()
    answer = f"Ville få job hos {LiveBoard.employer} ({TITLE}), hvis den unge kunne Tirsdag"
    expect(page.locator("#what-would")).to_contain_text(f"{answer} 15:30-17:30", timeout=60_000)
    page.get_by_role("link", name="Tilbage til kørslen").click()
    coordinator.shot("run-explanation")


def coordinator_confirms(coordinator: Visitor, board: LiveBoard) -> None:
    page = coordinator.page
    row = page.locator("tr", has_text=" ".join(YOUTH))
    row.get_by_role("button", name="Bekræft og send til arbejdsgiveren").click()
    expect(page.locator(".alert-success")).to_be_visible()
    coordinator.shot("proposal-confirmed")
    # The employer's two addresses get the proposal (and whatever else is due is sent too,
    # e.g. a youth's SMS queued earlier in the module): nothing is retried or fails.
    assert _send_outbox(board).endswith(" sent, 0 to retry, 0 failed, 0 recovered.")
    assert sorted(_outbox(board)["proposal_to_employer"]) == [
        ("arbejdsgiver@browser.example", "sent"),
        ("cykler@browser.example", "sent"),
    ]
    proposed = "Der er foreslået en kandidat til jeres job"
    assert board.mail.subjects_to("cykler@browser.example") == [proposed]  # the contact
    assert board.mail.subjects_to(USERS["employer"]) == [proposed]  # and the staff


def employer_accepts(employer: Visitor) -> None:
    page = employer.page
    page.goto("/employer/")
    employer.shot("proposals")
    page.locator("a[href*='/employer/proposals/']").first.click()
    expect(page.locator("main")).to_contain_text(YOUTH[0])
    expect(page.locator("main")).not_to_contain_text(YOUTH[1])  # no surname for employers
    page.locator("form[action$='/accept'] input[type=date]").fill(FIRST_DAY.isoformat())
    employer.shot("proposal")
    page.locator("form[action$='/accept'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    employer.shot("proposal-accepted")


def the_mail_arrives(board: LiveBoard) -> None:
    """The day before the first day: `flask queue-reminders`, then `flask send-outbox`.

    The confirmation of the placement (to the youth, a parent and the
    counsellor) and the two first-day reminders reach the SMTP server.
    """
    the_day_before = (FIRST_DAY - dt.timedelta(days=1)).isoformat()
    queued = board.app.test_cli_runner().invoke(args=["queue-reminders", "--date", the_day_before])
    assert queued.exit_code == 0, queued.output
    assert "Queued 2 first-day reminders" in queued.output  # the youth and a parent
    # The journey's five (and whatever other tests on this board left due): none retried or failed.
    assert _send_outbox(board).endswith(" sent, 0 to retry, 0 failed, 0 recovered.")
    messages = _outbox(board)
    assert messages["first_day_youth"] == [("selma@browser.example", "sent")]
    assert messages["first_day_parent"] == [("foraelder-selma@browser.example", "sent")]
    mail = board.mail
    assert mail.subjects_to("selma@browser.example") == [
        "Dit job er bekræftet",
        "Din første arbejdsdag er i morgen",
    ]
    assert mail.subjects_to("foraelder-selma@browser.example") == [
        "Et job på jobportalen er bekræftet",
        "Den første arbejdsdag er i morgen",
    ]
    assert mail.subjects_to(USERS["counsellor"]) == ["En ung, du følger, har fået job"]
    journey = [m for rcpts, m in mail.received if any(_of_the_journey(r) for r in rcpts)]
    assert len(journey) == 7  # and nothing else to anyone of the journey


def _of_the_journey(address: str) -> bool:
    """Whether `address` is one of this journey's people (other tests share the mail server)."""
    return address in {*USERS.values(), *JOURNEY_ADDRESSES}


def _send_outbox(board: LiveBoard) -> str:
    """Run `flask send-outbox` once; its summary line."""
    sent = board.app.test_cli_runner().invoke(args=["send-outbox"])
    assert sent.exit_code == 0, sent.output
    return sent.output.strip()


def _outbox(board: LiveBoard) -> dict[str, list[tuple[str, str]]]:
    """Recipients and status of the outbox's messages, by template."""
    with board.app.app_context():
        rows = db.session.execute(
            select(OutboxMessage.template, OutboxMessage.recipient, OutboxMessage.status).order_by(
                OutboxMessage.id
            )
        ).all()
        db.session.remove()
    found: dict[str, list[tuple[str, str]]] = {}
    for template, recipient, status in rows:
        found.setdefault(template, []).append((recipient, status))
    return found


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
    """Two youths registered, one placed from the next Thursday, from registration to job."""
    page = coordinator.page
    page.get_by_role("link", name="Nøgletal").click()
    page.fill("#to", FIRST_DAY.isoformat())
    page.select_option("#area", label=AREA)
    page.get_by_role("button", name="Vis", exact=True).click()
    cards = page.locator("#figures")

    def figure(key: str) -> Locator:
        return cards.locator(f"[data-figure={key}] .figure-value")

    expect(figure("registered")).to_have_text("2")
    expect(figure("placed_fritidsjob")).to_have_text("1")
    expect(figure("placed_lommepengejob")).to_have_text("0")
    expect(figure("steps_done")).to_have_text(str(steps))
    expect(figure("open_positions")).to_have_text("0")
    days = (FIRST_DAY - board_day.today()).days  # registered today, first day on FIRST_DAY
    expect(figure("median_days_to_first_job")).to_have_text(str(days))
    charts = page.locator("main img").all()
    assert len(charts) == 3  # placed per month, free positions per area, steps done by kind
    for chart in charts:
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    coordinator.shot("dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent CSV").click()
    assert download.value.suggested_filename == (
        f"jobmatch-{TOMORROW.year}-01-01-{FIRST_DAY.isoformat()}.csv"
    )


@pytest.fixture
def journey_area(live_board: LiveBoard) -> None:
    """The journey's housing area on the shared board (kept: the board lives for the session)."""
    with live_board.app.app_context():
        AreaFactory(name=AREA, department="afd. 14", lat=56.1352, lon=9.1561)
        db.session.commit()


@pytest.mark.usefixtures("journey_area")
def test_from_opening_to_dashboard(visitors: dict[str, Visitor], live_board: LiveBoard) -> None:
    employer, coordinator, counsellor = (
        visitors["employer"],
        visitors["coordinator"],
        visitors["counsellor"],
    )
    employer_posts_an_opening(employer)
    coordinator_approves_it(coordinator, live_board)
    youth = coordinator_registers_a_youth(coordinator, live_board)
    coordinator_registers_a_youth(coordinator, live_board, UNPLACED, ("mon",))
    coordinator_runs_a_match(coordinator)
    coordinator_reads_an_explanation(coordinator)
    coordinator_confirms(coordinator, live_board)
    employer_accepts(employer)
    coordinator.page.goto(f"/coordinator/youths/{youth}")
    steps = coordinator_ticks_onboarding(coordinator, live_board, youth)
    the_mail_arrives(live_board)
    counsellor_follows_the_timeline(counsellor, youth)
    dashboard_counts_it(coordinator, steps)
    problems = [p for v in visitors.values() for p in v.problems]
    assert problems == []
