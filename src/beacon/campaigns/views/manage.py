"""The campaign team's pages: start and edit a campaign, publish it, build its toolkit, its
calls for stories and its pledges. Moderators, admins and initiative organisers only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from beacon.campaigns import services
from beacon.campaigns.enums import CampaignState
from beacon.campaigns.forms import (
    CallForm,
    CampaignForm,
    PledgeForm,
    ToolkitFileForm,
    ToolkitImageForm,
    ToolkitSnippetForm,
)
from beacon.campaigns.models import (
    CallForStories,
    Campaign,
    Pledge,
    ToolkitFile,
    ToolkitImage,
    ToolkitSnippet,
)
from beacon.campaigns.queries import campaigns_managed_by
from beacon.campaigns.rules import can_create_campaign
from beacon.core.errors import DomainError
from beacon_safety import assess as assess_text


def _managed(request: HttpRequest, code: str) -> Campaign:
    campaign = campaigns_managed_by(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404("No such campaign of yours")
    return campaign


def _language_notes(text: str) -> list[dict[str, Any]]:
    """The engine's wording suggestions for the campaign team (never a block)."""
    result = assess_text(text, kind="generic")
    return [
        {"text": text[f.start : f.end], "alternatives": f.alternatives, "why": f.why}
        for f in result.language
    ]


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not can_create_campaign(request.user):
        raise PermissionDenied
    return _campaign_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _campaign_form(request, _managed(request, code))


