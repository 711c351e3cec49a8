"""The access matrix: every route in the URL map, for every kind of user.

Each route is classified by who may use it. A route missing from the
classification fails the test, so that no new page escapes this check.
"""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import Rule

from tests.factories import ROLES, World, board_app, matching_records
from webapp.extensions import db

PUBLIC = "public"
LOGGED_IN = "logged_in"

# Who owns what: the role allowed in, and the roles that get 404 because the
# record belongs to someone else (ownership), for each blueprint.
OWNER = {
    "coordinator": ("coordinator", ()),
    "matching": ("coordinator", ()),
    "employer": ("employer", ("other_employer",)),
    "counsellor": ("counsellor", ("other_counsellor",)),
    "dashboard": ("coordinator", ()),
    "sms": ("coordinator", ()),
}
# Routes that take no record: the other employer or counsellor sees their own.
NO_RECORD = {"employer.index", "employer.company", "employer.opening_new", "counsellor.index"}
# Public routes whose record is missing for everyone (a bogus invitation token).
MISSING_FOR_ALL = {"auth.accept_invitation", "family.consent"}


def _rules() -> list[Rule]:
    app = board_app("sqlite://")
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"),
        key=lambda r: (r.endpoint, r.rule),
    )


RULES = _rules()
CASES = [
    pytest.param(rule, method, id=f"{method} {rule.rule}")
    for rule in RULES
    for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
]


def _values(rule: Rule, world: World) -> dict[str, object]:
    endpoint = rule.endpoint
    values: dict[str, object] = {}
    if (endpoint.startswith("matching.") and rule.arguments) or "proposal" in endpoint:
        made = matching_records(world)
        values["public_id"] = made.proposal if "proposal" in endpoint else made.run
        if "youth_id" in rule.arguments:
            values["youth_id"] = world.other_youth  # proposed in the run
        if "holiday_id" in rule.arguments:
            values = {"holiday_id": made.holiday_id}
        return values
    if "public_id" in rule.arguments:
        if endpoint.startswith("coordinator.registration_"):
            values["public_id"] = world.pending_youth
        elif "youth" in endpoint or "placement" in endpoint:
            values["public_id"] = world.youth
        elif endpoint.startswith("coordinator.employer") or endpoint == "coordinator.opening_new":
            values["public_id"] = world.employer
        elif endpoint.startswith("coordinator.user_"):
            values["public_id"] = world.other_employer_user
        else:
            values["public_id"] = world.opening
    if "kind_id" in rule.arguments:
        values["kind_id"] = world.step_kind_id
    if "placement_id" in rule.arguments:
        values["placement_id"] = world.placement_id
    if "token" in rule.arguments:
        values["token"] = "not-a-valid-token"
    return values


def _expected(endpoint: str, role: str) -> str:
    """'ok', 'login' (redirect to sign-in), 'forbidden' (403), 'missing' (404) or 'unsigned'
    (401: the SMS gateway's webhooks, trusted only with its signature, whoever signed in)."""
    blueprint = endpoint.split(".")[0]
    if endpoint in MISSING_FOR_ALL:
        return "missing"
    if blueprint == "sms_gateway":
        return "unsigned"
    if endpoint == "auth.change_password" or blueprint == "two_factor":  # any account's own
        return "login" if role == "anonymous" else "ok"
    if blueprint in ("public", "auth", "family"):  # family: youths and parents, no account
        return "ok"
    if blueprint not in OWNER:
        raise AssertionError(f"route {endpoint} is not classified in the access matrix")
    allowed, others = OWNER[blueprint]
    if role == "anonymous":
        return "login"
    if role == allowed:
        return "ok"
    if role in others:
        return "ok" if endpoint in NO_RECORD else "missing"
    return "forbidden"


def test_every_route_is_classified() -> None:
    for rule in RULES:
        for role in ROLES:
            _expected(rule.endpoint, role)


def test_urls_carry_no_personal_data() -> None:
    allowed = {"public_id", "youth_id", "kind_id", "placement_id", "token", "holiday_id"}
    for rule in RULES:
        assert set(rule.arguments) <= allowed, rule.rule


@pytest.mark.parametrize(("rule", "method"), CASES)
def test_access_matrix(world: World, app: Flask, rule: Rule, method: str) -> None:
    with app.test_request_context():
        from flask import url_for

        url = url_for(rule.endpoint, **_values(rule, world))
    before = _rows(app)
    # Denied roles first: a permitted POST may change what later roles would see.
    order = sorted(ROLES, key=lambda r: _expected(rule.endpoint, r) == "ok")
    for role in order:
        client = world.client_for(role)
        response = client.open(url, method=method, data={})
        expected = _expected(rule.endpoint, role)
        where = f"{method} {url} as {role}: {response.status_code}"
        assert response.status_code < 500, where
        if expected == "ok":
            assert response.status_code in (200, 302, 303, 400, 422), where
            if rule.endpoint != "auth.logout":  # signing out lands on the sign-in page
                assert "/login" not in response.headers.get("Location", ""), where
        elif expected == "login":
            assert response.status_code == 302, where
            assert "/login" in response.headers["Location"], where
        elif expected == "forbidden":
            assert response.status_code == 403, where
        elif expected == "unsigned":
            assert response.status_code == 401, where
        else:
            assert response.status_code == 404, where
        if method == "GET" or expected != "ok":
            assert _rows(app) == before, f"{where} changed the database"


def _rows(app: Flask) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: nothing may change on a GET or a refused request.

    The server-side sessions are left out: each client signs in with one of its own.
    """
    with app.app_context():
        return {
            table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
            for table in db.metadata.sorted_tables
            # A GET that shows a youth writes who read it in the audit trail (test_audit.py).
            if table.name not in ("staff_session", "audit_entry")
        }
