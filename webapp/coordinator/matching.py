"""Coordinator pages of matching: runs, proposals, the holiday calendar, placements near start.

A blueprint of its own under /coordinator, guarded like the coordinator's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from webapp.ui import board_day

from ..auth.sessions import require_role
from ..forms.common import ActionForm, options
from ..forms.matching import BulkConfirmForm, HolidayForm, MunicipalityForm, RunForm
from ..models import (
    UNFINISHED_RUNS,
    MatchRun,
    Proposal,
    ProposalStatus,
    Role,
    RunStatus,
    Youth,
    utcnow,
)
from ..services import (
    bulk_confirm,
    lookup,
    onboarding,
    page_cache,
    pair_rules,
    placements,
    proposals,
    run_page,
    runs,
    what_would,
)
from ..services import holidays as holiday_service
from ..services import openings as opening_service
from ..services.errors import InvalidStateError
from ..services.paging import page_of
from ..ui.paging import requested_page
from ..ui.views import INVALID, actor, form_page, or_404, post_action, show_error

bp = Blueprint("matching", __name__, url_prefix="/coordinator")
bp.before_request(require_role(Role.COORDINATOR))

REFRESH_SECONDS = 2
MAX_ID = 40  # a public id or a reason code is far shorter


def _run_form() -> RunForm:
    form = RunForm()
    form.areas.choices = options([(str(a.id), a.name) for a in opening_service.areas()])
    if request.method == "GET":
        form.start_date.data = board_day.today() + dt.timedelta(days=7)
    return form


@bp.route("/runs", methods=["GET", "POST"])
def runs_page() -> str | Response | tuple[str, int]:
    form = _run_form()
    if form.validate_on_submit():
        chosen = [int(a) for a in form.areas.data or []]
        parameters = runs.RunParameters(
            start_date=form.start_date.data,
            period=form.period.data or "auto",
            area_ids=chosen or None,
            time_limit_s=float(form.time_limit_s.data or 30),
            method=form.method.data or "optimal",
        )
        try:
            run = runs.create_run(actor(), parameters)
        except InvalidStateError as error:
            show_error(form, error)
        else:
            return redirect(url_for("matching.run", public_id=run.public_id))
    return form_page("matching/runs.html", form=form, runs=runs.list_runs())


def _run_page(found: MatchRun, bulk: BulkConfirmForm | None = None) -> str:
    status = request.args.get("status", "")
    stalled = runs.is_stalled(found, utcnow())
    waiting = found.status in UNFINISHED_RUNS and not stalled
    result = run_page.result(
        found,
        status=status if status in tuple(ProposalStatus) else None,
        page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "matching/run.html",
        result=result,
        unplaced_part=_unplaced_part(result) if result.figures else None,
        refresh=REFRESH_SECONDS if waiting else None,
        stalled=stalled,
        waits=runs.waits_for_queue(found),
        steps={k.code: k for k in onboarding.step_kinds()},
        bulk_form=bulk or BulkConfirmForm(prefix="bulk", formdata=None),
    )


def _unplaced_part(result: run_page.RunResult) -> Markup:
    """The run's first unplaced youths as HTML, made at most once a `RUN_PAGE_FRESH_SECONDS`."""
    run = result.run
    return page_cache.kept(
        run_page.unplaced_part_key(result, str(get_locale())),
        int(current_app.config["RUN_PAGE_FRESH_SECONDS"]),
        lambda: render_template(
            "matching/_run_unplaced.html", run=run, unplaced=run_page.first_unplaced(run)
        ),
    ).html


@bp.route("/runs/<public_id>")
def run(public_id: str) -> str | Response:
    found = or_404(runs.get_run, public_id)
    explain = request.args.get("explain", "")
    if explain and len(explain) <= MAX_ID:  # the old link to what would place a youth
        return redirect(url_for("matching.run_youth", public_id=public_id, youth_id=explain))
    return _run_page(found)


