"""The dashboard's charts: one question each, drawn by pygal as SVG without scripts.

Each chart is drawn small (`WIDTH` units wide) with large letters, so that the
image scaled to a phone's 390 px keeps its text at about 13 px or more and
scaled up on a wide screen stays sharp. Month labels are turned and thinned
out when there are many; no value is printed on a bar that is too narrow for
it. Beside each chart the page shows the same figures as a table (`Chart.rows`)
for screen readers and for anyone who wants the exact numbers.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from ..services.statistics import Report
from ..ui.numbers import one_decimal
from .drawing import Style, pygal
from .figures import area_name

WIDTH = 420  # drawing units; the image is scaled to the width of its column
FONT = 17  # at 390 px wide (about 360 px of image) a label is 14-15 px tall
MOST_MONTH_LABELS = 12  # more months: every second (third, ...) label only
UPRIGHT_MONTH_LABELS = 6  # more months: the labels are turned
ROW_HEIGHT = 44  # of a horizontal bar with its label
LONGEST_LABEL = 18  # characters of a horizontal bar's label; the table has the whole name

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    font_family="system-ui, sans-serif",
    colors=("#0d6efd", "#198754", "#fd7e14", "#6f42c1"),
    label_font_size=FONT,
    major_label_font_size=FONT,
    legend_font_size=FONT,
    value_font_size=FONT,
    tooltip_font_size=FONT,
    no_data_font_size=FONT + 3,
)


@dataclass(frozen=True)
class Chart:
    """A chart's question, its image, and its figures as a table."""

    key: str
    question: str
    image: str  # a data URI of SVG
    width: int
    height: int
    header: Sequence[str]  # the table's column headings, the first for the rows' labels
    rows: Sequence[Sequence[str]]  # each: the row's label, then its figures as text


def trend(report: Report) -> Chart:
    """How many were placed each month, and how many of them are still in the job?"""
    months = report.months
    yearly = len({m.first_day.year for m in months}) > 1
    short = [format_date(m.first_day, "MMM yy" if yearly else "MMM") for m in months]
    height = 340
    chart = _chart(pygal.Bar, height)
    chart.x_labels = short
    if len(months) > UPRIGHT_MONTH_LABELS:
        chart.x_label_rotation = -45
    if len(months) > MOST_MONTH_LABELS:
        chart.x_labels_major_every = math.ceil(len(months) / MOST_MONTH_LABELS)
        chart.show_minor_x_labels = False
    placed_label, kept_label = _("Placed"), _("Still in the job")
    chart.legend_at_bottom_columns = 1
    chart.print_values = 2 * len(months) <= UPRIGHT_MONTH_LABELS  # room for a number per bar
    placed = [m.placed for m in months]
    chart.add(placed_label, placed)
    chart.add(kept_label, [m.still_in_job for m in months])
    _whole_numbers(chart, max(placed, default=0))
    return Chart(
        key="trend",
        question=_("How many youths were placed each month, and how many are still in the job?"),
        image=_data_uri(chart),
        width=WIDTH,
        height=height,
        header=[_("Month"), placed_label, kept_label],
        rows=[
            [format_date(m.first_day, "MMMM yyyy"), str(m.placed), str(m.still_in_job)]
            for m in months
        ],
    )


def open_positions(report: Report) -> Chart:
    """How many positions are free in each area now?"""
    return _horizontal(
        "positions",
        _("How many positions are free in each area now?"),
        [_("Area"), _("Free positions")],
        [(area_name(report, key), f.open_positions) for key, f in report.by_area.items()],
    )


def steps(report: Report, step_names: dict[str, str]) -> Chart:
    """Which onboarding steps were done in the period, and how many of each?"""
    counts = [(name, report.total.steps_by_kind.get(code, 0)) for code, name in step_names.items()]
    return _horizontal(
        "steps",
        _("How many onboarding steps of each kind were done in the period?"),
        [_("Step"), _("Done in the period")],
        counts,
    )


def _horizontal(
    key: str, question: str, header: Sequence[str], bars: Sequence[tuple[str, int]]
) -> Chart:
    """One bar per row, its label on the left and its number at its end."""
    height = max(160, 70 + ROW_HEIGHT * len(bars))
    chart = _chart(pygal.HorizontalBar, height)
    # pygal draws the first bar at the bottom: the table's first row goes on top.
    chart.x_labels = [_short(name) for name, _count in reversed(bars)]
    chart.show_legend = False
    chart.print_values = True
    chart.print_zeroes = False  # a 0 at the foot of an empty bar would touch its label
    counts = [count for _name, count in bars]
    chart.add(header[1], counts[::-1])
    _whole_numbers(chart, max(counts, default=0))
    return Chart(
        key=key,
        question=question,
        image=_data_uri(chart),
        width=WIDTH,
        height=height,
        header=header,
        rows=[[name, str(count)] for name, count in bars],
    )


def _short(label: str) -> str:
    """A bar's label cut to leave the bars room (pygal does not cut a horizontal bar's)."""
    return label if len(label) <= LONGEST_LABEL else label[: LONGEST_LABEL - 1].rstrip() + "…"


def _whole_numbers(chart: Any, highest: int) -> None:
    """Counts have no tenths: at most six ticks of round whole numbers (1, 2, 5, 10, 20, ...)."""
    step = 1
    while highest > 5 * step:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    top = max(1, math.ceil(highest / step)) * step
    chart.y_labels = list(range(0, top + 1, step))
    chart.value_formatter = lambda v: one_decimal(v) if v is not None else ""


def _chart(kind: Any, height: int) -> Any:
    chart = kind(
        style=STYLE,
        width=WIDTH,
        height=height,
        legend_at_bottom=True,
        js=[],
        disable_xml_declaration=True,
        no_data_text=_("No data"),
        margin=8,
        spacing=14,
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
