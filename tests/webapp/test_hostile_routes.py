"""Property tests: hostile input on every route and every form, as every role, never gives a 5xx.

The first picks a rule of the URL map, a role (anonymous, coordinator,
employer, counsellor; the rule's owner more often) and a method; fills the
path with real ids or hostile ones (huge, negative, control characters, odd
unicode, lone surrogates as UTF-8 bytes); adds hostile query arguments and,
for a POST, a few hostile form fields. The second sends the forms of every
page as their owner's page fills them in, with one or two fields made
hostile. The board must answer below 500, and a refused request (4xx) must
leave every table's row count as it was. CSRF is off in the tests' config.
"""

from __future__ import annotations

import urllib.parse

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from tests.factories import MatchingRecords, World, board_app, matching_records
from tests.webapp.hostile import (
    ROLES,
    HtmlForm,
    forms_of,
    methods,
    owner,
    real_values,
    row_counts,
    rules,
)

# Signing out ends every session of the account: the examples after it would all be signed out.
KEEP_OUT = {"/logout"}
RULES = [r for r in rules(board_app("sqlite://")) if r.rule not in KEEP_OUT]
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
HUGE = "<a megabyte>"  # stands for a megabyte of text (a shorter repr in hypothesis' reports)
# Fields a POST without its page's form may carry.
FORM_NAMES = ["first_name", "email", "name", "title", "start_date", "note-text", "q", "next"]
QUERY_NAMES = [
    "status", "area", "counsellor", "min_age", "max_age", "interest", "page", "age",
    "category", "kind", "day", "from", "to", "explain", "next", "clear", "lang",
]  # fmt: skip

Request = tuple[int, str, str, dict[str, str], dict[str, object]]
odd_values = st.sampled_from(ODD)
# Mostly the known-hostile values, sometimes any text, now and then a megabyte.
text_values = st.one_of(odd_values, odd_values, odd_values, st.text(max_size=30), st.just(HUGE))
int_values = st.integers(min_value=-(2**70), max_value=2**70) | st.sampled_from([0, 2**31, 2**63])


def _quote(value: str) -> str:
    """Percent-encoded UTF-8, lone surrogates kept as their (invalid) bytes; HUGE made real."""
    value = value.replace(HUGE, "x" * 1_000_000)
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


def _encoded(pairs: dict[str, str]) -> str:
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs.items())


@st.composite
def requests(draw: st.DrawFn) -> Request:
    """A rule, a role (its owner more often than not), a method and hostile path values."""
    rule_index = draw(st.integers(min_value=0, max_value=len(RULES) - 1))
    rule = RULES[rule_index]
    role = draw(st.sampled_from([owner(rule)] * 4 + list(ROLES)))
    method = draw(st.sampled_from(methods(rule)))
    hostile_path: dict[str, object] = {}
    for name in sorted(rule.arguments):
        if draw(st.booleans()):
            if name.endswith("_id"):
                hostile_path[name] = draw(int_values)
            else:
                hostile_path[name] = draw(text_values.filter(lambda v: "/" not in v))
    query = draw(st.dictionaries(st.sampled_from(QUERY_NAMES), text_values, max_size=3))
    return rule_index, role, method, query, hostile_path


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


@pytest.fixture
def page_forms(world: World, app: Flask, made: MatchingRecords) -> list[tuple[str, HtmlForm]]:
    """(role, form) of every POST form on every page, as its owner sees it (values filled in)."""
    found: dict[tuple[str, str], HtmlForm] = {}
    for rule in RULES:
        if "GET" not in methods(rule) or rule.endpoint.endswith(("problem", "solution")):
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **real_values(rule, world, made))
        response = world.client_for(owner(rule)).get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms_of(response.get_data(as_text=True), url):
            fields = set(form.data) - {"csrf_token"}
            if form.method == "post" and fields and form.action not in KEEP_OUT:
                found.setdefault((owner(rule), form.action), form)
    return [(role, form) for (role, _action), form in sorted(found.items())]


# 150 examples each, no deadline: the examples share one world (a function-scoped fixture).
HOSTILE_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LONG_REPORTS = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")


def _send(client: FlaskClient, method: str, url: str, form: dict[str, str]) -> TestResponse:
    return client.open(
        url,
        method=method,
        data=_encoded(form).encode(),
        content_type="application/x-www-form-urlencoded",
    )


@LONG_REPORTS
@HOSTILE_SETTINGS
@given(
    request=requests(), form=st.dictionaries(st.sampled_from(FORM_NAMES), text_values, max_size=4)
)
def test_hostile_requests_on_every_route_never_give_a_5xx_nor_write_on_refusal(
    world: World, app: Flask, made: MatchingRecords, request: Request, form: dict[str, str]
) -> None:
    rule_index, role, method, query, hostile = request
    rule = RULES[rule_index]
    url = _url(app, rule, real_values(rule, world, made), hostile)
    if query:
        url += "?" + _encoded(query)
    before = row_counts(app)
    response = _send(world.client_for(role), method, url, form if method != "GET" else {})
    where = f"{role} {method} {url[:200]}: {response.status_code}"
    assert response.status_code < 500, where
    if 400 <= response.status_code < 500:
        assert row_counts(app) == before, where


@LONG_REPORTS
@HOSTILE_SETTINGS
@given(
    which=st.integers(min_value=0, max_value=10_000),
    picks=st.lists(
        st.tuples(st.integers(min_value=0, max_value=10_000), text_values), min_size=1, max_size=2
    ),
)
def test_hostile_values_in_every_form_never_give_a_5xx_nor_write_on_refusal(
    world: World,
    app: Flask,
    page_forms: list[tuple[str, HtmlForm]],
    which: int,
    picks: list[tuple[int, str]],
) -> None:
    role, page_form = page_forms[which % len(page_forms)]
    names = sorted(page_form.data)
    # The form as its page fills it in, with one or two of its fields made hostile.
    hostile = {names[pick % len(names)]: value for pick, value in picks}
    before = row_counts(app)
    response = _send(world.client_for(role), "POST", page_form.action, page_form.data | hostile)
    where = f"{role} POST {page_form.action} {hostile!r:.200}: {response.status_code}"
    assert response.status_code < 500, where
    if 400 <= response.status_code < 500:
        assert row_counts(app) == before, where
