"""Impact figures of an initiative, by month: events held, attendance, returning attendees
(from the events app, when it provides them) and volunteer hours (from our own log).

Small counts are suppressed before anything is shown or exported: a count from 1 to 4 is
"fewer than 5", and when a column would then have exactly one suppressed cell, the next
smallest cell is hidden too ("not shown": it may be any size), so no hidden value can be
worked out from the total.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from beacon.initiatives.events_bridge import attendance_by_month
from beacon.initiatives.models import Initiative, VolunteerShift

SUPPRESS_BELOW = 5
FEWER_THAN = f"fewer than {SUPPRESS_BELOW}"
# A cell hidden only so that a small one cannot be worked out from the total: it may be
# any size, so it must not read "fewer than 5".
NOT_SHOWN = "not shown"
COUNT_COLUMNS = ("events_held", "attendance", "returning_attendees")
COLUMN_LABELS = {
    "events_held": "Events held",
    "attendance": "Attendance",
    "returning_attendees": "Returning attendees",
    "volunteer_hours": "Volunteer hours",
}
WINDOW_MONTHS = 12


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """First days of each month from `start`'s month to `end`'s month, inclusive."""
    month, last = first_of_month(start), first_of_month(end)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def default_window(today: date | None = None) -> tuple[date, date]:
    """The fixed window every page and export uses: the last 12 months, this one included.

    One fixed window (no free date ranges) keeps suppressed cells from being recovered by
    comparing the totals of overlapping ranges.
    """
    today = today or timezone.localdate()
    end = first_of_month(today)
    return add_months(end, -(WINDOW_MONTHS - 1)), end


def volunteer_hours_by_month(initiative: Initiative, start: date, end: date) -> dict[date, Decimal]:
    """Hours logged for `initiative` per month, from `start`'s month to `end`'s month."""
    rows = (
        VolunteerShift.objects.filter(
            initiative=initiative,
            date__gte=first_of_month(start),
            date__lt=add_months(first_of_month(end), 1),
        )
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(hours=Sum("hours"))
    )
    result = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") and callable(month.date) else month
        result[first_of_month(month)] = Decimal(row["hours"] or 0)
    return result


def monthly_figures(initiative: Initiative, start: date, end: date) -> list[dict[str, Any]]:
    """Raw (unsuppressed) figures per month, oldest first.

    Each row: {month, events_held, attendance, returning_attendees, volunteer_hours}. The
    event columns are None when the events app does not provide
    `beacon.events.queries.attendance_by_month(initiative, start, end)`.
    """
    events = attendance_by_month(initiative, start, end)
    by_month: dict[date, dict[str, Any]] = {}
    for row in events or []:
        by_month[first_of_month(row["month"])] = row
    hours = volunteer_hours_by_month(initiative, start, end)
    figures = []
    for month in months_between(start, end):
        row = by_month.get(month, {})
        figures.append(
            {
                "month": month,
                **{c: (None if events is None else int(row.get(c, 0) or 0)) for c in COUNT_COLUMNS},
                "volunteer_hours": hours.get(month, Decimal("0")),
            }
        )
    return figures


@dataclass
class Cell:
    """One shown value: `value` is None when suppressed (then `text` says why).

    `hidden_because` is "small" for a count from 1 to 4 (text "fewer than 5") and
    "complement" for a cell hidden only to protect a small one (text "not shown").
    """

    value: int | Decimal | None
    text: str
    hidden_because: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def not_shown(self) -> bool:
        return self.hidden_because == "complement"

    @property
    def plain(self) -> str:
        """The value without thousands separators, for CSV."""
        if self.value is None:
            return self.text
        return str(self.value) if isinstance(self.value, int) else f"{self.value.normalize():f}"


def _cell(value: int | Decimal) -> Cell:
    text = f"{value:,}" if isinstance(value, int) else f"{value.normalize():f}"
    return Cell(value, text)


def suppress_column(values: list[int]) -> tuple[list[Cell], Cell]:
    """Cells and total for one count column, with small counts suppressed.

    Primary: every value from 1 to 4 reads "fewer than 5". Secondary: when exactly one
    cell is suppressed, the smallest other non-zero cell is hidden too and reads "not
    shown" (it is 5 or more, and saying "fewer than 5" would be false). The total is
    suppressed when it is itself from 1 to 4.
    """
    small = {i for i, v in enumerate(values) if 0 < v < SUPPRESS_BELOW}
    complement: set[int] = set()
    if len(small) == 1:
        others = [(v, i) for i, v in enumerate(values) if v > 0 and i not in small]
        if others:
            complement.add(min(others)[1])
    cells = []
    for i, v in enumerate(values):
        if i in small:
            cells.append(Cell(None, FEWER_THAN, "small"))
        elif i in complement:
            cells.append(Cell(None, NOT_SHOWN, "complement"))
        else:
            cells.append(_cell(v))
    total = sum(values)
    total_cell = Cell(None, FEWER_THAN, "small") if 0 < total < SUPPRESS_BELOW else _cell(total)
    return cells, total_cell


@dataclass
class ImpactTable:
    """What pages, charts and the CSV show: suppressed, per column."""

    months: list[date]
    columns: list[str]
    cells: dict[str, list[Cell]] = field(default_factory=dict)
    totals: dict[str, Cell] = field(default_factory=dict)
    has_events: bool = True

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"month": m, "cells": [self.cells[c][i] for c in self.columns]}
            for i, m in enumerate(self.months)
        ]

    def labels(self) -> list[str]:
        return [COLUMN_LABELS[c] for c in self.columns]

    def total_cells(self) -> list[Cell]:
        return [self.totals[c] for c in self.columns]

    @property
    def any_small(self) -> bool:
        return any(c.hidden_because == "small" for c in self._all_cells())

    @property
    def any_not_shown(self) -> bool:
        return any(c.not_shown for c in self._all_cells())

    def _all_cells(self) -> list[Cell]:
        return [c for cells in self.cells.values() for c in cells] + list(self.totals.values())


def impact_table(initiative: Initiative, start: date, end: date) -> ImpactTable:
    """The suppressed figures of `initiative` from `start`'s month to `end`'s month."""
    figures = monthly_figures(initiative, start, end)
    has_events = bool(figures) and figures[0]["events_held"] is not None
    columns = [*(COUNT_COLUMNS if has_events else ()), "volunteer_hours"]
    table = ImpactTable(
        months=[f["month"] for f in figures], columns=columns, has_events=has_events
    )
    for column in COUNT_COLUMNS if has_events else ():
        table.cells[column], table.totals[column] = suppress_column([f[column] for f in figures])
    hours = [f["volunteer_hours"] for f in figures]
    table.cells["volunteer_hours"] = [_cell(h) for h in hours]
    table.totals["volunteer_hours"] = _cell(sum(hours, Decimal("0")))
    return table


def public_summary(initiative: Initiative) -> ImpactTable:
    """The last 12 months, suppressed: what an initiative's page shows everyone."""
    return impact_table(initiative, *default_window())


