"""A youth's profile page and its forms: onboarding steps, timeline, friends, placements."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from webapp.ui import board_day
from webapp.ui.paging import requested_page

from ..forms.common import ActionForm
from ..forms.youth import (
    ChecklistForm,
    EndForm,
    MilestoneForm,
    NoteForm,
    StartForm,
    checklist_form,
)
from ..models import AuditAction, OnboardingStepKind, Placement, StepStatus, Youth
from ..services import audit, first_day, onboarding, pickers, placements, timeline
from ..services import youths as youth_service
from ..services.errors import AlreadyDoneError, InvalidStateError
from ..ui.views import INVALID, actor, add_milestone, add_note, form_action, or_404, show_error
from .blueprint import bp
from .forms import BuddiesForm, PlaceForm
from .pickers import friend_chooser, offer_friends, offer_openings, opening_chooser, search_form
from .youths import profile_url

ACCESS_LOG_LINES = 10  # the newest entries of the access log the profile shows
PROFILE = {"page": "profile"}


def _checklist_form(
    youth: Youth, kinds: list[OnboardingStepKind], form: ChecklistForm | None
) -> ChecklistForm:
    """The checklist form, filled from the stored steps unless re-rendered with errors."""
    if form is not None:
        return form
    form = checklist_form([k.id for k in kinds], formdata=None)
    rows = form.rows()
    for row in onboarding.checklist(youth, kinds).rows:
        step_form = rows[row.kind.id]
        step_form.status.data = row.status
        step_form.done_on.data = row.step.done_on if row.step else None
        step_form.note.data = row.step.note if row.step else ""
    return form


def _start_form(placement: Placement, forms: dict[str, Any]) -> StartForm:
    """The first-day form of a placement; it proposes the next shift day from the planned one."""
    form: StartForm | None = forms.pop(f"start{placement.id}", None)
    if form is not None:
        return form
    form = StartForm(prefix=f"start{placement.id}", formdata=None)
    form.on.data = first_day.next_first_day(placement.opening, not_before=placement.start_date)
    return form


def _profile(youth: Youth, status: int = 200, **forms: Any) -> tuple[str, int]:
    """The profile page; `forms` are forms re-rendered as posted, and what a search found."""
    kinds = onboarding.step_kinds()
    steps_form = _checklist_form(youth, kinds, forms.pop("checklist_form", None))
    buddies_form = forms.pop("buddies_form", None) or _named_friends(youth)
    place_form = forms.pop("place_form", None) or PlaceForm(formdata=None)
    friends = friend_chooser(
        youth,
        buddies_form,
        forms.pop("friend_search", None) or search_form("friend", posted=False),
        forms.pop("found_friends", None),
    )
    placing = opening_chooser(
        place_form,
        forms.pop("opening_search", None) or search_form("opening", posted=False),
        forms.pop("found_openings", None),
    )
    page = render_template(
        "coordinator/youth.html",
        youth=youth,
        checklist=onboarding.checklist(youth, kinds),
        steps_form=steps_form,
        step_rows=steps_form.rows(),
        events=timeline.events_for(youth, page=requested_page()),
        note_form=forms.pop("note_form", None) or NoteForm(prefix="note", formdata=None),
        milestone_form=forms.pop("milestone_form", None)
        or MilestoneForm(prefix="milestone", formdata=None),
        place_form=place_form,
        placing=placing,
        start_forms={p.id: _start_form(p, forms) for p in youth.placements},
        end_forms={
            p.id: forms.pop(f"end{p.id}", None) or EndForm(prefix=f"end{p.id}", formdata=None)
            for p in youth.placements
        },
        buddies_form=buddies_form,
        friends=friends,
        action_form=ActionForm(),
        age_only=youth_service.birth_date_estimated(youth),
        today=board_day.today(),
        access_log=audit.access_log(youth, per_page=ACCESS_LOG_LINES),
    )
    return page, status


@bp.route("/youths/<public_id>")
def youth(public_id: str) -> tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    audit.record_access(AuditAction.YOUTH_VIEWED, actor=actor(), youths=[youth], detail=PROFILE)
    return _profile(youth)


@bp.route("/youths/<public_id>/access-log")
def youth_access_log(public_id: str) -> str:
    """Who viewed, exported or changed the youth's data, newest first, a page at a time."""
    youth = or_404(youth_service.get_youth, public_id)
    log = audit.access_log(youth, page=requested_page(), per_page=current_app.config["PAGE_SIZE"])
    return render_template("coordinator/access_log.html", youth=youth, access_log=log)


