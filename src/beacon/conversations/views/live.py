"""Live answers on the conversation page: a server-sent event stream per open page, and a
poll for browsers that cannot hold a stream.

One source of changes serves both. `Conversation.seq` numbers every change readers see
(see docs/developer/conversations.md, "Live updates"). A participant's view of the changes
after N is the same for every participant, so it is built once (one read of the changed
answers, one rendering per answer version) and shared; only a reader's own answers, which
they see even while held, are rendered for them alone. Hosts and moderators get their own
rendering (hidden and held answers, with controls).

- `stream` keeps one response open per page. One watcher thread per server process
  (`Hub`) reads the change numbers of the conversations that have open streams a few times
  a second, builds each new shared batch once, and wakes the streams, which write it out.
  A waiting stream holds a thread and no database connection, so hundreds of readers cost
  a few queries a second instead of hundreds of requests.
- `updates` answers one poll (`?since=N`, 204 when nothing changed): for browsers without
  EventSource, and when this process has no stream place left (`BEACON_LIVE_STREAMS`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from beacon.conversations.enums import ConversationStatus
from beacon.conversations.models import Answer, Conversation
from beacon.conversations.queries import changes_since
from beacon.conversations.rules import can_manage_conversation, can_view_answer
from beacon.conversations.views.common import get_conversation, mark_mine, reaction_rows

log = logging.getLogger(__name__)

CSRF_MARK = "@@csrf@@"
FRAGMENT_SECONDS = 600
BATCH_SECONDS = 60
# A stream ends after this long and the browser reconnects at once with its cursor
# (Last-Event-ID): proxies and idle-connection limits never see a connection older.
STREAM_SECONDS = 300
# A comment line this often keeps proxies from closing a quiet stream.
HEARTBEAT_SECONDS = 20
# How long the browser waits before reconnecting after a dropped stream (milliseconds).
RETRY_MS = 2000
# Batches kept per conversation in a process: a stream that falls further behind catches up
# from the database instead.
KEPT_BATCHES = 64


# --- What a reader is sent ----------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """The changes after `since` up to `seq` as every participant sees them.

    `entries` holds (author id, answer id, html) in change order; html is the answer's
    element, or a "gone" marker for an answer participants may no longer see.
    """

    since: int
    seq: int
    entries: tuple[tuple[int | None, int, str], ...]
    status: str


def _gone(answer_code: str) -> str:
    return f'<li id="answer-{answer_code}" data-gone hidden></li>'


def _render_fragment(answer, conversation, user, is_manager: bool, is_open: bool) -> str:  # type: ignore[no-untyped-def]
    """One answer's element; `user` None renders it for a participant who is not its author."""
    return render_to_string(
        "conversations/_answer.html",
        {
            "a": answer,
            "conversation": conversation,
            "is_manager": is_manager,
            "is_open": is_open,
            "user": user,
            "csrf_token": CSRF_MARK,
        },
    )


def _cached_fragment(answer, conversation, user, is_manager: bool, is_open: bool) -> str:  # type: ignore[no-untyped-def]
    """One answer's element for one kind of reader, rendered once per answer version: the
    CSRF token is a mark the caller replaces with the reader's own."""
    key = ":".join(
        [
            "conversations:answer",
            answer.code,
            str(answer.seq),
            "manager" if is_manager else "member",
            "open" if is_open else "closed",
            "author" if answer.author_id == user.pk else "reader",
            ",".join(sorted(answer.mine)),
        ]
    )
    html = cache.get(key)
    if html is None:
        html = _render_fragment(answer, conversation, user, is_manager, is_open)
        cache.set(key, html, FRAGMENT_SECONDS)
    return html


