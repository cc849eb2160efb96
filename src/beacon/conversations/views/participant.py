"""What members do in a conversation: read it live, answer, reply, react, choose how they
are named and whether they are in the transcript, report an answer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.conversations import services
from beacon.conversations.enums import Byline
from beacon.conversations.forms import AnswerForm, ParticipationForm
from beacon.conversations.models import Answer, Conversation, Question
from beacon.conversations.queries import participant_of
from beacon.conversations.views.common import (
    get_answer,
    get_conversation,
    mark_mine,
    page_context,
)
from beacon.core.errors import DomainError
from beacon.moderation.forms import ReportForm
from beacon.moderation.services import report_item


def _answer_url(answer: Answer) -> str:
    return reverse("conversations:detail", args=[answer.conversation.code]) + (
        f"#answer-{answer.code}"
    )


@login_required
@require_safe
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """The conversation: introduction, questions with their answers (live), forms, help."""
    conversation = get_conversation(code)
    return render(request, "conversations/detail.html", page_context(request, conversation))


def _question(conversation: Conversation, number: int) -> Question:
    question = conversation.questions.filter(position=number).first()
    if question is None:
        raise Http404("No such question")
    return question


def _form_fragment(request: HttpRequest, conversation, question, state: dict[str, Any]):  # type: ignore[no-untyped-def]
    question.form_state = state
    return render(
        request,
        "conversations/_answer_form.html",
        {"conversation": conversation, "question": question, "is_open": conversation.is_open},
    )


def _post(
    request: HttpRequest,
    conversation: Conversation,
    question: Question,
    *,
    prefix: str,
    parent: Answer | None = None,
) -> tuple[Answer | None, dict[str, Any]]:
    """Read, check and post an answer form; return (the answer or None, the form's state)."""
    form = AnswerForm(request.POST, prefix=prefix)
    state: dict[str, Any] = {"form": form, "parent": parent}
    if not form.is_valid():
        return None, state
    body = form.cleaned_data["body"]
    try:
        services.require_open(conversation, timezone.now())
    except DomainError as error:
        state["error"] = error.message
        return None, state
    participant = participant_of(conversation, request.user)
    byline = participant.byline if participant else Byline.DISPLAY_NAME
    check = services.check_answer(body, byline=byline)
    as_is = request.POST.get("action") == "post_as_is"
    if check["risk"] != "crisis" and (check["words"] or check["personal"]) and not as_is:
        state["check"] = check
        return None, state
    try:
        answer = services.post_answer(
            conversation, author=request.user, question=question, body=body, parent=parent
        )
    except DomainError as error:
        state["error"] = error.message
        return None, state
    if answer.state == "held":
        state["crisis"] = True
    state["posted"] = answer
    state["form"] = AnswerForm(prefix=prefix)
    return answer, state


@login_required
@require_POST
def answer(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Post an answer to question `number`: checked for wording first, refused outside the
    window or within slow mode (the text is kept), held with help shown when in crisis."""
    conversation = get_conversation(code)
    question = _question(conversation, number)
    posted, state = _post(request, conversation, question, prefix=f"q{question.position}")
    if request.htmx:
        response = _form_fragment(request, conversation, question, state)
        if posted is not None:
            response["HX-Trigger"] = "conversation-changed"
        return response
    if posted is not None and not state.get("crisis"):
        messages.success(request, "Posted. Thank you for sharing.")
        return redirect(_answer_url(posted))
    status = 200 if (posted is not None or "check" in state) else 400
    context = page_context(request, conversation, bound={question.position: state})
    return render(request, "conversations/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, code: str, answer_code: str) -> HttpResponse:
    """Reply to an answer (one level). A page of its own without JavaScript; with htmx the
    form opens under the answer."""
    conversation = get_conversation(code)
    parent = get_answer(conversation, answer_code, request.user)
    if parent.parent_id is not None:
        raise Http404("Replies take no replies")
    question = parent.question
    prefix = f"r-{parent.code}"
    if request.method == "POST":
        posted, state = _post(request, conversation, question, prefix=prefix, parent=parent)
        if posted is not None and not state.get("crisis") and not request.htmx:
            messages.success(request, "Reply posted.")
            return redirect(_answer_url(posted))
        status = 400 if posted is None and "check" not in state and not request.htmx else 200
    else:
        state, status = {"form": AnswerForm(prefix=prefix), "parent": parent}, 200
    context = {
        "conversation": conversation,
        "question": question,
        "parent": parent,
        "state": state,
        "is_open": conversation.is_open,
    }
    template = "conversations/_reply_form.html" if request.htmx else "conversations/reply.html"
    response = render(request, template, context, status=status)
    if request.htmx and state.get("posted"):
        response["HX-Trigger"] = "conversation-changed"
    return response


@login_required
@require_POST
def react(request: HttpRequest, code: str, answer_code: str) -> HttpResponse:
    """Toggle a supportive reaction; htmx gets the reaction bar back, others a redirect."""
    conversation = get_conversation(code)
    target = get_answer(conversation, answer_code, request.user)
    try:
        services.toggle_reaction(target, user=request.user, kind=request.POST.get("kind", ""))
    except DomainError as error:
        messages.error(request, error.message)
    if request.htmx:
        target.refresh_from_db()
        mark_mine([target], request.user)
        return render(
            request,
            "conversations/_reactions.html",
            {"a": target, "conversation": conversation, "is_open": conversation.is_open},
        )
    return redirect(_answer_url(target))


@login_required
@require_POST
def participation(request: HttpRequest, code: str) -> HttpResponse:
    """Save how the member is named and whether their answers go in the transcript."""
    conversation = get_conversation(code)
    form = ParticipationForm(request.POST)
    if form.is_valid():
        try:
            services.set_participation(
                conversation,
                user=request.user,
                byline=form.cleaned_data["byline"],
                pen_name=form.cleaned_data["pen_name"],
                include_in_transcript=form.cleaned_data["include_in_transcript"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your choices for this conversation are saved.")
            return redirect(reverse("conversations:detail", args=[code]) + "#taking-part")
    context = page_context(request, conversation, participation_form=form)
    return render(request, "conversations/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str, answer_code: str) -> HttpResponse:
    """Report an answer to the moderators (the report lane)."""
    conversation = get_conversation(code)
    target = get_answer(conversation, answer_code, request.user)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_item(
                target,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, "Thank you for telling us. A moderator will look at it.")
        return redirect(_answer_url(target))
    return render(
        request,
        "conversations/report.html",
        {"conversation": conversation, "a": target, "form": form},
    )
