"""A live conversation in two browsers: what one person posts appears for the other
without a reload (polling), and the page passes axe-core."""

from beacon.conversations.models import Answer
from tests.browser.conftest import assert_accessible
from tests.browser.test_stories import sign_in
from tests.factories.accounts import UserFactory
from tests.factories.conversations import ConversationFactory


def test_an_answer_posted_in_one_browser_appears_in_the_other(page, browser, live_server):
    conversation = ConversationFactory(title="Small things that help")
    writer = UserFactory(display_name="Wren")
    reader = UserFactory(display_name="Robin")
    url = f"/conversations/{conversation.code}/"

    sign_in(page, writer)
    page.goto(url)
    assert_accessible(page)

    other = browser.new_context(base_url=live_server.url)
    reader_page = other.new_page()
    reader_page.set_default_timeout(10_000)
    sign_in(reader_page, reader)
    reader_page.goto(url)
    reader_page.get_by_text("No answers yet.").first.wait_for()

    text = "Opening the curtains first thing, even on grey days."
    page.get_by_label("Your answer").first.fill(text)
    page.get_by_role("button", name="Post answer").first.click()
    page.get_by_text("Posted. Thank you for sharing.").wait_for()

    # No reload: the reader's page polls and inserts it.
    reader_page.get_by_text(text).wait_for(timeout=5_000)
    assert reader_page.get_by_role("status").filter(has_text="1 new answer.").count() == 1
    assert Answer.objects.get().body == text

    # The reader sends support; the writer's page shows the count without a reload.
    reader_page.get_by_role("button", name="With you 0").click()
    reader_page.get_by_role("button", name="With you 1").wait_for()
    page.get_by_role("button", name="With you 1").wait_for(timeout=5_000)
    assert_accessible(reader_page)
    assert page.console_errors == []
    other.close()


def test_the_conversation_page_works_without_javascript(browser, live_server, transactional_db):
    from beacon.help.services import sync_crisis_lines

    sync_crisis_lines()
    conversation = ConversationFactory()
    member = UserFactory()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, member)
    page.goto(f"/conversations/{conversation.code}/")

    page.get_by_label("Your answer").nth(1).fill("My brother's dog photos every morning.")
    page.get_by_role("button", name="Post answer").nth(1).click()

    page.get_by_text("Posted. Thank you for sharing.").wait_for()
    assert page.get_by_text("My brother's dog photos every morning.").is_visible()
    assert page.get_by_role("link", name="Show new answers").is_visible()
    # axe-core needs scripts to run; check the same page, same session, with them on.
    state = context.storage_state()
    context.close()
    checked = browser.new_context(base_url=live_server.url, storage_state=state)
    page = checked.new_page()
    page.goto(f"/conversations/{conversation.code}/")
    assert_accessible(page)
    checked.close()
