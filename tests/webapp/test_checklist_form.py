"""The onboarding checklist on the youth's profile is one form, saved in one go.

Through HTTP: the profile shows every step in one form with one "Gem trin";
one POST saves all six steps in one transaction and records only the steps
that changed on the timeline; a refused row saves nothing and says why beside
its field; hostile values are a 422, never a 500; the same form sent twenty
times at once is saved once. The counsellor's page has no two fields of the
same name.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.factories import World, make_world, one
from tests.webapp.test_first_day import field_error
from tests.webapp.test_races import board, send_together  # noqa: F401 - board is a fixture
from webapp.extensions import db
from webapp.models import EventKind, OnboardingStep, OnboardingStepKind, TimelineEvent, Youth
from webapp.ui import board_day

TODAY = board_day.today()


def _kinds(app: Flask) -> dict[str, int]:
    with app.app_context():
        found = {k.code: k.id for k in db.session.scalars(select(OnboardingStepKind))}
        db.session.remove()
        return found


def _checklist(kinds: dict[str, int], **steps: tuple[str, str, str]) -> dict[str, str]:
    """A checklist POST: (status, done on, note) per step code, "todo" for the others."""
    data: dict[str, str] = {}
    for code, kind_id in kinds.items():
        status, done_on, note = steps.get(code, ("todo", "", ""))
        data |= {
            f"step{kind_id}-status": status,
            f"step{kind_id}-done_on": done_on,
            f"step{kind_id}-note": note,
        }
    return data


def _stored(app: Flask, public_id: str) -> dict[str, tuple[str, dt.date | None, str]]:
    with app.app_context():
        youth = one(Youth, Youth.public_id == public_id)
        found = {s.kind.code: (s.status, s.done_on, s.note) for s in youth.steps}
        db.session.remove()
        return found


def _step_events(app: Flask, public_id: str) -> list[str]:
    with app.app_context():
        youth = one(Youth, Youth.public_id == public_id)
        codes = list(
            db.session.scalars(
                select(TimelineEvent.code)
                .where(TimelineEvent.youth_id == youth.id, TimelineEvent.kind == EventKind.STEP)
                .order_by(TimelineEvent.id)
            )
        )
        db.session.remove()
        return codes


def _post(client: FlaskClient, world: World, data: dict[str, str]) -> tuple[int, str]:
    response = client.post(f"/coordinator/youths/{world.youth}/steps", data=data)
    return response.status_code, response.get_data(as_text=True)


ALL_SIX = {
    "bank_account": ("done", "2026-01-05", "Mor oprettede kontoen"),
    "mitid": ("done", "", ""),
    "tax_card": ("in_progress", "", "Venter på frikort"),
    "parental_consent": ("done", "2026-01-06", ""),
    "contract": ("in_progress", "", "Underskrives mandag"),
    "first_day_meeting": ("not_needed", "", "Kender stedet"),
}


def test_the_profile_has_one_checklist_form_with_one_button(world: World) -> None:
    page = world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}").text
    forms = re.findall(r'<form method="post" action="[^"]*/steps"[^>]*>(.*?)</form>', page, re.S)
    assert len(forms) == 1
    assert not re.search(r'action="[^"]*/steps/\d+"', page)
    assert forms[0].count("<button") == 1
    assert "Gem trin" in forms[0]
    assert forms[0].count("<fieldset") == 6  # a step each, its name as the legend
    assert forms[0].count("<legend") == 6


def test_six_steps_are_saved_in_one_post(world: World, app: Flask) -> None:
    kinds = _kinds(app)
    client = world.client_for("coordinator")
    response = client.post(
        f"/coordinator/youths/{world.youth}/steps", data=_checklist(kinds, **ALL_SIX)
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#onboarding")
    stored = _stored(app, world.youth)
    assert stored == {
        "bank_account": ("done", dt.date(2026, 1, 5), "Mor oprettede kontoen"),
        "mitid": ("done", TODAY, ""),  # done without a date: today
        "tax_card": ("in_progress", None, "Venter på frikort"),
        "parental_consent": ("done", dt.date(2026, 1, 6), ""),
        "contract": ("in_progress", None, "Underskrives mandag"),
        "first_day_meeting": ("not_needed", None, "Kender stedet"),
    }
    assert sorted(_step_events(app, world.youth)) == sorted(ALL_SIX)
    page = client.get(f"/coordinator/youths/{world.youth}").text
    assert "Trinnene er gemt." in page


def test_only_the_changed_steps_go_on_the_timeline(world: World, app: Flask) -> None:
    kinds = _kinds(app)
    client = world.client_for("coordinator")
    assert _post(client, world, _checklist(kinds, **ALL_SIX))[0] == 302
    again = {**ALL_SIX, "mitid": ("done", TODAY.isoformat(), "")}
    assert _post(client, world, _checklist(kinds, **again))[0] == 302
    assert len(_step_events(app, world.youth)) == 6  # the same form again changes nothing
    assert "Intet blev ændret." in client.get(f"/coordinator/youths/{world.youth}").text

    changed = {**again, "tax_card": ("done", "", ""), "contract": ("done", "", "Underskrevet")}
    assert _post(client, world, _checklist(kinds, **changed))[0] == 302
    assert _step_events(app, world.youth)[6:] == ["tax_card", "contract"]


def test_a_refused_row_saves_nothing_and_says_why_beside_it(world: World, app: Flask) -> None:
    kinds = _kinds(app)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    steps = {**ALL_SIX, "contract": ("done", tomorrow, "")}
    status, page = _post(world.client_for("coordinator"), world, _checklist(kinds, **steps))
    assert status == 422
    error = field_error(page, f"step{kinds['contract']}-done_on")
    assert error == "Datoen kan ikke ligge i fremtiden."
    assert _stored(app, world.youth) == {}
    assert _step_events(app, world.youth) == []
    # The rows sent are shown again as typed, the refused one among them.
    assert "Mor oprettede kontoen" in page
    assert f'value="{tomorrow}"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("note", "Hej\x00", "Fjern de usynlige kontroltegn fra teksten."),
        ("note", "x" * 20_000, "Højst 10000 tegn."),
        ("note", "x" * 501, "Højst 500 tegn."),
        ("done_on", "2026-02-31", "Ikke en gyldig dato."),
        ("done_on", "1200-01-01", "Vælg en dato mellem 1900 og 2100."),
        ("done_on", "9999-01-01", "Datoen kan ikke ligge i fremtiden."),
    ],
)
def test_hostile_values_are_refused_beside_the_field(
    world: World, app: Flask, field: str, value: str, message: str
) -> None:
    kinds = _kinds(app)
    data = _checklist(kinds, **ALL_SIX)
    data[f"step{kinds['mitid']}-{field}"] = value
    status, page = _post(world.client_for("coordinator"), world, data)
    assert status == 422
    assert field_error(page, f"step{kinds['mitid']}-{field}") == message
    assert _stored(app, world.youth) == {}


def test_an_unknown_status_is_refused(world: World, app: Flask) -> None:
    kinds = _kinds(app)
    data = _checklist(kinds, mitid=("finished!", "", ""))
    status, page = _post(world.client_for("coordinator"), world, data)
    assert status == 422
    assert field_error(page, f"step{kinds['mitid']}-status")
    assert _stored(app, world.youth) == {}


def test_steps_not_sent_keep_what_they_hold(world: World, app: Flask) -> None:
    kinds = _kinds(app)
    client = world.client_for("coordinator")
    assert _post(client, world, _checklist(kinds, **ALL_SIX))[0] == 302
    mitid = _checklist(kinds, mitid=("in_progress", "", "Ny app"))
    only_mitid = {k: v for k, v in mitid.items() if k.startswith(f"step{kinds['mitid']}-")}
    assert _post(client, world, only_mitid)[0] == 302
    stored = _stored(app, world.youth)
    assert stored["mitid"] == ("in_progress", None, "Ny app")
    assert stored["bank_account"] == ("done", dt.date(2026, 1, 5), "Mor oprettede kontoen")
    assert _step_events(app, world.youth)[6:] == ["mitid"]


def test_the_same_checklist_twenty_times_at_once_is_saved_once(
    app: Flask,
    board: str,  # noqa: F811 - the fixture imported above
) -> None:
    world = make_world(app)
    kinds = _kinds(app)
    path = f"/coordinator/youths/{world.youth}/steps"
    answers = send_together(board, [("coordinator", path, _checklist(kinds, **ALL_SIX))] * 20)
    assert all(code == 302 for code in answers), sorted(answers)
    assert sorted(_step_events(app, world.youth)) == sorted(ALL_SIX)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OnboardingStep)) == 6
        db.session.remove()


def test_the_counsellors_page_names_each_field_once(world: World) -> None:
    page = world.client_for("counsellor").get(f"/counsellor/youths/{world.youth}").text
    labels = [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
    ]
    assert labels, page[:300]
    assert len(labels) == len(set(labels)), labels
    assert "Notat til tidslinjen" in labels
    assert "Hvad milepælen handler om (valgfrit)" in labels
