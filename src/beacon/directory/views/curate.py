"""The curators' pages: reports and stale entries waiting, verifying and correcting entries."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.directory import queries
from beacon.directory.forms import (
    ClosedDayFormSet,
    PhoneFormSet,
    ResolveReportForm,
    ServiceCurateForm,
    VerifyForm,
    WeeklyHoursFormSet,
    closed_days_q,
    weekly_hours_q,
)
from beacon.directory.models import DirectoryReport, Service
from beacon.directory.search import stale_before
from beacon.directory.services import resolve_report, save_curated_service, verify_service

PER_PAGE = 25


def _curator_or_refuse(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("accounts.curate"):
        raise PermissionDenied
    return None


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """Reports first (oldest first), then entries not verified recently (never verified first)."""
    if refused := _curator_or_refuse(request):
        return refused
    cutoff = stale_before(timezone.localdate())
    stale_page = Paginator(queries.stale_services(cutoff), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/curate/queue.html",
        {
            "reports": list(queries.open_reports()[:200]),
            "stale_page": stale_page,
            "stale_total": stale_page.paginator.count,
            "cutoff": cutoff,
        },
    )


@require_http_methods(["GET", "POST"])
def edit_service(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    if refused := _curator_or_refuse(request):
        return refused
    service = get_object_or_404(Service.objects.select_related("organization"), pk=service_id)
    form = ServiceCurateForm(request.POST or None, instance=service)
    phones = PhoneFormSet(request.POST or None, instance=service, prefix="phones")
    hours = WeeklyHoursFormSet(request.POST or None, instance=service, prefix="hours")
    closures = ClosedDayFormSet(request.POST or None, instance=service, prefix="closed")
    if request.method == "POST":
        valid = [f.is_valid() for f in (form, phones, hours, closures)]
        if all(valid):
            with transaction.atomic():
                save_curated_service(
                    form, phones, actor=request.user, hours=hours, closures=closures
                )
                if request.POST.get("also_verify"):
                    verify_service(service, actor=request.user, note="edited and checked")
            messages.success(request, "Saved. The change is live in search and on the page.")
            return redirect(reverse("directory:curate_service", args=[service.id]))
        messages.error(request, "Please correct the fields marked below; nothing was saved yet.")
    return render(
        request,
        "directory/curate/service.html",
        {
            "service": service,
            "form": form,
            "phones": phones,
            "hours": hours,
            "closures": closures,
            # Schedule rows this page does not edit (monthly groups, term dates, hours on
            # dates, hours in words): listed, and edited in the admin.
            "other_schedules": service.schedules.exclude(weekly_hours_q())
            .exclude(closed_days_q())
            .order_by("channel", "valid_from", "id"),
            "verify_form": VerifyForm(),
            "reports": DirectoryReport.objects.filter(service=service).order_by("-created_at")[:20],
            "stale": service.assured_date is None
            or service.assured_date < stale_before(timezone.localdate()),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def verify(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    if refused := _curator_or_refuse(request):
        return refused
    service = get_object_or_404(Service, pk=service_id)
    form = VerifyForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    verify_service(service, actor=request.user, note=note)
    messages.success(request, f"“{service.name}” is marked as checked today.")
    return redirect(_safe_next(request, reverse("directory:curate")))


@require_POST
def resolve(request: HttpRequest, report_id: int) -> HttpResponse:
    if refused := _curator_or_refuse(request):
        return refused
    report = get_object_or_404(DirectoryReport, pk=report_id)
    form = ResolveReportForm(request.POST)
    if not form.is_valid():
        raise Http404
    resolve_report(report, actor=request.user, note=form.cleaned_data["note"])
    messages.success(request, "Report resolved.")
    return redirect(_safe_next(request, reverse("directory:curate")))
