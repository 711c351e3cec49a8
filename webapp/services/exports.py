"""Tables as files Danish Excel opens: CSV with `;` and a BOM, and .xlsx (openpyxl).

A `Table` is a header and rows of plain values (text, whole numbers, decimals,
dates, None for an empty cell); the writers turn it into a file:

- CSV: `;` between fields (Danish Excel reads `,` as the decimal mark), UTF-8
  with a byte order mark (or Excel reads "Østbyen" as Latin-1), numbers in the
  request's language ("15,5" in Danish), dates as ISO 8601 (every Excel reads
  those as dates);
- xlsx: numbers and dates as typed cells, the header bold and frozen.

A text that begins with = + - @ (or a tab or a carriage return) would be read
as a formula by a spreadsheet: in CSV it gets a leading apostrophe, in xlsx it
is stored as a text cell with Excel's quote prefix, never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..models import PlacementStatus, Youth, YouthStatus
from ..ui.vocabulary import CATEGORIES, STATUS_LABELS
from . import onboarding, youth_search

Cell = str | int | float | dt.date | None

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# How many youths a page of the search reads while exporting them all.
BATCH = 500


@dataclass(frozen=True)
class Table:
    """A header and rows; `title` names the worksheet."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    # The public ids of the youths the rows are about, for the audit trail.
    about: Sequence[str] = ()


@dataclass(frozen=True)
class Export:
    """A written file: its bytes, its media type and its file name."""

    data: bytes
    mimetype: str
    filename: str

    @property
    def disposition(self) -> str:
        """The Content-Disposition header that saves it under its name."""
        return f'attachment; filename="{self.filename}"'


def write(table: Table, kind: str, stem: str) -> Export:
    """`table` as a file of `kind` ("csv" or "xlsx") called `stem` and the kind's ending.

    Raises:
        ValueError: an unknown kind (the routes only offer the two).
    """
    if kind == "csv":
        return Export(csv_bytes(table), CSV_TYPE, f"{stem}.csv")
    if kind == "xlsx":
        return Export(xlsx_bytes(table), XLSX_TYPE, f"{stem}.xlsx")
    raise ValueError(f"no export of kind {kind!r}")


def csv_bytes(table: Table) -> bytes:
    """The table as CSV for Danish Excel: `;`, CRLF, UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    """The table as a workbook of one sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = _sheet_title(table.title)
    for col, heading in enumerate(table.header, start=1):
        cell = sheet.cell(row=1, column=col)
        _put(cell, heading)
        cell.font = Font(bold=True)
    for r, row in enumerate(table.rows, start=2):
        for col, value in enumerate(row, start=1):
            _put(sheet.cell(row=r, column=col), value)
    for col, heading in enumerate(table.header, start=1):
        widest = max([len(str(heading)), *(len(_shown(row[col - 1])) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(col)].width = min(60, widest + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as it is: an apostrophe before a formula's first sign."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number(value)
    return safe_text(str(value))


def _number(value: int | float) -> str:
    """A number in the request's language, without thousands separators ("1234,5")."""
    return str(format_decimal(value, format="0.##"))


def _put(cell: Any, value: Cell) -> None:
    """One typed cell; text is never a formula."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl takes a text starting with "=" for a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"


def _shown(value: Cell) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _sheet_title(title: str) -> str:
    """A worksheet's name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"


# -- the coordinator's youth list ------------------------------------------------------


def youth_table(f: youth_search.YouthFilter, *, today: dt.date) -> Table:
    """Every youth the list's filter finds, with the columns the list shows.

    No CPR number, birth date or contact: a name, the age, the area, the
    interests, the counsellor, the onboarding steps done and the jobs held.
    """
    kinds = onboarding.step_kinds()
    rows: list[list[Cell]] = []
    youths = _all_matching(f, today)
    for youth in youths:
        done = sum(r.complete for r in onboarding.checklist(youth, kinds).rows)
        rows.append(
            [
                youth.first_name,
                youth.last_name or None,
                youth.age_on(today),
                youth.area.name if youth.area else None,
                ", ".join(str(CATEGORIES.get(c, c)) for c in youth.interests or []),
                youth.counsellor.name if youth.counsellor else None,
                str(STATUS_LABELS[YouthStatus(youth.status)]),
                done,
                len(kinds),
                sum(1 for p in youth.placements if p.status != PlacementStatus.ENDED),
            ]
        )
    header = [
        _("First name"),
        _("Surname"),
        _("Age"),
        _("Housing area"),
        _("Interests"),
        _("Counsellor"),
        _("Status"),
        _("Steps done"),
        _("Steps in all"),
        _("Jobs"),
    ]
    return Table(_("Youths"), header, rows, about=[y.public_id for y in youths])


def _all_matching(f: youth_search.YouthFilter, today: dt.date) -> list[Youth]:
    """Every youth of the filter, read page by page in the list's order."""
    found: list[Youth] = []
    number = 1
    while True:
        page = youth_search.search(f, page=number, per_page=BATCH, today=today)
        found.extend(page.items)
        if page.page >= page.pages:
            return found
        number += 1
