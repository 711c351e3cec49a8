"""Coordinator pages. Every route here requires the coordinator role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..auth.sessions import require_role
from ..forms import options
from ..models import Youth
from ..opening_forms import EmployerForm, new_opening_form
from ..services import accounts, onboarding, placements, timeline
from ..services import openings as opening_service
from ..services import youths as youth_service
from ..services.errors import InvalidStateError
from ..views_common import INVALID, add_milestone, add_note, edit_opening, or_404, show_error
from ..youth_forms import (
    EndForm,
    MilestoneForm,
    NoteForm,
    PlaceForm,
    StartForm,
    StepForm,
    YouthForm,
)
from .forms import ActionForm, BuddiesForm, InviteForm, StepKindForm

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")
bp.before_request(require_role("coordinator"))


def _me() -> Any:
    return current_user._get_current_object()


# -- overview ----------------------------------------------------------------


@bp.route("/")
def index() -> str:
    return render_template(
        "coordinator/index.html",
        registrations=youth_service.pending_registrations(),
        pending_openings=opening_service.list_openings(status="pending"),
        employers=[e for e in opening_service.list_employers() if e.status == "pending"],
    )


# -- youths ------------------------------------------------------------------


def _youth_form(**kwargs: Any) -> YouthForm:
    form = YouthForm(**kwargs)
    form.set_choices(
        [(str(a.id), a.name) for a in opening_service.areas()],
        [(str(c.id), c.name) for c in accounts.counsellors()],
        [(e.public_id, e.name) for e in opening_service.approved_employers()],
    )
    return form


SEARCH_KEY = "youth_search"
FILTERS = ("status", "area", "counsellor", "min_age", "max_age", "interest")


@bp.route("/youths", methods=["GET", "POST"])
def youths() -> str | Response:
    # The search term may be a name: it travels in a POST and the session, never in a URL.
    if request.method == "POST":
        if ActionForm().validate_on_submit():
            session[SEARCH_KEY] = request.form.get("q", "").strip()[:100]
        kept = {k: request.form.get(k, "") for k in FILTERS}
        return redirect(url_for("coordinator.youths", **{k: v for k, v in kept.items() if v}))
    args = request.args
    if args.get("clear"):
        session.pop(SEARCH_KEY, None)

    def _int(name: str) -> int | None:
        value = args.get(name, "")
        return int(value) if value.isdigit() and len(value) < 6 else None

    status = args.get("status", "active")
    f = youth_service.YouthFilter(
        q=session.get(SEARCH_KEY, ""),
        status=status if status in ("active", "archived", "pending") else "active",
        area_id=_int("area"),
        counsellor_id=_int("counsellor"),
        min_age=_int("min_age"),
        max_age=_int("max_age"),
        interest=args.get("interest", "")[:40],
    )
    page = youth_service.search(
        f,
        page=_int("page") or 1,
        per_page=current_app.config["PAGE_SIZE"],
        today=dt.date.today(),
    )
    kinds = onboarding.step_kinds()
    return render_template(
        "coordinator/youths.html",
        page=page,
        checklists={y.id: onboarding.checklist(y, kinds) for y in page.items},
        f=f,
        areas=opening_service.areas(),
        counsellors=accounts.counsellors(),
        today=dt.date.today(),
    )


@bp.route("/youths/new", methods=["GET", "POST"])
def youth_new() -> str | Response | tuple[str, int]:
    form = _youth_form()
    if form.validate_on_submit():
        try:
            youth = youth_service.create_youth(_me(), form.to_data())
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The youth is registered."), "success")
            return redirect(url_for("coordinator.youth", public_id=youth.public_id))
    if request.method == "POST":
        return render_template("coordinator/youth_form.html", form=form, youth=None), INVALID
    return render_template("coordinator/youth_form.html", form=form, youth=None)


def _profile(youth: Youth, status: int = 200, **forms: Any) -> tuple[str, int]:
    kinds = onboarding.step_kinds()
    step_forms = {}
    for row in onboarding.checklist(youth, kinds).rows:
        prefix = f"step{row.kind.id}"
        if prefix in forms:
            step_forms[row.kind.id] = forms.pop(prefix)
            continue
        form = StepForm(prefix=prefix, formdata=None)
        form.status.data = row.status
        form.done_on.data = row.step.done_on if row.step else None
        form.note.data = row.step.note if row.step else ""
        step_forms[row.kind.id] = form
    place_form = forms.pop("place_form", None) or PlaceForm(formdata=None)
    place_form.opening.choices = options(
        [(o.public_id, f"{o.title} — {o.employer.name}") for o in placements.open_openings()]
    )
    buddies_form = forms.pop("buddies_form", None) or BuddiesForm(formdata=None)
    buddies_form.buddies.choices = options(
        [
            (y.public_id, f"{y.first_name} {y.last_name}")
            for y in youth_service.buddy_candidates(youth)
        ]
    )
    if not buddies_form.buddies.data:
        buddies_form.buddies.data = [b.public_id for b in youth.buddies]
    page = render_template(
        "coordinator/youth.html",
        youth=youth,
        checklist=onboarding.checklist(youth, kinds),
        step_forms=step_forms,
        events=timeline.events_for(youth),
        note_form=forms.pop("note_form", None) or NoteForm(prefix="note", formdata=None),
        milestone_form=forms.pop("milestone_form", None)
        or MilestoneForm(prefix="milestone", formdata=None),
        place_form=place_form,
        start_forms={
            p.id: forms.pop(f"start{p.id}", None)
            or StartForm(prefix=f"start{p.id}", formdata=None)
            for p in youth.placements
        },
        end_forms={
            p.id: forms.pop(f"end{p.id}", None) or EndForm(prefix=f"end{p.id}", formdata=None)
            for p in youth.placements
        },
        buddies_form=buddies_form,
        action_form=ActionForm(),
        today=dt.date.today(),
    )
    return page, status


def _back_url(youth: Youth, anchor: str = "") -> str:
    return url_for("coordinator.youth", public_id=youth.public_id, _anchor=anchor or None)


def _back(youth: Youth, anchor: str = "") -> Response:
    return redirect(_back_url(youth, anchor))


@bp.route("/youths/<public_id>")
def youth(public_id: str) -> tuple[str, int]:
    return _profile(or_404(youth_service.get_youth, public_id))


@bp.route("/youths/<public_id>/edit", methods=["GET", "POST"])
def youth_edit(public_id: str) -> str | Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    form = _youth_form()
    if request.method == "GET":
        form.fill(youth)
    elif form.validate_on_submit():
        try:
            youth_service.update_youth(_me(), youth, form.to_data())
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return _back(youth)
    if request.method == "POST":
        return render_template("coordinator/youth_form.html", form=form, youth=youth), INVALID
    return render_template("coordinator/youth_form.html", form=form, youth=youth)


def _simple_action(public_id: str, action: Any, message: str, *, profile: bool = True) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    if ActionForm().validate_on_submit():
        try:
            action(youth)
        except InvalidStateError as error:
            flash(str(error), "danger")
        else:
            flash(message, "success")
    if not profile:
        return redirect(url_for("coordinator.registrations"))
    return _back(youth)


@bp.route("/youths/<public_id>/export")
def youth_export(public_id: str) -> Response:
    """Everything held about the youth as a JSON file (right of access)."""
    youth = or_404(youth_service.get_youth, public_id)
    response = jsonify(youth_service.export(youth))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="youth-{youth.public_id}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/youths/<public_id>/archive", methods=["POST"])
def youth_archive(public_id: str) -> Response:
    return _simple_action(
        public_id, lambda y: youth_service.archive_youth(_me(), y), _("The youth is archived.")
    )


@bp.route("/youths/<public_id>/erase", methods=["POST"])
def youth_erase(public_id: str) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    if ActionForm().validate_on_submit():
        try:
            youth_service.erase(youth)
        except InvalidStateError as error:
            flash(str(error), "danger")
            return _back(youth)
        flash(_("The youth and all their data are deleted."), "success")
    return redirect(url_for("coordinator.youths", status="archived"))


@bp.route("/youths/<public_id>/reactivate", methods=["POST"])
def youth_reactivate(public_id: str) -> Response:
    return _simple_action(
        public_id,
        lambda y: youth_service.reactivate_youth(_me(), y),
        _("The youth is active again."),
    )


@bp.route("/registrations")
def registrations() -> str:
    return render_template(
        "coordinator/registrations.html",
        registrations=youth_service.pending_registrations(),
        action_form=ActionForm(),
        today=dt.date.today(),
    )


@bp.route("/registrations/<public_id>/approve", methods=["POST"])
def registration_approve(public_id: str) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    if ActionForm().validate_on_submit():
        try:
            youth_service.approve_registration(_me(), youth)
        except InvalidStateError as error:
            flash(str(error), "danger")
            return redirect(url_for("coordinator.registrations"))
        flash(_("The registration is approved. Complete the profile."), "success")
    return redirect(url_for("coordinator.youth_edit", public_id=youth.public_id))


@bp.route("/registrations/<public_id>/reject", methods=["POST"])
def registration_reject(public_id: str) -> Response:
    return _simple_action(
        public_id,
        youth_service.reject_registration,
        _("The registration is deleted."),
        profile=False,
    )


@bp.route("/youths/<public_id>/steps/<int:kind_id>", methods=["POST"])
def youth_step(public_id: str, kind_id: int) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    kind = or_404(onboarding.get_step_kind, kind_id)
    form = StepForm(prefix=f"step{kind.id}")
    if not form.validate_on_submit():
        return _profile(youth, INVALID, **{f"step{kind.id}": form})
    onboarding.update_step(
        _me(),
        youth,
        kind,
        status=form.status.data or "todo",
        done_on=form.done_on.data,
        note=form.note.data or "",
    )
    flash(_("The step is saved."), "success")
    return _back(youth, "onboarding")


@bp.route("/youths/<public_id>/notes", methods=["POST"])
def youth_note(public_id: str) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    return add_note(youth, _profile, _back_url(youth, "timeline"))


@bp.route("/youths/<public_id>/milestones", methods=["POST"])
def youth_milestone(public_id: str) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    return add_milestone(youth, _profile, _back_url(youth, "timeline"))


@bp.route("/youths/<public_id>/buddies", methods=["POST"])
def youth_buddies(public_id: str) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    form = BuddiesForm()
    form.buddies.choices = options(
        [(y.public_id, y.first_name) for y in youth_service.buddy_candidates(youth)]
    )
    if not form.validate_on_submit():
        return _profile(youth, INVALID, buddies_form=form)
    youth_service.set_buddies(_me(), youth, list(form.buddies.data or []))
    flash(_("The friends are saved."), "success")
    return _back(youth)


@bp.route("/youths/<public_id>/placements", methods=["POST"])
def youth_place(public_id: str) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    form = PlaceForm()
    form.opening.choices = options([(o.public_id, o.title) for o in placements.open_openings()])
    if form.validate_on_submit():
        opening = or_404(opening_service.get_opening, form.opening.data)
        try:
            placements.place(_me(), youth, opening, start_date=form.start_date.data)
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The youth is placed."), "success")
            return _back(youth, "placements")
    return _profile(youth, INVALID, place_form=form)


@bp.route("/youths/<public_id>/placements/<int:placement_id>/start", methods=["POST"])
def placement_start(public_id: str, placement_id: int) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    placement = or_404(placements.get_placement, youth, placement_id)
    form = StartForm(prefix=f"start{placement.id}")
    if not form.validate_on_submit():
        return _profile(youth, INVALID, **{f"start{placement.id}": form})
    try:
        placements.start(_me(), placement, on=form.on.data)
    except InvalidStateError as error:
        flash(str(error), "danger")
    else:
        flash(_("The first day is recorded."), "success")
    return _back(youth, "placements")


@bp.route("/youths/<public_id>/placements/<int:placement_id>/end", methods=["POST"])
def placement_end(public_id: str, placement_id: int) -> Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    placement = or_404(placements.get_placement, youth, placement_id)
    form = EndForm(prefix=f"end{placement.id}")
    if not form.validate_on_submit():
        return _profile(youth, INVALID, **{f"end{placement.id}": form})
    try:
        placements.end(
            _me(),
            placement,
            on=form.on.data,
            reason=form.reason.data or "other",
            note=form.note.data or "",
        )
    except InvalidStateError as error:
        flash(str(error), "danger")
    else:
        flash(_("The placement has ended."), "success")
    return _back(youth, "placements")


# -- employers and openings --------------------------------------------------


@bp.route("/employers")
def employers() -> str:
    return render_template(
        "coordinator/employers.html", employers=opening_service.list_employers()
    )


@bp.route("/employers/new", methods=["GET", "POST"])
def employer_new() -> str | Response | tuple[str, int]:
    form = EmployerForm()
    if form.validate_on_submit():
        employer = opening_service.create_employer(form.to_data(), approved=True)
        flash(_("The employer is created."), "success")
        return redirect(url_for("coordinator.employer", public_id=employer.public_id))
    page = render_template("coordinator/employer_form.html", form=form, employer=None)
    return (page, INVALID) if request.method == "POST" else page


@bp.route("/employers/<public_id>")
def employer(public_id: str) -> str:
    employer = or_404(opening_service.get_employer, public_id)
    return render_template(
        "coordinator/employer.html",
        employer=employer,
        openings=opening_service.list_openings(employer=employer),
        action_form=ActionForm(),
    )


@bp.route("/employers/<public_id>/edit", methods=["GET", "POST"])
def employer_edit(public_id: str) -> str | Response | tuple[str, int]:
    employer = or_404(opening_service.get_employer, public_id)
    form = EmployerForm(obj=employer if request.method == "GET" else None)
    if form.validate_on_submit():
        opening_service.update_employer(employer, form.to_data())
        flash(_("The changes are saved."), "success")
        return redirect(url_for("coordinator.employer", public_id=employer.public_id))
    page = render_template("coordinator/employer_form.html", form=form, employer=employer)
    return (page, INVALID) if request.method == "POST" else page


@bp.route("/employers/<public_id>/approve", methods=["POST"])
def employer_approve(public_id: str) -> Response:
    employer = or_404(opening_service.get_employer, public_id)
    if ActionForm().validate_on_submit():
        try:
            opening_service.approve_employer(employer)
        except InvalidStateError as error:
            flash(str(error), "danger")
        else:
            flash(_("The employer is approved."), "success")
    return redirect(url_for("coordinator.employer", public_id=employer.public_id))


@bp.route("/employers/<public_id>/openings/new", methods=["GET", "POST"])
def opening_new(public_id: str) -> str | Response | tuple[str, int]:
    employer = or_404(opening_service.get_employer, public_id)
    form = new_opening_form()
    if form.validate_on_submit():
        try:
            opening = opening_service.create_opening(employer, form.to_data(), approved=True)
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The opening is created and open."), "success")
            return redirect(url_for("coordinator.opening", public_id=opening.public_id))
    page = render_template(
        "coordinator/opening_form.html", form=form, employer=employer, opening=None
    )
    return (page, INVALID) if request.method == "POST" else page


@bp.route("/openings")
def openings() -> str:
    status = request.args.get("status", "")
    return render_template(
        "coordinator/openings.html",
        openings=opening_service.list_openings(
            status=status if status in ("pending", "open", "closed") else ""
        ),
        status=status,
    )


@bp.route("/openings/<public_id>")
def opening(public_id: str) -> str:
    opening = or_404(opening_service.get_opening, public_id)
    taken = opening_service.taken_positions([opening]).get(opening.id, 0)
    return render_template(
        "coordinator/opening.html",
        opening=opening,
        left=opening.positions - taken,
        action_form=ActionForm(),
    )


@bp.route("/openings/<public_id>/edit", methods=["GET", "POST"])
def opening_edit(public_id: str) -> str | Response | tuple[str, int]:
    opening = or_404(opening_service.get_opening, public_id)
    return edit_opening(
        opening,
        new_opening_form(),
        "coordinator/opening_form.html",
        url_for("coordinator.opening", public_id=opening.public_id),
        employer=opening.employer,
    )


def _opening_action(public_id: str, action: Any, message: str) -> Response:
    opening = or_404(opening_service.get_opening, public_id)
    if ActionForm().validate_on_submit():
        try:
            action(opening)
        except InvalidStateError as error:
            flash(str(error), "danger")
        else:
            flash(message, "success")
    return redirect(url_for("coordinator.opening", public_id=opening.public_id))


@bp.route("/openings/<public_id>/approve", methods=["POST"])
def opening_approve(public_id: str) -> Response:
    return _opening_action(
        public_id, opening_service.approve_opening, _("The opening is approved and open.")
    )


@bp.route("/openings/<public_id>/close", methods=["POST"])
def opening_close(public_id: str) -> Response:
    return _opening_action(public_id, opening_service.close_opening, _("The opening is closed."))


@bp.route("/openings/<public_id>/reopen", methods=["POST"])
def opening_reopen(public_id: str) -> Response:
    return _opening_action(
        public_id, opening_service.reopen_opening, _("The opening awaits approval again.")
    )


# -- users and onboarding step kinds -----------------------------------------


@bp.route("/users")
def users() -> str:
    return render_template(
        "coordinator/users.html", users=accounts.list_users(), action_form=ActionForm()
    )


@bp.route("/users/invite", methods=["GET", "POST"])
def user_invite() -> str | Response | tuple[str, int]:
    form = InviteForm()
    employers = opening_service.approved_employers()
    form.employer.choices = options([("", "—"), *((e.public_id, e.name) for e in employers)])
    if form.validate_on_submit():
        employer = next((e for e in employers if e.public_id == form.employer.data), None)
        try:
            _user, link = accounts.invite_user(
                inviter=_me(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=form.role.data or "employer",
                employer=employer,
            )
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The invitation is queued for sending. Link: %(link)s", link=link), "success")
            return redirect(url_for("coordinator.users"))
    page = render_template("coordinator/user_invite.html", form=form)
    return (page, INVALID) if request.method == "POST" else page


def _user_action(public_id: str, *, active: bool) -> Response:
    user = or_404(accounts.get_user, public_id)
    if ActionForm().validate_on_submit():
        try:
            accounts.set_active(_me(), user, active=active)
        except InvalidStateError as error:
            flash(str(error), "danger")
        else:
            flash(_("The account is updated."), "success")
    return redirect(url_for("coordinator.users"))


@bp.route("/users/<public_id>/reset", methods=["POST"])
def user_reset(public_id: str) -> Response:
    user = or_404(accounts.get_user, public_id)
    if ActionForm().validate_on_submit():
        try:
            link = accounts.reset_access(_me(), user)
        except InvalidStateError as error:
            flash(str(error), "danger")
        else:
            flash(_("The invitation is queued for sending. Link: %(link)s", link=link), "success")
    return redirect(url_for("coordinator.users"))


@bp.route("/users/<public_id>/deactivate", methods=["POST"])
def user_deactivate(public_id: str) -> Response:
    return _user_action(public_id, active=False)


@bp.route("/users/<public_id>/activate", methods=["POST"])
def user_activate(public_id: str) -> Response:
    return _user_action(public_id, active=True)


@bp.route("/onboarding-steps", methods=["GET", "POST"])
def step_kinds() -> str | Response | tuple[str, int]:
    form = StepKindForm()
    if form.validate_on_submit():
        try:
            onboarding.add_step_kind(
                code=form.code.data or "",
                name_da=form.name_da.data or "",
                name_en=form.name_en.data or "",
                description_da=form.description_da.data or "",
                for_fritidsjob=bool(form.for_fritidsjob.data),
                for_lommepengejob=bool(form.for_lommepengejob.data),
            )
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The step is added to every checklist."), "success")
            return redirect(url_for("coordinator.step_kinds"))
    page = render_template("coordinator/step_kinds.html", form=form, kinds=onboarding.step_kinds())
    return (page, INVALID) if request.method == "POST" else page
