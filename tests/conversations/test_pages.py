"""What a host and a participant do through the pages, end to end (no JavaScript): the
schedule form, editing before the start, the help strip, close, summary, transcript,
taking part (pen name, consent) and replies/reactions around the open window."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from beacon.conversations import services
from beacon.conversations.models import Answer, Conversation
from beacon.help.queries import CrisisLineCard, country_for_code, panel_lines
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory
from tests.factories.conversations import AnswerFactory, ConversationFactory

pytestmark = pytest.mark.django_db

CALM = "A walk to the corner shop and back, with one song I know every word of."


def schedule_data(**overrides):
    data = {
        "title": "Talking with family",
        "introduction": "Hello, and **welcome**.",
        "time_zone": "Europe/Berlin",
        "starts_at": "2031-07-01T19:00",
        "ends_at": "2031-07-01T20:30",
        "slow_mode_seconds": "0",
        "question_0": "What did you need first?",
        "lens_0": "self",
        "question_2": "What could services do?",  # a gap: the order is kept, the gap closed
        "lens_2": "system",
        "question_1": "Who helped?",
        "lens_1": "society",
    }
    return {**data, **overrides}


def future(host, **kwargs):
    return ConversationFactory(
        host=host,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=2),
        **kwargs,
    )


def closed(host):
    return ConversationFactory(
        host=host,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=1),
    )


# 1. Scheduling ---------------------------------------------------------------------------


def test_the_schedule_form_offers_the_lenses_in_turn(organiser):
    html = logged_in_client(organiser).get("/conversations/schedule/").content.decode()

    for i, slug in enumerate(["self", "society", "system", "self"]):
        assert f'<option value="{slug}" selected>' in html.split(f'name="lens_{i}"')[1][:400]


def test_a_host_schedules_ordered_questions_with_lenses_in_their_zone(organiser):
    client = logged_in_client(organiser)

    response = client.post("/conversations/schedule/", schedule_data())

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert conversation.host == organiser and conversation.time_zone == "Europe/Berlin"
    assert conversation.starts_at.isoformat() == "2031-07-01T17:00:00+00:00"
    assert [(q.position, q.lens.slug, q.text) for q in conversation.questions.all()] == [
        (0, "self", "What did you need first?"),
        (1, "society", "Who helped?"),
        (2, "system", "What could services do?"),
    ]
    page = client.get(response.url).content.decode()
    assert "1 July 2031, 19:00 (Europe/Berlin)" in page
    # The next conversation starts from the host's zone.
    again = client.get("/conversations/schedule/").content.decode()
    assert '<option value="Europe/Berlin" selected>' in again


def test_a_refused_schedule_keeps_everything_typed(organiser):
    response = logged_in_client(organiser).post(
        "/conversations/schedule/", schedule_data(ends_at="2031-07-01T18:00")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The end must be after the start." in html
    assert "What could services do?" in html and "Talking with family" in html
    assert Conversation.objects.count() == 0


def test_the_host_edits_questions_and_times_before_the_start(organiser):
    conversation = future(organiser)
    client = logged_in_client(organiser)
    form = client.get(f"/conversations/{conversation.code}/edit/").content.decode()
    assert "What is one small thing that helps you on a hard day?" in form

    response = client.post(
        f"/conversations/{conversation.code}/edit/",
        schedule_data(
            title="Renamed",
            question_0="Swapped: who helped?",
            lens_0="society",
            question_1="Swapped: what did you need?",
            lens_1="self",
            question_2="",
        ),
    )

    conversation.refresh_from_db()
    assert response.status_code == 302
    assert conversation.title == "Renamed"
    assert [(q.text, q.lens.slug) for q in conversation.questions.all()] == [
        ("Swapped: who helped?", "society"),
        ("Swapped: what did you need?", "self"),
    ]


def test_editing_is_refused_once_it_has_started_with_a_clear_message(conversation, organiser):
    client = logged_in_client(organiser)

    response = client.get(f"/conversations/{conversation.code}/edit/", follow=True)
    posted = client.post(f"/conversations/{conversation.code}/edit/", schedule_data())

    assert "has already started, so its questions and times can no longer be changed" in (
        response.content.decode()
    )
    assert posted.status_code == 302
    assert conversation.questions.count() == 3
    assert Conversation.objects.get().title == conversation.title


def test_the_schedule_lists_open_coming_and_past_conversations_correctly(organiser):
    open_now = ConversationFactory(host=organiser, title="Open one")
    coming = future(organiser, title="Coming one")
    past = closed(organiser)
    Conversation.objects.filter(pk=past.pk).update(title="Past one")

    html = Client().get("/conversations/").content.decode()

    open_part = html.split('id="open-heading"')[1].split('id="coming-heading"')[0]
    coming_part = html.split('id="coming-heading"')[1].split('id="past-heading"')[0]
    past_part = html.split('id="past-heading"')[1]
    assert "Open one" in open_part and "Closed" not in open_part
    assert "(Europe/London)" in open_part
    assert "Coming one" in coming_part and "Closed" not in coming_part
    assert "Past one" in past_part and "Closed" in past_part
    assert open_now.code and coming.code


# 3. Crisis lines through the help app's current API -------------------------------------


def test_the_help_strip_uses_the_panel_lines_and_their_quick_contacts(
    conversation, member, crisis_lines, monkeypatch
):
    def no_shim(self):
        raise AssertionError("the conversation page must not read the old `channels` shim")

    monkeypatch.setattr(CrisisLineCard, "channels", property(no_shim))
    expected = panel_lines(country_for_code("US"))
    assert expected and all(line.quick_contacts for line in expected)

    html = logged_in_client(member).get(f"/conversations/{conversation.code}/").content.decode()

    strip = html.split('class="help-strip"')[1].split("</aside>")[0]
    for line in expected:
        for contact in line.quick_contacts:
            assert f'href="{contact.href}"' in strip and contact.label in strip
    # The one-line dock that stays on screen on narrow screens offers the first line too.
    dock = html.split("help-strip-compact")[1].split("</aside>")[0]
    assert f'href="{expected[0].quick_contacts[0].href}"' in dock


@pytest.mark.parametrize("when", ["scheduled", "open", "closed"])
def test_crisis_lines_are_on_the_page_before_during_and_after(when, organiser, crisis_lines):
    conversation = {
        "scheduled": lambda: future(organiser),
        "open": lambda: ConversationFactory(host=organiser),
        "closed": lambda: closed(organiser),
    }[when]()

    html = logged_in_client(UserFactory()).get(f"/conversations/{conversation.code}/").content
    html = html.decode()

    assert "Support, any time" in html and 'href="tel:988"' in html


# 2. Taking part ------------------------------------------------------------------------------


def test_a_member_answers_under_a_pen_name_and_joins_the_transcript(conversation, member):
    client = logged_in_client(member)
    base = f"/conversations/{conversation.code}"

    missing = client.post(f"{base}/taking-part/", {"byline": "pen_name", "pen_name": ""})
    assert missing.status_code == 400
    assert "Write the pen name you want to use" in missing.content.decode()

    saved = client.post(
        f"{base}/taking-part/",
        {"byline": "pen_name", "pen_name": "Kestrel", "include_in_transcript": "on"},
    )
    client.post(f"{base}/questions/0/answer/", {"q0-body": CALM})

    answer = Answer.objects.get()
    page = client.get(f"{base}/").content.decode()
    assert saved.status_code == 302
    assert answer.byline_name == "Kestrel"
    assert "Kestrel" in page and member.display_name not in page.split("answers-q0")[1]
    assert conversation.participants.get(user=member).include_in_transcript is True


def test_a_reply_and_reactions_while_open_but_not_after_close(conversation, organiser, member):
    answer = AnswerFactory(conversation=conversation)
    client = logged_in_client(member)
    base = f"/conversations/{conversation.code}/answers/{answer.code}"

    client.post(f"{base}/reply/", {f"r-{answer.code}-body": "Same here, it helps."})
    client.post(f"{base}/react/", {"kind": "thank_you"})
    services.close_conversation(conversation, actor=organiser)
    late_reply = client.post(f"{base}/reply/", {f"r-{answer.code}-body": "Too late?"})
    late_react = client.post(f"{base}/react/", {"kind": "with_you"}, follow=True)

    answer.refresh_from_db()
    assert answer.replies.get().body == "Same here, it helps."
    assert (answer.thank_you_count, answer.with_you_count) == (1, 0)
    assert "no longer takes answers" in late_reply.content.decode()
    assert "Support can be sent while the conversation is open." in late_react.content.decode()
    # After close the counts stay as a record, without buttons.
    page = client.get(f"/conversations/{conversation.code}/").content.decode()
    assert "Thank you: 1" in page and 'name="kind"' not in page


# 4. After close: summary and transcript -------------------------------------------------------


def test_close_early_then_summary_then_publish_through_the_pages(conversation, organiser, member):
    client = logged_in_client(organiser)
    base = f"/conversations/{conversation.code}"
    services.set_participation(
        conversation, user=member, byline="display_name", include_in_transcript=True
    )
    services.post_answer(
        conversation, author=member, question=conversation.questions.first(), body=CALM
    )

    too_early = client.post(f"{base}/summary/", {"summary": "Not yet."})
    assert too_early.status_code == 400
    assert "once the conversation has closed" in too_early.content.decode()

    client.post(f"{base}/close/")
    conversation.refresh_from_db()
    assert conversation.is_closed and conversation.closed_at is not None
    refused = client.post(
        f"{base}/questions/0/answer/", {"q0-body": "After close."}
    ).content.decode()
    assert "so it no longer takes answers" in refused

    client.post(f"{base}/summary/", {"summary": "We talked about **walks**."})
    assert Client().get(f"{base}/transcript.html").status_code == 403
    client.post(f"{base}/transcript/publish/")

    html = Client().get(f"{base}/transcript.html").content.decode()
    md = Client().get(f"{base}/transcript.md").content.decode()
    page = logged_in_client(member).get(f"{base}/").content.decode()
    assert "<strong>walks</strong>" in html and CALM in html and "After close." not in html
    assert "We talked about **walks**." in md and CALM in md
    assert "<strong>walks</strong>" in page and "transcript.md?download=1" in page


def test_leaving_the_transcript_after_publication_removes_the_answers(
    conversation, organiser, member
):
    services.set_participation(
        conversation, user=member, byline="display_name", include_in_transcript=True
    )
    services.post_answer(
        conversation, author=member, question=conversation.questions.first(), body=CALM
    )
    services.close_conversation(conversation, actor=organiser)
    services.publish_transcript(conversation, actor=organiser)
    client = logged_in_client(member)
    base = f"/conversations/{conversation.code}"
    assert CALM in Client().get(f"{base}/transcript.md").content.decode()
    page = client.get(f"{base}/").content.decode()
    assert "The transcript is published with your answers in it. You can leave it" in page
    assert 'name="include_in_transcript"' in page

    client.post(f"{base}/taking-part/", {"byline": "display_name"})
    rejoin = client.post(
        f"{base}/taking-part/", {"byline": "display_name", "include_in_transcript": "on"}
    )

    assert CALM not in Client().get(f"{base}/transcript.md").content.decode()
    assert rejoin.status_code == 400
    assert "already been published" in rejoin.content.decode()
