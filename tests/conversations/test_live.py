"""The live stream of a conversation page (server-sent events) and the hub that feeds it.

The hub is stepped by the test (`live_hub.tick()`, see tests/conftest.py); the threaded
watcher is exercised on PostgreSQL at the end and by the browser journeys."""

import threading
import time

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection, connections
from django.test import Client, override_settings

from beacon.conversations import services
from beacon.conversations.models import Conversation
from beacon.conversations.views import live
from tests.conftest import logged_in_client
from tests.factories.accounts import UserFactory
from tests.factories.conversations import ConversationFactory

pytestmark = pytest.mark.django_db

CALM = "A walk to the corner shop and back, with one song I know every word of."
CRISIS = "I want to end my life tonight. I can't see any way forward."


def open_stream(client, conversation, since=None, **headers):
    url = f"/conversations/{conversation.code}/stream/"
    if since is not None:
        url += f"?since={since}"
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/event-stream; charset=utf-8"
    return response, iter(response.streaming_content)


def close(response) -> None:
    """Close a stream's response as the server does when the reader leaves, the way the test
    client closes responses: without also closing the test's own database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def read(events) -> str:
    return next(events).decode()


def data_of(event: str) -> str:
    return "\n".join(line[6:] for line in event.splitlines() if line.startswith("data: "))


def post(conversation, author, body=CALM):
    return services.post_answer(
        conversation, author=author, question=conversation.questions.first(), body=body
    )


def test_a_stream_opens_with_the_status_and_sends_each_new_answer_with_its_cursor(member, live_hub):
    conversation = ConversationFactory()
    response, events = open_stream(logged_in_client(UserFactory()), conversation)

    assert read(events) == "retry: 2000\nevent: status\ndata: open\n\n"

    answer = post(conversation, member)
    live_hub.tick()
    event = read(events)

    assert event.startswith(f"id: {answer.seq}\n")
    assert f'id="answer-{answer.code}"' in data_of(event) and CALM in data_of(event)
    close(response)


def test_a_reconnecting_page_gets_what_it_missed_from_its_last_event_id(member, live_hub):
    conversation = ConversationFactory()
    seen = post(conversation, member, "The first answer, already on the page.")
    missed = post(conversation, member)

    response, events = open_stream(
        logged_in_client(UserFactory()), conversation, since=0, HTTP_LAST_EVENT_ID=str(seen.seq)
    )
    read(events)  # status
    event = read(events)

    assert event.startswith(f"id: {missed.seq}\n")
    assert f'id="answer-{missed.code}"' in event and f'id="answer-{seen.code}"' not in event
    close(response)


def test_readers_share_one_read_and_rendering_of_each_change(
    member, live_hub, django_assert_num_queries
):
    conversation = ConversationFactory()
    readers = [open_stream(logged_in_client(UserFactory()), conversation) for _ in range(3)]
    for _, events in readers:
        read(events)
    answer = post(conversation, member)

    # One tick: the followed conversations' counters, then the changed answers (with their
    # reactions) once for everyone.
    with django_assert_num_queries(2):
        live_hub.tick()
    # Each stream writes the shared batch out without touching the database.
    with django_assert_num_queries(0):
        sent = [read(events) for _, events in readers]

    assert all(f'id="answer-{answer.code}"' in event for event in sent)
    # Each reader's forms carry their own CSRF token, never the shared mark.
    assert all(live.CSRF_MARK not in event for event in sent)
    assert len({event.split('name="csrfmiddlewaretoken" value="')[1][:64] for event in sent}) == 3
    for response, _ in readers:
        close(response)


def test_a_held_answer_streams_to_its_author_and_moderators_but_not_to_others(
    member, moderator, live_hub
):
    conversation = ConversationFactory()
    author, other, mod = (
        open_stream(logged_in_client(person), conversation)
        for person in (member, UserFactory(), moderator)
    )
    for _, events in (author, other, mod):
        read(events)

    held = post(conversation, member, CRISIS)
    live_hub.tick()
    for_author, for_other, for_mod = (data_of(read(e)) for _, e in (author, other, mod))

    assert "end my life" in for_author and "only you and moderators can see it" in for_author
    assert for_other == f'<li id="answer-{held.code}" data-gone hidden></li>'
    assert "end my life" in for_mod and "Held for a moderator" in for_mod
    for response, _ in (author, other, mod):
        close(response)


def test_closing_the_conversation_ends_every_stream_with_a_status_event(
    member, moderator, live_hub
):
    conversation = ConversationFactory()
    _response, events = open_stream(logged_in_client(member), conversation)
    read(events)

    services.close_conversation(Conversation.objects.get(pk=conversation.pk), actor=moderator)
    live_hub.tick()
    rest = b"".join(events).decode()  # the stream ends by itself

    assert rest.endswith("event: status\ndata: closed\n\n")
    assert live_hub.readers == 0


def test_a_conversation_that_runs_out_of_time_is_announced_closed(member, live_hub):
    conversation = ConversationFactory()
    _response, events = open_stream(logged_in_client(member), conversation)
    read(events)

    Conversation.objects.filter(pk=conversation.pk).update(
        ends_at=conversation.starts_at + (conversation.ends_at - conversation.starts_at) / 1000
    )  # the end is now in the past; nothing else changed (no new change number)
    live_hub.tick()

    assert b"".join(events).decode() == "event: status\ndata: closed\n\n"


def test_a_quiet_stream_sends_keep_alive_comments(member, live_hub, monkeypatch):
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.01)
    conversation = ConversationFactory()
    response, events = open_stream(logged_in_client(member), conversation)
    read(events)

    assert read(events) == ": still here\n\n"
    close(response)
    assert live_hub.readers == 0


@override_settings(BEACON_LIVE_STREAMS=1)
def test_with_no_stream_place_left_the_page_is_told_to_poll(member, other_member, live_hub):
    conversation = ConversationFactory()
    first, _ = open_stream(logged_in_client(member), conversation)

    refused = logged_in_client(other_member).get(f"/conversations/{conversation.code}/stream/")

    assert refused.status_code == 204
    close(first)  # never read: the place is given back all the same
    again, _ = open_stream(logged_in_client(other_member), conversation)
    close(again)


def test_visitors_get_no_stream(live_hub):
    conversation = ConversationFactory()

    response = Client().get(f"/conversations/{conversation.code}/stream/")

    assert response.status_code == 403
    assert live_hub.readers == 0


def test_a_poll_tells_the_page_when_the_conversation_has_closed(member, moderator):
    conversation = ConversationFactory()
    seq = conversation.seq
    url = f"/conversations/{conversation.code}/updates/?since={seq}"
    assert Client().get(url)["X-Conversation-Status"] == "open"

    Conversation.objects.filter(pk=conversation.pk).update(closed_at=conversation.starts_at)

    response = Client().get(url)
    assert (response.status_code, response["X-Conversation-Status"]) == (204, "closed")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_watcher_thread_wakes_waiting_streams_within_moments():
    if connection.vendor != "postgresql":
        pytest.skip("threads need a server database; `make test` runs this on PostgreSQL")
    hub = live.Hub(interval=0.05)
    conversation = ConversationFactory()
    member = UserFactory()
    room = hub.join(conversation)
    woke = []

    def waiter():
        woke.append(hub.wait(room, conversation.seq, "open", timeout=5))

    thread = threading.Thread(target=waiter)
    thread.start()
    started = time.monotonic()
    post(conversation, member)
    thread.join(6)
    elapsed = time.monotonic() - started
    hub.leave(room)
    connections.close_all()

    assert woke == [True]
    assert elapsed < 2
    assert hub.seq(room) == Conversation.objects.get(pk=conversation.pk).seq
