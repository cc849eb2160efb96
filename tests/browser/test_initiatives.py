"""Journeys through initiatives in the browser: start one, a moderator approves it, it is
listed and found near a ZIP code; the organiser's pages and the dashboard are accessible."""

import datetime

import pytest

from beacon.accounts.enums import Role
from beacon.initiatives.enums import InitiativeStatus, MemberRole
from beacon.initiatives.models import Initiative
from tests.browser.conftest import assert_accessible
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.initiatives import (
    InitiativeFactory,
    MembershipFactory,
    VolunteerRoleFactory,
    VolunteerShiftFactory,
)

pytestmark = pytest.mark.browser


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")


def test_create_initiative_moderator_approves_and_it_is_listed(page, browser, live_server):
    from beacon.places.services import load_places

    load_places(countries=("US",), us_states=("OR",))
    organiser = UserFactory(display_name="Rowan")
    moderator = UserFactory(role=Role.MODERATOR)
    sign_in(page, organiser)
    page.goto("/initiatives/")
    assert_accessible(page)
    page.get_by_role("link", name="Start an initiative").click()
    assert_accessible(page)

    page.get_by_label("Name of the initiative").fill("Eastside Listening Circle")
    page.get_by_label("Mission").fill(
        "A weekly circle where people who are struggling can be heard without judgement."
    )
    page.get_by_label("Description").fill("We meet on Thursdays. People say we're all crazy.")
    page.get_by_label("Urban").check()
    page.get_by_label("Town, city or US ZIP code").fill("97214")
    page.get_by_label("Adults", exact=True).check()
    page.get_by_label("Peer support groups").check()
    page.get_by_label("Website").fill("https://eastside.example/")
    page.get_by_role("button", name="Send for review").click()
    # The assistant points out the stinging word once; nothing is sent yet.
    page.get_by_text("Words that can sting").wait_for()
    assert not Initiative.objects.exists()
    assert_accessible(page)
    page.get_by_label("Description").fill("We meet on Thursdays. Everyone is welcome.")
    page.get_by_role("button", name="Send as it is").click()
    page.wait_for_url("**/initiatives/*/")
    assert "Waiting for review" in page.content() or "waiting for review" in page.content()
    assert_accessible(page)

    mod_context = browser.new_context(base_url=live_server.url)
    mod_page = mod_context.new_page()
    sign_in(mod_page, moderator)
    mod_page.goto("/moderation/")
    mod_page.get_by_role("link", name="Eastside Listening Circle").click()
    assert_accessible(mod_page)
    mod_page.get_by_label("Approve and publish").check()
    mod_page.get_by_role("button", name="Save decision").click()
    mod_page.wait_for_url("**/moderation/")
    mod_context.close()

    assert Initiative.objects.get().status == InitiativeStatus.LISTED
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/initiatives/")
    visitor.get_by_label("Near (town, city or US ZIP)").fill("97232")
    visitor.get_by_role("button", name="Search").click()
    visitor.get_by_role("link", name="Eastside Listening Circle").click()
    assert "Sign in to join" in visitor.content()
    assert_accessible(visitor)
    assert page.console_errors == []


def test_organiser_pages_are_accessible(page):
    organiser = UserFactory(display_name="Oak")
    initiative = InitiativeFactory(created_by=organiser, name="Accessible circle")
    MembershipFactory(initiative=initiative, user=organiser, role=MemberRole.ORGANISER)
    MembershipFactory(initiative=initiative, role=MemberRole.VOLUNTEER)
    VolunteerRoleFactory(initiative=initiative, requirements=["safeguarding"])
    for days in (3, 40, 70):
        VolunteerShiftFactory(
            initiative=initiative,
            user=organiser,
            date=datetime.date.today() - datetime.timedelta(days=days),
        )
    sign_in(page, organiser)
    for path in ("", "edit/", "members/", "training/", "volunteers/", "hours/", "impact/"):
        page.goto(f"/initiatives/{initiative.code}/{path}")
        assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/initiatives/{initiative.code}/impact/")
    assert_accessible(page)
    assert page.console_errors == []


def test_the_list_fits_a_phone_and_a_moderator_hides_an_initiative_for_review(page, places):
    InitiativeFactory(name="Phone-sized circle", audiences=["bipoc"])
    moderator = UserFactory(role=Role.MODERATOR, display_name="Mo")
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto("/initiatives/?near=97214&radius=25")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # long audience names
    assert_accessible(page)
    sign_in(page, moderator)
    page.goto("/initiatives/")
    page.get_by_role("link", name="Phone-sized circle").click()
    assert_accessible(page)
    page.get_by_role("button", name="Hide now and review").click()
    page.wait_for_url("**/moderation/case/**")

    initiative = Initiative.objects.get(name="Phone-sized circle")
    assert initiative.is_hidden and initiative.status == InitiativeStatus.LISTED
    assert page.console_errors == []
