"""Directory journeys: find help near a place that is open now and call it; report a
wrong number and see it reach a curator."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from beacon.accounts.enums import Role
from tests.browser.conftest import assert_accessible
from tests.factories.accounts import PASSWORD, UserFactory

WEDNESDAY_MORNING = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("America/Los_Angeles"))


@pytest.fixture
def directory(places, monkeypatch):
    from beacon.directory.demo import seed

    seed()
    # The live server runs in this process: its clock reads a Wednesday morning in Portland.
    monkeypatch.setattr("django.utils.timezone.now", lambda: WEDNESDAY_MORNING)


def test_search_by_place_open_now_and_call(page, directory):
    page.goto("/")
    page.get_by_role("link", name="Find support").click()
    assert_accessible(page)
    page.get_by_label("Near (town, city or ZIP code)").fill("97214")
    page.get_by_label("Open now").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/directory/?*place=97214*")
    assert "open_now=on" in page.url or "open_now=1" in page.url  # shareable
    heading = page.get_by_role("heading", level=2).first.inner_text()
    assert "near 97214 (Portland, OR), US" in heading
    results = page.locator(".result")
    assert "Low-cost counselling" in results.first.inner_text()
    assert "Riverside Peer Warmline" not in page.content()  # evenings only
    assert_accessible(page)
    call = results.first.get_by_role("link", name="Call (503) 555-0110")
    assert call.get_attribute("href") == "tel:+15035550110"
    results.first.get_by_role("link", name="Low-cost counselling", exact=True).click()
    assert page.get_by_text("Open now").first.is_visible()
    assert page.locator("tr.today").inner_text().startswith("Wednesday")
    assert page.get_by_role("link", name="Call (503) 555-0110").get_attribute("href") == (
        "tel:+15035550110"
    )
    assert_accessible(page)
    # Narrow phone screen: no sideways scrolling.
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page)
    assert page.console_errors == []


def test_report_a_wrong_number_reaches_a_curator(page, directory):
    curator = UserFactory(role=Role.CURATOR, display_name="Cai")
    page.goto("/directory/?q=counselling")
    page.get_by_role("link", name="Low-cost counselling", exact=True).click()
    page.get_by_label("The number didn't work").check()
    page.get_by_label("Anything else we should know? (optional)").fill("It rang out twice.")
    page.get_by_role("button", name="Send to curators").click()
    assert page.get_by_text("A directory curator will check this entry").is_visible()
    assert_accessible(page)

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(curator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")
    page.get_by_role("link", name="Curation").click()
    row = page.locator("tr", has_text="Low-cost counselling")
    assert "The number didn't work" in row.inner_text()
    assert "It rang out twice." in row.inner_text()
    assert_accessible(page)
    row.get_by_role("button", name="Resolve").click()
    assert page.get_by_text("Report resolved.").is_visible()
    assert page.get_by_text("No reports waiting.").is_visible()
    # The curator's own page for the entry: check it, correct it.
    page.goto("/directory/?q=counselling")
    page.get_by_role("link", name="Low-cost counselling", exact=True).click()
    page.get_by_role("link", name="check or correct this entry").click()
    assert_accessible(page)
    page.get_by_role("button", name="Checked today, it's right").click()
    assert page.get_by_text("is marked as checked today").is_visible()
    # Correct the hours: Saturday mornings too, by phone only.
    new_hours = page.locator(".hours-form").last
    new_hours.get_by_label("Sat").check()
    new_hours.get_by_label("Opens").fill("10:00")
    new_hours.get_by_label("Closes").fill("12:00")
    new_hours.get_by_label("For").select_option("call")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_text("Saved. The change is live").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Public page").click()
    saturday = page.locator(".hours-block", has_text="Call").locator("tr", has_text="Saturday")
    assert saturday.inner_text().endswith("10:00–12:00")


def test_search_works_without_javascript(browser, live_server, directory, transactional_db):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/directory/")
    assert not page.get_by_role("button", name="Use my location").is_visible()
    page.get_by_label("What are you looking for?").fill("support group")
    page.get_by_label("Families and carers").check()
    page.get_by_role("button", name="Search").click()
    assert "Family and carer support group" in page.content()
    context.close()
