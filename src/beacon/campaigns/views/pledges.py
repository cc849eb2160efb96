"""Pledges: signing (members at once, guests by emailed link), the live counter, confirming,
one-click unsubscribe, and organisations' commitments with their check-ins."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.campaigns import services
from beacon.campaigns.enums import CheckInState, PledgeKind
from beacon.campaigns.forms import CheckInForm, CommitmentForm, GuestSignForm, MemberSignForm
from beacon.campaigns.models import Pledge
from beacon.campaigns.queries import (
    access_commitment,
    access_pledge,
    check_ins_visible_to,
    pledge_counter,
    public_commitments,
    recent_signers,
    signature_of,
)
from beacon.campaigns.rules import can_manage_campaign
from beacon.campaigns.tokens import code_from_confirm_token
from beacon.core.errors import DomainError
from beacon.core.text import render_markdown


def _pledge_or_404(request: HttpRequest, code: str) -> Pledge:
    pledge = access_pledge(request.user, code)
    if pledge is None:
        raise Http404("No such pledge")
    return pledge


def _counter_context(pledge: Pledge) -> dict[str, Any]:
    return {"pledge": pledge} | pledge_counter(pledge)


def _pledge_context(request: HttpRequest, pledge: Pledge, **extra: Any) -> dict[str, Any]:
    closed = services.closed_reason(pledge)
    context = _counter_context(pledge) | {
        "campaign": pledge.campaign,
        "signable": not closed,
        "closed_reason": closed,
        "signature": signature_of(request.user, pledge),
        "signers": recent_signers(pledge) if pledge.kind == PledgeKind.PERSONAL else [],
        "commitments": public_commitments(pledge)
        if pledge.kind == PledgeKind.ORGANISATIONAL
        else [],
        "can_manage": can_manage_campaign(request.user, pledge.campaign),
    }
    if "form" not in extra:
        if request.user.is_authenticated:
            mine = context["signature"]
            extra["form"] = MemberSignForm(initial={"show_name": bool(mine and mine.show_name)})
        else:
            extra["form"] = GuestSignForm()
    return context | extra


@require_http_methods(["GET", "POST"])
def pledge_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The pledge with its counter and signers; sign it (POST)."""
    pledge = _pledge_or_404(request, code)
    if request.method == "GET":
        return render(request, "campaigns/pledge.html", _pledge_context(request, pledge))
    if request.user.is_authenticated:
        form: Any = MemberSignForm(request.POST)
    else:
        form = GuestSignForm(request.POST)
    if form.is_valid():
        try:
            if request.user.is_authenticated:
                _, new = services.sign_pledge(
                    pledge, user=request.user, show_name=form.cleaned_data["show_name"]
                )
                messages.success(
                    request,
                    "Thank you for signing." if new else "You had already signed. Choice saved.",
                )
                return redirect("campaigns:pledge", code=pledge.code)
            services.request_guest_signature(
                pledge,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                show_name=form.cleaned_data["show_name"],
            )
            return render(request, "campaigns/check_email.html", {"pledge": pledge})
        except DomainError as error:
            form.add_error(None, error.message)
    return render(
        request, "campaigns/pledge.html", _pledge_context(request, pledge, form=form), status=400
    )


