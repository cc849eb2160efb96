"""What hosts (initiative organisers) and moderators do: schedule and edit a conversation,
run it live (slow mode, pin, hide, close early), then write the summary and publish the
transcript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from beacon.conversations import services
from beacon.conversations.enums import ConversationStatus
from beacon.conversations.forms import ScheduleForm, SlowModeForm, SummaryForm, initial_for
from beacon.conversations.queries import conversations_managed_by
from beacon.conversations.rules import can_manage_conversation, can_schedule_conversation
from beacon.conversations.views.common import get_answer, get_conversation
from beacon.core.errors import DomainError


def _require_manager(request: HttpRequest, conversation) -> None:  # type: ignore[no-untyped-def]
    if not can_manage_conversation(request.user, conversation):
        raise PermissionDenied


def _back(conversation, anchor: str = "") -> HttpResponse:  # type: ignore[no-untyped-def]
    return redirect(reverse("conversations:detail", args=[conversation.code]) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    """Schedule a new conversation (initiative organisers and moderators)."""
    if not can_schedule_conversation(request.user):
        raise PermissionDenied
    # The host's zone: the one of their last conversation (the page's script offers the
    # browser's own zone while this is still UTC).
    last = conversations_managed_by(request.user).filter(host=request.user).first()
    form = ScheduleForm(
        request.POST or None, initial={"time_zone": last.time_zone if last else "UTC"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.schedule_conversation(
                actor=request.user,
                title=data["title"],
                introduction=data["introduction"],
                time_zone=data["time_zone"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                questions=data["questions"],
                slow_mode_seconds=data["slow_mode_seconds"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Scheduled. Members can see it in the list now.")
            return _back(conversation)
    status = 400 if request.method == "POST" else 200
    return render(request, "conversations/schedule.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a conversation that has not started yet."""
    conversation = get_conversation(code)
    _require_manager(request, conversation)
    if conversation.status != ConversationStatus.SCHEDULED:
        messages.error(
            request,
            "This conversation has already started, so its questions and times can no longer "
            "be changed. Use the host controls below.",
        )
        return _back(conversation)
    form = ScheduleForm(request.POST or None, initial=initial_for(conversation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_conversation(
                conversation,
                actor=request.user,
                title=data["title"],
                introduction=data["introduction"],
                time_zone=data["time_zone"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                questions=data["questions"],
                slow_mode_seconds=data["slow_mode_seconds"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Saved.")
            return _back(conversation)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "conversations/schedule.html",
        {"form": form, "conversation": conversation},
        status=status,
    )


@login_required
@require_POST
def slow_mode(request: HttpRequest, code: str) -> HttpResponse:
    conversation = get_conversation(code)
    _require_manager(request, conversation)
    form = SlowModeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the slow-mode settings offered.")
        return _back(conversation, "#host-controls")
    try:
        seconds = form.cleaned_data["seconds"]
        services.set_slow_mode(conversation, actor=request.user, seconds=seconds)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        seconds = form.cleaned_data["seconds"]
        messages.success(
            request,
            f"Slow mode is on: one answer every {seconds} seconds per person."
            if seconds
            else "Slow mode is off.",
        )
    return _back(conversation, "#host-controls")


@login_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    conversation = get_conversation(code)
    _require_manager(request, conversation)
    try:
        services.close_conversation(conversation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Closed. No more answers are taken. You can write the summary.")
    return _back(conversation)


def _answer_action(request: HttpRequest, code: str, answer_code: str, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    conversation = get_conversation(code)
    _require_manager(request, conversation)
    target = get_answer(conversation, answer_code, request.user)
    try:
        action(target)
    except DomainError as error:
        messages.error(request, error.message)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Trigger"] = "conversation-changed"
        return response
    return _back(conversation, f"#answer-{target.code}")


@login_required
@require_POST
def pin(request: HttpRequest, code: str, answer_code: str) -> HttpResponse:
    pinned = request.POST.get("pinned") == "1"
    return _answer_action(
        request,
        code,
        answer_code,
        lambda a: services.set_pinned(a, actor=request.user, pinned=pinned),
    )


@login_required
@require_POST
def hide(request: HttpRequest, code: str, answer_code: str) -> HttpResponse:
    hidden = request.POST.get("hidden") == "1"
    return _answer_action(
        request,
        code,
        answer_code,
        lambda a: services.set_host_hidden(a, actor=request.user, hidden=hidden),
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, code: str) -> HttpResponse:
    """The host writes the summary once the conversation has closed."""
    conversation = get_conversation(code)
    _require_manager(request, conversation)
    form = SummaryForm(request.POST or None, initial={"summary": conversation.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_summary(
                conversation, actor=request.user, summary=form.cleaned_data["summary"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Summary saved.")
            return _back(conversation, "#summary")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "conversations/summary.html",
        {"form": form, "conversation": conversation},
        status=status,
    )


@login_required
@require_POST
def publish_transcript(request: HttpRequest, code: str) -> HttpResponse:
    conversation = get_conversation(code)
    _require_manager(request, conversation)
    try:
        services.publish_transcript(conversation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The transcript is published: anyone can download it now.")
    return _back(conversation, "#summary")
