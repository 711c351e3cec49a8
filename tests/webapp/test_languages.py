"""The public board and every message to a youth or a parent in six languages.

Which strings are public or youth-facing (and so must be in every catalogue):

1. every msgid in `PUBLIC_SOURCES`: the public pages' templates, the layout
   around them, the emails and SMS to youths and parents, the consent page
   and the youth's own page (templates/family), and the public forms; read
   with Babel's extractor, as `make translations` reads them; and
2. every msgid looked up while those pages (with their errors) and messages
   are rendered: shared form errors, the vocabulary (days, kinds of job,
   languages), refusals of the services. Recorded in `looked_up`.

A catalogue is complete when each such msgid has a translation: a trusted
one, or one marked fuzzy for a human translator (then the page shows the
Danish with the English beside it, `webapp.ui.locale.FallbackDomain`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, get_locale, gettext
from sqlalchemy import delete, select

from tests.factories import World, one, years_ago
from webapp.extensions import db
from webapp.models import ConsentRequest, OutboxMessage, Placement, User, Youth
from webapp.services import consent, notifications
from webapp.ui import locale

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "webapp" / "translations"
TRANSLATED = ("en", "ar", "tr", "so", "uk")  # the catalogues beside Danish
LANGUAGES = ("da", *TRANSLATED)
PUBLIC_SOURCES = (
    "templates/base.html",
    "templates/public/jobs.html",
    "templates/public/job.html",
    "templates/public/interest.html",
    "templates/public/thanks.html",
    "templates/public/privacy.html",
    "templates/shared/forms.html",
    "templates/shared/pager.html",
    "templates/errors/error.html",
    "templates/email/layout.html",
    "templates/email/_job_facts.html",
    "templates/email/_job_facts.txt",
    "templates/email/placement_youth.*",
    "templates/email/placement_parent.*",
    "templates/email/first_day_youth.*",
    "templates/email/first_day_parent.*",
    "templates/email/consent*",
    "templates/email/youth_code*",
    "templates/family/*.html",
    "templates/sms/*.txt",
    "webapp/public/forms.py",
    "webapp/forms/language.py",
    "webapp/family/*.py",
)
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday
TODAY = NOW.date()


def _msgid(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


def static_msgids() -> set[str]:
    """Every msgid written in `PUBLIC_SOURCES`."""
    found: set[str] = set()
    for pattern in PUBLIC_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            method = "python" if path.suffix == ".py" else "jinja2"
            options = {} if method == "python" else {"extensions": "jinja2.ext.i18n"}
            for _line, message, _comments, _context in extract_from_file(
                method, str(path), keywords=KEYWORDS, options=options
            ):
                found.add(_msgid(message))
    return found


def catalogue(code: str) -> Catalog:
    with (CATALOGUES / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=code)


def _translated(message: Any) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


class Recorder:
    """The msgids looked up in a language other than Danish while it is on.

    A text the board writes in Danish whatever the page's language (a staff
    timeline entry, under `force_locale("da")`) is not a public one.
    """

    def __init__(self) -> None:
        self.msgids: set[str] = set()

    def wrap(self, method: Callable[..., str]) -> Callable[..., str]:
        def recording(translations: Any, message: str, *args: Any) -> str:
            if str(get_locale() or "da") != "da":
                self.msgids.add(message)
            return method(translations, message, *args)

        return recording


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Record every gettext and ngettext of the board (pages, forms, emails) from now on."""
    recorder = Recorder()
    for name in ("ugettext", "ungettext", "gettext", "ngettext"):
        monkeypatch.setattr(Translations, name, recorder.wrap(getattr(Translations, name)))
    return recorder


def _visit(client: FlaskClient, language: str, path: str, **post: Any) -> str:
    client.set_cookie("lang", language)
    response = client.post(path, data=post) if post else client.get(path)
    assert response.status_code in (200, 302, 404, 422), (path, response.status_code)
    return response.get_data(as_text=True)