@bp.route("/runs/<public_id>/unplaced")
def run_unplaced(public_id: str) -> str:
    found = or_404(runs.get_run, public_id)
    reason = request.args.get("reason", "")[:MAX_ID] or None
    listed = run_page.unplaced(
        found, reason=reason, page=requested_page(), per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template("matching/unplaced.html", run=found, unplaced=listed)


@bp.route("/runs/<public_id>/youths/<youth_id>")
def run_youth(public_id: str, youth_id: str) -> str:
    found = or_404(runs.get_run, public_id)
    youth = or_404(lookup.by_public_id, Youth, youth_id)
    line = run_page.youth_line(found, youth.public_id)  # None: not among its unplaced
    asked = what_would.find(found, youth)
    working = asked is not None and asked.status in UNFINISHED_RUNS
    stalled = asked is not None and what_would.is_stalled(asked, utcnow())
    return render_template(
        "matching/run_youth.html",
        run=found,
        youth=youth,
        line=line,
        asked=asked,
        answer=what_would.sentences(asked) if asked and asked.status == RunStatus.DONE else None,
        refresh=REFRESH_SECONDS if working and not stalled else None,
        stalled=stalled,
        action_form=ActionForm(),
    )


@bp.route("/runs/<public_id>/youths/<youth_id>/what-would", methods=["POST"])
def run_youth_what_would(public_id: str, youth_id: str) -> Response:
    found = or_404(runs.get_run, public_id)
    youth = or_404(lookup.by_public_id, Youth, youth_id)
    page = url_for(
        "matching.run_youth",
        public_id=found.public_id,
        youth_id=youth.public_id,
        _anchor="what-would",
    )
    return post_action(
        lambda: what_would.request(found, youth),
        _("What would place the youth is being worked out."),
        page,
    )


@bp.route("/runs/<public_id>/confirm", methods=["POST"])
def run_confirm(public_id: str) -> Response | tuple[str, int]:
    found = or_404(runs.get_run, public_id)
    form = BulkConfirmForm(prefix="bulk")
    if form.validate_on_submit():
        try:
            outcome = bulk_confirm.confirm_selected(actor(), found, form.proposals.data or [])
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(outcome.message(), "warning" if outcome.refused else "success")
            return redirect(
                url_for("matching.run", public_id=found.public_id, _anchor="proposals")
            )
    return _run_page(found, form), INVALID


def _download(document: dict[str, Any], name: str) -> Response:
    response = jsonify(document)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/runs/<public_id>/problem.json")
def run_problem(public_id: str) -> Response:
    found = or_404(runs.get_run, public_id)
    return _download(found.problem, f"run-{found.public_id}-problem.json")


@bp.route("/runs/<public_id>/solution.json")
def run_solution(public_id: str) -> Response:
    document = or_404(runs.finished_solution, public_id)
    return _download(document, f"run-{public_id}-solution.json")


@bp.route("/runs/<public_id>/rerun", methods=["POST"])
def run_rerun(public_id: str) -> Response:
    found = or_404(runs.get_run, public_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("matching.run", public_id=found.public_id))
    new = runs.rerun(actor(), found)
    return redirect(url_for("matching.run", public_id=new.public_id))


def _proposal_action(
    public_id: str, action: Callable[[Proposal], object], message: str
) -> Response:
    """Do `action` and go back to the run page's view it was sent from (its status filter
    and page, as the shared form carries them; anything unknown is dropped)."""
    proposal = or_404(proposals.get_proposal, public_id)
    view: dict[str, Any] = {}
    if (status := request.form.get("status", "")) in tuple(ProposalStatus):
        view["status"] = status
    if (page := requested_page(request.form)) > 1:
        view["page"] = page
    return post_action(
        lambda: action(proposal),
        message,
        url_for("matching.run", public_id=proposal.run.public_id, _anchor="proposals", **view),
    )


@bp.route("/proposals/<public_id>/confirm", methods=["POST"])
def proposal_confirm(public_id: str) -> Response:
    return _proposal_action(
        public_id,
        lambda p: proposals.confirm(actor(), p),
        _("The proposal is sent to the employer."),
    )


@bp.route("/proposals/<public_id>/withdraw", methods=["POST"])
def proposal_withdraw(public_id: str) -> Response:
    return _proposal_action(
        public_id, lambda p: proposals.withdraw(actor(), p), _("The proposal is withdrawn.")
    )


@bp.route("/proposals/<public_id>/pin", methods=["POST"])
def proposal_pin(public_id: str) -> Response:
    return _proposal_action(
        public_id,
        lambda p: pair_rules.set_pair_rule(actor(), p, "pin"),
        _("The pair is pinned: the next run keeps it."),
    )


@bp.route("/proposals/<public_id>/forbid", methods=["POST"])
def proposal_forbid(public_id: str) -> Response:
    return _proposal_action(
        public_id,
        lambda p: pair_rules.set_pair_rule(actor(), p, "forbid"),
        _("The pair is ruled out: the next run will not propose it."),
    )


@bp.route("/proposals/<public_id>/clear", methods=["POST"])
def proposal_clear(public_id: str) -> Response:
    return _proposal_action(public_id, pair_rules.clear_pair_rule, _("The pin or ban is removed."))


# -- the school-holiday calendar ------------------------------------------------


def _municipality_form(**kwargs: Any) -> MunicipalityForm:
    form = MunicipalityForm(**kwargs)
    form.area.choices = options([(str(a.id), a.name) for a in opening_service.areas()])
    return form


def _holidays_page(status: int = 200, **forms: Any) -> tuple[str, int]:
    page = render_template(
        "matching/holidays.html",
        holidays=holiday_service.holidays(),
        areas=opening_service.areas(),
        form=forms.get("form") or HolidayForm(prefix="holiday", formdata=None),
        area_form=forms.get("area_form") or _municipality_form(prefix="area", formdata=None),
        action_form=ActionForm(),
    )
    return page, status


@bp.route("/holidays")
def holidays() -> tuple[str, int]:
    return _holidays_page()


@bp.route("/holidays", methods=["POST"])
def holiday_add() -> Response | tuple[str, int]:
    form = HolidayForm(prefix="holiday")
    if form.validate_on_submit():
        try:
            holiday_service.add_holiday(
                form.municipality.data or "",
                form.name.data or "",
                form.first_day.data,
                form.last_day.data,
            )
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The holiday is added to the calendar."), "success")
            return redirect(url_for("matching.holidays"))
    return _holidays_page(INVALID, form=form)


@bp.route("/holidays/<int:holiday_id>/delete", methods=["POST"])
def holiday_delete(holiday_id: int) -> Response:
    return post_action(
        lambda: or_404(holiday_service.delete_holiday, holiday_id),
        _("The holiday is removed from the calendar."),
        url_for("matching.holidays"),
    )


@bp.route("/holidays/areas", methods=["POST"])
def area_municipality() -> Response | tuple[str, int]:
    form = _municipality_form(prefix="area")
    if form.validate_on_submit():
        or_404(
            holiday_service.set_municipality,
            int(form.area.data or 0),
            form.municipality.data or "",
        )
        flash(_("The area's municipality is saved."), "success")
        return redirect(url_for("matching.holidays"))
    return _holidays_page(INVALID, area_form=form)


# -- placements near their first day ----------------------------------------------


FIRST_DAY_LISTS: dict[str, Callable[[dt.date], Sequence[Any]]] = {
    "upcoming": placements.starting_soon,
    "overdue": placements.overdue,
    "started": lambda _today: placements.started_without(),
}


@bp.route("/placements")
def starting() -> str:
    """The three lists of first days, a page of each; `list` shows one of them, paged."""
    today = board_day.today()
    shown = request.args.get("list", "")
    names = [shown] if shown in FIRST_DAY_LISTS else list(FIRST_DAY_LISTS)
    per_page = current_app.config["PAGE_SIZE"]
    page = requested_page() if shown in FIRST_DAY_LISTS else 1
    lists = {
        name: page_of(FIRST_DAY_LISTS[name](today), page=page, per_page=per_page) for name in names
    }
    return render_template(
        "matching/placements.html", lists=lists, shown=len(names) == 1, today=today
    )
