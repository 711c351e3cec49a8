"""Helpers the blueprints share: lookups that 404, form pages, button and form actions, notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Form

from ..forms.common import ActionForm, BaseForm
from ..forms.opening import OpeningForm
from ..forms.youth import MilestoneForm, NoteForm
from ..models import Opening, User, Youth
from ..services import openings as opening_service
from ..services import progression
from ..services.errors import AlreadyDoneError, InvalidStateError, NotFoundError

T = TypeVar("T")

INVALID = 422  # status of a page re-rendered with errors beside the fields

Profile = Callable[..., tuple[str, int]]


def actor() -> User:
    """The signed-in user as a model instance (for services that record who acted)."""
    user: User = current_user._get_current_object()
    return user


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


def form_page(template: str, **context: Any) -> str | tuple[str, int]:
    """A page with a form; after a refused submission with the status that says so."""
    page = render_template(template, **context)
    return (page, INVALID) if request.method == "POST" else page


def post_action(
    action: Callable[[], T],
    message: str | Callable[[T], str],
    done: str,
    *,
    refused: str | None = None,
) -> Response:
    """A button's POST: with a valid CSRF token run `action` and flash what came of it.

    A service's refusal (`InvalidStateError`) is flashed as an error instead of
    `message` (which may be made from the action's result).

    Returns:
        A redirect to `done`, or to `refused` (when given) after a refusal.
    """
    if not ActionForm().validate_on_submit():
        return redirect(done)
    return _run_and_flash(action, message, done, refused)


def form_action(
    form: BaseForm,
    invalid_page: Callable[[], tuple[str, int]],
    action: Callable[[], object],
    message: str,
    done: str,
    *,
    refused: str | None = None,
    beside: bool = False,
) -> Response | tuple[str, int]:
    """A small form's POST: `invalid_page` when it does not validate, else as `post_action`.

    With `beside`, a service's refusal that names one of the form's fields
    (`InvalidStateError.field`) is put beside that field on `invalid_page`.

    Returns:
        The re-rendered page with the form's errors, or a redirect to `done`
        (to `refused`, when given, after a service's refusal).
    """
    if not form.validate_on_submit():
        return invalid_page()
    if not beside:
        return _run_and_flash(action, message, done, refused)
    try:
        return _run_and_flash(action, message, done, refused, reraise=form)
    except InvalidStateError as error:
        show_error(form, error)
        return invalid_page()


def _run_and_flash(
    action: Callable[[], T],
    message: str | Callable[[T], str],
    done: str,
    refused: str | None,
    *,
    reraise: Form | None = None,
) -> Response:
    """Run a service action and flash its outcome, or its refusal as an error.

    An action done already (the same request twice) is said calmly, as done.
    A refusal that names a field of `reraise` is raised again, for the caller
    to show beside that field.
    """
    try:
        outcome = action()
    except AlreadyDoneError as error:
        flash(str(error), "info")
        return redirect(done)
    except InvalidStateError as error:
        if reraise is not None and error.field and error.field in reraise:
            raise
        flash(str(error), "danger")
        return redirect(refused or done)
    flash(message(outcome) if callable(message) else message, "success")
    return redirect(done)


def add_note(youth: Youth, profile: Profile, back: str) -> Response | tuple[str, int]:
    """Handle the note form of a youth's page: append it, or re-render with errors."""
    form = NoteForm(prefix="note")
    return form_action(
        form,
        lambda: profile(youth, INVALID, note_form=form),
        lambda: progression.add_note(actor(), youth, form.text.data or ""),
        _("The note is added to the timeline."),
        back,
    )


def add_milestone(youth: Youth, profile: Profile, back: str) -> Response | tuple[str, int]:
    """Handle the milestone form of a youth's page: append it, or re-render with errors."""
    form = MilestoneForm(prefix="milestone")
    return form_action(
        form,
        lambda: profile(youth, INVALID, milestone_form=form),
        lambda: progression.add_milestone(
            actor(),
            youth,
            code=form.code.data or "other",
            on=form.on.data,
            text=form.text.data or "",
        ),
        _("The milestone is added to the timeline."),
        back,
    )


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
    return form_page(template, form=form, opening=opening, **context)
