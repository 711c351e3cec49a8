"""A property test: hostile input on every route of the URL map, as every role, never gives a 5xx.

Each example picks a rule of the URL map, a role (anonymous, coordinator,
employer, counsellor) and a method; fills the path with real ids or hostile
ones (huge, negative, control characters, odd unicode, lone surrogates as
UTF-8 bytes); adds hostile query arguments and, for a POST, hostile form
fields. The board must answer below 500, and a refused request (4xx) must
leave every table's row count as it was. CSRF is off in the tests' config.
"""

from __future__ import annotations

import urllib.parse

import pytest
from flask import Flask, url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from tests.factories import MatchingRecords, World, board_app, matching_records
from tests.webapp.hostile import ROLES, methods, real_values, row_counts, rules

RULES = rules(board_app("sqlite://"))
ODD = [
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\t\n\r",
    "\x7f\x85",
    "\u202eevil",
    "\ufeff",
    "ＡＢＣ",
    "١٢٣",
    "²",
    "e\u0301" * 50,
    "🧑‍🍳",
    "\ud800",
    "x\udfffy",
    "-1",
    "0",
    "2147483648",
    "-2147483649",
    "9" * 40,
    "1e400",
    "nan",
    "inf",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "24:00",
    "99:99",
    "../../etc/passwd",
    "%00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]
HUGE = "x" * 1_000_000
FIELD_NAMES = [
    "first_name",
    "last_name",
    "birth_date",
    "age",
    "email",
    "phone",
    "address",
    "postcode",
    "parent_name",
    "parent_email",
    "parent_phone",
    "max_travel_km",
    "priority",
    "max_jobs",
    "languages",
    "interests",
    "certificates",
    "notes",
    "consent",
    "title",
    "description",
    "category",
    "kind",
    "positions",
    "min_age",
    "max_age",
    "lat",
    "lon",
    "workplace",
    "alcohol",
    "shifts-0-day",
    "shifts-0-start",
    "shifts-0-end",
    "availability-0-day",
    "availability-0-start",
    "availability-0-end",
    "availability-30-start",
    "name",
    "cvr",
    "contact_email",
    "contact_phone",
    "password",
    "confirm",
    "current_password",
    "role",
    "employer",
    "code",
    "name_da",
    "name_en",
    "description_da",
    "buddies",
    "opening",
    "start_date",
    "period",
    "areas",
    "time_limit_s",
    "method",
    "municipality",
    "area",
    "holiday-first_day",
    "holiday-last_day",
    "holiday-name",
    "accept-start_date",
    "decline-reason",
    "feedback-text",
    "note-text",
    "milestone-code",
    "milestone-on",
    "milestone-text",
    "q",
    "status",
    "lang",
    "next",
]
QUERY_NAMES = [
    "status",
    "area",
    "counsellor",
    "min_age",
    "max_age",
    "interest",
    "page",
    "age",
    "category",
    "kind",
    "day",
    "from",
    "to",
    "explain",
    "next",
    "clear",
    "lang",
]

Request = tuple[int, str, str, dict[str, str], dict[str, str], dict[str, object]]
text_values = st.sampled_from(ODD) | st.text(max_size=30) | st.just(HUGE)
int_values = st.integers(min_value=-(2**70), max_value=2**70) | st.sampled_from([0, 2**31, 2**63])


def _quote(value: str) -> str:
    """Percent-encoded UTF-8, lone surrogates kept as their (invalid) bytes."""
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


def _encoded(pairs: dict[str, str]) -> str:
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs.items())


@st.composite
def requests(draw: st.DrawFn) -> Request:
    rule_index = draw(st.integers(min_value=0, max_value=len(RULES) - 1))
    rule = RULES[rule_index]
    role = draw(st.sampled_from(ROLES))
    method = draw(st.sampled_from(methods(rule)))
    hostile_path: dict[str, object] = {}
    for name in sorted(rule.arguments):
        if draw(st.booleans()):
            if name.endswith("_id"):
                hostile_path[name] = draw(int_values)
            else:
                hostile_path[name] = draw(text_values.filter(lambda v: "/" not in v))
    query = draw(st.dictionaries(st.sampled_from(QUERY_NAMES), text_values, max_size=3))
    form = draw(st.dictionaries(st.sampled_from(FIELD_NAMES), text_values, max_size=6))
    return rule_index, role, method, query, form, hostile_path


def _url(app: Flask, rule: Rule, values: dict[str, object], hostile: dict[str, object]) -> str:
    """The rule's URL with real `values`, then each `hostile` value put in place of its part."""
    markers = {name: 987650 + i for i, name in enumerate(hostile)}
    with app.test_request_context():
        url = url_for(rule.endpoint, **{**values, **markers})
    for name, value in hostile.items():
        url = url.replace(f"/{markers[name]}", f"/{_quote(str(value))}", 1)
    return url


@pytest.fixture
def made(world: World) -> MatchingRecords:
    return matching_records(world)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests())
def test_hostile_requests_never_give_a_5xx_nor_write_on_refusal(
    world: World, app: Flask, made: MatchingRecords, request: Request
) -> None:
    rule_index, role, method, query, form, hostile = request
    rule = RULES[rule_index]
    url = _url(app, rule, real_values(rule, world, made), hostile)
    if query:
        url += "?" + _encoded(query)
    before = row_counts(app)
    client = world.client_for(role)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.open(
            url,
            method=method,
            data=_encoded(form).encode(),
            content_type="application/x-www-form-urlencoded",
        )
    where = f"{role} {method} {url[:200]}: {response.status_code}"
    assert response.status_code < 500, where
    if 400 <= response.status_code < 500:
        assert row_counts(app) == before, where
