"""Youths: the search list, registering, editing, exporting, archiving, erasing, reactivating."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from webapp.ui import board_day
from webapp.ui.paging import requested_page

from ..auth.sessions import keep_search_term, search_term
from ..forms.common import ActionForm, unprintable
from ..forms.youth import YouthForm
from ..models import AuditAction, Youth, YouthStatus
from ..services import accounts, audit, exports, onboarding, youth_rights, youth_search
from ..services import openings as opening_service
from ..services import youths as youth_service
from ..services.errors import InvalidStateError
from ..ui.views import actor, form_page, or_404, post_action, show_error
from .blueprint import bp

FILTERS = ("status", "area", "counsellor", "min_age", "max_age", "interest", "sort")
# An anonymised youth is only a count in the figures: never listed.
LISTED_STATUSES = (YouthStatus.ACTIVE, YouthStatus.ARCHIVED, YouthStatus.PENDING)
MAX_AGE_FILTER = 120  # an older age is no filter (and no birth year before year 1)
EDIT = {"page": "edit"}  # the audit trail's note of a view of the edit form


def profile_url(youth: Youth, anchor: str = "") -> str:
    """The youth's profile page, at `anchor` when given."""
    return url_for("coordinator.youth", public_id=youth.public_id, _anchor=anchor or None)


def _youth_form(**kwargs: Any) -> YouthForm:
    form = YouthForm(**kwargs)
    form.set_choices(
        [(str(a.id), a.name) for a in opening_service.areas()],
        [(str(c.id), c.name) for c in accounts.counsellors()],
        [(e.public_id, e.name) for e in opening_service.approved_employers()],
    )
    return form


@bp.route("/youths", methods=["GET", "POST"])
def youths() -> str | Response:
    # The search term may be a name: it travels in a POST and is kept with the server-side
    # session, never in a URL or the cookie.
    if request.method == "POST":
        if ActionForm().validate_on_submit():
            q = request.form.get("q", "").strip()[:100]
            keep_search_term("" if unprintable(q) else q)
        kept = {k: request.form.get(k, "") for k in FILTERS}
        return redirect(url_for("coordinator.youths", **{k: v for k, v in kept.items() if v}))
    if request.args.get("clear"):
        keep_search_term("")
    f = _search_filter()
    page = youth_search.search(
        f,
        page=requested_page(),
        per_page=current_app.config["PAGE_SIZE"],
        today=board_day.today(),
    )
    kinds = onboarding.step_kinds()
    return render_template(
        "coordinator/youths.html",
        page=page,
        checklists={y.id: onboarding.checklist(y, kinds) for y in page.items},
        f=f,
        list_args=_list_args(f),
        areas=opening_service.areas(),
        counsellors=accounts.counsellors(),
        today=board_day.today(),
    )


def _whole(value: str, most: int = 99_999) -> int | None:
    """A whole number of the query string up to `most`; anything else is no filter."""
    number = int(value) if value.isdecimal() and len(value) < 6 else None
    return number if number is not None and number <= most else None


def _list_args(f: youth_search.YouthFilter) -> dict[str, str]:
    """The filter as the query string carries it (never the search term): for pager and files."""
    values = {
        "status": f.status,
        "area": f.area_id,
        "counsellor": f.counsellor_id,
        "min_age": f.min_age,
        "max_age": f.max_age,
        "interest": f.interest,
        "sort": "" if f.sort == "name" else f.sort,
    }
    return {name: str(value) for name, value in values.items() if value not in (None, "")}


def _search_filter() -> youth_search.YouthFilter:
    """The list's filter: the query string's, and the search term kept in the session."""
    args = request.args
    status = args.get("status", YouthStatus.ACTIVE)
    return youth_search.YouthFilter(
        q=search_term(),
        status=status if status in LISTED_STATUSES else YouthStatus.ACTIVE,
        area_id=_whole(args.get("area", "")),
        counsellor_id=_whole(args.get("counsellor", "")),
        min_age=_whole(args.get("min_age", ""), most=MAX_AGE_FILTER),
        max_age=_whole(args.get("max_age", ""), most=MAX_AGE_FILTER),
        interest=args.get("interest", "")[:40],
        sort=args.get("sort", "") if args.get("sort") in youth_search.SORTS else "name",
    )


