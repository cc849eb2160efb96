"""What organisers (and, for attendance, facilitators) of an initiative do: create and
edit series, skip dates, change or cancel one meeting, see who answered, mark who came."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from beacon.core.errors import DomainError
from beacon.events.enums import HOLDS_PLACE, OccurrenceStatus, SeriesStatus
from beacon.events.forms import CancelForm, ChangeOccurrenceForm, SeriesForm, SkipForm
from beacon.events.models import EventSeries
from beacon.events.queries import attendees
from beacon.events.services import (
    cancel_occurrence,
    cancel_series,
    change_occurrence,
    mark_attendance,
    reinstate_occurrence,
    save_series,
    schedule_dates,
    skip_date,
)
from beacon.events.views.common import get_occurrence, get_series
from beacon.initiatives.queries import access_initiative, can_manage
from beacon.places.queries import resolve_place


def _organised_initiative(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    initiative = access_initiative(request.user, code)
    if initiative is None:
        raise Http404("No such initiative")
    if not can_manage(request.user, initiative):
        raise PermissionDenied("Only the organisers of this initiative can manage its events.")
    return initiative


def _require(request: HttpRequest, perm: str, series: EventSeries) -> None:
    if not rules.has_perm(perm, request.user, series):
        raise PermissionDenied(
            "Only the organisers of this initiative and the facilitator of this event can."
        )


@login_required
def manage(request: HttpRequest, code: str) -> HttpResponse:
    """An initiative's series, for its organisers."""
    initiative = _organised_initiative(request, code)
    series_list = EventSeries.objects.filter(initiative=initiative).order_by("status", "title")
    now = timezone.now()
    for item in series_list:
        item.next_occurrence = (
            item.occurrences.filter(ends_at__gt=now, status=OccurrenceStatus.SCHEDULED)
            .order_by("starts_at")
            .first()
        )
    return render(
        request, "events/manage.html", {"initiative": initiative, "series_list": series_list}
    )


def _save(request: HttpRequest, form: SeriesForm, initiative, series):  # type: ignore[no-untyped-def]
    try:
        saved = save_series(
            series, initiative=initiative, actor=request.user, fields=form.service_fields()
        )
    except DomainError as error:
        for field, problems in getattr(error, "problems", {"": [error.message]}).items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return None
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, code: str) -> HttpResponse:
    initiative = _organised_initiative(request, code)
    form = SeriesForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        form.instance.initiative = initiative
        saved = _save(request, form, initiative, None)
        if saved is not None:
            return _after_save(request, saved)
    if request.method == "GET" and initiative.has_location:
        form.initial.update({"place_name": initiative.place_name})
    return render(
        request,
        "events/series_form.html",
        {"form": form, "initiative": initiative, "creating": True},
    )