def shared_batch(conversation: Conversation, since: int, seq: int) -> Batch:
    """The changes after `since` as every participant sees them (cached per cursor pair, so
    hundreds of readers asking with the same cursor cost one read and one rendering)."""
    key = f"conversations:batch:{conversation.pk}:{since}:{seq}"
    batch = cache.get(key)
    if batch is not None:
        return batch
    changed = changes_since(conversation, since)
    is_open = conversation.is_open
    entries = []
    for answer in changed:
        if answer.is_visible:
            fragment_key = f"conversations:shared:{answer.code}:{answer.seq}:{is_open}"
            html = cache.get(fragment_key)
            if html is None:
                answer.shown_replies = []
                answer.mine = set()
                answer.reaction_rows = reaction_rows(answer)
                html = _render_fragment(answer, conversation, None, False, is_open)
                cache.set(fragment_key, html, FRAGMENT_SECONDS)
        else:
            html = _gone(answer.code)
        entries.append((answer.author_id, answer.pk, html))
    new_seq = max(seq, max((a.seq for a in changed), default=0))
    batch = Batch(since, new_seq, tuple(entries), str(conversation.status))
    cache.set(key, batch, BATCH_SECONDS)
    return batch


def for_participant(batches: list[Batch], conversation: Conversation, user: Any) -> list[str]:
    """The elements of consecutive shared batches for one participant: their own answers
    rendered for them (held ones included, no Report link), an answer changed twice sent
    once (its latest version)."""
    latest: dict[int, tuple[int | None, str]] = {}
    for batch in batches:
        for author_id, answer_id, html in batch.entries:
            latest.pop(answer_id, None)  # keep change order: move to the end
            latest[answer_id] = (author_id, html)
    own = [answer_id for answer_id, (author_id, _) in latest.items() if author_id == user.pk]
    personal: dict[int, str] = {}
    if own:
        answers = list(
            Answer.objects.filter(pk__in=own).select_related("author", "question", "parent")
        )
        for answer in answers:
            answer.conversation = conversation
            answer.shown_replies = []
        mark_mine(answers, user)
        is_open = batches[-1].status == ConversationStatus.OPEN
        personal = {a.pk: _cached_fragment(a, conversation, user, False, is_open) for a in answers}
    return [personal.get(answer_id, html) for answer_id, (_, html) in latest.items()]


def for_manager(conversation: Conversation, user: Any, since: int) -> tuple[list[str], int]:
    """The changes after `since` as the host or a moderator sees them (hidden and held
    answers with their controls). Returns (elements, new cursor)."""
    changed = changes_since(conversation, since)
    shown = [a for a in changed if can_view_answer(user, a)]
    for answer in shown:
        answer.shown_replies = []
    mark_mine(shown, user)
    is_open = conversation.is_open
    parts = [
        _cached_fragment(answer, conversation, user, True, is_open)
        if answer in shown
        else _gone(answer.code)
        for answer in changed
    ]
    return parts, max(since, conversation.seq, *(a.seq for a in changed))


# --- Polling ------------------------------------------------------------------------------


@require_safe
def updates(request: HttpRequest, code: str) -> HttpResponse:
    """Live updates for one poll: every answer changed after `?since=N` (204 when nothing
    changed).

    The "nothing changed" answer is one indexed read and does not load the session or the
    account. It says nothing but "no news" and the conversation's status.
    """
    row = (
        Conversation.objects.filter(code=code)
        .values_list("pk", "seq", "starts_at", "ends_at", "closed_at")
        .first()
    )
    if row is None:
        raise Http404("No such conversation")
    try:
        since = max(0, int(request.GET.get("since", "0")))
    except ValueError:
        since = 0
    _pk, seq, starts_at, ends_at, closed_at = row
    if seq <= since:
        response = HttpResponse(status=204)
        response["X-Seq"] = str(seq)
        status = Conversation(starts_at=starts_at, ends_at=ends_at, closed_at=closed_at).status
        response["X-Conversation-Status"] = status
        return response
    if not request.user.is_authenticated:
        return HttpResponse("Sign in to follow this conversation.", status=403)
    user = request.user
    conversation = get_conversation(code)
    if can_manage_conversation(user, conversation):
        parts, new_seq = for_manager(conversation, user, since)
        new_seq = max(seq, new_seq)
    else:
        batch = shared_batch(conversation, since, seq)
        parts, new_seq = for_participant([batch], conversation, user), batch.seq
    token = get_token(request)
    response = HttpResponse("".join(part.replace(CSRF_MARK, token) for part in parts))
    response["X-Seq"] = str(new_seq)
    response["X-Conversation-Status"] = conversation.status
    return response