@bp.route("/youths.csv")
def youths_csv() -> Response:
    """The youths the list's filter finds, every page, as CSV."""
    return _download("csv")


@bp.route("/youths.xlsx")
def youths_xlsx() -> Response:
    """The same as an Excel workbook."""
    return _download("xlsx")


def _download(kind: str) -> Response:
    today = board_day.today()
    table = exports.youth_table(_search_filter(), today=today)
    out = exports.write(table, kind, f"unge-{today}")
    audit.record_access(
        AuditAction.YOUTH_EXPORTED, actor=actor(), youths=table.about, detail={"export": kind}
    )
    return Response(
        out.data,
        mimetype=out.mimetype,
        headers={"Content-Disposition": out.disposition, "Cache-Control": "no-store"},
    )


@bp.route("/youths/new", methods=["GET", "POST"])
def youth_new() -> str | Response | tuple[str, int]:
    form = _youth_form()
    if form.validate_on_submit():
        try:
            youth = youth_service.create_youth(actor(), form.to_data())
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The youth is registered."), "success")
            return redirect(profile_url(youth))
    return form_page("coordinator/youth_form.html", form=form, youth=None)


@bp.route("/youths/<public_id>/edit", methods=["GET", "POST"])
def youth_edit(public_id: str) -> str | Response | tuple[str, int]:
    youth = or_404(youth_service.get_youth, public_id)
    form = _youth_form()
    if request.method == "GET":
        form.fill(youth)
        audit.record_access(AuditAction.YOUTH_VIEWED, actor=actor(), youths=[youth], detail=EDIT)
    elif form.validate_on_submit():
        try:
            youth_service.update_youth(actor(), youth, form.to_data())
        except InvalidStateError as error:
            show_error(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(profile_url(youth))
    return form_page("coordinator/youth_form.html", form=form, youth=youth)


@bp.route("/youths/<public_id>/export")
def youth_export(public_id: str) -> Response:
    """Everything held about the youth as a JSON file (right of access)."""
    youth = or_404(youth_service.get_youth, public_id)
    response = jsonify(youth_rights.export(youth))
    audit.record_access(
        AuditAction.YOUTH_ACCESS_EXPORTED, actor=actor(), youths=[youth], detail={"format": "json"}
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="youth-{youth.public_id}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/youths/<public_id>/access")
def youth_access(public_id: str) -> Response:
    """Everything held about the youth as a page to read or print (right of access)."""
    youth = or_404(youth_service.get_youth, public_id)
    page = render_template(
        "coordinator/youth_access.html",
        data=youth_rights.export(youth),
        made_on=format_date(board_day.today(), "long"),
    )
    audit.record_access(
        AuditAction.YOUTH_ACCESS_EXPORTED, actor=actor(), youths=[youth], detail={"format": "html"}
    )
    return Response(page, headers={"Cache-Control": "no-store"})


@bp.route("/youths/<public_id>/archive", methods=["POST"])
def youth_archive(public_id: str) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    return post_action(
        lambda: youth_service.archive_youth(actor(), youth),
        _("The youth is archived."),
        profile_url(youth),
    )


@bp.route("/youths/<public_id>/erase", methods=["POST"])
def youth_erase(public_id: str) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    return post_action(
        lambda: youth_rights.erase(youth),
        _("The youth's personal data are deleted; only unnamed counts remain for the figures."),
        url_for("coordinator.youths", status=YouthStatus.ARCHIVED),
        refused=profile_url(youth),
    )


@bp.route("/youths/<public_id>/reactivate", methods=["POST"])
def youth_reactivate(public_id: str) -> Response:
    youth = or_404(youth_service.get_youth, public_id)
    return post_action(
        lambda: youth_service.reactivate_youth(actor(), youth),
        _("The youth is active again."),
        profile_url(youth),
    )