@require_safe
def pledge_count(request: HttpRequest, code: str) -> HttpResponse:
    """The counter alone, for htmx polling (the pledge page shows it without JavaScript).

    The poll sends the total the page shows (`have`); when it is still the same the answer
    is 204 No Content, so htmx swaps nothing and screen readers do not hear the live
    region again.
    """
    pledge = _pledge_or_404(request, code)
    context = _counter_context(pledge) | {"live": True}
    if request.GET.get("have") == str(context["total"]):
        response = HttpResponse(status=204)
    else:
        response = render(request, "campaigns/_counter.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's emailed link: a button to confirm (mail scanners only ever GET)."""
    if request.method == "POST":
        try:
            signature = services.confirm_signature(token)
        except DomainError as error:
            return render(request, "campaigns/confirm.html", {"error": error.message}, status=400)
        signature.pledge.refresh_from_db()
        messages.success(request, "Thank you: your signature is confirmed and counted.")
        return redirect("campaigns:pledge", code=signature.pledge.code)
    if code_from_confirm_token(token) is None:
        return render(
            request,
            "campaigns/confirm.html",
            {"error": "This link has expired or is not valid. Sign again to get a new one."},
            status=400,
        )
    return render(request, "campaigns/confirm.html", {"token": token})


@csrf_exempt  # RFC 8058: mail providers POST here without a session; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe: GET shows a button, POST (from the page or the mail client)
    stops follow-up mail. Safe to repeat."""
    try:
        signature = services.signature_for_unsubscribe(token)
    except DomainError as error:
        return render(request, "campaigns/unsubscribe.html", {"error": error.message}, status=400)
    if request.method == "POST":
        services.unsubscribe(signature)
        return render(
            request, "campaigns/unsubscribe.html", {"done": True, "pledge": signature.pledge}
        )
    return render(
        request,
        "campaigns/unsubscribe.html",
        {
            "token": token,
            "pledge": signature.pledge,
            "already": signature.unsubscribed_at is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commit(request: HttpRequest, code: str) -> HttpResponse:
    """A member commits an organisation they represent to an organisational pledge."""
    pledge = _pledge_or_404(request, code)
    if pledge.kind != PledgeKind.ORGANISATIONAL:
        raise Http404("This pledge takes signatures, not organisations")
    form = CommitmentForm(request.POST or None)
    context: dict[str, Any] = {
        "pledge": pledge,
        "form": form,
        "closed_reason": services.closed_reason(pledge),
    }
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commit_organisation(
                pledge,
                actor=request.user,
                organisation_name=form.cleaned_data["organisation_name"],
                website=form.cleaned_data["website"],
                action_plan=form.cleaned_data["action_plan"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if commitment.risk == "crisis":
                context["crisis"] = True
                return render(request, "campaigns/commit.html", context)
            messages.success(
                request, "Thank you. Your commitment is public once a moderator has read it."
            )
            return redirect("campaigns:commitment", code=commitment.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "campaigns/commit.html", context, status=status)


def _commitment_context(request: HttpRequest, commitment, form) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "commitment": commitment,
        "pledge": commitment.pledge,
        "plan_html": render_markdown(commitment.action_plan),
        "check_ins": [
            (c, render_markdown(c.progress)) for c in check_ins_visible_to(request.user, commitment)
        ],
        "is_representative": request.user.is_authenticated
        and commitment.representative_id == request.user.pk,
        "form": form,
    }


@require_safe
def commitment_detail(request: HttpRequest, code: str) -> HttpResponse:
    commitment = access_commitment(request.user, code)
    if commitment is None:
        raise Http404("No such commitment")
    form = CheckInForm(initial={"on": timezone.localdate()})
    return render(
        request, "campaigns/commitment.html", _commitment_context(request, commitment, form)
    )


@login_required
@require_POST
def check_in(request: HttpRequest, code: str) -> HttpResponse:
    """The representative posts a dated progress update."""
    commitment = access_commitment(request.user, code)
    if commitment is None or commitment.representative_id != request.user.pk:
        raise Http404("No such commitment of yours")
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            entry = services.add_check_in(
                commitment,
                actor=request.user,
                on=form.cleaned_data["on"],
                progress=form.cleaned_data["progress"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if entry.state == CheckInState.HELD:
                context = _commitment_context(request, commitment, CheckInForm())
                context["crisis"] = True
                return render(request, "campaigns/commitment.html", context)
            messages.success(request, "Check-in posted.")
            return redirect("campaigns:commitment", code=commitment.code)
    return render(
        request,
        "campaigns/commitment.html",
        _commitment_context(request, commitment, form),
        status=400,
    )