# --- Streaming ----------------------------------------------------------------------------


@dataclass(eq=False)
class Room:
    """A conversation followed by open streams in this process."""

    pk: int
    seq: int
    status: str
    readers: int = 0
    batches: deque[Batch] = field(default_factory=lambda: deque(maxlen=KEPT_BATCHES))


class Hub:
    """The streams of one server process and the thread that feeds them.

    `interval` is how often the watcher reads the change numbers (seconds); None runs no
    thread, and the owner calls `tick()` itself (the tests do, to step deterministically).
    """

    def __init__(self, *, interval: float | None) -> None:
        self.interval = interval
        self._changed = threading.Condition()
        self._rooms: dict[int, Room] = {}
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.readers = 0

    def join(self, conversation: Conversation) -> Room | None:
        """Follow `conversation`; None when this process has no stream place left."""
        with self._changed:
            if self.readers >= settings.BEACON_LIVE_STREAMS:
                return None
            room = self._rooms.get(conversation.pk)
            if room is None:
                room = Room(conversation.pk, conversation.seq, str(conversation.status))
                self._rooms[conversation.pk] = room
            room.readers += 1
            self.readers += 1
            watching = self._thread is not None and self._thread.is_alive()
            if self.interval is not None and not watching and not self._stopped:
                self._thread = threading.Thread(
                    target=self._watch, name="beacon-live-watcher", daemon=True
                )
                self._thread.start()
            return room

    def leave(self, room: Room) -> None:
        with self._changed:
            room.readers -= 1
            self.readers -= 1
            if room.readers <= 0 and self._rooms.get(room.pk) is room:
                del self._rooms[room.pk]

    def seq(self, room: Room) -> int:
        with self._changed:
            return room.seq

    def status(self, room: Room) -> str:
        with self._changed:
            return room.status

    def batches_after(self, room: Room, cursor: int) -> list[Batch] | None:
        """The kept batches that carry a reader from `cursor` to the room's latest change,
        or None when they do not reach back that far."""
        with self._changed:
            chain = [b for b in room.batches if b.seq > cursor]
        if not chain or chain[0].since > cursor:
            return None
        return chain

    def wait(self, room: Room, cursor: int, status: str, timeout: float) -> bool:
        """Block until the room has changes after `cursor` or a status other than `status`
        (True), or `timeout` seconds pass (False)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: room.seq > cursor or room.status != status, timeout
            )

    def tick(self) -> None:
        """Read the change numbers of followed conversations; build and announce what is new."""
        with self._changed:
            rooms = dict(self._rooms)
        if not rooms:
            return
        now = timezone.now()
        changed = []
        for conversation in Conversation.objects.filter(pk__in=list(rooms)).select_related("host"):
            room = rooms[conversation.pk]
            status = str(conversation.status_at(now))
            if conversation.seq > room.seq:
                changed.append((room, shared_batch(conversation, room.seq, conversation.seq)))
            elif status != room.status:
                changed.append((room, Batch(room.seq, room.seq, (), status)))
        if changed:
            with self._changed:
                for room, batch in changed:
                    if batch.entries:
                        room.batches.append(batch)
                    room.seq, room.status = batch.seq, batch.status
                self._changed.notify_all()

    def stop(self) -> None:
        """End the watcher thread (streams still open get no more changes)."""
        with self._changed:
            self._stopped = True
            thread = self._thread
        if thread is not None:
            thread.join()

    def _watch(self) -> None:
        assert self.interval is not None
        while True:
            time.sleep(self.interval)
            with self._changed:
                if not self._rooms or self._stopped:
                    self._thread = None
                    break
            try:
                close_old_connections()
                self.tick()
            except Exception:  # a database hiccup must not end live updates for good
                log.exception("live updates: reading changes failed; trying again")
                connection.close()
        connection.close()


hub = Hub(interval=0.2)


def _event(parts: list[str], cursor: int, token: str) -> str:
    lines = "".join(part.replace(CSRF_MARK, token) for part in parts).splitlines() or [""]
    return f"id: {cursor}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"


def _release_database() -> None:
    """Give the stream's database connection back while it waits (minutes, not
    milliseconds). Inside a test's transaction the connection is the test's and stays."""
    if not connection.in_atomic_block:
        connection.close()


def _cursor(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("since", "0")
    try:
        return max(0, int(raw))
    except ValueError:
        return 0


@require_safe
def stream(request: HttpRequest, code: str) -> HttpResponse:
    """Server-sent events: every change after the page's cursor, as it happens.

    Each event's data is the elements `updates` would send, and its id the new cursor (the
    browser sends it back as Last-Event-ID when it reconnects). `event: status` tells the
    conversation's status when the stream opens and whenever it changes; the page stops
    listening once it is closed. 204 when this process has no stream place left: the page
    then polls `updates` instead.
    """
    user = request.user
    if not user.is_authenticated:
        return HttpResponse("Sign in to follow this conversation.", status=403)
    conversation = get_conversation(code)
    reader = Reader(
        user=user,
        token=get_token(request),
        manager=can_manage_conversation(user, conversation),
    )
    room = hub.join(conversation)
    if room is None:
        return HttpResponse(status=204)
    response = StreamingHttpResponse(
        Stream(room, _events(reader, conversation, room, _cursor(request))),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


@dataclass(frozen=True)
class Reader:
    user: Any
    token: str
    manager: bool


class Stream:
    """A stream's body: its events, and its place in the room given back when the server
    closes the response (however it ends: finished, the reader gone, never started)."""

    def __init__(self, room: Room, events: Iterator[str]) -> None:
        self.room = room
        self.events = events
        self.hub = hub
        self.open = True

    def __iter__(self) -> Iterator[str]:
        return self.events

    def close(self) -> None:
        if self.open:
            self.open = False
            self.events.close()  # type: ignore[attr-defined]
            self.hub.leave(self.room)


def _events(reader: Reader, conversation: Conversation, room: Room, cursor: int) -> Iterator[str]:
    """The stream's text: changes as they come, a comment line while quiet, until the
    conversation closes or the stream has run `STREAM_SECONDS`."""
    status = str(conversation.status)
    deadline = time.monotonic() + STREAM_SECONDS
    yield f"retry: {RETRY_MS}\nevent: status\ndata: {status}\n\n"
    _release_database()
    while True:
        if hub.seq(room) > cursor:
            parts, cursor = _changes(reader, conversation, room, cursor)
            _release_database()
            if parts:
                yield _event(parts, cursor, reader.token)
        if hub.status(room) != status:
            status = hub.status(room)
            yield f"event: status\ndata: {status}\n\n"
        if status == ConversationStatus.CLOSED or time.monotonic() >= deadline:
            return
        if not hub.wait(room, cursor, status, HEARTBEAT_SECONDS):
            yield ": still here\n\n"


def _changes(
    reader: Reader, conversation: Conversation, room: Room, cursor: int
) -> tuple[list[str], int]:
    """What `reader` is sent for the changes after `cursor`: the kept shared batches when
    they reach back that far, else read from the database."""
    batches = None if reader.manager else hub.batches_after(room, cursor)
    if batches is None:
        conversation.refresh_from_db()  # closed early, slow mode: as it is now
        if reader.manager:
            return for_manager(conversation, reader.user, cursor)
        batches = [shared_batch(conversation, cursor, conversation.seq)]
    return for_participant(batches, conversation, reader.user), batches[-1].seq
