"""Journeys a person takes through the foundation: home, help, sign-up, quick exit."""

import re

import pytest
from django.core import mail

from beacon.accounts.models import User
from tests.browser.conftest import assert_accessible
from tests.factories.accounts import PASSWORD, UserFactory


def test_pages_make_no_third_party_requests(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    for path in ["/", "/help/?country=GB", "/accounts/signup/", "/about/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")

    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    assert any(url.endswith("htmx.min.js") for url in requested)
    assert page.console_errors == []  # no CSP violation, no script error


def test_home_page_leads_to_help(page):
    page.goto("/")

    assert page.get_by_role("heading", level=1).inner_text() == "You are not alone here."
    assert_accessible(page)
    page.get_by_role("link", name="Get help now").click()
    page.wait_for_url("**/help/")
    assert page.get_by_role("heading", level=1).inner_text() == "Get help now"
    assert page.console_errors == []


def test_help_switch_country_and_call_link(page):
    page.goto("/help/")
    assert "Crisis lines in United States" in page.content()

    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Show lines").click()

    page.wait_for_url("**/help/?country=GB")
    call = page.get_by_role("link", name="Call 116 123")
    assert call.get_attribute("href") == "tel:116123"
    assert page.get_by_role("link", name="Text 85258").get_attribute("href") == "sms:85258"
    assert_accessible(page)
    page.goto("/help/")  # the choice is remembered
    assert "Crisis lines in United Kingdom" in page.content()


def test_signup_with_the_verification_mail(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Display name").fill("Wren")
    page.get_by_label("Email address").fill("wren@people.example")
    page.get_by_label("Password").fill("lanterns over water")
    page.get_by_role("button", name="Create my account").click()

    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)
    assert [m.to for m in mail.outbox] == [["wren@people.example"]]
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", ""))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my address").click()

    page.wait_for_url("**/accounts/login/")
    assert User.objects.get(email="wren@people.example").is_email_verified
    page.get_by_label("Email address").fill("wren@people.example")
    page.get_by_label("Password").fill("lanterns over water")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert "wren@people.example" not in page.content()


@pytest.mark.parametrize("how", ["button", "escape twice"])
def test_quick_exit_leaves_and_replaces_the_history_entry(page, live_server, how):
    page.goto("/")
    page.goto("/help/")

    if how == "button":
        page.get_by_role("link", name="Quick exit").click()
    else:
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url("**/static/core/img/beacon.svg")
    page.go_back()

    assert page.url == f"{live_server.url}/"  # /help/ was replaced, not kept


def test_a_single_escape_does_not_leave(page):
    page.goto("/help/")

    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)

    assert page.url.endswith("/help/")


PUBLIC_PAGES = [
    "/",
    "/about/",
    "/help/",
    "/help/?country=IT",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/verify/again/",
    "/no-such-page/",
]
ACCOUNT_PAGES = [
    "/accounts/",
    "/accounts/confirm-password/",
    "/accounts/password/",
    "/accounts/email/",
    "/accounts/my-data/",
    "/accounts/close/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_axe_violations(page, scheme):
    page.emulate_media(color_scheme=scheme)
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in PUBLIC_PAGES[:3]:
        page.goto(path)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways at 320 px ({width})"


def test_signed_in_pages_have_no_axe_violations(page):
    user = UserFactory(email="reader@people.example")
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")

    for path in ACCOUNT_PAGES:
        page.goto(path)
        assert_accessible(page)
    page.get_by_label("Delete my account and everything I wrote").check()
    page.get_by_label("I understand this cannot be undone.").check()
    page.get_by_role("button", name="Close my account").click()
    page.get_by_role("heading", name="Your account is closed").wait_for()
    assert_accessible(page)
    assert not User.objects.filter(email="reader@people.example").exists()
