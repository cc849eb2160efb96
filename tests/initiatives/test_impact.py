"""Impact figures: monthly figures from events and hours, small-count suppression, charts,
the dashboard and the CSV."""

import csv
import datetime
import io
import re
import sys
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from beacon.initiatives import impact
from beacon.initiatives.models import Initiative
from tests.conftest import logged_in_client
from tests.factories.events import held_meetings
from tests.factories.initiatives import VolunteerShiftFactory

pytestmark = pytest.mark.django_db
JAN, FEB, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


def cell(body, caption, month_label, column):
    """The text of one cell of the table captioned `caption` in `body`: the row headed
    `month_label` ("Mar 2026" or "Total"), the `column`-th figure (0 = events held)."""
    table = body[body.index(f"<caption>{caption}</caption>") :]
    table = table[: table.index("</table>")]
    row = table[table.index(f">{month_label}</th>") :]
    row = row[: row.index("</tr>")]
    return re.findall(r'<td class="num">([^<]*)</td>', row)[column]


def test_without_events_app_only_hours(crew, monkeypatch):
    monkeypatch.setitem(sys.modules, "beacon.events.queries", None)  # import fails
    VolunteerShiftFactory(initiative=crew["initiative"], date=datetime.date(2026, 2, 3), hours=2)
    VolunteerShiftFactory(initiative=crew["initiative"], date=datetime.date(2026, 2, 27), hours=1)
    VolunteerShiftFactory(initiative=crew["initiative"], date=datetime.date(2026, 4, 1), hours=9)

    figures = impact.monthly_figures(crew["initiative"], JAN, MAR)

    assert [f["month"] for f in figures] == [JAN, FEB, MAR]
    assert [f["volunteer_hours"] for f in figures] == [0, Decimal("3"), 0]
    assert figures[0]["events_held"] is None


def test_events_figures_come_from_the_events_app(crew):
    start, end = impact.default_window()
    month = impact.add_months(start, 1)
    held_meetings(crew["initiative"], month, events=4, attendance=37, returning=12)

    figures = impact.monthly_figures(crew["initiative"], start, end)

    assert figures[1] | {"volunteer_hours": None} == {
        "month": month,
        "events_held": 4,
        "attendance": 37,
        "returning_attendees": 12,
        "volunteer_hours": None,
    }
    assert [f["attendance"] for f in figures] == [0, 37] + [0] * 10


def texts(cells):
    return [c.text for c in cells]


def test_small_counts_are_suppressed_with_a_second_cell_when_alone():
    cells, total = impact.suppress_column([0, 3, 12, 7, 40])
    # The 7 is hidden only to protect the 3: it is not "fewer than 5", so it says so.
    assert texts(cells) == ["0", "fewer than 5", "12", "not shown", "40"]
    assert [c.hidden_because for c in cells] == ["", "small", "", "complement", ""]
    assert total.text == "62"


def test_a_large_cell_hidden_to_protect_a_small_one_is_not_called_small():
    cells, _ = impact.suppress_column([2, 80, 95])
    assert texts(cells) == ["fewer than 5", "not shown", "95"]


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


def test_csv_is_suppressed_like_the_page(crew):
    start, end = impact.default_window()
    held_meetings(crew["initiative"], start, events=2, attendance=3, returning=1)
    held_meetings(crew["initiative"], end, events=10, attendance=80, returning=30)
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
    # The only other non-zero month is hidden too, so the total gives nothing away; it is
    # 10, 80 and 30, so it reads "not shown", never "fewer than 5".
    assert rows[12][:4] == [end.strftime("%Y-%m"), "not shown", "not shown", "not shown"]
    assert rows[13][:4] == ["total", "12", "83", "31"]
    assert "1" not in rows[1] and "3" not in rows[1]


def test_dashboard_has_charts_with_tables(crew):
    start, end = impact.default_window()
    held_meetings(crew["initiative"], end, events=6, attendance=50, returning=3)
    VolunteerShiftFactory(initiative=crew["initiative"], date=end, hours=Decimal("4.5"))
    month = end.strftime("%b %Y")

    html = logged_in_client(crew["organiser"]).get(
        f"/initiatives/{crew['initiative'].code}/impact/"
    )

    body = html.content.decode()
    assert html.status_code == 200
    assert body.count('<svg class="bar-chart"') == 4 and 'role="img"' in body
    assert cell(body, "Figures by month", month, 1) == "50"
    assert cell(body, "Figures by month", month, 2) == "fewer than 5"
    assert cell(body, "Figures by month", month, 3) == "4.5"
    assert cell(body, "Figures by month", start.strftime("%b %Y"), 1) == "0"
    assert "style=" not in body and "<script>" not in body


def test_public_page_shows_charts_and_a_table_by_month_suppressed(client, crew):
    _, end = impact.default_window()
    previous = impact.add_months(end, -1)
    held_meetings(crew["initiative"], previous, events=7, attendance=60, returning=9)
    held_meetings(crew["initiative"], end, events=6, attendance=4, returning=0)
    VolunteerShiftFactory(initiative=crew["initiative"], date=end, hours=3)

    body = client.get(f"/initiatives/{crew['initiative'].code}/").content.decode()

    caption = "Our figures by month"
    assert "Our impact" in body
    assert body.count('<svg class="bar-chart"') == 4
    assert "Attendance by month</title>" in body
    assert [cell(body, caption, end.strftime("%b %Y"), i) for i in range(4)] == [
        "6",
        "fewer than 5",
        "0",
        "3",
    ]
    # The 60 is hidden only to protect the 4 in the attendance column.
    assert cell(body, caption, previous.strftime("%b %Y"), 1) == "not shown"
    assert cell(body, caption, previous.strftime("%b %Y"), 0) == "7"
    assert [cell(body, caption, "Total", i) for i in range(4)] == ["13", "64", "9", "3"]
    assert "style=" not in body


def test_public_page_shows_no_figures_of_an_unlisted_initiative(crew):
    Initiative.objects.filter(pk=crew["initiative"].pk).update(status="pending_review")
    held_meetings(crew["initiative"], impact.default_window()[1], events=6, attendance=40)

    response = logged_in_client(crew["organiser"]).get(f"/initiatives/{crew['initiative'].code}/")

    assert response.status_code == 200
    assert "Our impact" not in response.content.decode()


def test_bar_chart_marks_small_and_not_shown_months_differently(crew):
    table = impact.ImpactTable(months=[JAN, FEB, MAR], columns=["attendance"])
    table.cells["attendance"], _ = impact.suppress_column([3, 40, 90])
    chart = impact.bar_chart(table, "attendance")

    html = render_to_string("initiatives/_bar_chart.html", {"chart": chart})

    assert [(b["suppressed"], b["not_shown"]) for b in chart["bars"]] == [
        (True, False),
        (True, True),
        (False, False),
    ]
    assert html.count(">&lt;5</text>") == 1 and html.count(">–</text>") == 1
    assert "may be any size" in html


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
