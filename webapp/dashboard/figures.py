"""How the dashboard shows the figures: labels, the CSV and the charts (pygal, no scripts)."""

from __future__ import annotations

import base64
import csv
import io
import sys
from typing import Any

import pygal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pygal.style import Style

from ..services.statistics import FIGURES, NO_AREA, Figures, Report
from ..ui.numbers import one_decimal
from ..ui.vocabulary import MILESTONE_LABELS

# pygal appends a legacy import hook for its map plugins (unused here) to sys.meta_path;
# on Python 3.11 every failed import then warns that the hook has no find_spec.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

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
# The figures drawn in the bar chart: counts of youths and positions on one scale.
CHARTED = (
    "registered",
    "placed_lommepengejob",
    "placed_fritidsjob",
    "retention_4",
    "retention_12",
    "moved_to_external",
    "in_education",
    "open_positions",
)

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    font_family="system-ui, sans-serif",
    colors=("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997"),
    label_font_size=15,
    major_label_font_size=15,
    legend_font_size=15,
    value_font_size=15,
    title_font_size=18,
)


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


def csv_text(report: Report) -> str:
    """The report as CSV, one row per area and figure: area, from, to, figure, label, value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["area", "from", "to", "figure", "label", "value"])
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    for name, figures in columns(report):
        for key in FIGURES:
            value = figures.value(key)
            writer.writerow([name, start, end, key, str(LABELS[key]), _csv_value(value)])
        for code, count in sorted(figures.steps_by_kind.items()):
            writer.writerow([name, start, end, f"steps_done.{code}", code, count])
        for code, count in sorted(figures.milestones.items()):
            label = str(MILESTONE_LABELS.get(code, code))
            writer.writerow([name, start, end, f"milestone.{code}", label, count])
    return out.getvalue()


def _csv_value(value: int | float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def figures_chart(report: Report) -> str:
    """A bar chart of the main figures, a series per area, as a data URI of SVG."""
    chart = _chart(pygal.Bar, _("Youths and positions"))
    chart.x_labels = [str(LABELS[key]) for key in CHARTED]
    chart.x_label_rotation = 25
    chart.truncate_label = 40
    areas = columns(report)[: len(report.by_area)]
    chart.show_legend = len(areas) > 1
    for name, figures in areas:
        chart.add(name, [figures.value(key) for key in CHARTED])
    _whole_numbers(chart, max((f.value(k) or 0 for _n, f in areas for k in CHARTED), default=0))
    return _data_uri(chart)


def steps_chart(report: Report, step_names: dict[str, str]) -> str:
    """A horizontal bar chart of onboarding steps done in all areas, by kind of step."""
    chart = _chart(pygal.HorizontalBar, _("Onboarding steps done"))
    chart.x_labels = list(step_names.values())
    chart.truncate_label = 40
    chart.show_legend = False
    counts = [report.total.steps_by_kind.get(code, 0) for code in step_names]
    chart.add(_("Onboarding steps done"), counts)
    _whole_numbers(chart, max(counts, default=0))
    return _data_uri(chart)


def _whole_numbers(chart: Any, highest: float) -> None:
    """Counts have no tenths: small scales get a label per whole number."""
    if highest < 10:
        chart.y_labels = list(range(int(highest) + 1)) or [0, 1]


def _chart(kind: Any, title: str) -> Any:
    chart = kind(
        title=title,
        style=STYLE,
        width=800,
        height=420,
        legend_at_bottom=True,
        print_values=True,
        js=[],
        disable_xml_declaration=True,
        no_data_text=_("No data"),
    )
    chart.add_xml_filter(_without_scripts)
    return chart


def _without_scripts(root: Any) -> Any:
    """pygal adds a configuration script for its tooltips: the page's CSP has no use for it."""
    for parent in list(root.iter()):
        for child in list(parent):
            if str(child.tag).rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _data_uri(chart: Any) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
