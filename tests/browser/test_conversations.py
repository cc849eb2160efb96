"""A live conversation in two browsers: what one person posts appears for the other
without a reload (server-sent events), and the page passes axe-core."""

from beacon.conversations.models import Answer
from tests.browser.conftest import assert_accessible
from tests.browser.test_stories import sign_in
from tests.factories.accounts import UserFactory
from tests.factories.conversations import ConversationFactory, lens_for


def _answer_post(response) -> bool:
    return response.request.method == "POST" and "/answer/" in response.url


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
    asked: list[str] = []
    reader_page.on("request", lambda r: asked.append(r.url))
    reader_page.goto(url)
    reader_page.get_by_text("No answers yet.").first.wait_for()

    text = "Opening the curtains first thing, even on grey days."
    page.get_by_label("Your answer").first.fill(text)
    # The post's own response is awaited with room for a loaded machine, and its status
    # checked, so a slow run waits and a server error says what it is.
    with page.expect_response(_answer_post, timeout=30_000) as posted:
        page.get_by_role("button", name="Post answer").first.click()
    assert posted.value.status == 200, posted.value.status
    page.get_by_text("Posted. Thank you for sharing.").wait_for()

    # No reload: the reader's page hears of it on its event stream and inserts it.
    reader_page.get_by_text(text).wait_for(timeout=5_000)
    assert reader_page.get_by_role("status").filter(has_text="1 new answer.").count() == 1
    assert Answer.objects.get().body == text
    assert [u for u in asked if "/stream/" in u] and not [u for u in asked if "/updates/" in u]

    # The reader sends support; the writer's page shows the count without a reload.
    reader_page.get_by_role("button", name="With you 0").click()
    reader_page.get_by_role("button", name="With you 1").wait_for()
    page.get_by_role("button", name="With you 1").wait_for(timeout=5_000)
    assert_accessible(reader_page)
    assert page.console_errors == []
    other.close()


def test_when_the_server_has_no_stream_place_left_the_page_polls(page, live_server, settings):
    from beacon.conversations import services

    settings.BEACON_LIVE_STREAMS = 0
    conversation = ConversationFactory()
    sign_in(page, UserFactory())
    page.goto(f"/conversations/{conversation.code}/")
    page.get_by_text("No answers yet.").first.wait_for()
    with page.expect_response(lambda r: "/updates/" in r.url, timeout=10_000):
        pass  # the stream was refused (204), so the page asks every 0.8 s

    services.post_answer(
        conversation,
        author=UserFactory(),
        question=conversation.questions.first(),
        body="A cup of tea on the back step.",
    )

    page.get_by_text("A cup of tea on the back step.").wait_for(timeout=5_000)
    assert page.console_errors == []


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
    with page.expect_response(_answer_post, timeout=30_000) as posted:
        page.get_by_role("button", name="Post answer").nth(1).click()
    assert posted.value.status == 302, posted.value.status  # then the page, with the message

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


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_a_host_schedules_on_a_phone_and_every_page_passes_axe(page, live_server):
    from datetime import timedelta

    from django.utils import timezone

    from beacon.accounts.enums import Role
    from beacon.conversations import services
    from beacon.conversations.models import Conversation

    for slug in ("self", "society", "system"):  # an earlier test's flush removed them
        lens_for(slug)
    host = UserFactory(role=Role.MODERATOR, display_name="Host Hana")
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, host)

    page.goto("/conversations/schedule/")
    assert_accessible(page)
    _no_sideways_scroll(page)
    page.get_by_label("Title").fill("Evenings that help")
    page.get_by_label("Introduction").fill("A calm hour. **Be gentle.**")
    page.get_by_label("Your time zone").select_option("Europe/Paris")
    start = timezone.localtime(timezone.now() + timedelta(days=2))
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT19:00"))
    page.get_by_label("Ends").fill(start.strftime("%Y-%m-%dT20:00"))
    page.get_by_label("Question 1:", exact=True).fill("What helps you in the evening?")
    page.get_by_label("Question 2:", exact=True).fill("Who helps?")
    page.get_by_label("Lens of question 2").select_option(label="Society")
    page.get_by_role("button", name="Schedule").click()

    page.get_by_text("Scheduled. Members can see it in the list now.").wait_for()
    conversation = Conversation.objects.get(title="Evenings that help")
    assert conversation.time_zone == "Europe/Paris"
    assert [q.lens.slug for q in conversation.questions.all()] == ["self", "society"]
    assert page.get_by_role("heading", name="Support, any time").is_visible()
    assert page.get_by_role("link", name="Call 988").first.is_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)

    # After it has run: the closed page, the summary form and the transcript pass axe too.
    Conversation.objects.filter(pk=conversation.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    conversation.refresh_from_db()
    page.goto(f"/conversations/{conversation.code}/summary/")
    assert_accessible(page)
    page.get_by_label("Summary").fill("We shared **small rituals**.")
    page.get_by_role("button", name="Save the summary").click()
    page.get_by_text("Summary saved.").wait_for()
    page.get_by_role("button", name="Publish the transcript").click()
    page.get_by_text("The transcript is published").wait_for()
    assert_accessible(page)
    _no_sideways_scroll(page)
    assert services.consent_is_open(Conversation.objects.get(pk=conversation.pk)) is False
    page.goto(f"/conversations/{conversation.code}/transcript.html")
    page.get_by_role("heading", name="Summary by the host").wait_for()
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/conversations/{conversation.code}/")
    assert_accessible(page)
    assert page.console_errors == []
