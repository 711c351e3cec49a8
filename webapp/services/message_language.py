"""Messages to a youth or a parent in that person's language.

Each person has a language (`Youth.language`, `Youth.parent_language`: one
of `PERSON_LANGUAGES`); staff are written to in Danish. A message is rendered
inside `in_language`, so that every text in it (subject, body, dates) comes
from that language's catalogue, with Danish beside English where a
translation is missing (webapp/ui/locale.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask_babel import force_locale

from ..models import OnboardingStepKind, Youth
from ..models.youths import PERSON_LANGUAGES
from ..ui.locale import BESIDE, DEFAULT_LOCALE, SOURCE_LOCALE

STAFF_LANGUAGE = DEFAULT_LOCALE


@dataclass(frozen=True)
class Rendered:
    """An email as it goes out: the subject and the plain and HTML bodies."""

    subject: str
    text: str
    html: str


def language_of(code: object) -> str:
    """`code` when it is one of the languages a person can have, else Danish."""
    return code if isinstance(code, str) and code in PERSON_LANGUAGES else DEFAULT_LOCALE


def youth_language(youth: Youth) -> str:
    """The language the youth is written to in."""
    return language_of(youth.language)


def parent_language(youth: Youth) -> str:
    """The language the youth's parent is written to in."""
    return language_of(youth.parent_language)


@contextmanager
def in_language(language: str) -> Iterator[str]:
    """Render everything inside in `language` (Danish when it is not a person's language)."""
    chosen = language_of(language)
    with force_locale(chosen):
        yield chosen


def render_email(language: str, subject: Any, template: str, **context: Any) -> Rendered:
    """`templates/email/<template>.txt` and `.html` and the subject, in `language`."""
    with in_language(language):
        return Rendered(
            subject=str(subject),
            text=render_template(f"email/{template}.txt", **context),
            html=render_template(f"email/{template}.html", **context),
        )


def step_texts(kinds: list[OnboardingStepKind], language: str) -> list[tuple[str, str]]:
    """Each onboarding step's name and how-to in `language` (as `step_name` words it)."""
    return [(step_name(k, language), step_description(k, language)) for k in kinds]


def step_name(kind: OnboardingStepKind, language: str) -> str:
    """An onboarding step's name in `language`.

    The steps are the board's data, written in Danish and English: Danish and
    English have their own; any other language gets the Danish with the
    English beside it, as a text without a translation does.
    """
    chosen = language_of(language)
    if chosen in (DEFAULT_LOCALE, SOURCE_LOCALE):
        return kind.name(chosen)
    return _beside(kind.name_da, kind.name_en)


def step_description(kind: OnboardingStepKind, language: str) -> str:
    """An onboarding step's how-to in `language`, as `step_name` words the name."""
    chosen = language_of(language)
    if chosen in (DEFAULT_LOCALE, SOURCE_LOCALE):
        return kind.description(chosen)
    return _beside(kind.description_da, kind.description_en)


def _beside(danish: str, english: str) -> str:
    return danish if not english or english == danish else f"{danish}{BESIDE}{english}"
