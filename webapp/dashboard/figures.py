"""How the dashboard shows the figures: labels, the columns, and the table of the downloads."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..services.exports import Cell, Table
from ..services.figure_queries import NO_AREA
from ..services.statistics import FIGURES, Figures, Report
from ..ui.numbers import one_decimal
from ..ui.vocabulary import MILESTONE_LABELS

LABELS = {
    "registered": _l("Youths registered"),
    "placed_lommepengejob": _l("Placed in a lommepengejob"),
    "placed_fritidsjob": _l("Placed in a fritidsjob"),
    "retention_4_cohort": _l("Started a job at least 4 weeks before the end"),
    "retention_4": _l("Still in the job after 4 weeks"),
    "retention_12_cohort": _l("Started a job at least 12 weeks before the end"),
    "retention_12": _l("Still in the job after 12 weeks"),
    "moved_to_external": _l("Moved from a lommepengejob to an external job"),
    "in_education": _l("Started education"),
    "steps_done": _l("Onboarding steps done"),
    "open_positions": _l("Open positions now"),
    "median_days_to_first_job": _l("Median days from registration to first job"),
}


def area_name(report: Report, key: int) -> str:
    """An area's name, or what to call the youths and openings without one."""
    return report.names.get(key) or (_("No area") if key == NO_AREA else str(key))


def show(value: int | float | None) -> str:
    """A figure as text: a dash for none, a decimal comma in Danish."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return one_decimal(value)
    return str(value)


def columns(report: Report) -> list[tuple[str, Figures]]:
    """The report's columns: each area, then all of them when there is more than one."""
    cols = [(area_name(report, key), f) for key, f in report.by_area.items()]
    if len(cols) != 1:
        cols.append((_("All areas"), report.total))
    return cols


def table(report: Report, step_names: dict[str, str]) -> Table:
    """The report as rows of area, first day, last day, figure and value, for the downloads.

    Every figure of every column; the onboarding steps and the education
    milestones one row each; then each month's placements, for the areas
    reported on together.
    """
    start, end = report.period.start, report.period.end
    rows: list[list[Cell]] = []
    for name, figures in columns(report):
        for key in FIGURES:
            rows.append([name, start, end, str(LABELS[key]), figures.value(key)])
        for code, step in step_names.items():
            label = _("Onboarding step done: %(step)s", step=step)
            rows.append([name, start, end, label, figures.steps_by_kind.get(code, 0)])
        for code, milestone in MILESTONE_LABELS.items():
            label = _("Milestone: %(milestone)s", milestone=milestone)
            rows.append([name, start, end, label, figures.milestones.get(code, 0)])
    scope = columns(report)[-1][0]
    for month in report.months:
        first = max(start, month.first_day)
        last = min(end, _last_day(month.first_day))
        rows.append([scope, first, last, _("Placed in the month"), month.placed])
        rows.append(
            [
                scope,
                first,
                last,
                _("Of them still in the job at the end of the period"),
                month.still_in_job,
            ]
        )
    header = [_("Area"), _("From"), _("To"), _("Figure"), _("Value")]
    return Table(_("Dashboard"), header, rows)


def _last_day(first_day: dt.date) -> dt.date:
    return (first_day + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
