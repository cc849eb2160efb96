"""Impact figures: monthly figures from events and hours, small-count suppression, charts,
the dashboard and the CSV."""

import csv
import datetime
import io
import sys
import types
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beacon.initiatives import impact
from tests.conftest import logged_in_client
from tests.factories.initiatives import VolunteerShiftFactory

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


@pytest.fixture
def events_app(monkeypatch):
    """A stand-in for beacon.events.queries with the agreed attendance_by_month contract."""
    rows = []
    calls = []

    def attendance_by_month(initiative, start, end):
        calls.append((initiative.pk, start, end))
        return rows

    module = types.ModuleType("beacon.events.queries")
    module.attendance_by_month = attendance_by_month
    monkeypatch.setitem(sys.modules, "beacon.events.queries", module)
    return types.SimpleNamespace(rows=rows, calls=calls)


def test_without_events_app_only_hours(crew, monkeypatch):
    monkeypatch.setitem(sys.modules, "beacon.events.queries", None)  # import fails
    VolunteerShiftFactory(initiative=crew["initiative"], date=datetime.date(2026, 2, 3), hours=2)
    VolunteerShiftFactory(initiative=crew["initiative"], date=datetime.date(2026, 2, 27), hours=1)
    VolunteerShiftFactory(initiative=crew["initiative"], date=datetime.date(2026, 4, 1), hours=9)

    figures = impact.monthly_figures(crew["initiative"], JAN, MAR)

    assert [f["month"] for f in figures] == [JAN, FEB, MAR]
    assert [f["volunteer_hours"] for f in figures] == [0, Decimal("3"), 0]
    assert figures[0]["events_held"] is None


def test_events_figures_come_from_the_events_app(crew, events_app):
    events_app.rows.append(
        {"month": FEB, "events_held": 4, "attendance": 37, "returning_attendees": 12}
    )
    figures = impact.monthly_figures(crew["initiative"], JAN, MAR)
    assert events_app.calls == [(crew["initiative"].pk, JAN, MAR)]
    assert figures[1] | {"volunteer_hours": None} == {
        "month": FEB,
        "events_held": 4,
        "attendance": 37,
        "returning_attendees": 12,
        "volunteer_hours": None,
    }
    assert figures[0]["attendance"] == 0


def texts(cells):
    return [c.text for c in cells]


def test_small_counts_are_suppressed_with_a_second_cell_when_alone():
    cells, total = impact.suppress_column([0, 3, 12, 7, 40])
    assert texts(cells) == ["0", "fewer than 5", "12", "fewer than 5", "40"]
    assert total.text == "62"


def test_two_small_counts_need_no_second_cell():
    cells, total = impact.suppress_column([2, 3, 12])
    assert texts(cells) == ["fewer than 5", "fewer than 5", "12"]
    assert total.text == "17"


def test_a_small_total_is_suppressed_too():
    cells, total = impact.suppress_column([0, 3, 0])
    assert texts(cells) == ["0", "fewer than 5", "0"]
    assert total.text == "fewer than 5"


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12))
def test_no_suppressed_value_can_be_worked_out(values):
    """Whatever the figures, each hidden cell is either one of at least two hidden cells
    (so the total only gives their sum), or the total itself is hidden."""
    cells, total = impact.suppress_column(values)
    hidden = [i for i, c in enumerate(cells) if c.suppressed]
    for i, value in enumerate(values):
        if 0 < value < impact.SUPPRESS_BELOW:
            assert cells[i].suppressed
            assert len(hidden) >= 2 or total.suppressed
        if not cells[i].suppressed:
            assert cells[i].value == value


def test_csv_is_suppressed_like_the_page(crew, events_app):
    start, end = impact.default_window()
    events_app.rows.extend(
        [
            {"month": start, "events_held": 2, "attendance": 3, "returning_attendees": 1},
            {"month": end, "events_held": 10, "attendance": 80, "returning_attendees": 30},
        ]
    )
    client = logged_in_client(crew["organiser"])

    response = client.get(f"/initiatives/{crew['initiative'].code}/impact.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "month",
        "events_held",
        "attendance",
        "returning_attendees",
        "volunteer_hours",
    ]
    assert rows[1][:4] == [start.strftime("%Y-%m"), "fewer than 5", "fewer than 5", "fewer than 5"]
    # The only other non-zero month is hidden too, so the total gives nothing away.
    assert rows[12][:4] == [end.strftime("%Y-%m"), "fewer than 5", "fewer than 5", "fewer than 5"]
    assert rows[13][:4] == ["total", "12", "83", "31"]
    assert "1" not in rows[1] and "3" not in rows[1]


def test_dashboard_has_charts_with_tables(crew, events_app):
    _, end = impact.default_window()
    events_app.rows.append(
        {"month": end, "events_held": 6, "attendance": 50, "returning_attendees": 3}
    )
    VolunteerShiftFactory(initiative=crew["initiative"], date=end, hours=Decimal("4.5"))

    html = logged_in_client(crew["organiser"]).get(
        f"/initiatives/{crew['initiative'].code}/impact/"
    )

    body = html.content.decode()
    assert html.status_code == 200
    assert body.count('<svg class="bar-chart"') == 4 and 'role="img"' in body
    assert "Attendance by month</caption>" in body and ">50<" in body
    assert ">4.5<" in body and "fewer than 5" in body
    assert "style=" not in body and "<script>" not in body


def test_public_page_shows_a_suppressed_summary(client, crew, events_app):
    _, end = impact.default_window()
    events_app.rows.append(
        {"month": end, "events_held": 6, "attendance": 4, "returning_attendees": 0}
    )
    body = client.get(f"/initiatives/{crew['initiative'].code}/").content.decode()
    assert "Our impact" in body and "fewer than 5" in body


def test_bar_chart_geometry():
    table = impact.ImpactTable(months=[JAN, FEB], columns=["attendance"])
    table.cells["attendance"], _ = impact.suppress_column([0, 40])
    chart = impact.bar_chart(table, "attendance")
    assert chart["bars"][0]["height"] == 0 and chart["bars"][1]["height"] > 0
    assert chart["ticks"][-1]["value"] == 50
    assert chart["bars"][1]["y"] + chart["bars"][1]["height"] == pytest.approx(chart["axis_y"])


def test_default_window_is_twelve_months():
    start, end = impact.default_window(datetime.date(2026, 3, 17))
    assert (start, end) == (datetime.date(2025, 4, 1), MAR)
    assert len(impact.months_between(start, end)) == 12
