"""Finding a support group near me and answering without an account, in the browser:
search by ZIP → the group near me → its next meeting → ask for a place as a guest →
confirm by the emailed link → cancel by the emailed link. axe-core checks every page on
the way."""

import re

from django.core import mail

from beacon.events.enums import RsvpState
from beacon.events.models import Rsvp
from tests.browser.conftest import assert_accessible
from tests.factories.events import EventSeriesFactory
from tests.factories.initiatives import InitiativeFactory


def _path(body: str, kind: str) -> str:
    return re.search(rf"/events/rsvp/\S+/{kind}/", body).group(0)


def test_find_a_group_near_me_answer_as_a_guest_confirm_and_cancel(page, places):
    initiative = InitiativeFactory(name="Riverside Peer Support Collective")
    series = EventSeriesFactory(initiative=initiative, title="Tuesday evening circle", capacity=8)
    EventSeriesFactory(
        initiative=InitiativeFactory(name="Far away group", latitude=40.71, longitude=-74.0),
        title="A New York meeting",
        latitude=40.71,
        longitude=-74.0,
    )

    page.goto("/events/near/")
    assert_accessible(page)
    page.get_by_label("Town, city or ZIP code").fill("97214")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/events/near/?place=97214*")
    assert "A New York meeting" not in page.content()
    assert "Far away group" not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Riverside Peer Support Collective").click()  # the group
    page.get_by_role("heading", level=1, name="Riverside Peer Support Collective").wait_for()
    assert_accessible(page)
    page.get_by_role("region", name="Upcoming events").get_by_role(
        "link", name="Tuesday evening circle"
    ).first.click()

    page.get_by_role("heading", level=1, name="Tuesday evening circle").wait_for()
    assert "8 of 8 places left" in page.content()
    assert_accessible(page)
    page.get_by_label("Your name (optional)").fill("Kai")
    page.get_by_label("Your email address").fill("kai@people.example")
    page.get_by_role("button", name="Ask for a place").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)
    assert Rsvp.objects.get().state == RsvpState.PENDING_EMAIL

    (confirm_mail,) = [m for m in mail.outbox if m.to == ["kai@people.example"]]
    page.goto(_path(confirm_mail.body, "confirm"))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my place").click()
    page.get_by_text("You have a place.").wait_for()
    assert_accessible(page)
    assert Rsvp.objects.get().state == RsvpState.CONFIRMED

    placed = [m for m in mail.outbox if "Your place" in m.subject][-1]
    page.goto(_path(placed.body, "cancel"))
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my answer").click()
    page.get_by_text("Your answer is cancelled.").wait_for()
    assert Rsvp.objects.get().state == RsvpState.CANCELLED

    occurrence = series.occurrences.order_by("starts_at").first()
    page.goto(occurrence.get_absolute_url())
    assert "8 of 8 places left" in page.content()
    assert page.console_errors == []  # the JSON-LD block breaks no CSP rule


def test_event_pages_are_accessible_at_320px_and_in_dark_mode(page, places):
    series = EventSeriesFactory(title="Small screen circle")
    occurrence = series.occurrences.order_by("starts_at").first()
    page.set_viewport_size({"width": 320, "height": 800})
    page.emulate_media(color_scheme="dark")

    for path in [
        "/events/",
        "/events/near/?place=97214&radius=25",
        f"/events/series/{series.code}/",
        occurrence.get_absolute_url(),
        f"/initiatives/{series.initiative.code}/",
    ]:
        page.goto(path)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, path


def test_organiser_and_member_pages_are_accessible(page, places):
    from beacon.events import services
    from beacon.initiatives.enums import MemberRole
    from tests.factories.accounts import PASSWORD, UserFactory
    from tests.factories.initiatives import MembershipFactory

    organiser = UserFactory(display_name="Ola")
    series = EventSeriesFactory(title="Organised circle")
    MembershipFactory(initiative=series.initiative, user=organiser, role=MemberRole.ORGANISER)
    occurrence = series.occurrences.order_by("starts_at").first()
    services.rsvp_member(occurrence, actor=organiser)
    services.regenerate_calendar_token(actor=organiser)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")

    for path in [
        f"/events/manage/{series.initiative.code}/",
        f"/events/manage/{series.initiative.code}/new/",
        f"/events/series/{series.code}/edit/",
        f"/events/series/{series.code}/skip/",
        f"/events/{occurrence.code}/change/",
        f"/events/{occurrence.code}/cancel/",
        f"/events/{occurrence.code}/attendees/",
        occurrence.get_absolute_url(),
        "/events/mine/",
    ]:
        page.goto(path)
        assert_accessible(page)
    page.goto(f"/events/manage/{series.initiative.code}/new/")
    page.get_by_role("button", name="Save").click()  # empty form: errors, nothing lost
    page.get_by_text("This field is required.").first.wait_for()
    assert_accessible(page)
    assert page.console_errors == []
