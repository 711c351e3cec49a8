"""Public pages: the job board, a job, "I am interested", privacy, health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from webapp.ui import board_day

from ..extensions import limiter
from ..forms.common import windows_of
from ..forms.opening import CompanyForm
from ..models import DAYS, OPENING_KINDS, Opening
from ..services import health, job_board
from ..services import openings as opening_service
from ..services import youths as youth_service
from ..services.errors import InvalidStateError, NotFoundError
from ..ui.paging import requested_page
from ..ui.views import INVALID, show_error
from ..ui.vocabulary import CATEGORIES
from .forms import InterestForm

bp = Blueprint("public", __name__)

INTEREST_JOBS = 30  # the board's newest jobs the interest form offers (beside the page's own)


def _interest_limit() -> str:
    return str(current_app.config["INTEREST_RATE_LIMIT"])


@bp.route("/")
def index() -> Response:
    return redirect(url_for("public.jobs"))


@bp.route("/healthz")
@limiter.exempt
def healthz() -> tuple[dict[str, object], int]:
    found, healthy = health.report()
    return found, 200 if healthy else 503


def _board_filter() -> job_board.BoardFilter:
    args = request.args
    age = args.get("age", "").strip()
    return job_board.BoardFilter(
        age=int(age) if age.isdecimal() and len(age) <= 2 else None,
        category=args.get("category", "") if args.get("category") in CATEGORIES else "",
        kind=args.get("kind", "") if args.get("kind") in OPENING_KINDS else "",
        area=args.get("area", "")[:120],
        day=args.get("day", "") if args.get("day") in DAYS else "",
    )


@bp.route("/jobs")
def jobs() -> str:
    f = _board_filter()
    return render_template(
        "public/jobs.html",
        page=job_board.board(f, page=requested_page()),
        f=f,
        filter_args=_filter_args(f),
        places=job_board.board_places(),
    )


def _filter_args(f: job_board.BoardFilter) -> dict[str, str]:
    """The filters chosen, as the query string carries them (for the pager)."""
    return {name: str(value) for name, value in vars(f).items() if value not in (None, "")}


@bp.route("/jobs/<public_id>")
def job(public_id: str) -> str:
    try:
        opening = opening_service.get_public_opening(public_id)
    except NotFoundError:
        abort(404)
    left = opening.positions - opening_service.taken_positions([opening]).get(opening.id, 0)
    return render_template("public/job.html", opening=opening, left=left)


@bp.route("/interest", methods=["GET", "POST"])
@bp.route("/jobs/<public_id>/interest", methods=["GET", "POST"])
@limiter.limit(_interest_limit, methods=["POST"])
def interest(public_id: str | None = None) -> str | Response | tuple[str, int]:
    opening = None
    if public_id is not None:
        try:
            opening = opening_service.get_public_opening(public_id)
        except NotFoundError:
            abort(404)
    # The page's opening first, then the board's: the order ranks the youth's choices.
    newest = job_board.board(job_board.BoardFilter(), per_page=INTEREST_JOBS).items
    offered = {o.public_id: o for o in [opening] if o} | {o.public_id: o for o, _left in newest}
    form = InterestForm()
    form.jobs.choices = [(key, o.title) for key, o in offered.items()]
    if opening is not None and request.method == "GET":
        form.jobs.data = [opening.public_id]
    if form.validate_on_submit():
        ticked = set(form.jobs.data or [])
        if opening is not None and not form.jobs_shown.data:
            ticked.add(opening.public_id)
        chosen = [o for key, o in offered.items() if key in ticked]
        try:
            youth_service.register_interest(
                youth_service.InterestData(
                    first_name=form.first_name.data or "",
                    birth_date=form.birth_date.data
                    or youth_service.estimated_birth_date(form.age.data or 0, board_day.today()),
                    birth_date_estimated=form.birth_date.data is None,
                    email=form.email.data or "",
                    phone=form.phone.data or "",
                    parent_name=form.parent_name.data or "",
                    parent_email=form.parent_email.data or "",
                    parent_phone=form.parent_phone.data or "",
                    language=form.language.data or "da",
                    parent_language=form.parent_language.data or "da",
                    languages=list(form.languages.data or []),
                    interests=list(form.interests.data or []),
                    availability=windows_of(form.availability.entries),
                    opening=opening if opening in chosen else None,
                    openings=chosen,
                )
            )
        except InvalidStateError as error:
            show_error(form, error)
        else:
            return redirect(url_for("public.thanks"))
    page = render_template(
        "public/interest.html",
        form=form,
        opening=opening,
        offered=offered,
        age_sentences=_age_sentences(offered),
    )
    return (page, INVALID) if request.method == "POST" else page


def _age_sentences(offered: dict[str, Opening]) -> dict[str, tuple[str, str]]:
    """For the form's script: each job's sentences for too young and too old, "{age}" to fill."""
    return {
        key: (
            youth_service.age_refusal(-1, o, age_text="{age}"),
            youth_service.age_refusal(999, o, age_text="{age}") if o.max_age is not None else "",
        )
        for key, o in offered.items()
    }


@bp.route("/interest/thanks")
def thanks() -> str:
    return render_template("public/thanks.html")


@bp.route("/employers/register", methods=["GET", "POST"])
@limiter.limit(_interest_limit, methods=["POST"])
def employer_register() -> str | Response | tuple[str, int]:
    """A business offers jobs: a pending employer for a coordinator to approve."""
    form = CompanyForm()
    if form.validate_on_submit():
        opening_service.create_employer(form.to_data(), approved=False)
        flash(_("Thank you! A coordinator will contact you to set up your first jobs."), "success")
        return redirect(url_for("public.jobs"))
    page = render_template("public/employer_register.html", form=form)
    return (page, INVALID) if request.method == "POST" else page


@bp.route("/privacy")
def privacy() -> str:
    return render_template("public/privacy.html")
