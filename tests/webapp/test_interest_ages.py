"""The public interest form names, before anything is written, the chosen jobs the age rules out.

Without a script the server refuses such a choice (422, the sentence beside the
jobs, the other choices kept, no registration); with one, each job's checkbox
carries its ages and sentences for `static/interest-ages.js` to say it live.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import World, one, years_ago
from webapp.extensions import db
from webapp.models import Opening, Youth

EVENING = "Varepåfyldning om aftenen"
TOO_YOUNG = f"Du er 13 år: &#39;{EVENING}&#39; kræver, at du er fyldt 15."


@pytest.fixture
def evening(world: World, app: Flask) -> World:
    """The world's other opening becomes a 15+ evening job; the world's own stays 13+."""
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.other_opening)
        opening.title, opening.min_age = EVENING, 15
        db.session.commit()
    return world


def send(client: FlaskClient, path: str = "/interest", **fields: Any) -> Any:
    data = {
        "first_name": "Lille",
        "birth_date": years_ago(13).isoformat(),
        "email": "lille@example.org",
        "parent_name": "Mor",
        "parent_phone": "55 55 55 55",
        "consent": "y",
        "jobs_shown": "1",
        **fields,
    }
    return client.post(path, data=data)


def registrations(app: Flask) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count()).select_from(Youth).where(Youth.status == "pending")
            )
            or 0
        )


def checked(page: str) -> set[str]:
    """The public ids of the job checkboxes that are ticked on the page."""
    boxes = re.findall(r'<input[^>]*name="jobs"[^>]*>', page)
    return {re.search(r'value="([^"]+)"', b).group(1) for b in boxes if "checked" in b}  # type: ignore[union-attr]


def test_a_job_the_age_rules_out_is_refused_by_name_with_the_other_choices_kept(
    evening: World, app: Flask, client: FlaskClient
) -> None:
    before = registrations(app)
    response = send(client, jobs=[evening.opening, evening.other_opening])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'<div class="text-danger small" id="jobs-error">(.*?)</div>', page)
    assert error is not None
    assert error.group(1) == TOO_YOUNG
    assert "Kasseassistent" not in error.group(1)  # the 13+ job is fine
    assert checked(page) == {evening.opening, evening.other_opening}
    assert 'value="Lille"' in page  # what was typed stays
    assert registrations(app) == before
    # Without the ruled-out job it is sent, the other job kept as the choice.
    response = send(client, jobs=[evening.opening])
    assert response.status_code == 302
    with app.app_context():
        lille = one(Youth, Youth.first_name == "Lille")
        assert [p.opening.public_id for p in lille.preferences] == [evening.opening]


def test_the_age_alone_is_enough_to_refuse(evening: World, client: FlaskClient) -> None:
    response = send(client, birth_date="", age="13", jobs=[evening.other_opening])
    assert response.status_code == 422
    assert TOO_YOUNG in response.get_data(as_text=True)


def test_the_page_of_a_job_too_old_for_the_youth_says_so(
    world: World, app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        one(Opening, Opening.public_id == world.opening).max_age = 15
        db.session.commit()
    path = f"/jobs/{world.opening}/interest"
    assert checked(client.get(path).get_data(as_text=True)) == {world.opening}
    response = send(client, path, birth_date=years_ago(16).isoformat(), jobs=[world.opening])
    assert response.status_code == 422
    assert "Du er 16 år: &#39;Kasseassistent&#39; er for unge op til 15 år." in (
        response.get_data(as_text=True)
    )


def test_unticking_the_pages_job_leaves_it_out(
    evening: World, app: Flask, client: FlaskClient
) -> None:
    response = send(client, f"/jobs/{evening.other_opening}/interest", jobs=[evening.opening])
    assert response.status_code == 302
    with app.app_context():
        lille = one(Youth, Youth.first_name == "Lille")
        assert [p.opening.public_id for p in lille.preferences] == [evening.opening]


def test_a_page_without_the_job_list_chooses_the_pages_job(
    evening: World, app: Flask, client: FlaskClient
) -> None:
    """A form sent without the list (an older page, a script): the job of the page is chosen."""
    path = f"/jobs/{evening.other_opening}/interest"
    before = registrations(app)
    response = send(client, path, jobs_shown="")
    assert response.status_code == 422
    assert TOO_YOUNG in response.get_data(as_text=True)
    assert registrations(app) == before


def test_the_birthday_itself_counts(evening: World, app: Flask, client: FlaskClient) -> None:
    response = send(client, birth_date=years_ago(15).isoformat(), jobs=[evening.other_opening])
    assert response.status_code == 302
    with app.app_context():
        lille = one(Youth, Youth.first_name == "Lille")
        assert lille.interested_opening is not None
        assert lille.interested_opening.public_id == evening.other_opening


def test_choices_are_ranked_page_job_first(world: World, app: Flask, client: FlaskClient) -> None:
    path = f"/jobs/{world.other_opening}/interest"
    response = send(
        client,
        path,
        birth_date=years_ago(15).isoformat(),
        jobs=[world.opening, world.other_opening],
    )
    assert response.status_code == 302
    with app.app_context():
        lille = one(Youth, Youth.first_name == "Lille")
        assert [(p.opening.public_id, p.rank) for p in lille.preferences] == [
            (world.other_opening, 1),
            (world.opening, 2),
        ]
        assert lille.interested_opening is not None
        assert lille.interested_opening.public_id == world.other_opening


def test_each_job_carries_its_ages_and_sentences_for_the_script(
    evening: World, client: FlaskClient
) -> None:
    page = client.get(f"/jobs/{evening.other_opening}/interest").get_data(as_text=True)
    box = re.search(rf'<input[^>]*value="{evening.other_opening}"[^>]*>', page)
    assert box is not None
    tag = html.unescape(box.group(0))
    assert 'data-min-age="15"' in tag
    assert 'data-max-age=""' in tag
    assert f"data-too-young=\"Du er {{age}} år: '{EVENING}' kræver, at du er fyldt 15.\"" in tag
    assert 'id="jobs-age-hint" aria-live="polite"' in page
    # The script is a file of the board's own (the CSP allows no inline script).
    assert re.search(r'<script src="/static/interest-ages\.js" nonce="[^"]+" defer>', page)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)
    script = client.get("/static/interest-ages.js")
    assert script.status_code == 200
    assert "data-too-young" in script.get_data(as_text=True)
    script.close()


@pytest.mark.parametrize(
    "jobs",
    [["abc\x00def"], ["\x1b[31m"], ["no-such-job"], ["x" * 20_000]],
    ids=["nul", "escape", "unknown", "long"],
)
def test_hostile_job_values_are_refused_beside_the_field(
    world: World, app: Flask, client: FlaskClient, jobs: list[str]
) -> None:
    before = registrations(app)
    response = send(client, birth_date=years_ago(15).isoformat(), jobs=jobs)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="jobs-error"' in page
    assert registrations(app) == before


def test_a_closed_job_cannot_be_chosen(world: World, app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        one(Opening, Opening.public_id == world.other_opening).status = "closed"
        db.session.commit()
    page = client.get("/interest").get_data(as_text=True)
    assert world.other_opening not in page
    response = send(client, birth_date=years_ago(15).isoformat(), jobs=[world.other_opening])
    assert response.status_code == 422


def test_the_merge_refuses_hostile_ids(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    path = f"/coordinator/registrations/{world.pending_youth}/merge"
    assert coordinator.post("/coordinator/registrations/%00/merge").status_code == 404
    for into in ("\x00", "a\x1bb", "y" * 5_000, ""):
        response = coordinator.post(path, data={"into": into})
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/coordinator/registrations")
    with app.app_context():
        assert one(Youth, Youth.public_id == world.pending_youth).status == "pending"