def _campaign_form(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    initial = (
        {
            "title": campaign.title,
            "goal": campaign.goal,
            "description": campaign.description,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
        }
        if campaign
        else {}
    )
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_campaign(campaign, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if saved.risk == "crisis":
                return render(
                    request,
                    "campaigns/campaign_form.html",
                    {"form": form, "campaign": saved, "crisis": True},
                )
            messages.success(request, "Campaign saved.")
            return redirect("campaigns:manage", code=saved.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign}, status=status
    )


@login_required
@require_http_methods(["GET"])
def campaign_manage(request: HttpRequest, code: str) -> HttpResponse:
    """The team's overview: state, wording suggestions, toolkit, calls and pledges."""
    campaign = _managed(request, code)
    return render(
        request,
        "campaigns/manage.html",
        _manage_context(campaign),
    )


def _manage_context(campaign: Campaign, **forms: Any) -> dict[str, Any]:
    return {
        "campaign": campaign,
        "notes": _language_notes(services.campaign_text(campaign)),
        "files": campaign.toolkit_files.all(),
        "snippets": campaign.toolkit_snippets.all(),
        "images": campaign.toolkit_images.all(),
        "calls": campaign.calls.all(),
        "pledges": campaign.pledges.all(),
        "events": campaign.events.order_by("start_date", "id"),
        "file_form": forms.get("file_form") or ToolkitFileForm(),
        "image_form": forms.get("image_form") or ToolkitImageForm(),
        "snippet_form": forms.get("snippet_form") or ToolkitSnippetForm(),
        "states": CampaignState,
    }


@login_required
@require_POST
def campaign_state(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _managed(request, code)
    try:
        services.change_campaign_state(campaign, request.POST.get("state", ""), actor=request.user)
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", "That change is not possible."))
    else:
        messages.success(request, "Campaign updated.")
    return redirect("campaigns:manage", code=campaign.code)


@login_required
@require_POST
def toolkit_add(request: HttpRequest, code: str, what: str) -> HttpResponse:
    """Add a file, an image or a text snippet; a refused upload shows the form with why."""
    campaign = _managed(request, code)
    forms: dict[str, Any] = {}
    try:
        if what == "file":
            form: Any = ToolkitFileForm(request.POST, request.FILES)
            forms["file_form"] = form
            if form.is_valid():
                services.add_toolkit_file(
                    campaign,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
        elif what == "image":
            form = ToolkitImageForm(request.POST, request.FILES)
            forms["image_form"] = form
            if form.is_valid():
                services.add_toolkit_image(
                    campaign,
                    actor=request.user,
                    upload=form.cleaned_data["image"],
                    alt_text=form.cleaned_data["alt_text"],
                    caption=form.cleaned_data["caption"],
                )
        elif what == "snippet":
            form = ToolkitSnippetForm(request.POST)
            forms["snippet_form"] = form
            if form.is_valid():
                services.add_toolkit_snippet(
                    campaign,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                )
        else:
            raise Http404("No such toolkit part")
    except DomainError as error:
        form.add_error(None, error.message)
    if form.errors:
        return render(
            request, "campaigns/manage.html", _manage_context(campaign, **forms), status=400
        )
    messages.success(request, "Added to the toolkit.")
    return redirect("campaigns:manage", code=campaign.code)


@login_required
@require_POST
def toolkit_remove(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _managed(request, code)
    kind, ident = request.POST.get("kind", ""), request.POST.get("item", "")
    item: Any
    if kind == "file":
        item = ToolkitFile.objects.filter(campaign=campaign, code=ident).first()
    elif kind == "image":
        item = ToolkitImage.objects.filter(campaign=campaign, code=ident).first()
    elif kind == "snippet" and ident.isdigit():
        item = ToolkitSnippet.objects.filter(campaign=campaign, pk=int(ident)).first()
    else:
        item = None
    if item is None:
        raise Http404("No such toolkit item")
    services.remove_toolkit_item(item, actor=request.user)
    messages.success(request, "Removed from the toolkit.")
    return redirect("campaigns:manage", code=campaign.code)


@login_required
@require_POST
def events(request: HttpRequest, code: str) -> HttpResponse:
    """Link an event series (by code or address) or take one off the campaign."""
    campaign = _managed(request, code)
    try:
        if request.POST.get("action") == "unlink":
            services.unlink_event_series(
                campaign, actor=request.user, code=request.POST.get("series", "")
            )
            messages.success(request, "Event taken off the campaign.")
        else:
            series = services.link_event_series(
                campaign, actor=request.user, code_or_url=request.POST.get("series", "")
            )
            messages.success(request, f"“{series.title}” is now part of the campaign.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("campaigns:manage", code=campaign.code)


@login_required
@require_http_methods(["GET", "POST"])
def call_form(request: HttpRequest, code: str, call_code: str | None = None) -> HttpResponse:
    campaign = _managed(request, code)
    call = None
    if call_code:
        call = CallForStories.objects.filter(campaign=campaign, code=call_code).first()
        if call is None:
            raise Http404("No such call")
    initial = (
        {"prompt": call.prompt, "guidance": call.guidance, "is_open": call.is_open}
        if call
        else {"is_open": True}
    )
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_call(campaign, call, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Call for stories saved.")
            return redirect("campaigns:manage", code=campaign.code)
    return render(
        request,
        "campaigns/call_form.html",
        {"campaign": campaign, "call": call, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_form(request: HttpRequest, code: str, pledge_code: str | None = None) -> HttpResponse:
    campaign = _managed(request, code)
    pledge = None
    if pledge_code:
        pledge = Pledge.objects.filter(campaign=campaign, code=pledge_code).first()
        if pledge is None:
            raise Http404("No such pledge")
    initial = (
        {
            "title": pledge.title,
            "statement": pledge.statement,
            "kind": pledge.kind,
            "goal": pledge.goal,
            "is_open": pledge.is_open,
            "followup_7_action": pledge.followup_7_action,
            "followup_30_action": pledge.followup_30_action,
        }
        if pledge
        else {"kind": "personal", "goal": 100, "is_open": True}
    )
    form = PledgeForm(request.POST or None, initial=initial)
    if pledge is not None:
        form.fields["kind"].disabled = True  # who signs cannot change once people have
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_pledge(campaign, pledge, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Pledge saved.")
            return redirect("campaigns:pledge", code=saved.code)
    return render(
        request,
        "campaigns/pledge_form.html",
        {"campaign": campaign, "pledge": pledge, "form": form},
        status=400 if request.method == "POST" else 200,
    )
