"""The moderators' queue and case pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.accounts.enums import Role
from beacon.core.errors import DomainError
from beacon.moderation import services
from beacon.moderation.enums import Lane
from beacon.moderation.forms import DecisionForm
from beacon.moderation.models import Case
from beacon.moderation.queries import open_queue, recently_decided
from beacon.moderation.registry import moderated_type_for
from beacon_safety import assess as assess_text


def _require_moderator(request: HttpRequest) -> None:
    if not (request.user.is_authenticated and request.user.has_role(Role.MODERATOR)):
        raise PermissionDenied


def highlight(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split `text` into segments, marking the passages the engine flagged (first one wins)."""
    segments, cursor = [], 0
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        start, end = max(span["start"], cursor), min(span["end"], len(text))
        if start >= end:
            continue
        if start > cursor:
            segments.append({"text": text[cursor:start]})
        segments.append(
            {"text": text[start:end], "reason": span["reason"], "tier": span.get("tier", "")}
        )
        cursor = end
    if cursor < len(text):
        segments.append({"text": text[cursor:]})
    return segments


def _waiting(case: Case, now) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    minutes = int((now - case.waiting_since).total_seconds() // 60)
    target = settings.BEACON_CRISIS_TARGET_MINUTES
    return {
        "case": case,
        "minutes": minutes,
        "overdue": case.lane == Lane.CRISIS and minutes >= target,
        "item": case.target,
    }


@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Open cases, crisis first with time waiting against the target, then reports, reviews."""
    _require_moderator(request)
    now = timezone.now()
    rows = [_waiting(c, now) for c in open_queue()]
    for row in rows:
        item = row["item"]
        row["title"] = moderated_type_for(item).title(item) if item else "(deleted)"
        row["label"] = moderated_type_for(item).label if item else ""
    return render(
        request,
        "moderation/queue.html",
        {
            "rows": rows,
            "target": settings.BEACON_CRISIS_TARGET_MINUTES,
            "decided": recently_decided(),
            "lanes": Lane,
        },
    )


@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One case: the text with the engine's flagged passages, the reports, and the decision."""
    _require_moderator(request)
    case = Case.objects.select_related("content_type").filter(code=code).first()
    if case is None:
        raise Http404("No such case")
    item = case.target
    moderated = moderated_type_for(item) if item else None
    allowed = moderated.allowed_actions(item) if (moderated and case.state == "open") else []
    form = DecisionForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                case,
                action=form.cleaned_data["action"],
                actor=request.user,
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Decision saved. The author has been told.")
            return redirect("moderation:queue")
    text = moderated.text(item) if moderated else ""
    # Read the current text again: spans must fit the words shown, which may have been
    # edited since the case opened.
    assessment = assess_text(text, kind=moderated.label if moderated else "generic").to_dict()
    spans = [s for s in assessment.get("signals", []) if s.get("tier") != "none"]
    spans += [dict(s, tier="safe_messaging") for s in assessment.get("safe_messaging", [])]
    return render(
        request,
        "moderation/case.html",
        {
            "case": case,
            "item": item,
            "moderated": moderated,
            "form": form,
            "item_title": moderated.title(item) if moderated else "This item no longer exists",
            "segments": highlight(text, spans),
            "assessment": assessment,
            "reports": case.reports.order_by("created_at"),
            "decisions": case.decisions.select_related("moderator"),
            "waiting": _waiting(case, timezone.now()),
        },
    )


@require_POST
def duty(request: HttpRequest) -> HttpResponse:
    """Start or end being on duty (receiving crisis alerts)."""
    _require_moderator(request)
    services.set_on_duty(request.user, on_duty=request.POST.get("on_duty") == "1")
    messages.success(
        request,
        "You are on duty: crisis alerts will reach you by email."
        if request.user.on_duty
        else "You are off duty. Take care of yourself.",
    )
    return redirect("moderation:queue")
