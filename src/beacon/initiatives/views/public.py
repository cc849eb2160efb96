"""What everyone sees: the list and search, an initiative's page, joining, volunteering,
reporting, and the public impact summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.core.errors import DomainError
from beacon.initiatives import impact, queries, services
from beacon.initiatives.enums import ApplicationState, MembershipState
from beacon.initiatives.events_bridge import upcoming_events
from beacon.initiatives.forms import ApplicationForm, JoinForm, SearchForm
from beacon.initiatives.models import Initiative, Membership, VolunteerApplication
from beacon.initiatives.views.common import allowed, with_initiative
from beacon.moderation.forms import ReportForm
from beacon.moderation.services import report_item
from beacon.places.geo import KM_PER_MILE
from beacon.places.queries import resolve_place

PAGE_SIZE = 20


@require_safe
def initiative_list(request: HttpRequest) -> HttpResponse:
    """Find initiatives: by place (radius, nearest first, online ones too), audience,
    activity, setting and words. A plain GET form: every search is a shareable URL."""
    form = SearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    place = None
    place_missing = False
    radius = 25
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "text": data["q"],
            "setting": data["setting"],
            "audience": data["audience"],
            "activity": data["activity"],
        }
        radius = int(data["radius"] or 25)
        if data["near"]:
            place = resolve_place(data["near"])
            place_missing = place is None
            if place is not None:
                filters |= {
                    "lat": place.latitude,
                    "lon": place.longitude,
                    "radius_km": radius * KM_PER_MILE,
                }
    results: Sequence[Initiative] = [] if place_missing else queries.search_initiatives(**filters)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    for initiative in page.object_list:
        initiative.distance_miles = (
            None if initiative.distance_km is None else initiative.distance_km / KM_PER_MILE
        )
    return render(
        request,
        "initiatives/list.html",
        {
            "form": form,
            "page": page,
            "place": place,
            "place_missing": place_missing,
            "radius": radius,
            "searched": bool(request.GET),
        },
    )


@require_safe
@with_initiative("initiatives.view_initiative")
def detail(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """An initiative's page: mission, where, who for, what, contact, organisers, events."""
    membership = None
    applications: dict[int, VolunteerApplication] = {}
    if request.user.is_authenticated:
        membership = Membership.objects.filter(initiative=initiative, user=request.user).first()
        applications = {
            a.role_id: a
            for a in VolunteerApplication.objects.filter(
                user=request.user, role__initiative=initiative
            )
        }
    summary = impact.public_summary(initiative) if initiative.is_public else None
    roles = list(initiative.volunteer_roles.filter(is_open=True))
    for role in roles:
        role.my_application = applications.get(role.pk)
    return render(
        request,
        "initiatives/detail.html",
        {
            "initiative": initiative,
            "organisers": [m.user for m in queries.organisers_of(initiative)],
            "membership": membership,
            "is_organiser": allowed(request.user, "initiatives.manage_initiative", initiative),
            "can_moderate": allowed(request.user, "initiatives.moderate_initiative", initiative),
            "roles": roles,
            "upcoming_events": upcoming_events(initiative),
            "join_form": JoinForm(),
            "summary": summary,
            "summary_totals": list(zip(summary.labels(), summary.total_cells(), strict=True))
            if summary
            else [],
            "charts": [impact.bar_chart(summary, c) for c in summary.columns] if summary else [],
            "start": summary.months[0] if summary else None,
            "end": summary.months[-1] if summary else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@with_initiative("initiatives.view_initiative")
def join(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Ask to join: organisers approve or decline the request."""
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_membership(
                initiative, actor=request.user, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request, "Your request is with the organisers. You'll hear from them soon."
            )
        return redirect("initiatives:detail", code=initiative.code)
    return render(request, "initiatives/join.html", {"initiative": initiative, "form": form})


@require_POST
@login_required
@with_initiative("initiatives.view_initiative")
def leave(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Leave an initiative, or take back a request to join."""
    was = Membership.objects.filter(initiative=initiative, user=request.user).first()
    try:
        services.leave_initiative(initiative, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if was is not None and was.state == MembershipState.REQUESTED:
            messages.success(request, "Your request to join is withdrawn.")
        else:
            messages.success(request, f"You have left {initiative.name}.")
    return redirect("initiatives:detail", code=initiative.code)


@require_http_methods(["GET", "POST"])
@login_required
@with_initiative("initiatives.report_initiative")
def report(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Report an initiative to the moderators."""
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_item(
                initiative,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, "Thank you for telling us. A moderator will look at it.")
        return redirect("initiatives:detail", code=initiative.code)
    return render(request, "initiatives/report.html", {"initiative": initiative, "form": form})


def _role_of(initiative: Initiative, role_code: str):  # type: ignore[no-untyped-def]
    role = initiative.volunteer_roles.filter(code=role_code).first()
    if role is None:
        raise Http404("No such volunteer role")
    return role


@require_http_methods(["GET", "POST"])
@login_required
@with_initiative("initiatives.join_initiative")
def apply(request: HttpRequest, initiative: Initiative, role_code: str) -> HttpResponse:
    """Offer to take on a volunteer role."""
    role = _role_of(initiative, role_code)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_role(role, actor=request.user, message=form.cleaned_data["message"])
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, "Thank you for offering to help. The organisers will reply.")
        return redirect("initiatives:detail", code=initiative.code)
    return render(
        request,
        "initiatives/apply.html",
        {
            "initiative": initiative,
            "role": role,
            "form": form,
            "missing": services.missing_training(request.user, role),
        },
    )


@require_POST
@login_required
@with_initiative("initiatives.view_initiative")
def withdraw_application(request: HttpRequest, initiative: Initiative, pk: int) -> HttpResponse:
    """Take back an offer to volunteer, or step down from a role."""
    application = VolunteerApplication.objects.filter(
        pk=pk, user=request.user, role__initiative=initiative
    ).first()
    if application is None:
        raise Http404("No such offer of yours")
    try:
        services.withdraw_application(application, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your offer is withdrawn.")
    return redirect("initiatives:detail", code=initiative.code)


@require_safe
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The initiatives a person belongs to or asked to join, and their volunteer offers."""
    return render(
        request,
        "initiatives/mine.html",
        {
            "memberships": queries.memberships_of(request.user),
            "applications": VolunteerApplication.objects.filter(user=request.user)
            .exclude(state=ApplicationState.WITHDRAWN)
            .select_related("role__initiative"),
        },
    )
