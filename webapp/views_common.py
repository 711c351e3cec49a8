"""Small helpers the blueprints share: lookups that 404, and re-rendering invalid forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Form

from .models import Opening, Youth
from .opening_forms import OpeningForm
from .services import openings as opening_service
from .services import progression
from .services.errors import InvalidStateError, NotFoundError
from .youth_forms import MilestoneForm, NoteForm

T = TypeVar("T")

INVALID = 422  # status of a page re-rendered with errors beside the fields

Profile = Callable[..., tuple[str, int]]


def or_404(lookup: Callable[..., T], *args: object) -> T:
    """Call a service lookup; a `NotFoundError` becomes a 404 page."""
    try:
        return lookup(*args)
    except NotFoundError:
        abort(404)


def show_error(form: Form | None, error: InvalidStateError) -> None:
    """Put a service's refusal beside its field, or flash it when it has none."""
    if form is not None and error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "danger")


def add_note(youth: Youth, profile: Profile, back: str) -> Response | tuple[str, int]:
    """Handle the note form of a youth's page: append it, or re-render with errors."""
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        return profile(youth, INVALID, note_form=form)
    progression.add_note(current_user._get_current_object(), youth, form.text.data or "")
    flash(_("The note is added to the timeline."), "success")
    return redirect(back)


def add_milestone(youth: Youth, profile: Profile, back: str) -> Response | tuple[str, int]:
    """Handle the milestone form of a youth's page: append it, or re-render with errors."""
    form = MilestoneForm(prefix="milestone")
    if not form.validate_on_submit():
        return profile(youth, INVALID, milestone_form=form)
    progression.add_milestone(
        current_user._get_current_object(),
        youth,
        code=form.code.data or "other",
        on=form.on.data,
        text=form.text.data or "",
    )
    flash(_("The milestone is added to the timeline."), "success")
    return redirect(back)


def edit_opening(
    opening: Opening, form: OpeningForm, template: str, done_url: str, **context: Any
) -> str | Response | tuple[str, int]:
    """The edit page of an opening, for coordinators and employers alike."""
    if request.method == "GET":
        form.fill(opening)
    elif form.validate_on_submit():
        try:
            opening_service.update_opening(opening, form.to_data())
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(done_url)
    page = render_template(template, form=form, opening=opening, **context)
    return (page, INVALID) if request.method == "POST" else page
