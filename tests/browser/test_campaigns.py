"""Journeys through campaigns: a guest signs a pledge, confirms from the emailed link, and the
counter moves (also on a page that was already open, through htmx polling); the campaign
page and the words-matter checker, each checked by axe-core."""

import re

from django.core import mail

from tests.browser.conftest import assert_accessible
from tests.factories.campaigns import CallFactory, PledgeFactory, SignatureFactory, SnippetFactory


def test_a_guest_signs_confirms_by_email_and_the_counter_moves(page, browser, live_server):
    pledge = PledgeFactory(title="I will start one honest conversation", goal=10)
    SignatureFactory(pledge=pledge, name="Sam", show_name=True)
    watcher = browser.new_context(base_url=live_server.url).new_page()
    watcher.goto(f"/campaigns/pledges/{pledge.code}/")
    assert "1 signature " in watcher.locator(".pledge-count").inner_text() + " "
    # While nothing changes the poll answers 204: the live region is not replaced (and not
    # read out again).
    with watcher.expect_response(
        lambda r: "/count/?have=1" in r.url and r.status == 204, timeout=15_000
    ):
        pass

    page.goto(f"/campaigns/pledges/{pledge.code}/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("rae@guests.example")
    page.get_by_label("First name (optional)").fill("Rae")
    page.get_by_label("Show this name with my signature").check()
    page.get_by_role("button", name="Sign the pledge").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)

    link = re.search(r"http://\S+(/campaigns/signatures/confirm/\S+/)", mail.outbox[-1].body)[1]
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my signature").click()
    page.get_by_text("your signature is confirmed and counted").wait_for()
    assert page.locator(".pledge-count strong").inner_text() == "2"
    assert page.locator(".signers").inner_text().split("\n") == ["Rae", "Sam"]
    assert_accessible(page)

    # The page opened before the confirmation catches up by itself (htmx polls the counter).
    watcher.locator(".pledge-count strong", has_text="2").wait_for(timeout=15_000)
    assert watcher.locator("progress").get_attribute("value") == "2"
    watcher.context.close()
    assert page.console_errors == []


def test_the_campaign_page_and_the_words_matter_checker(page):
    call = CallFactory()
    SnippetFactory(campaign=call.campaign, text="I signed. Will you?")
    PledgeFactory(campaign=call.campaign)

    page.goto(f"/campaigns/{call.campaign.code}/")
    assert page.get_by_role("button", name="Copy text").is_visible()  # shown by the script
    assert_accessible(page)

    page.goto("/words-matter/")
    assert_accessible(page)
    page.get_by_role("textbox", name="Your text").fill("My uncle committed suicide last year.")
    page.get_by_text("1 suggestion").wait_for()  # live, without pressing the button
    assert "died by suicide" in page.locator("#check-result").inner_text()
    assert_accessible(page)
    assert page.console_errors == []
