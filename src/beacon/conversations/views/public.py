"""What anyone sees: the schedule of conversations and published transcripts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from beacon.conversations.enums import ConversationStatus
from beacon.conversations.queries import schedule, transcript_answers
from beacon.conversations.rules import can_schedule_conversation, can_view_transcript
from beacon.conversations.services import local_time
from beacon.conversations.views.common import get_conversation


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Open now, coming up and past conversations."""
    groups = schedule()
    return render(
        request,
        "conversations/index.html",
        {
            "open_now": groups.get(ConversationStatus.OPEN, []),
            "coming": groups.get(ConversationStatus.SCHEDULED, []),
            "past": groups.get(ConversationStatus.CLOSED, []),
            "can_schedule": can_schedule_conversation(request.user),
        },
    )


def _transcript_context(conversation) -> dict:  # type: ignore[no-untyped-def]
    return {
        "conversation": conversation,
        "sections": transcript_answers(conversation),
        "starts_local": local_time(conversation, conversation.starts_at),
        "closed_local": local_time(conversation, conversation.closed_time),
    }


@require_safe
def transcript(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The transcript as an HTML or Markdown download: the host's summary and the answers of
    participants who chose to be included. Anyone once published; host and moderators may
    preview it after close."""
    conversation = get_conversation(code)
    if not can_view_transcript(request.user, conversation):
        raise PermissionDenied
    context = _transcript_context(conversation)
    if fmt == "md":
        body = render_to_string("conversations/transcript.md", context, request=request)
        content_type = "text/markdown; charset=utf-8"
    else:
        body = render_to_string("conversations/transcript.html", context, request=request)
        content_type = "text/html; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    if "download" in request.GET:
        response["Content-Disposition"] = (
            f'attachment; filename="conversation-{conversation.code}.{fmt}"'
        )
    return response