def _public_pages(world: World, code: str) -> list[str]:
    """Every public page in `code`, the interest form with each kind of error too."""
    client = world.app.test_client()
    pages = [
        _visit(client, code, path)
        for path in (
            "/jobs",
            "/jobs?age=13&day=tue&category=shop&kind=fritidsjob",
            "/jobs?area=nowhere",
            f"/jobs/{world.opening}",
            "/interest",
            f"/jobs/{world.opening}/interest",
            "/interest/thanks",
            "/privacy",
            "/jobs/no-such-job",
        )
    ]
    pages.append(_visit(client, code, "/interest", first_name="", jobs_shown="1"))
    pages.append(_visit(client, code, "/interest", first_name="x", jobs_shown="1"))
    pages.append(
        _visit(
            client,
            code,
            f"/jobs/{world.opening}/interest",
            first_name="Lille",
            birth_date=years_ago(12).isoformat(),
            email="not an email",
            phone="12",
            parent_email="@",
            jobs=world.opening,
            jobs_shown="1",
            **{
                "availability-0-day": "tue",
                "availability-0-start": "15:00",
                "availability-0-end": "14:00",
                "availability-1-day": "xx",
                "availability-1-start": "25:99",
            },
        )
    )
    pages.append(
        _visit(
            client,
            code,
            "/interest",
            first_name="Lille",
            age="30",
            parent_name="Mor",
            parent_phone="55555555",
            phone="20202020",
            consent="y",
        )
    )
    return pages


def _outbox_text(app: Flask, template: str) -> str:
    """The plain body of the newest message made from `template`."""
    with app.app_context():
        return (
            db.session.scalars(
                select(OutboxMessage.body_text)
                .where(OutboxMessage.template == template)
                .order_by(OutboxMessage.id.desc())
            ).first()
            or ""
        )


def _family_pages(world: World, code: str) -> list[str]:
    """The youth's sign-in and own pages, and a parent's consent page, in `code`."""
    app, client = world.app, world.app.test_client()
    pages = [
        _visit(client, code, "/me/sign-in"),
        _visit(client, code, "/me/sign-in", contact="\x00"),
        _visit(client, code, "/me/sign-in", contact="amira@youth.example"),
    ]
    sign_in_code = re.search(r"\b(\d{6})\b", _outbox_text(app, "youth_code"))
    assert sign_in_code is not None
    pages.append(_visit(client, code, "/me/code", code="12"))
    pages.append(_visit(client, code, "/me/code", code=sign_in_code.group(1)))
    pages.append(_visit(client, code, "/me"))
    pages.append(_visit(client, code, "/me/contact"))
    pages.append(_visit(client, code, "/me/contact", email="not an email", phone="1"))
    with app.app_context(), app.test_request_context():
        coordinator = one(User, User.public_id == world.coordinator)
        consent.send_request(coordinator, db.session.get_one(Placement, world.placement_id))
    link = re.search(r"https?://[^/\s]+(/consent/\S+)", _outbox_text(app, "consent_request"))
    assert link is not None
    pages.append(_visit(client, code, link.group(1)))
    pages.append(_visit(client, code, link.group(1), note="x" * 5000))
    return pages


def _messages_to_youth_and_parent(world: World, code: str) -> list[OutboxMessage]:
    """A confirmation and a first-day reminder to the world's youth and parent, in `code`."""
    with world.app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        youth.language = youth.parent_language = code
        placement = db.session.get_one(Placement, world.placement_id)
        placement.start_date = TODAY + dt.timedelta(days=1)
        with world.app.test_request_context():
            notifications.queue_placement_confirmation(placement)
            notifications.queue_first_day_reminders(db.session, TODAY)
        db.session.commit()
        messages = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return messages


def test_every_public_and_youth_facing_string_is_in_every_catalogue(
    world: World, looked_up: Recorder
) -> None:
    for code in ("da", *TRANSLATED):
        _public_pages(world, code)
        _family_pages(world, code)
        with world.app.app_context():
            db.session.execute(delete(ConsentRequest))
            db.session.commit()
    _messages_to_youth_and_parent(world, "so")
    danish = catalogue("da")
    # WTForms looks up labels it makes itself ("Availability-0"): not the board's msgids.
    needed = static_msgids() | {m for m in looked_up.msgids if m in danish}
    assert len(needed) > 150, "the public strings were not found"
    for code in TRANSLATED:
        entries = catalogue(code)
        missing = sorted(m for m in needed if not (entries.get(m) and _translated(entries[m])))
        assert missing == [], (
            f"{code}: no translation (fill the .po, `make translations`): {missing}"
        )
        fuzzy = [m for m in needed if entries[m].fuzzy]
        assert [m for m in fuzzy if not _translated(danish[m])] == [], code