def _after_save(request: HttpRequest, saved: EventSeries) -> HttpResponse:
    if saved.risk == "crisis":
        return render(request, "events/saved_with_help.html", {"series": saved})
    messages.success(request, "Saved. The dates are on the series page.")
    return redirect("events:series", code=saved.code)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    series = get_series(request, code)
    _require(request, "events.change_series", series)
    form = SeriesForm(request.POST or None, instance=series, initiative=series.initiative)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, series.initiative, EventSeries.objects.get(pk=series.pk))
        if saved is not None:
            return _after_save(request, saved)
    return render(
        request,
        "events/series_form.html",
        {"form": form, "initiative": series.initiative, "series": series, "creating": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def skip(request: HttpRequest, code: str) -> HttpResponse:
    """Take a date out of the schedule, or put a skipped one back."""
    series = get_series(request, code)
    _require(request, "events.change_series", series)
    form = SkipForm(request.POST or None, days=schedule_dates(series), skipped=series.skipped)
    if request.method == "POST" and form.is_valid():
        put_back = request.POST.get("restore") == "1"
        try:
            skip_date(series, form.cleaned_data["day"], actor=request.user, skip=not put_back)
        except DomainError as error:
            form.add_error("day", error.message)
        else:
            messages.success(request, "Date restored." if put_back else "Date skipped.")
            return redirect("events:series", code=series.code)
    return render(request, "events/skip.html", {"form": form, "series": series})


@login_required
@require_http_methods(["GET", "POST"])
def cancel_whole_series(request: HttpRequest, code: str) -> HttpResponse:
    series = get_series(request, code)
    _require(request, "events.change_series", series)
    if series.status != SeriesStatus.ACTIVE:
        messages.error(request, "This series is already cancelled.")
        return redirect("events:series", code=series.code)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cancel_series(series, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "The series is cancelled; everyone who answered is told.")
        return redirect("events:series", code=series.code)
    return render(
        request, "events/cancel.html", {"form": form, "series": series, "whole_series": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, code: str) -> HttpResponse:
    """Move one meeting (time and/or place); everyone who answered is told."""
    occurrence = get_occurrence(request, code)
    series = occurrence.series
    _require(request, "events.change_series", series)
    start = occurrence.local_start
    initial = {
        "day": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "duration_minutes": int((occurrence.ends_at - occurrence.starts_at).total_seconds() // 60),
        "place_name": occurrence.place_name,
        "address": occurrence.address,
        "note": occurrence.change_note,
    }
    form = ChangeOccurrenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place_kwargs = {}
        if series.is_in_person and data["place_name"] != occurrence.place_name:
            place = resolve_place(data["place_name"]) if data["place_name"] else None
            place_kwargs = {
                "place_name": data["place_name"],
                "address": data["address"],
                "latitude": place.latitude if place else occurrence.latitude,
                "longitude": place.longitude if place else occurrence.longitude,
            }
        elif series.is_in_person and data["address"] != occurrence.address:
            place_kwargs = {
                "place_name": data["place_name"],
                "address": data["address"],
                "latitude": occurrence.latitude,
                "longitude": occurrence.longitude,
            }
        try:
            change_occurrence(
                occurrence,
                actor=request.user,
                day=data["day"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                note=data["note"],
                **place_kwargs,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Changed. Everyone who answered is told.")
            return redirect(occurrence.get_absolute_url())
    return render(
        request,
        "events/change.html",
        {"form": form, "occurrence": occurrence, "series": series},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    occurrence = get_occurrence(request, code)
    _require(request, "events.change_series", occurrence.series)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_occurrence(occurrence, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The meeting is cancelled; everyone who answered is told.")
            return redirect(occurrence.get_absolute_url())
    return render(
        request,
        "events/cancel.html",
        {"form": form, "occurrence": occurrence, "series": occurrence.series},
    )


@login_required
@require_POST
def reinstate(request: HttpRequest, code: str) -> HttpResponse:
    occurrence = get_occurrence(request, code)
    _require(request, "events.change_series", occurrence.series)
    try:
        reinstate_occurrence(occurrence, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The meeting is back on; everyone who answered is told.")
    return redirect(occurrence.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def attendee_list(request: HttpRequest, code: str) -> HttpResponse:
    """Who answered, with names — only for the initiative's organisers and the series' facilitator;
    after the start, they mark who came."""
    occurrence = get_occurrence(request, code)
    _require(request, "events.view_attendees", occurrence.series)
    if request.method == "POST":
        try:
            mark_attendance(occurrence, actor=request.user, attended=request.POST.getlist("came"))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Attendance saved.")
            return redirect("events:attendees", code=occurrence.code)
    rows = list(attendees(occurrence))
    waiting = [r for r in rows if r.state == "waitlisted"]
    for rank, row in enumerate(waiting, start=1):
        row.rank = rank
    return render(
        request,
        "events/attendees.html",
        {
            "occurrence": occurrence,
            "series": occurrence.series,
            "rows": rows,
            "can_mark": occurrence.starts_at <= timezone.now()
            and occurrence.rsvps_pruned_at is None,
            "holds_place": HOLDS_PLACE,
        },
    )
