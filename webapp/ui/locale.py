"""The board's languages, the choice between them, and what shows where a translation is missing.

Public pages (the job board, the interest form, the consent page, the youth's
own page) and every message to a youth or a parent come in six languages;
staff pages in Danish and English only. A text whose translation is not
trusted (not in the locale's catalogue, or marked fuzzy for a human
translator, which `pybabel compile` leaves out) falls back to the Danish
text with the English beside it, never to English alone: `FallbackDomain`.
"""

from __future__ import annotations

import gettext

from babel import Locale, support
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, Domain, get_locale

from ..models.youths import PERSON_LANGUAGES

DEFAULT_LOCALE = "da"
SOURCE_LOCALE = "en"  # the msgids are English
LOCALES = PERSON_LANGUAGES  # what a visitor can choose, on public pages
STAFF_LOCALES = ("da", "en")
# The blueprints of public pages; every other page is for staff, and stays in Danish or
# English (a visitor who chose Arabic sees it in Danish). A page outside any blueprint (a
# 404 for an unknown address) is public.
PUBLIC_BLUEPRINTS = frozenset({"public", "family"})
# Each language by its own name, as the picker shows it.
LANGUAGE_NAMES = {
    "da": "Dansk",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "so": "Soomaali",
    "uk": "Українська",
}
BESIDE = " / "  # between the Danish text and the English one in a fallback


def select_locale() -> str:
    """The visitor's choice (the `lang` cookie) when this page offers it, else Danish."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = request.cookies.get("lang", "")
    return chosen if chosen in page_locales() else DEFAULT_LOCALE


def is_staff_page() -> bool:
    """Whether the current request is for a page of the staff (Danish and English only)."""
    if not has_request_context() or request.blueprint is None:
        return False
    return request.blueprint not in PUBLIC_BLUEPRINTS


def page_locales() -> tuple[str, ...]:
    """The languages the current page can be shown in."""
    return STAFF_LOCALES if is_staff_page() else LOCALES


def language_choices() -> list[tuple[str, str, str]]:
    """The picker's entries: (code, name in its own language, text direction)."""
    return [(code, LANGUAGE_NAMES[code], text_direction(code)) for code in page_locales()]


def text_direction(locale: str) -> str:
    """``rtl`` for a language written right to left (Arabic), else ``ltr``."""
    return "rtl" if Locale.parse(locale).text_direction == "rtl" else "ltr"


def current_locale() -> str:
    """The locale of what is being rendered now (a forced one inside `force_locale`)."""
    return str(get_locale() or DEFAULT_LOCALE)


class DanishBesideEnglish(support.NullTranslations):
    """The fallback of a catalogue other than Danish and English: "Danish / English".

    Where the Danish catalogue has no text either, the English msgid alone.
    """

    def __init__(self, danish: gettext.NullTranslations) -> None:
        super().__init__()
        self._danish = danish

    def gettext(self, message: str) -> str:
        return _beside(self._danish.gettext(message), message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:  # type: ignore[override]
        english = singular if n == 1 else plural
        return _beside(self._danish.ngettext(singular, plural, n), english)

    def pgettext(self, context: str, message: str) -> str:  # type: ignore[override]
        return _beside(self._danish.pgettext(context, message), message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        english = singular if n == 1 else plural
        return _beside(self._danish.npgettext(context, singular, plural, n), english)

    ugettext = gettext
    ungettext = ngettext
    upgettext = pgettext
    unpgettext = npgettext


def _beside(danish: str, english: str) -> str:
    return english if danish == english else f"{danish}{BESIDE}{english}"


_KEPT = "_jobmatch_translations"  # the key in `g` of (locale, catalogue)


class FallbackDomain(Domain):  # type: ignore[misc]
    """Flask-Babel's message domain, with `DanishBesideEnglish` behind each other catalogue."""

    def get_translations(self) -> gettext.NullTranslations:
        """The catalogue of the current locale, looked up once for each locale of a request.

        A page calls this for each of its hundreds of texts: the answer is kept in `g`
        beside the locale object it is for (`force_locale` puts another in its place).
        """
        locale = get_locale()
        kept = g.get(_KEPT) if locale is not None else None
        if kept is not None and kept[0] is locale:
            return kept[1]
        translations = self._translations(str(locale or DEFAULT_LOCALE))
        if locale is not None:
            setattr(g, _KEPT, (locale, translations))
        return translations

    def _translations(self, locale: str) -> gettext.NullTranslations:
        translations: gettext.NullTranslations = super().get_translations()
        if locale in (DEFAULT_LOCALE, SOURCE_LOCALE) or not isinstance(
            translations, support.Translations
        ):
            return translations
        if not getattr(translations, "_danish_beside", False):
            translations.add_fallback(DanishBesideEnglish(self._danish()))
            translations._danish_beside = True  # type: ignore[attr-defined]
        return translations

    def _danish(self) -> support.Translations:
        danish = support.Translations()
        for directory in self.translation_directories:
            danish.merge(support.Translations.load(directory, [DEFAULT_LOCALE], self.domain[0]))
        return danish


def install(babel: Babel, app: Flask) -> None:
    """Make `babel` look texts up through `FallbackDomain` (after its `init_app(app)`)."""
    babel.domain_instance = FallbackDomain(domain=app.extensions["babel"].default_domain)