def test_the_compiled_catalogues_hold_every_trusted_translation() -> None:
    """The .mo files are up to date (`make translations`): fuzzy ones are left out on purpose."""
    for code in TRANSLATED:
        with (CATALOGUES / code / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
            compiled = read_mo(mo)
        for message in catalogue(code):
            if message.id and _translated(message) and not message.fuzzy:
                assert compiled.get(message.id) is not None, (code, message.id)
                shown = compiled[message.id].string
                assert (tuple(shown) if isinstance(shown, list) else shown) == message.string


def test_every_translation_keeps_the_placeholders_of_its_msgid() -> None:
    for code in TRANSLATED:
        problems = [
            (message.id, [str(e) for e in errors]) for message, errors in catalogue(code).check()
        ]
        assert problems == [], code


@pytest.mark.parametrize("code", ["da", *TRANSLATED])
def test_html_lang_and_dir_follow_the_language(world: World, code: str) -> None:
    client = world.app.test_client()
    for path in ("/jobs", f"/jobs/{world.opening}", "/interest"):
        page = _visit(client, code, path)
        direction = "rtl" if code == "ar" else "ltr"
        assert f'<html lang="{code}" dir="{direction}">' in page
        assert ("bootstrap.rtl.min.css" in page) is (code == "ar")
        assert ("bootstrap.min.css" in page) is (code != "ar")


def test_the_rtl_stylesheet_is_served(client: FlaskClient) -> None:
    with client.get("/static/vendor/bootstrap/bootstrap.rtl.min.css") as response:
        assert response.status_code == 200
        assert b"Bootstrap" in response.data[:200]
        assert b".me-auto{margin-left:auto!important}" in response.data  # mirrored


def test_public_pages_offer_six_languages_staff_pages_two(world: World) -> None:
    page = world.app.test_client().get("/jobs").get_data(as_text=True)
    offered = re.findall(r'name="lang" value="(\w+)" lang="\w+" dir="(\w+)"', page)
    assert offered == [(c, "rtl" if c == "ar" else "ltr") for c in locale.LOCALES]
    assert "العربية" in page
    assert "Soomaali" in page
    assert "Українська" in page
    staff = world.client_for("coordinator").get("/coordinator/").get_data(as_text=True)
    assert re.findall(r'name="lang" value="(\w+)"', staff) == ["en"]


def test_a_visitor_chooses_a_language_and_keeps_it(world: World) -> None:
    client = world.app.test_client()
    response = client.post("/language", data={"lang": "ar", "next": "/interest"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/interest"
    page = client.get("/interest").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert client.post("/language", data={"lang": "xx"}).status_code == 400


def test_staff_pages_stay_danish_for_a_visitor_who_chose_arabic(world: World) -> None:
    coordinator = world.client_for("coordinator")
    coordinator.set_cookie("lang", "ar")
    for path in ("/coordinator/", "/coordinator/sms/inbox", "/coordinator/youths"):
        page = coordinator.get(path).get_data(as_text=True)
        assert '<html lang="da" dir="ltr">' in page, path
    visitor = world.app.test_client()
    visitor.set_cookie("lang", "ar")
    assert '<html lang="da" dir="ltr">' in visitor.get("/login").get_data(as_text=True)
    coordinator.set_cookie("lang", "en")
    assert '<html lang="en" dir="ltr">' in coordinator.get("/coordinator/").get_data(as_text=True)
    public = coordinator.get("/jobs")
    assert '<html lang="en" dir="ltr">' in public.get_data(as_text=True)


def _untrusted(code: str) -> tuple[str, str]:
    """A msgid with a Danish translation and none trusted in `code`, and its Danish."""
    entries, danish = catalogue(code), catalogue("da")
    for message in danish:
        ours = entries.get(message.id) if message.id else None
        if (
            message.id
            and isinstance(message.id, str)
            and "%" not in message.id
            and message.string
            and message.string != message.id
            and (ours is None or ours.fuzzy or not ours.string)
        ):
            return message.id, str(message.string)
    raise AssertionError(f"{code}: every message is translated")


@pytest.mark.parametrize("code", ["ar", "tr", "so", "uk"])
def test_a_text_without_a_trusted_translation_shows_danish_beside_english(
    app: Flask, code: str
) -> None:
    msgid, danish = _untrusted(code)
    with app.test_request_context(), force_locale(code):
        assert gettext(msgid) == f"{danish} / {msgid}"
    with app.test_request_context(), force_locale("en"):
        assert gettext(msgid) == msgid
    with app.test_request_context(), force_locale("da"):
        assert gettext(msgid) == danish


def test_a_fuzzy_translation_is_shown_as_danish_beside_english(app: Flask) -> None:
    fuzzy = [
        (code, message)
        for code in TRANSLATED
        for message in catalogue(code)
        if message.id and message.fuzzy and isinstance(message.id, str) and "%" not in message.id
    ]
    danish = catalogue("da")
    assert fuzzy, "no translation is marked for a human translator"
    for code, message in fuzzy:
        if not danish[message.id].string:
            continue  # no Danish yet: test_app's Danish check says so
        with app.test_request_context(), force_locale(code):
            shown = gettext(message.id)
        assert shown == f"{danish[message.id].string} / {message.id}", (code, message.id)


def test_a_translated_text_shows_in_its_language(app: Flask) -> None:
    expected = {
        "ar": "وظائف",
        "tr": "İşler",
        "so": "Shaqooyin",
        "uk": "Вакансії",
        "en": "Jobs",
        "da": "Job",
    }
    for code, text in expected.items():
        with app.test_request_context(), force_locale(code):
            assert gettext("Jobs") == text, code


def test_the_interest_form_keeps_each_persons_language(world: World) -> None:
    client = world.app.test_client()
    client.set_cookie("lang", "so")
    form = client.get("/interest").get_data(as_text=True)
    assert re.search(r'<option selected value="so">Soomaali</option>', form)
    response = client.post(
        "/interest",
        data={
            "first_name": "Hodan",
            "age": "14",
            "phone": "20202021",
            "parent_name": "Hooyo",
            "parent_phone": "30303031",
            "language": "so",
            "parent_language": "ar",
            "consent": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with world.app.app_context():
        youth = one(Youth, Youth.first_name == "Hodan")
        assert (youth.language, youth.parent_language) == ("so", "ar")


def test_a_coordinator_sets_the_languages_of_a_youth(world: World) -> None:
    coordinator = world.client_for("coordinator")
    path = f"/coordinator/youths/{world.youth}/edit"
    form = coordinator.get(path).get_data(as_text=True)
    assert 'name="language"' in form
    assert 'name="parent_language"' in form
    data = {
        "first_name": "Amira",
        "birth_date": years_ago(14).isoformat(),
        "priority": "1",
        "max_jobs": "1",
        "language": "uk",
        "parent_language": "tr",
    }
    response = coordinator.post(path, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    with world.app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        assert (youth.language, youth.parent_language) == ("uk", "tr")
    page = coordinator.get(path).get_data(as_text=True)
    assert '<option selected value="uk">' in page


@pytest.mark.parametrize(
    "value", ["xx", "", "da\x00", "a" * 10_000, "ar; DROP TABLE youth", "عربي", "DA"]
)
def test_a_language_that_is_not_offered_is_refused_beside_its_field(
    world: World, value: str
) -> None:
    client = world.app.test_client()
    response = client.post(
        "/interest",
        data={
            "first_name": "Hostile",
            "age": "14",
            "phone": "20202022",
            "parent_name": "Mor",
            "parent_phone": "30303032",
            "language": "da",
            "parent_language": value,
            "consent": "y",
        },
    )
    assert response.status_code == 422
    error = re.search(r'id="parent_language-error">([^<]+)<', response.get_data(as_text=True))
    assert error is not None
    assert error.group(1).strip()
    with world.app.app_context():
        assert db.session.scalar(select(Youth).where(Youth.first_name == "Hostile")) is None


@pytest.mark.parametrize("value", ["xx", "da\x00", "a" * 10_000, "ar\u202e", "DA"])
def test_a_coordinator_cannot_save_a_language_that_is_not_offered(
    world: World, value: str
) -> None:
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        f"/coordinator/youths/{world.youth}/edit",
        data={
            "first_name": "Amira",
            "birth_date": years_ago(14).isoformat(),
            "priority": "1",
            "max_jobs": "1",
            "language": value,
            "parent_language": "ar",
        },
    )
    assert response.status_code == 422
    assert re.search(r'id="language-error">\s*\S', response.get_data(as_text=True))
    with world.app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        assert (youth.language, youth.parent_language) == ("da", "da")


def _expected(code: str, msgid: str, **variables: Any) -> str:
    with force_locale(code):
        return gettext(msgid, **variables)


@pytest.mark.parametrize("code", ["da", *TRANSLATED])
def test_every_email_to_a_youth_or_a_parent_is_in_their_language(world: World, code: str) -> None:
    with time_machine.travel(NOW, tick=False):
        messages = _messages_to_youth_and_parent(world, code)
    subjects = {
        "placement_youth": "Your job is confirmed",
        "placement_parent": "A job on the job board is confirmed",
        "first_day_youth": "Your first day is tomorrow",
        "first_day_parent": "The first day in a job is tomorrow",
    }
    to_family = [m for m in messages if m.template in subjects]
    assert sorted(m.template for m in to_family) == sorted(subjects)
    direction = "rtl" if code == "ar" else "ltr"
    with world.app.test_request_context():
        for message in to_family:
            assert message.subject == _expected(code, subjects[message.template])
            greeting = (
                _expected(code, "Hello,")
                if message.template.endswith("_parent")
                else _expected(code, "Hello %(name)s,", name="Amira")
            )
            assert greeting in message.body_text
            assert html.escape(greeting, quote=False) in message.body_html
            assert f'<html lang="{code}" dir="{direction}">' in message.body_html
            if code not in ("da", "en"):
                assert message.subject != _expected("da", subjects[message.template])
    counsellor = [m for m in messages if m.template == "placement_counsellor"]
    assert [m.subject for m in counsellor] == ["En ung, du følger, har fået job"]


def test_a_parent_is_written_to_in_the_parents_language(world: World) -> None:
    with world.app.app_context():
        youth = one(Youth, Youth.public_id == world.youth)
        youth.language, youth.parent_language = "da", "ar"
        notifications.queue_placement_confirmation(
            db.session.get_one(Placement, world.placement_id)
        )
        by_template = {m.template: m for m in db.session.scalars(select(OutboxMessage))}
        assert by_template["placement_youth"].subject == "Dit job er bekræftet"
        assert 'lang="ar" dir="rtl"' in by_template["placement_parent"].body_html
        db.session.rollback()


SMS_CONTEXT = {
    "first_name": "Amira",
    "employer_name": "Ikast Dagligvarer",
    "title": "Kasseassistent",
    "start": "16:00",
    "contact_name": "Lene",
    "address": "Torvet 1, 7430 Ikast",
    "code": "123456",
    "minutes": 10,
    "agrees": True,
}


@pytest.mark.parametrize(
    "template", sorted(p.stem for p in (ROOT / "templates/sms").glob("*.txt"))
)
def test_every_sms_renders_in_every_language(app: Flask, template: str) -> None:
    """Each SMS template in each language: within the length, translated, no fallback."""
    from webapp.services.sms.queue import render

    with app.test_request_context():
        texts = {code: render(template, locale=code, **SMS_CONTEXT) for code in locale.LOCALES}
    for code, text in texts.items():
        assert text.strip(), (template, code)
        assert locale.BESIDE not in text, (template, code, text)
        if code not in ("da", "en"):
            assert text != texts["da"], (template, code)
            assert text != texts["en"], (template, code)


@pytest.mark.parametrize("code", ["da", *TRANSLATED])
def test_the_sms_to_a_youth_are_in_the_youths_language(
    world: World, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """News of a proposal, the day before and the morning of the first day, the check-in."""
    from webapp.models import ContactRole, MatchRun, Proposal
    from webapp.services.sms import contacts, messages

    app = world.app
    monkeypatch.setitem(app.config, "SMS_BACKEND", "file")  # SMS on, written to files
    tuesday = dt.date(2026, 12, 1)  # the world's opening has a shift on Tuesdays at 16:00
    with app.app_context(), app.test_request_context():
        youth = one(Youth, Youth.public_id == world.youth)
        youth.language, youth.phone = code, "+4520202020"
        contacts.set_opt_in(youth, ContactRole.YOUTH, opted_in=True)
        placement = db.session.get_one(Placement, world.placement_id)
        placement.start_date = tuesday
        run = MatchRun()
        proposal = Proposal(run=run, youth=youth, opening=placement.opening)
        db.session.add_all([run, proposal])
        db.session.flush()
        messages.queue_proposal_sms(proposal, tuesday)
        messages.queue_first_day_sms(db.session, tuesday - dt.timedelta(days=1))
        messages.queue_first_day_sms(db.session, tuesday)
        placement.status = "started"
        messages.queue_check_in_sms(db.session, tuesday + dt.timedelta(days=7))
        db.session.commit()
        texts = {
            m.template: m.body_text
            for m in db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.channel == "sms")
            )
        }
        employer = placement.opening.employer.name
        with force_locale(code):
            expected = {
                "proposal_youth": gettext(
                    "Hi %(name)s. We have found a job for you at %(employer)s: %(title)s.",
                    name="Amira",
                    employer=employer,
                    title="Kasseassistent",
                ),
                "first_day_tomorrow": gettext(
                    "Hi %(name)s. Tomorrow at %(time)s you start at %(employer)s.",
                    name="Amira",
                    time="16:00",
                    employer=employer,
                ),
                "first_day_today": gettext(
                    "Today at %(time)s you start at %(employer)s.", time="16:00", employer=employer
                ),
                "check_in": gettext(
                    "Hi %(name)s. How is the job at %(employer)s going?",
                    name="Amira",
                    employer=employer,
                ),
            }
    assert set(texts) == set(expected)
    for template, first_line in expected.items():
        assert texts[template].splitlines()[0] == first_line, (code, template)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_consent_request_and_the_sign_in_code_are_in_each_persons_language(
    world: World, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By email and by SMS; over the six cases every language is the parent's once and the
    youth's once, never the same person's twice."""
    from webapp.models import ContactRole
    from webapp.services import youth_login
    from webapp.services.sms import contacts

    app = world.app
    monkeypatch.setitem(app.config, "SMS_BACKEND", "file")  # SMS on, written to files
    other = LANGUAGES[(LANGUAGES.index(code) + 1) % len(LANGUAGES)]  # the youth's language
    with app.app_context(), app.test_request_context():
        youth = one(Youth, Youth.public_id == world.youth)
        youth.language, youth.parent_language = other, code
        youth.phone, youth.parent_phone = "+4520202020", "+4530303030"
        contacts.set_opt_in(youth, ContactRole.YOUTH, opted_in=True)
        contacts.set_opt_in(youth, ContactRole.PARENT, opted_in=True)
        db.session.commit()
        coordinator = one(User, User.public_id == world.coordinator)
        consent.send_request(coordinator, db.session.get_one(Placement, world.placement_id))
        youth_login.request_code("amira@youth.example")
        youth_login.request_code("20 20 20 20")  # asked by phone: the code comes by SMS
        db.session.commit()
        sent = {(m.channel, m.template): m for m in db.session.scalars(select(OutboxMessage))}
        for template, language, subject, sms_line in (
            (
                "consent_request",
                code,
                "A job needs your consent",
                "Do you consent? Answer YES or NO.",
            ),
            (
                "youth_code",
                other,
                "Your code for the job board",
                "It works for %(minutes)d minutes.",
            ),
        ):
            message = sent["email", template]
            assert message.subject == _expected(language, subject), template
            direction = "rtl" if language == "ar" else "ltr"
            assert f'<html lang="{language}" dir="{direction}">' in message.body_html
            assert locale.BESIDE not in message.body_text, (template, language)
            sms = sent["sms", template].body_text
            last = _expected(language, sms_line, minutes=youth_login.CODE_MINUTES)
            assert sms.splitlines()[-1] == last, (template, language)
            assert locale.BESIDE not in sms, (template, language)
