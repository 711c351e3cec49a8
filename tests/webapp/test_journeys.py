"""The journeys of each kind of user, through HTTP, checked against the database."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.factories import World, YouthFactory, next_weekday, one, years_ago
from webapp.extensions import db
from webapp.models import (
    Employer,
    OnboardingStep,
    OnboardingStepKind,
    Opening,
    OutboxMessage,
    Placement,
    TimelineEvent,
    User,
    Youth,
)
from webapp.ui import board_day

TODAY = board_day.today()


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _events(app: Flask, public_id: str) -> list[tuple[str, str]]:
    with app.app_context():
        youth = one(Youth, Youth.public_id == public_id)
        return [(e.kind, e.code) for e in youth.events]


def _youth(app: Flask, public_id: str) -> Youth:
    with app.app_context():
        youth = one(Youth, Youth.public_id == public_id)
        db.session.expunge(youth)
        return youth


# -- public board ----------------------------------------------------------------


def test_board_lists_open_openings_of_approved_employers(
    world: World, client: FlaskClient
) -> None:
    page = _page(client.get("/jobs"))
    assert "Kasseassistent" in page
    assert "Bagerjobber" in page
    assert "Lagerhjælp" not in page  # pending
    assert "Ikast Dagligvarer" in page
    assert "2 timer om ugen" in page
    assert "Fra 13 år" in page
    assert "1 ledig plads" in page


def test_board_filters(world: World, client: FlaskClient) -> None:
    assert "Bagerjobber" not in _page(client.get("/jobs?category=retail"))
    assert "Bagerjobber" in _page(client.get("/jobs?category=bakery"))
    assert "Kasseassistent" not in _page(client.get("/jobs?day=mon"))
    assert "Kasseassistent" in _page(client.get("/jobs?day=tue"))
    assert "Kasseassistent" in _page(client.get("/jobs?area=Stadion+Allé"))
    assert "Bagerjobber" not in _page(client.get("/jobs?area=Stadion+Allé"))
    assert "Kasseassistent" not in _page(client.get("/jobs?kind=lommepengejob"))
    # Nonsense filters are ignored, never an error.
    assert client.get("/jobs?age=abc&day=never&kind=x&category=y").status_code == 200


def test_board_filters_by_age(world: World, app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        opening.min_age = 15
        db.session.commit()
    assert "Kasseassistent" not in _page(client.get("/jobs?age=14"))
    assert "Kasseassistent" in _page(client.get("/jobs?age=15"))


def test_job_page_and_pending_or_unknown_jobs(world: World, client: FlaskClient) -> None:
    page = _page(client.get(f"/jobs/{world.opening}"))
    assert "Kasseassistent" in page
    assert "tirsdag 16:00–18:00" in page.lower()
    assert client.get(f"/jobs/{world.pending_opening}").status_code == 404
    assert client.get("/jobs/does-not-exist").status_code == 404


def test_interest_creates_a_pending_registration(
    world: World, app: Flask, client: FlaskClient
) -> None:
    birth = years_ago(14).isoformat()
    response = client.post(
        f"/jobs/{world.opening}/interest",
        data={
            "first_name": "Hodan",
            "birth_date": birth,
            "phone": "20 11 22 33",
            "parent_name": "Sahra",
            "parent_phone": "30 11 22 33",
            "languages": ["da", "so"],
            "interests": ["retail"],
            "availability-0-day": "tue",
            "availability-0-start": "15:00",
            "availability-0-end": "19:00",
            "consent": "y",
        },
    )
    assert response.status_code == 302
    assert "Tak" in _page(client.get(response.headers["Location"]))
    with app.app_context():
        youth = one(Youth, Youth.first_name == "Hodan")
        assert youth.status == "pending"
        assert youth.source == "public"
        assert youth.last_name == ""
        assert youth.languages == ["da", "so"]
        assert [(w.day_index, w.start_min, w.end_min) for w in youth.availability] == [
            (1, 900, 1140)
        ]
        assert youth.interested_opening is not None
        assert youth.interested_opening.public_id == world.opening
        assert [(p.opening.public_id, p.rank) for p in youth.preferences] == [(world.opening, 1)]
        assert [e.kind for e in youth.events] == ["registered"]
        public_id = youth.public_id
    # The coordinator reviews and approves it.
    coordinator = world.client_for("coordinator")
    page = _page(coordinator.get("/coordinator/registrations"))
    assert "Hodan" in page
    assert "interesseret i" in page
    response = coordinator.post(f"/coordinator/registrations/{public_id}/approve")
    assert response.status_code == 302
    assert _youth(app, public_id).status == "active"
    assert [k for k, _ in _events(app, public_id)] == ["registered", "approved"]


def test_rejecting_a_registration_deletes_it(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    coordinator.post(f"/coordinator/registrations/{world.pending_youth}/reject")
    with app.app_context():
        assert (
            db.session.scalar(select(Youth).where(Youth.public_id == world.pending_youth)) is None
        )
    # An active youth is not a registration: refused, kept.
    coordinator.post(f"/coordinator/registrations/{world.youth}/reject")
    assert _youth(app, world.youth).status == "active"


# -- coordinator -----------------------------------------------------------------

YOUTH_FORM = {
    "first_name": "Yusuf",
    "last_name": "Demir",
    "birth_date": "2011-03-04",
    "email": "yusuf@example.org",
    "phone": "20 30 40 50",
    "postcode": "7430",
    "parent_name": "Ayse Demir",
    "parent_phone": "30 40 50 60",
    "max_travel_km": "5",
    "languages": ["da", "tr"],
    "interests": ["sports", "retail"],
    "priority": "2",
    "max_jobs": "1",
    "availability-0-day": "mon",
    "availability-0-start": "15:00",
    "availability-0-end": "18:00",
    "availability-1-day": "sat",
    "availability-1-start": "09:00",
    "availability-1-end": "24:00",
}


def test_coordinator_registers_edits_and_archives_a_youth(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post("/coordinator/youths/new", data=YOUTH_FORM)
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    youth = _youth(app, public_id)
    assert (youth.first_name, youth.town, youth.priority) == ("Yusuf", "Ikast", 2)
    assert youth.lat is not None
    assert youth.max_travel_km == 5.0
    page = _page(coordinator.get(f"/coordinator/youths/{public_id}"))
    assert "Yusuf Demir" in page
    assert "Tyrkisk" in page
    assert page.count("slot-on") == 3 + 15  # Monday 15-18, Saturday 09-24
    assert "Undervisningspligtig" in page
    # Edit: finished 9th grade.
    edited = {**YOUTH_FORM, "finished_9th_grade_on": "2027-06-20", "counsellor_id": ""}
    assert (
        coordinator.post(f"/coordinator/youths/{public_id}/edit", data=edited).status_code == 302
    )
    assert _youth(app, public_id).finished_9th_grade_on == dt.date(2027, 6, 20)
    # The edit page shows the current values.
    page = _page(coordinator.get(f"/coordinator/youths/{public_id}/edit"))
    assert 'value="Yusuf"' in page
    assert 'value="24:00"' in page
    coordinator.post(f"/coordinator/youths/{public_id}/archive")
    assert _youth(app, public_id).status == "archived"
    assert "Yusuf" not in _page(coordinator.get("/coordinator/youths"))
    assert "Yusuf" in _page(coordinator.get("/coordinator/youths?status=archived"))
    coordinator.post(f"/coordinator/youths/{public_id}/reactivate")
    assert _youth(app, public_id).status == "active"
    kinds = [k for k, _ in _events(app, public_id)]
    assert kinds == ["registered", "updated", "archived", "approved"]


def test_youth_list_search_filters_and_pagination(world: World, app: Flask) -> None:
    with app.app_context():
        for i in range(30):  # aged 13, 14, 15, 16, 13, ...
            YouthFactory(first_name=f"Test{i:02d}", last_name="Person", age=13 + i % 4)
        db.session.commit()
    coordinator = world.client_for("coordinator")
    first = _page(coordinator.get("/coordinator/youths"))
    assert "32 unge" in first
    assert 'aria-current="page">1<' in first
    second = _page(coordinator.get("/coordinator/youths?page=2"))
    # By first name, 25 a page: Amira, Emil and Test00-Test22 first.
    assert re.findall(r"(Test\d\d) Person", second) == [f"Test{i}" for i in range(23, 30)]
    response = coordinator.post("/coordinator/youths", data={"q": "hass", "status": "active"})
    assert response.status_code == 302
    assert "hass" not in response.headers["Location"]  # a name never goes into a URL
    assert "Amira Hassan" in _page(coordinator.get(response.headers["Location"]))
    coordinator.post("/coordinator/youths", data={"q": "zzz"})
    assert "Amira" not in _page(coordinator.get("/coordinator/youths"))
    assert "Amira" in _page(coordinator.get("/coordinator/youths?clear=1"))
    filtered = _page(coordinator.get("/coordinator/youths?min_age=15&max_age=15"))
    assert "Amira" in filtered
    assert "Emil" not in filtered
    assert re.findall(r"(Test\d\d) Person", filtered) == [f"Test{i:02d}" for i in range(2, 30, 4)]
    assert coordinator.get("/coordinator/youths?page=999&min_age=x").status_code == 200


def test_onboarding_checklist_and_timeline(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    with app.app_context():
        kinds = {k.code: k.id for k in db.session.scalars(select(OnboardingStepKind))}
    page = _page(coordinator.get(f"/coordinator/youths/{world.youth}"))
    assert "pct-0" in page
    assert "mangler stadig" in page
    for code in ("bank_account", "mitid", "tax_card"):
        prefix = f"step{kinds[code]}"
        response = coordinator.post(
            f"/coordinator/youths/{world.youth}/steps/{kinds[code]}",
            data={f"{prefix}-status": "done", f"{prefix}-note": "Med mor i banken"},
        )
        assert response.status_code == 302
    with app.app_context():
        steps = db.session.scalars(select(OnboardingStep)).all()
        assert {s.status for s in steps} == {"done"}
        assert all(s.done_on == TODAY for s in steps)
        assert all(s.helped_by is not None and s.helped_by.role == "coordinator" for s in steps)
    page = _page(coordinator.get(f"/coordinator/youths/{world.youth}"))
    assert "pct-50" in page  # three of six
    assert "hjulpet af Coordinator" in page
    assert "Med mor i banken" in page
    steps = [c for k, c in _events(app, world.youth) if k == "step"]
    assert steps == ["bank_account", "mitid", "tax_card"]


def test_coordinator_adds_a_step_kind(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        "/coordinator/onboarding-steps",
        data={"code": "bike", "name_da": "Cykel tjekket", "name_en": "Bike checked"},
    )
    assert response.status_code == 302
    assert "Cykel tjekket" in _page(coordinator.get(f"/coordinator/youths/{world.youth}"))
    coordinator.set_cookie("lang", "en")
    assert "Bike checked" in _page(coordinator.get(f"/coordinator/youths/{world.youth}"))


def test_placement_start_end_and_external_job(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    base = f"/coordinator/youths/{world.youth}/placements/{world.placement_id}"
    page = _page(coordinator.get(f"/coordinator/youths/{world.youth}"))
    assert "Mangler før første arbejdsdag" in page
    start, end = f"start{world.placement_id}", f"end{world.placement_id}"
    first, last = next_weekday(), next_weekday() + dt.timedelta(days=90)
    exception = {f"{start}-anyway": "y", f"{start}-reason": "Kontrakten er på vej"}
    started = coordinator.post(f"{base}/start", data={f"{start}-on": first, **exception})
    assert started.status_code == 302
    response = coordinator.post(
        f"{base}/end",
        data={f"{end}-on": last, f"{end}-reason": "external_job", f"{end}-note": "Netto"},
    )
    assert response.status_code == 302
    with app.app_context():
        placement = db.session.get(Placement, world.placement_id)
        assert placement is not None
        assert (placement.status, placement.start_date, placement.end_date) == (
            "ended",
            first,
            last,
        )
    kinds = [k for k, _ in _events(app, world.youth)]
    assert kinds[-3:] == ["started", "ended", "external_job"]
    # Ending twice is refused with a message, nothing changes.
    response = coordinator.post(
        f"{base}/end",
        data={f"{end}-on": "2026-09-02", f"{end}-reason": "other"},
        follow_redirects=True,
    )
    assert "allerede afsluttet" in _page(response)


def test_place_by_hand_respects_positions_and_max_jobs(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        f"/coordinator/youths/{world.other_youth}/placements",
        data={"opening": world.other_opening, "start_date": next_weekday().isoformat()},
    )
    assert response.status_code == 302
    assert [k for k, _ in _events(app, world.other_youth)][-1] == "placed"
    with app.app_context():
        templates = db.session.scalars(select(OutboxMessage.template)).all()
        assert "placement_youth" in templates  # the youth is told, as after a proposal
    # max_jobs is 1: a second job is refused beside the field.
    response = coordinator.post(
        f"/coordinator/youths/{world.other_youth}/placements", data={"opening": world.opening}
    )
    assert response.status_code == 422
    assert "så mange job, som er tilladt" in _page(response)


def test_notes_and_milestones(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    coordinator.post(
        f"/coordinator/youths/{world.youth}/notes", data={"note-text": "Ringede til mor"}
    )
    counsellor = world.client_for("counsellor")
    counsellor.post(
        f"/counsellor/youths/{world.youth}/milestones",
        data={
            "milestone-code": "education_plan",
            "milestone-on": "2026-05-01",
            "milestone-text": "EUD",
        },
    )
    counsellor.post(f"/counsellor/youths/{world.youth}/notes", data={"note-text": "God samtale"})
    events = _events(app, world.youth)
    assert ("milestone", "education_plan") in events
    assert [k for k, _ in events].count("note") == 2
    page = _page(counsellor.get(f"/counsellor/youths/{world.youth}"))
    # The milestone form offers every milestone: read the timeline itself.
    timeline = re.search(r'<ol class="list-unstyled timeline">(.*?)</ol>', page, re.S)
    assert timeline, "no timeline on the counsellor's page"
    assert "Uddannelsesplan" in timeline.group(1)
    assert "Ringede til mor" in timeline.group(1)
    assert "God samtale" in timeline.group(1)


def test_timeline_is_append_only(world: World, app: Flask) -> None:
    with app.app_context():
        event = db.session.scalars(select(TimelineEvent)).first()
        assert event is not None
        event.text = "rewritten"
        try:
            db.session.commit()
        except ValueError:
            db.session.rollback()
        else:
            raise AssertionError("a timeline event was edited")


def test_employers_and_openings_by_the_coordinator(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        "/coordinator/employers/new",
        data={"name": "Ikast Cykler", "postcode": "7430", "cvr": "12345678"},
    )
    assert response.status_code == 302
    employer_id = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        employer = one(Employer, Employer.public_id == employer_id)
        assert (employer.status, employer.town) == ("approved", "Ikast")
    response = coordinator.post(
        f"/coordinator/employers/{employer_id}/openings/new",
        data={
            "title": "Cykelmekaniker-hjælper",
            "category": "retail",
            "kind": "fritidsjob",
            "positions": "1",
            "min_age": "14",
            "workplace": "shop",
            "alcohol": "none",
            "postcode": "7430",
            "shifts-0-day": "wed",
            "shifts-0-start": "15:00",
            "shifts-0-end": "17:30",
        },
    )
    assert response.status_code == 302
    assert "Cykelmekaniker-hjælper" in _page(world.client_for("anonymous").get("/jobs"))
    # Approving a pending opening, closing an open one.
    coordinator.post(f"/coordinator/openings/{world.pending_opening}/approve")
    coordinator.post(f"/coordinator/openings/{world.opening}/close")
    with app.app_context():
        statuses = {
            o.public_id: o.status
            for o in db.session.scalars(select(Opening))
            if o.public_id in (world.pending_opening, world.opening)
        }
    assert statuses == {world.pending_opening: "open", world.opening: "closed"}
    board = _page(world.client_for("anonymous").get("/jobs"))
    assert "Lagerhjælp" in board
    assert "Kasseassistent" not in board


def test_invitation_flow(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        "/coordinator/users/invite",
        data={
            "name": "Ny Ansat",
            "email": "Ny@Example.org",
            "role": "employer",
            "employer": world.employer,
        },
        follow_redirects=True,
    )
    link = re.search(r"(http://127\.0\.0\.1:5000/invitation/[\w.\-]+)", _page(response))
    assert link
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.recipient == "ny@example.org"
        assert "Ny" not in message.subject  # no personal data in a subject line
        assert link.group(1) in message.body_text
    anonymous = world.client_for("anonymous")
    path = link.group(1).removeprefix("http://127.0.0.1:5000")
    response = anonymous.post(
        path, data={"password": "a long new password", "confirm": "a long new password"}
    )
    assert response.status_code == 302
    assert anonymous.get("/employer/").status_code == 200
    # The link works once.
    assert world.client_for("anonymous").get(path).status_code == 404


def test_deactivated_user_is_signed_out(world: World, app: Flask) -> None:
    employer = world.login(world.app.test_client(), "employer@test.example")
    assert employer.get("/employer/").status_code == 200
    world.client_for("coordinator").post(f"/coordinator/users/{world.employer_user}/deactivate")
    assert employer.get("/employer/").status_code == 302
    response = world.app.test_client().post(
        "/login", data={"email": "employer@test.example", "password": "correct horse battery"}
    )
    assert response.status_code == 422
    world.client_for("coordinator").post(f"/coordinator/users/{world.employer_user}/activate")
    world.login(world.app.test_client(), "employer@test.example")


# -- employer --------------------------------------------------------------------


def test_employer_creates_edits_and_closes_an_opening(world: World, app: Flask) -> None:
    employer = world.client_for("employer")
    data = {
        "title": "Weekendhjælp",
        "category": "retail",
        "kind": "fritidsjob",
        "positions": "2",
        "min_age": "15",
        "max_age": "17",
        "light_work": "y",
        "workplace": "shop",
        "alcohol": "none",
        "address": "Strøget 12",
        "postcode": "7430",
        "required_languages": ["da"],
        "required_certificates": ["hygiejnebevis"],
        "onboarding_steps": ["bank_account", "contract"],
        "hourly_wage_dkk": "84",
        "shifts-0-day": "sat",
        "shifts-0-start": "09:00",
        "shifts-0-end": "13:00",
        "shifts-1-day": "sun",
        "shifts-1-start": "09:00",
        "shifts-1-end": "13:00",
    }
    response = employer.post("/employer/openings/new", data=data)
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        opening = one(Opening, Opening.public_id == public_id)
        assert opening.status == "pending"
        assert (opening.min_age, opening.max_age, opening.light_work) == (15, 17, True)
        assert opening.required_certificates == ["hygiejnebevis"]
        assert opening.onboarding_steps == ["bank_account", "contract"]
        assert [(s.day_index, s.start_min, s.end_min) for s in opening.shifts] == [
            (5, 540, 780),
            (6, 540, 780),
        ]
    assert "Weekendhjælp" not in _page(world.client_for("anonymous").get("/jobs"))
    # Edit: the shift editor replaces the shifts.
    data.update({"shifts-1-day": "", "shifts-1-start": "", "shifts-1-end": "", "positions": "3"})
    assert employer.post(f"/employer/openings/{public_id}/edit", data=data).status_code == 302
    with app.app_context():
        opening = one(Opening, Opening.public_id == public_id)
        assert (opening.positions, len(opening.shifts)) == (3, 1)
    employer.post(f"/employer/openings/{public_id}/close")
    with app.app_context():
        opening = one(Opening, Opening.public_id == public_id)
        assert opening.status == "closed"
    # A closed opening cannot be edited.
    response = employer.post(f"/employer/openings/{public_id}/edit", data=data)
    assert response.status_code == 422


def test_employer_sees_only_what_it_may_of_placed_youths(world: World) -> None:
    page = _page(world.client_for("employer").get(f"/employer/openings/{world.opening}"))
    assert "Amira, 15 år" in page
    assert "Arabisk" in page
    for secret in ("Hassan", "amira@youth.example", "Stadion Allé 7", "Parent of Amira",
                   "30303030", "Secret coordinator note", "Undervisningspligtig"):  # fmt: skip
        assert secret not in page, secret
    other = world.client_for("other_employer")
    assert other.get(f"/employer/openings/{world.opening}").status_code == 404
    assert "Kasseassistent" not in _page(other.get("/employer/"))


def test_employer_edits_the_company_profile(world: World, app: Flask) -> None:
    employer = world.client_for("employer")
    response = employer.post(
        "/employer/company",
        data={"name": "Ikast Dagligvarer A/S", "postcode": "7430", "contact_phone": "97 12 34 56"},
    )
    assert response.status_code == 302
    with app.app_context():
        names = sorted(e.name for e in db.session.scalars(select(Employer)))
    assert names == ["Herning Bager", "Ikast Dagligvarer A/S"]


# -- counsellor ------------------------------------------------------------------


def test_counsellor_sees_only_own_youths(world: World) -> None:
    counsellor = world.client_for("counsellor")
    page = _page(counsellor.get("/counsellor/"))
    assert "Amira" in page
    assert "Emil" not in page
    assert counsellor.get(f"/counsellor/youths/{world.other_youth}").status_code == 404
    assert counsellor.get(f"/counsellor/youths/{world.pending_youth}").status_code == 404
    response = counsellor.post(
        f"/counsellor/youths/{world.other_youth}/notes", data={"note-text": "Not mine"}
    )
    assert response.status_code == 404
    profile = _page(counsellor.get(f"/counsellor/youths/{world.youth}"))
    assert "Secret coordinator note" not in profile


def test_users_page_lists_roles(world: World) -> None:
    page = _page(world.client_for("coordinator").get("/coordinator/users"))
    assert "UU-vejleder" in page
    assert "other-employer@test.example" in page


def test_user_count_unchanged_by_failed_logins(world: World, app: Flask) -> None:
    with app.app_context():
        before = db.session.query(User).count()
    world.client_for("anonymous").post("/login", data={"email": "x@y.dk", "password": "nope"})
    with app.app_context():
        assert db.session.query(User).count() == before


def test_a_business_offers_jobs_and_is_approved(world: World, app: Flask) -> None:
    response = world.client_for("anonymous").post(
        "/employers/register",
        data={
            "name": "Ikast Cykelværksted",
            "postcode": "7430",
            "contact_name": "Bo",
            "contact_email": "bo@cykel.example",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        employer = one(Employer, Employer.name == "Ikast Cykelværksted")
        assert (employer.status, employer.is_housing_association) == ("pending", False)
        public_id = employer.public_id
    coordinator = world.client_for("coordinator")
    assert "Ikast Cykelværksted" in _page(coordinator.get("/coordinator/"))
    coordinator.post(f"/coordinator/employers/{public_id}/approve")
    with app.app_context():
        employer = one(Employer, Employer.public_id == public_id)
        assert employer.status == "approved"


def test_export_of_a_youth_s_data(world: World) -> None:
    response = world.client_for("coordinator").get(f"/coordinator/youths/{world.youth}/export")
    assert response.status_code == 200
    assert f"youth-{world.youth}.json" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["last_name"] == "Hassan"
    assert data["parent"]["email"] == "parent-amira@youth.example"
    assert data["placements"][0]["opening"] == "Kasseassistent"
    assert data["timeline"][0]["kind"] == "registered"


def test_interest_with_age_only_is_flagged_for_the_coordinator(
    world: World, app: Flask, client: FlaskClient
) -> None:
    response = client.post(
        "/interest",
        data={
            "first_name": "Leyla",
            "age": "14",
            "email": "leyla@example.org",
            "parent_name": "Mor",
            "parent_email": "mor@example.org",
            "consent": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        youth = one(Youth, Youth.first_name == "Leyla")
        assert youth.age_on(TODAY) == 14
    page = _page(world.client_for("coordinator").get("/coordinator/registrations"))
    assert "Kun alderen er oplyst" in page


def test_opening_page_names_the_steps_needed(world: World, app: Flask) -> None:
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        opening.onboarding_steps = ["mitid", "contract"]
        db.session.commit()
    page = _page(world.client_for("employer").get(f"/employer/openings/{world.opening}"))
    assert "MitID, Ansættelseskontrakt underskrevet" in page


def test_coordinator_excludes_an_employer_for_a_youth(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    data = {**YOUTH_FORM, "excluded_employer_ids": [world.other_employer]}
    response = coordinator.post(f"/coordinator/youths/{world.youth}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        assert [e.public_id for e in youth.excluded_employers] == [world.other_employer]
        assert youth.events[-1].data["fields"][-1] == "excluded_employers"
    page = _page(coordinator.get(f"/coordinator/youths/{world.youth}"))
    never = re.search(r"Placér aldrig hos</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    assert never, "no 'never place at' entry on the profile"
    assert never.group(1).strip() == "Herning Bager"  # (the form to place by hand names it too)


def test_a_forgotten_password_gets_a_new_link(world: World, app: Flask) -> None:
    employer = world.login(world.app.test_client(), "employer@test.example")
    response = world.client_for("coordinator").post(
        f"/coordinator/users/{world.employer_user}/reset", follow_redirects=True
    )
    assert "/password/reset/" not in _page(response)  # emailed to the owner, never shown
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body_text)).one()
    link = re.search(r"http://127\.0\.0\.1:5000(/password/reset/[\w.\-]+)", body)
    assert link
    assert employer.get("/employer/").status_code == 302  # the old session has ended
    fresh = world.app.test_client()
    data = {"password": "my new password", "confirm": "my new password"}
    assert fresh.post(link.group(1), data=data).status_code == 302
    signed_in = fresh.post("/login", data={"email": "employer@test.example", **data})
    assert signed_in.status_code == 302
    assert fresh.get("/employer/").status_code == 200
    # The link is spent, and a coordinator cannot reset their own access here.
    assert "Linket virker ikke" in _page(world.app.test_client().get(link.group(1)))
    response = world.client_for("coordinator").post(
        f"/coordinator/users/{world.coordinator}/reset", follow_redirects=True
    )
    assert "Skift din egen adgangskode" in _page(response)


def test_erasing_a_youth(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(f"/coordinator/youths/{world.youth}/erase", follow_redirects=True)
    assert "Kun en arkiveret ung kan slettes" in _page(response)
    coordinator.post(f"/coordinator/youths/{world.youth}/archive")
    assert "Slet permanent" in _page(coordinator.get(f"/coordinator/youths/{world.youth}"))
    coordinator.post(f"/coordinator/youths/{world.youth}/erase")
    with app.app_context():
        assert db.session.scalar(select(Youth).where(Youth.public_id == world.youth)) is None
        assert db.session.query(TimelineEvent).count() == 0
        assert db.session.query(Placement).count() == 0


def test_anonymised_after_the_retention_period(
    world: World, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        youth = one(Youth, Youth.public_id == world.other_youth)
        youth.status = "archived"
        youth.archived_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
        db.session.commit()
    runner = app.test_cli_runner()
    monkeypatch.setitem(app.config, "YOUTH_RETENTION_DAYS", 500)
    assert "0 youths anonymised" in runner.invoke(args=["apply-retention"]).output
    monkeypatch.setitem(app.config, "YOUTH_RETENTION_DAYS", 365)
    assert "1 youths anonymised" in runner.invoke(args=["apply-retention"]).output
    with app.app_context():
        assert db.session.scalar(select(Youth).where(Youth.public_id == world.other_youth)) is None
        assert db.session.query(Youth).filter(Youth.status == "anonymised").count() == 1


def test_a_placement_lists_the_steps_its_opening_needs(world: World, app: Flask) -> None:
    coordinator = world.client_for("coordinator")
    page = _page(coordinator.get(f"/coordinator/youths/{world.youth}"))
    missing = page.split("Mangler før første arbejdsdag:")[1].split("</div>")[0]
    assert "MitID" in missing  # a fritidsjob's standard steps
    assert "Møde før første arbejdsdag" not in missing
    with app.app_context():
        opening = one(Opening, Opening.public_id == world.opening)
        opening.onboarding_steps = ["first_day_meeting"]
        db.session.commit()
    page = _page(coordinator.get(f"/coordinator/youths/{world.youth}"))
    missing = page.split("Mangler før første arbejdsdag:")[1].split("</div>")[0]
    assert "Møde før første arbejdsdag" in missing
    assert "MitID" not in missing
