"""A person's own events, and their secret personal calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from beacon.events import ics
from beacon.events.models import CalendarToken
from beacon.events.queries import feed_rsvps, my_rsvps, user_for_feed_token
from beacon.events.services import regenerate_calendar_token, revoke_calendar_token, waitlist_rank
from beacon.events.views.common import ics_response


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """Meetings I answered (coming and recent), and my calendar feed."""
    coming = list(my_rsvps(request.user))
    for answer in coming:
        answer.rank = waitlist_rank(answer)
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_path = reverse("events:personal_feed", args=[token.token]) if token else ""
    feed_url = request.build_absolute_uri(feed_path) if token else ""
    return render(
        request,
        "events/mine.html",
        {
            "coming": coming,
            "past": my_rsvps(request.user, past=True)[:20],
            "feed_path": feed_path,
            "feed_url": feed_url,
            # Calendar apps subscribe to webcal:// addresses (the same URL, by http(s)).
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
        },
    )


@login_required
@require_POST
def calendar_token(request: HttpRequest) -> HttpResponse:
    """Turn the personal feed on (or give it a new secret URL), or switch it off."""
    if request.POST.get("action") == "revoke":
        revoke_calendar_token(actor=request.user)
        messages.success(request, "Your calendar feed is switched off; the old address is dead.")
    else:
        regenerate_calendar_token(actor=request.user)
        messages.success(
            request, "Your calendar feed has a new secret address; any old one stopped working."
        )
    return redirect("events:mine")


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's meetings as a calendar, at a secret URL (no sign-in: calendar apps
    cannot sign in). Online links are in it for meetings where they hold a place."""
    user = user_for_feed_token(token)
    if user is None:
        raise Http404("No such feed")
    items = [(r.occurrence, r.holds_place) for r in feed_rsvps(user)]
    response = ics_response(ics.personal_calendar("My events", items), "my-events.ics")
    response["Cache-Control"] = "private, no-store"
    return response
