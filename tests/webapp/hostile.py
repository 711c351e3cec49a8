"""For the hostile-input tests: the URL map with real ids, the forms of a page, row counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import Rule

from tests.factories import MatchingRecords, World
from webapp.extensions import db

ROLES = ("anonymous", "coordinator", "employer", "counsellor")
# The role that owns the pages of each blueprint (public and auth pages: anyone).
OWNER = {
    "coordinator": "coordinator",
    "matching": "coordinator",
    "dashboard": "coordinator",
    "employer": "employer",
    "counsellor": "counsellor",
    "public": "anonymous",
    "auth": "anonymous",
    "family": "anonymous",  # youths and parents, who have no staff account
    "two_factor": "coordinator",  # any account's own pages
    "sms": "coordinator",
    "sms_gateway": "anonymous",  # the SMS gateway, trusted by its signature
}
TEXT_INPUTS = {"text", "email", "tel", "search", "password", "url"}


def rules(app: Flask) -> list[Rule]:
    """Every rule of the URL map but the static files, in a stable order."""
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"),
        key=lambda r: (r.endpoint, r.rule),
    )


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def owner(rule: Rule) -> str:
    """The role whose page this is."""
    if rule.endpoint == "auth.change_password":
        return "coordinator"
    return OWNER[rule.endpoint.split(".")[0]]


def real_values(rule: Rule, world: World, made: MatchingRecords) -> dict[str, object]:
    """Path values of records that exist and that the rule's owner may see."""
    endpoint = rule.endpoint
    values: dict[str, object] = {}
    for name in rule.arguments:
        if name == "holiday_id":
            values[name] = made.holiday_id
        elif name == "kind_id":
            values[name] = world.step_kind_id
        elif name == "placement_id":
            values[name] = world.placement_id
        elif name == "token":
            values[name] = "not-a-valid-token"
        elif "proposal" in endpoint:
            values[name] = made.proposal
        elif endpoint.startswith("matching.run"):
            values[name] = made.run
        elif endpoint.startswith("coordinator.registration_"):
            values[name] = world.pending_youth
        elif "youth" in endpoint or "placement" in endpoint:
            values[name] = world.youth
        elif endpoint.startswith("coordinator.employer") or endpoint == "coordinator.opening_new":
            values[name] = world.employer
        elif endpoint.startswith("coordinator.user_"):
            values[name] = world.other_employer_user
        else:
            values[name] = world.opening
    return values


def row_counts(app: Flask) -> dict[str, int]:
    """How many rows every table holds (but the server-side sessions: each client has one)."""
    tables = [t for t in db.metadata.sorted_tables if t.name != "staff_session"]
    counts = [select(func.count()).select_from(t).scalar_subquery() for t in tables]
    with app.app_context():
        row = db.session.execute(select(*counts)).one()
        db.session.rollback()
        return {table.name: count for table, count in zip(tables, row, strict=True)}


@dataclass
class Input:
    """One field of an HTML form."""

    tag: str
    kind: str
    name: str
    id: str
    value: str

    @property
    def is_text(self) -> bool:
        return self.tag == "textarea" or (self.tag == "input" and self.kind in TEXT_INPUTS)


@dataclass(repr=False)
class HtmlForm:
    """A form of a page: where it posts and what it holds (the values a browser would send)."""

    action: str
    method: str
    inputs: list[Input] = field(default_factory=list)
    data: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # short, for the reports of failed examples
        return f"HtmlForm({self.method} {self.action})"


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self._select: str | None = None
        self._first_option: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = a.get("action") or self.page_url
            self.forms.append(HtmlForm(action, a.get("method", "get").lower()))
            return
        if not self.forms or "name" not in a:
            if tag == "option" and self._select and self.forms:
                form = self.forms[-1]
                self._first_option.setdefault(self._select, a.get("value", ""))
                if "selected" in a:
                    form.data[self._select] = a.get("value", "")
            return
        form = self.forms[-1]
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            form.inputs.append(Input(tag, kind, name, a.get("id", name), a.get("value", "")))
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.data[name] = a.get("value", "y")
            elif kind != "submit":
                form.data[name] = a.get("value", "")
        elif tag in ("textarea", "select"):
            form.inputs.append(Input(tag, tag, name, a.get("id", name), ""))
            form.data.setdefault(name, "")
            if tag == "select":
                self._select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self.forms:
            form = self.forms[-1]
            if not form.data.get(self._select):
                form.data[self._select] = self._first_option.get(self._select, "")
            self._select = None


def forms_of(page: str, page_url: str) -> list[HtmlForm]:
    """The forms of an HTML page, each with the values it would send as it stands."""
    parser = _FormParser(page_url)
    parser.feed(page)
    return parser.forms