@bp.route("/youths/<public_id>/steps", methods=["POST"])
def youth_steps(public_id: str) -> Response | tuple[str, int]:
    """The whole checklist in one POST, saved together; only the changed steps are recorded."""
    youth = or_404(youth_service.get_youth, public_id)
    kinds = onboarding.step_kinds()
    form = checklist_form([k.id for k in kinds], formdata=_checklist_formdata(youth, kinds))
    if not form.validate_on_submit():
        return _profile(youth, INVALID, checklist_form=form)
    rows = form.rows()
    changed = onboarding.update_steps(
        actor(),
        youth,
        [
            onboarding.StepChange(
                kind,
                rows[kind.id].status.data or StepStatus.TODO,
                rows[kind.id].done_on.data,
                rows[kind.id].note.data or "",
            )
            for kind in kinds
        ],
    )
    if changed:
        flash(_("The onboarding steps are saved."), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(profile_url(youth, "onboarding"))


@bp.route("/youths/<public_id>/steps/<int:kind_id>", methods=["POST"])
def youth_step(public_id: str, kind_id: int) -> Response | tuple[str, int]:
    """One step (the form of earlier pages): the checklist's POST with the others as stored."""
    or_404(onboarding.get_step_kind, kind_id)
    return youth_steps(public_id)


def _checklist_formdata(youth: Youth, kinds: list[OnboardingStepKind]) -> MultiDict[str, str]:
    """The POST, with the stored values of each step it does not carry: those stay unchanged."""
    data = MultiDict(request.form)
    for row in onboarding.checklist(youth, kinds).rows:
        prefix = f"step{row.kind.id}-"
        if prefix + "status" in data:
            continue
        done_on = row.step.done_on if row.step else None
        data[prefix + "status"] = row.status
        data[prefix + "done_on"] = done_on.isoformat() if done_on else ""
        data[prefix + "note"] = row.step.note if row.step else ""
    return data


@bp.route("/youths/<public_id>/notes", methods=["POST"])
def youth_note(public_id: str) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    return add_note(youth, _profile, profile_url(youth, "timeline"))


@bp.route("/youths/<public_id>/milestones", methods=["POST"])
def youth_milestone(public_id: str) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    return add_milestone(youth, _profile, profile_url(youth, "timeline"))


def _named_friends(youth: Youth) -> BuddiesForm:
    form = BuddiesForm(formdata=None)
    form.buddies.data = [b.public_id for b in youth.buddies]
    return form


def _searching() -> bool:
    """Whether the POST is a chooser's search (its button, or Enter in its field), not a save."""
    return request.form.get("action") == "search"


@bp.route("/youths/<public_id>/buddies", methods=["POST"])
def youth_buddies(public_id: str) -> Response | tuple[str, int]:
    """Save the ticked friends; or, as the search step without script, show what a search finds."""
    youth = or_404(youth_service.get_youth, public_id)
    form = BuddiesForm()
    offer_friends(youth, form, [])
    search = search_form("friend")
    if not search.validate_on_submit():  # the term is sent with a save too: never kept if hostile
        return _profile(youth, INVALID, buddies_form=form, friend_search=search)
    if _searching():
        found = pickers.friend_matches(youth, search.q.data or "")
        return _profile(youth, buddies_form=form, friend_search=search, found_friends=found)
    if not form.validate_on_submit():
        return _profile(youth, INVALID, buddies_form=form, friend_search=search)
    youth_service.set_buddies(actor(), youth, list(form.buddies.data or []))
    flash(_("The friends are saved."), "success")
    return redirect(profile_url(youth, "friends"))


@bp.route("/youths/<public_id>/placements", methods=["POST"])
def youth_place(public_id: str) -> Response | tuple[str, int]:
    """Place the youth in the chosen opening; or, without script, show what a search finds."""
    youth = or_404(youth_service.get_youth, public_id)
    form = PlaceForm()
    opening = next(iter(offer_openings(form, [])), None)
    search = search_form("opening")
    if not search.validate_on_submit():  # the term is sent with the placing too
        return _profile(youth, INVALID, place_form=form, opening_search=search)
    if _searching():
        found = pickers.opening_matches(search.q.data or "")
        return _profile(youth, place_form=form, opening_search=search, found_openings=found)
    if form.validate_on_submit() and opening is not None:
        try:
            placements.place(actor(), youth, opening, start_date=form.start_date.data)
        except AlreadyDoneError as error:
            flash(str(error), "info")
            return redirect(profile_url(youth, "placements"))
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The youth is placed."), "success")
            return redirect(profile_url(youth, "placements"))
    return _profile(youth, INVALID, place_form=form, opening_search=search)


@bp.route("/youths/<public_id>/placements/<int:placement_id>/start", methods=["POST"])
def placement_start(public_id: str, placement_id: int) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    placement = or_404(placements.get_placement, youth, placement_id)
    form = StartForm(prefix=f"start{placement.id}")
    return form_action(
        form,
        lambda: _profile(youth, INVALID, **{f"start{placement.id}": form}),
        lambda: placements.start(actor(), placement, on=form.on.data, exception=form.exception()),
        _("The first day is recorded."),
        profile_url(youth, "placements"),
        beside=True,
    )


@bp.route("/youths/<public_id>/placements/<int:placement_id>/end", methods=["POST"])
def placement_end(public_id: str, placement_id: int) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    placement = or_404(placements.get_placement, youth, placement_id)
    form = EndForm(prefix=f"end{placement.id}")
    return form_action(
        form,
        lambda: _profile(youth, INVALID, **{f"end{placement.id}": form}),
        lambda: placements.end(
            actor(),
            placement,
            on=form.on.data,
            reason=form.reason.data or "other",
            note=form.note.data or "",
        ),
        _("The placement has ended."),
        profile_url(youth, "placements"),
    )
