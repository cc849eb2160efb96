"""What everyone sees: the event and series pages, answering (members and guests), the
links from RSVP mail, "find support near me", and the public calendars."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import rules
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.core.errors import DomainError
from beacon.core.text import render_markdown
from beacon.events import ics
from beacon.events.enums import RsvpState, SeriesStatus
from beacon.events.forms import GuestRsvpForm, MemberRsvpForm, NearForm
from beacon.events.models import Occurrence, Rsvp
from beacon.events.queries import (
    card_rows,
    find_events,
    nearby_groups,
    public_occurrences,
    rsvp_of,
    series_visible_to,
    upcoming_in_series,
)
from beacon.events.services import (
    cancel_rsvp,
    confirm_guest,
    rsvp_guest,
    rsvp_member,
    still_coming,
    waitlist_rank,
)
from beacon.events.throttling import allow_guest_rsvp
from beacon.events.tokens import read_rsvp_token, rsvp_token
from beacon.events.views.common import event_json_ld, get_occurrence, get_series, ics_response
from beacon.initiatives.queries import access_initiative
from beacon.places.geo import KM_PER_MILE
from beacon.places.queries import resolve_place

PAGE_SIZE = 20


def _occurrence_context(request: HttpRequest, occurrence: Occurrence, **extra) -> dict:  # type: ignore[no-untyped-def]
    series = occurrence.series
    mine = rsvp_of(request.user, occurrence)
    holds_place = mine is not None and mine.holds_place
    can_answer = (
        occurrence.status == "scheduled"
        and occurrence.starts_at > timezone.now()
        and series.status == SeriesStatus.ACTIVE
        and series.initiative.is_public
        and not series.is_hidden
    )
    context = {
        "occurrence": occurrence,
        "series": series,
        "initiative": series.initiative,
        "description_html": render_markdown(series.description),
        "mine": mine,
        "holds_place": holds_place,
        "rank": waitlist_rank(mine) if mine else None,
        "can_answer": can_answer,
        "member_form": MemberRsvpForm(),
        "guest_form": GuestRsvpForm(),
        "json_ld": event_json_ld(occurrence),
        "can_manage": rules.has_perm("events.change_series", request.user, series),
        "can_see_attendees": rules.has_perm("events.view_attendees", request.user, series),
        "canonical": request.build_absolute_uri(occurrence.get_absolute_url()),
        "is_past": occurrence.ends_at <= timezone.now(),
    }
    context.update(extra)
    return context


@require_safe
def occurrence(request: HttpRequest, code: str) -> HttpResponse:
    """One meeting: when (in its own zone), where, places left, and how to answer."""
    found = get_occurrence(request, code)
    return render(request, "events/occurrence.html", _occurrence_context(request, found))


@require_POST
def rsvp(request: HttpRequest, code: str) -> HttpResponse:
    """Ask for a place: members at once, guests by the link mailed to them."""
    found = get_occurrence(request, code)
    if request.user.is_authenticated:
        form = MemberRsvpForm(request.POST)
        form.is_valid()
        try:
            answer = rsvp_member(
                found,
                actor=request.user,
                remind_day_before=form.cleaned_data.get("remind_day_before", False),
                remind_hour_before=form.cleaned_data.get("remind_hour_before", False),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if answer.state == RsvpState.CONFIRMED:
                messages.success(request, "You have a place. We emailed you the details.")
            else:
                messages.success(
                    request,
                    f"The event is full: you are number {waitlist_rank(answer)} on the "
                    "waiting list. We email you when a place comes free.",
                )
        return redirect(found.get_absolute_url())
    form = GuestRsvpForm(request.POST)
    if form.is_valid() and not allow_guest_rsvp(request):
        form.add_error(
            None,
            "Too many requests for places came from your connection in the last hour. "
            "Please try again later, or sign in.",
        )
        return render(
            request,
            "events/occurrence.html",
            _occurrence_context(request, found, guest_form=form),
            status=429,
        )
    if form.is_valid():
        try:
            rsvp_guest(
                found,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                remind_day_before=form.cleaned_data["remind_day_before"],
                remind_hour_before=form.cleaned_data["remind_hour_before"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "events/check_email.html", {"occurrence": found})
    return render(
        request,
        "events/occurrence.html",
        _occurrence_context(request, found, guest_form=form),
    )


@require_POST
def cancel_mine(request: HttpRequest, code: str) -> HttpResponse:
    """A signed-in person gives up their place (or leaves the waiting list)."""
    found = get_occurrence(request, code)
    mine = rsvp_of(request.user, found)
    if mine is None:
        raise Http404("You have not answered this event")
    try:
        cancel_rsvp(mine, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your answer is cancelled. Thank you for letting us know.")
    return redirect(found.get_absolute_url())


def _rsvp_from_token(token: str, purpose: str) -> Rsvp | None:
    code = read_rsvp_token(token, purpose)
    if code is None:
        return None
    return (
        Rsvp.objects.select_related("occurrence__series__initiative", "user")
        .filter(code=code)
        .first()
    )


@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed confirmation link: GET shows a button (mail scanners follow links),
    POST takes the place or a spot on the waiting list."""
    found = _rsvp_from_token(token, "confirm")
    if found is None:
        return render(request, "events/link_invalid.html", status=404)
    context = {"rsvp": found, "occurrence": found.occurrence, "action": "confirm"}
    if request.method == "POST":
        try:
            confirm_guest(found)
        except DomainError as error:
            context["error"] = error.message
        found.refresh_from_db()
        context["rank"] = waitlist_rank(found)
        context["done"] = True
    return render(request, "events/rsvp_link.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed cancel link: GET shows a confirm button, POST cancels."""
    found = _rsvp_from_token(token, "cancel")
    if found is None:
        return render(request, "events/link_invalid.html", status=404)
    context = {"rsvp": found, "occurrence": found.occurrence, "action": "cancel"}
    if request.method == "POST":
        try:
            cancel_rsvp(found, actor=found.user)
        except DomainError as error:
            context["error"] = error.message
        found.refresh_from_db()
        context["done"] = True
    return render(request, "events/rsvp_link.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def rsvp_still(request: HttpRequest, token: str) -> HttpResponse:
    """The "still coming?" link: GET shows the choice, POST keeps the place."""
    found = _rsvp_from_token(token, "still")
    if found is None:
        return render(request, "events/link_invalid.html", status=404)
    context = {
        "rsvp": found,
        "occurrence": found.occurrence,
        "action": "still",
        "cancel_token": _token(found, "cancel"),
    }
    if request.method == "POST":
        context["kept"] = still_coming(found)
        context["done"] = True
    return render(request, "events/rsvp_link.html", context)


def _token(found: Rsvp, purpose: str) -> str:
    return rsvp_token(found.code, purpose)


@require_safe
def series(request: HttpRequest, code: str) -> HttpResponse:
    """A series: what it is, how it repeats, and its coming dates."""
    found = get_series(request, code)
    dates = Paginator(upcoming_in_series(found), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/series.html",
        {
            "series": found,
            "initiative": found.initiative,
            "description_html": render_markdown(found.description),
            "page": dates,
            "can_manage": rules.has_perm("events.change_series", request.user, found),
        },
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Coming events everywhere, soonest first."""
    upcoming = card_rows(
        public_occurrences().filter(status="scheduled", ends_at__gt=timezone.now())
    ).order_by("starts_at", "id")
    page = Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/index.html", {"page": page})


def _zone_of(place: Any) -> ZoneInfo | None:
    try:
        return ZoneInfo(place.time_zone) if place is not None and place.time_zone else None
    except (ValueError, ZoneInfoNotFoundError):
        return None


DEFAULT_RADIUS = "25"  # miles


def _groups_search_url(data: dict[str, Any]) -> str:
    """The initiatives search with the same place, distance and audience (and online only
    when only online events were asked for), for "see all groups"."""
    params = {
        "near": data.get("place") or "",
        "radius": data.get("radius") or DEFAULT_RADIUS,
        "audience": data.get("audience") or "",
        "setting": "online" if data.get("mode") == "online" else "",
    }
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("initiatives:list") + (f"?{query}" if query else "")


@require_safe
def near(request: HttpRequest) -> HttpResponse:
    """Find support near me: events (and groups) by place, dates, format and audience.

    A GET form: every search is a URL to share or bookmark; it works without JavaScript.
    """
    if not request.GET:
        form = NearForm(initial={"radius": DEFAULT_RADIUS})
        return render(request, "events/near.html", {"form": form, "searched": False})
    params = request.GET.copy()
    if not params.get("radius"):
        params["radius"] = DEFAULT_RADIUS  # the form shows the distance the search used
    form = NearForm(params)
    context: dict = {"form": form, "searched": True}
    if not form.is_valid():
        return render(request, "events/near.html", context)
    data = form.cleaned_data
    lat = lon = None
    place = None
    radius_miles = int(data.get("radius") or DEFAULT_RADIUS)
    if data["place"]:
        place = resolve_place(data["place"], country=settings.BEACON_DEFAULT_COUNTRY)
        if place is None:
            form.add_error(
                "place",
                "We could not find that place. Try a town with its state (“Bend, OR”) or "
                "a 5-digit ZIP code.",
            )
            return render(request, "events/near.html", context)
        lat, lon = place.latitude, place.longitude
    # "From" and "until" are days where the person is looking: the place's own zone (an
    # evening meeting in Portland is the next morning in UTC), else the site's zone.
    zone = _zone_of(place) or timezone.get_current_timezone()
    start = max(
        datetime.combine(data["start"], time.min, tzinfo=zone), timezone.now() - timedelta(hours=1)
    )
    end = datetime.combine(data["end"] + timedelta(days=1), time.min, tzinfo=zone)
    radius_km = radius_miles * KM_PER_MILE
    found = find_events(
        lat=lat,
        lon=lon,
        radius_km=radius_km,
        start=start,
        end=end,
        mode=data["mode"],
        audience=data["audience"],
        kind=data["kind"],
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    for occurrence in page.object_list:
        occurrence.distance_miles = (
            None if occurrence.distance_km is None else occurrence.distance_km / KM_PER_MILE
        )
    groups, group_count = nearby_groups(
        lat=lat, lon=lon, radius_km=radius_km, audience=data["audience"], mode=data["mode"]
    )
    for group in groups:
        group.distance_miles = (
            None if group.distance_km is None else group.distance_km / KM_PER_MILE
        )
    context.update(
        {
            "place": place,
            "radius_miles": radius_miles,
            "page": page,
            "groups": groups,
            "group_count": group_count,
            "groups_url": _groups_search_url(data),
        }
    )
    return render(request, "events/near.html", context)


@require_safe
def occurrence_ics(request: HttpRequest, code: str) -> HttpResponse:
    found = get_occurrence(request, code)
    mine = rsvp_of(request.user, found)
    body = ics.occurrence_calendar(found, with_link=bool(mine and mine.holds_place))
    return ics_response(body, f"{found.series.title[:40]}.ics")


@require_safe
def series_ics(request: HttpRequest, code: str) -> HttpResponse:
    found = get_series(request, code)
    return ics_response(ics.series_calendar(found), f"{found.title[:40]}.ics")


@require_safe
def initiative_ics(request: HttpRequest, code: str) -> HttpResponse:
    """Every event of an initiative, as a calendar to subscribe to."""
    initiative = access_initiative(request.user, code)
    if initiative is None:
        raise Http404("No such initiative")
    series_list = series_visible_to(request.user).filter(initiative=initiative).order_by("id")
    body = ics.initiative_calendar(f"{initiative.name} ({settings.BEACON_SITE_NAME})", series_list)
    return ics_response(body, "events.ics")
