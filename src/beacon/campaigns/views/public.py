"""What everyone sees: the campaign list and page, and the toolkit's files and images."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from beacon.campaigns.models import ToolkitFile, ToolkitImage
from beacon.campaigns.queries import (
    access_campaign,
    call_stories,
    campaign_listing,
    campaigns_managed_by,
    linked_events,
    pledge_counter,
)
from beacon.campaigns.rules import can_create_campaign, can_manage_campaign
from beacon.campaigns.services import closed_reason, story_editor_url
from beacon.campaigns.validators import content_type_for
from beacon.core.text import render_markdown

# Served files never run anything, even if opened directly: no scripts, no plugins, and a
# sandbox (an SVG opened as a document runs in a unique origin with scripts off).
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
CALL_STORIES_SHOWN = 6


@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Published campaigns; the campaign team also sees theirs and a way to start one."""
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaign_listing()[:100],
            "mine": list(campaigns_managed_by(request.user).order_by("-updated_at")[:50]),
            "can_create": can_create_campaign(request.user),
        },
    )


@require_safe
def campaign_detail(request: HttpRequest, code: str) -> HttpResponse:
    campaign = access_campaign(request.user, code)
    if campaign is None:
        raise Http404("No such campaign")
    pledges = [
        (pledge, pledge_counter(pledge), closed_reason(pledge)) for pledge in campaign.pledges.all()
    ]
    calls = [
        {
            "call": call,
            "write_url": story_editor_url(call),
            "stories": list(call_stories(call, limit=CALL_STORIES_SHOWN)),
        }
        for call in campaign.calls.all()
    ]
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "description_html": render_markdown(campaign.description),
            "files": campaign.toolkit_files.all(),
            "snippets": campaign.toolkit_snippets.all(),
            "images": campaign.toolkit_images.all(),
            "pledges": pledges,
            "calls": calls,
            "events": linked_events(campaign, request.user),
            "can_manage": can_manage_campaign(request.user, campaign),
        },
    )


def _served(response: FileResponse) -> FileResponse:
    response["Content-Security-Policy"] = FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
def toolkit_download(request: HttpRequest, code: str) -> FileResponse:
    """A toolkit file, always as a download (Content-Disposition: attachment)."""
    item = ToolkitFile.objects.select_related("campaign").filter(code=code).first()
    if item is None or access_campaign(request.user, item.campaign.code) is None:
        raise Http404("No such file")
    return _served(
        FileResponse(
            item.file.open("rb"),
            as_attachment=True,
            filename=item.original_name,
            content_type=content_type_for(item.file.name),
        )
    )


@require_safe
def toolkit_image(request: HttpRequest, code: str) -> FileResponse:
    """A shareable image: shown in the page, or downloaded with ?download=1."""
    item = ToolkitImage.objects.select_related("campaign").filter(code=code).first()
    if item is None or access_campaign(request.user, item.campaign.code) is None:
        raise Http404("No such image")
    return _served(
        FileResponse(
            item.image.open("rb"),
            as_attachment=request.GET.get("download") == "1",
            filename=item.original_name,
            content_type=content_type_for(item.image.name),
        )
    )