def impact_csv(table: ImpactTable) -> str:
    """The table as CSV, with a totals row. Suppressed cells read as on the page: "fewer
    than 5", or "not shown" for a cell hidden to protect a small one."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", *table.columns])
    for row in table.rows():
        writer.writerow(
            [row["month"].strftime("%Y-%m"), *[c.text.replace(",", "") for c in row["cells"]]]
        )
    writer.writerow(["total", *[c.text.replace(",", "") for c in table.total_cells()]])
    return out.getvalue()


# --- Charts -------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 640, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 48, 36, 12


def bar_chart(table: ImpactTable, column: str) -> dict[str, Any]:
    """Geometry of an SVG bar chart of one column (suppressed bars drawn as a marker).

    Pure numbers for the template initiatives/_bar_chart.html; the data table beside the
    chart carries the same figures for screen readers and for copying.
    """
    cells = table.cells[column]
    values = [float(c.value) if c.value is not None else 0.0 for c in cells]
    top = max([*values, 1.0])
    scale_top = _nice_ceiling(top)
    plot_w = CHART_WIDTH - MARGIN_LEFT - 8
    plot_h = CHART_HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_w / max(len(cells), 1)
    bars = []
    for i, (month, cell, value) in enumerate(zip(table.months, cells, values, strict=True)):
        height = 0.0 if cell.suppressed else plot_h * value / scale_top
        x = MARGIN_LEFT + i * slot + slot * 0.15
        bars.append(
            {
                "x": round(x, 1),
                "y": round(MARGIN_TOP + plot_h - height, 1),
                "width": round(slot * 0.7, 1),
                "height": round(height, 1),
                "label_x": round(x + slot * 0.35, 1),
                "month": month,
                "text": cell.text,
                "suppressed": cell.suppressed,
                "not_shown": cell.not_shown,
            }
        )
    ticks = [
        {"value": scale_top * f, "y": round(MARGIN_TOP + plot_h * (1 - f), 1)} for f in (0, 0.5, 1)
    ]
    return {
        "column": column,
        "label": COLUMN_LABELS[column],
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "ticks": ticks,
        "axis_x": MARGIN_LEFT,
        "tick_label_x": MARGIN_LEFT - 6,
        "marker_y": MARGIN_TOP + plot_h - 14,
        "marker_label_y": MARGIN_TOP + plot_h - 18,
        "axis_y": MARGIN_TOP + plot_h,
        "axis_right": CHART_WIDTH - 8,
        "month_y": CHART_HEIGHT - MARGIN_BOTTOM + 16,
        "any_suppressed": any(c.suppressed for c in cells),
        "any_small": any(c.suppressed and not c.not_shown for c in cells),
        "any_not_shown": any(c.not_shown for c in cells),
    }


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at or above `value` (a readable axis top)."""
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude
