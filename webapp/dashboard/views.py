"""The dashboard page and its downloads (CSV and xlsx). Coordinators only."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import get_locale

from webapp.ui import board_day

from ..auth.sessions import require_role
from ..models import Role
from ..services import exports, onboarding, page_cache, statistics
from ..services import openings as opening_service
from ..ui.views import INVALID
from ..ui.vocabulary import MILESTONE_LABELS
from . import charts, figures
from .forms import DashboardFilterForm

bp = Blueprint("dashboard", __name__, url_prefix="/coordinator")
bp.before_request(require_role(Role.COORDINATOR))


def _filter() -> tuple[DashboardFilterForm, statistics.Period | None]:
    """The filter from the query string, and the period when it is valid."""
    form = DashboardFilterForm(request.args)
    form.set_areas([(a.id, a.name) for a in opening_service.areas()])
    if not form.validate():
        return form, None
    today = board_day.today()
    if form.end.data is None:
        form.end.data = max(today, form.start.data) if form.start.data else today
    if form.start.data is None:
        form.start.data = form.end.data.replace(month=1, day=1)
    return form, statistics.Period(form.start.data, form.end.data)


@bp.route("/dashboard")
def index() -> tuple[str, int]:
    form, period = _filter()
    if period is None:
        return render_template("dashboard/index.html", form=form, report_html=None), INVALID
    area_id = form.area_id()
    seconds = int(current_app.config["DASHBOARD_FRESH_SECONDS"])
    key = f"dashboard:{get_locale()}:{period.start}:{period.end}:{area_id}"
    part = page_cache.kept(key, seconds, lambda: _report_html(period, area_id))
    return render_template(
        "dashboard/index.html",
        form=form,
        report_html=part.html,
        made_at=part.made_at,
        fresh_seconds=seconds,
        download_args={
            "area": form.area.data or "",
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
        },
    ), 200


def _report_html(period: statistics.Period, area_id: int | None) -> str:
    """The figures, tables and charts of `period` (and the area), as HTML."""
    report = statistics.report(period, area_id=area_id)
    step_names = _step_names()
    return render_template(
        "dashboard/_report.html",
        report=report,
        columns=figures.columns(report),
        labels=figures.LABELS,
        show=figures.show,
        step_names=step_names,
        milestone_labels=MILESTONE_LABELS,
        charts=[
            charts.trend(report),
            charts.open_positions(report),
            charts.steps(report, step_names),
        ],
    )


@bp.route("/dashboard.csv")
def csv() -> Response | tuple[str, int]:
    return _download("csv")


@bp.route("/dashboard.xlsx")
def xlsx() -> Response | tuple[str, int]:
    return _download("xlsx")


def _download(kind: str) -> Response | tuple[str, int]:
    form, period = _filter()
    if period is None:
        return render_template("dashboard/index.html", form=form, report_html=None), INVALID
    report = statistics.report(period, area_id=form.area_id())
    stem = f"jobmatch-{period.start.isoformat()}-{period.end.isoformat()}"
    out = exports.write(figures.table(report, _step_names()), kind, stem)
    return Response(
        out.data, mimetype=out.mimetype, headers={"Content-Disposition": out.disposition}
    )


def _step_names() -> dict[str, str]:
    """The onboarding steps' names in the request's language, in checklist order."""
    locale = str(get_locale() or "da")
    return {k.code: k.name(locale) for k in onboarding.step_kinds()}
