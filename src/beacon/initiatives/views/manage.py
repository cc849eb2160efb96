"""The organisers' side: create and edit (with the safety reading), members, roles,
training records, volunteer roles and offers, hours, and the impact dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from beacon.accounts.models import User
from beacon.core.errors import DomainError
from beacon.initiatives import impact, services
from beacon.initiatives.enums import ApplicationState, MemberRole, MembershipState, TrainingKind
from beacon.initiatives.forms import (
    HoursForm,
    InitiativeForm,
    RoleForm,
    TrainingForm,
    VolunteerRoleForm,
    initial_from_initiative,
)
from beacon.initiatives.models import (
    Initiative,
    Membership,
    TrainingRecord,
    VolunteerApplication,
    VolunteerShift,
)
from beacon.initiatives.views.common import (
    allowed,
    needs_a_second_look,
    safety_reading,
    with_initiative,
)

MANAGE = "initiatives.manage_initiative"


def _reading_of(form: InitiativeForm) -> dict[str, Any]:
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    text = "\n\n".join(
        str(data.get(f) or form.data.get(f, "")) for f in ("name", "mission", "description")
    )
    return safety_reading(text.strip())


@require_http_methods(["GET", "POST"])
@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Start an initiative: check the text with the assistant, then send it for review.

    Words that can sting or personal details are pointed out once before sending (the
    organiser may send as it is). A crisis reading never blocks: the initiative goes to
    the crisis lane and the person sees help at once.
    """
    form = InitiativeForm(request.POST or None, actor=request.user)
    context: dict[str, Any] = {"form": form, "initiative": None}
    if request.method == "POST":
        action = request.POST.get("action", "submit")
        valid = form.is_valid()
        reading = _reading_of(form)
        context["assist"] = reading
        seen = request.POST.get("seen_assistant") == "1"
        if valid and action == "submit" and (seen or not needs_a_second_look(reading)):
            try:
                initiative = services.create_initiative(
                    actor=request.user, fields=form.service_fields()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if initiative.risk == "crisis":
                    return render(request, "initiatives/sent.html", {"initiative": initiative})
                messages.success(
                    request,
                    "Sent for review. A moderator will read it soon; you'll get an email "
                    "when it is listed.",
                )
                return redirect("initiatives:detail", code=initiative.code)
        context["second_look"] = valid and action == "submit"
    return render(request, "initiatives/form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@with_initiative("initiatives.change_initiative")
def edit(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Edit an initiative (organisers). Changed words of a listed one are reviewed again."""
    if request.method == "POST":
        form = InitiativeForm(request.POST, actor=request.user)
    else:
        form = InitiativeForm(initial=initial_from_initiative(initiative), actor=request.user)
    context: dict[str, Any] = {"form": form, "initiative": initiative}
    if request.method == "POST":
        action = request.POST.get("action", "submit")
        valid = form.is_valid()
        reading = _reading_of(form)
        context["assist"] = reading
        seen = request.POST.get("seen_assistant") == "1"
        if valid and action == "submit" and (seen or not needs_a_second_look(reading)):
            try:
                to_review = services.update_initiative(
                    initiative, actor=request.user, fields=form.service_fields()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                initiative.refresh_from_db()
                if initiative.review_risk == "crisis" and to_review:
                    return render(request, "initiatives/sent.html", {"initiative": initiative})
                if to_review and initiative.status == "listed":
                    saved = (
                        "Saved. A moderator will read the new words before they are public; "
                        "until then the page shows the listed words, and your events stay "
                        "open for answers."
                    )
                elif to_review:
                    saved = "Saved. A moderator will read the changes before they are public."
                else:
                    saved = "Saved."
                messages.success(request, saved)
                return redirect("initiatives:detail", code=initiative.code)
        context["second_look"] = valid and action == "submit"
    return render(request, "initiatives/form.html", context)


@require_POST
@login_required
@with_initiative(MANAGE)
def archive(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    try:
        services.archive_initiative(initiative, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The initiative is archived: it is no longer listed.")
    return redirect("initiatives:detail", code=initiative.code)


@require_POST
@login_required
@with_initiative(MANAGE)
def reopen(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    try:
        services.reopen_initiative(initiative, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Reopened: a moderator will read it before it is listed.")
    return redirect("initiatives:detail", code=initiative.code)


@require_POST
@login_required
@with_initiative("initiatives.moderate_initiative")
def moderate(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Site moderators: put this initiative in the moderation queue, optionally hiding it
    at once; the moderator lands on the case to decide."""
    hide = request.POST.get("action") == "hide"
    case = services.send_to_review(initiative, actor=request.user, hide=hide)
    messages.success(
        request,
        "Hidden from everyone but its members until a decision."
        if hide and initiative.status == "listed"
        else "The initiative is in the review queue.",
    )
    return redirect("moderation:case", code=case.code)


# --- Members ------------------------------------------------------------------------------


def _membership(initiative: Initiative, user_code: str) -> Membership:
    membership = (
        Membership.objects.filter(initiative=initiative, user__code=user_code)
        .select_related("user", "initiative")
        .first()
    )
    if membership is None:
        raise Http404("No such member")
    return membership


@require_safe
@login_required
@with_initiative(MANAGE)
def members(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Join requests to answer, and the active members with their roles."""
    rows = list(initiative.memberships.select_related("user").order_by("created_at", "id"))
    active = [m for m in rows if m.state == MembershipState.ACTIVE]
    # Each active member's facilitator training: the record in force today that lasts
    # longest (None: not current), so organisers see who may facilitate, and until when.
    today = timezone.localdate()
    current: dict[int, TrainingRecord] = {}
    for record in (
        TrainingRecord.objects.filter(
            user_id__in=[m.user_id for m in active], kind=TrainingKind.FACILITATOR
        )
        .current(on=today)
        .order_by("user_id", "expires_on")
    ):
        best = current.get(record.user_id)
        if best is None or (
            best.expires_on is not None
            and (record.expires_on is None or record.expires_on > best.expires_on)
        ):
            current[record.user_id] = record
    for membership in active:
        membership.facilitator_training = current.get(membership.user_id)
    return render(
        request,
        "initiatives/members.html",
        {
            "initiative": initiative,
            "requests": [m for m in rows if m.state == MembershipState.REQUESTED],
            "active": active,
            "roles": MemberRole.choices,
            "role_form": RoleForm(),
        },
    )


@require_POST
@login_required
@with_initiative(MANAGE)
def decide_member(request: HttpRequest, initiative: Initiative, user_code: str) -> HttpResponse:
    membership = _membership(initiative, user_code)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_membership(membership, actor=request.user, approve=approve)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        name = membership.user.display_name
        messages.success(
            request, f"{name} is now a member." if approve else f"{name}'s request is declined."
        )
    return redirect("initiatives:members", code=initiative.code)


@require_POST
@login_required
@with_initiative(MANAGE)
def set_role(request: HttpRequest, initiative: Initiative, user_code: str) -> HttpResponse:
    membership = _membership(initiative, user_code)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles offered.")
        return redirect("initiatives:members", code=initiative.code)
    try:
        services.set_member_role(membership, form.cleaned_data["role"], actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{membership.user.display_name} is now "
            f"{MemberRole(form.cleaned_data['role']).label.lower()}.",
        )
    return redirect("initiatives:members", code=initiative.code)


@require_POST
@login_required
@with_initiative(MANAGE)
def remove_member(request: HttpRequest, initiative: Initiative, user_code: str) -> HttpResponse:
    membership = _membership(initiative, user_code)
    try:
        services.remove_member(membership, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user.display_name} is no longer a member.")
    return redirect("initiatives:members", code=initiative.code)


# --- Training -----------------------------------------------------------------------------


def _member_choices(initiative: Initiative) -> list[tuple[str, str]]:
    return [
        (m.user.code, m.user.display_name)
        for m in initiative.memberships.filter(state=MembershipState.ACTIVE)
        .select_related("user")
        .order_by("user__display_name")
    ]


@require_http_methods(["GET", "POST"])
@login_required
@with_initiative(MANAGE)
def training(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Training records of the members, and recording a new one (with its expiry)."""
    form = TrainingForm(request.POST or None, members=_member_choices(initiative))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = User.objects.get(code=data["member"])
        try:
            services.record_training(
                initiative,
                actor=request.user,
                user=person,
                kind=data["kind"],
                completed_on=data["completed_on"],
                expires_on=data["expires_on"],
                title=data["title"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Training recorded for {person.display_name}.")
            return redirect("initiatives:training", code=initiative.code)
    member_ids = initiative.memberships.filter(state=MembershipState.ACTIVE).values("user_id")
    records = TrainingRecord.objects.filter(user_id__in=member_ids).select_related(
        "user", "initiative"
    )
    return render(
        request,
        "initiatives/training.html",
        {"initiative": initiative, "form": form, "records": records, "today": timezone.localdate()},
    )


@require_POST
@login_required
@with_initiative(MANAGE)
def delete_training(request: HttpRequest, initiative: Initiative, pk: int) -> HttpResponse:
    record = TrainingRecord.objects.filter(pk=pk, initiative=initiative).first()
    if record is None:
        raise Http404("No such training record")
    try:
        services.delete_training(record, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Training record deleted.")
    return redirect("initiatives:training", code=initiative.code)


# --- Volunteer roles and offers -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@with_initiative(MANAGE)
def volunteers(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Volunteer roles (add one here) and the offers waiting for an answer."""
    form = VolunteerRoleForm(request.POST or None, initial={"is_open": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_volunteer_role(
                None, initiative=initiative, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Volunteer role added.")
            return redirect("initiatives:volunteers", code=initiative.code)
    applications = (
        VolunteerApplication.objects.filter(role__initiative=initiative)
        .exclude(state=ApplicationState.WITHDRAWN)
        .select_related("user", "role")
    )
    for application in applications:
        if application.state == ApplicationState.REQUESTED:
            application.missing = services.missing_training(application.user, application.role)
    return render(
        request,
        "initiatives/volunteers.html",
        {
            "initiative": initiative,
            "form": form,
            "roles": initiative.volunteer_roles.all(),
            "applications": applications,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@with_initiative(MANAGE)
def edit_role(request: HttpRequest, initiative: Initiative, role_code: str) -> HttpResponse:
    role = initiative.volunteer_roles.filter(code=role_code).first()
    if role is None:
        raise Http404("No such volunteer role")
    initial = {
        "title": role.title,
        "description": role.description,
        "requirements": role.requirements,
        "time_commitment": role.time_commitment,
        "is_open": role.is_open,
    }
    form = VolunteerRoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_volunteer_role(
                role, initiative=initiative, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Volunteer role saved.")
            return redirect("initiatives:volunteers", code=initiative.code)
    return render(
        request,
        "initiatives/role_form.html",
        {"initiative": initiative, "role": role, "form": form},
    )


@require_POST
@login_required
@with_initiative(MANAGE)
def decide_application(request: HttpRequest, initiative: Initiative, pk: int) -> HttpResponse:
    application = (
        VolunteerApplication.objects.filter(pk=pk, role__initiative=initiative)
        .select_related("user", "role__initiative")
        .first()
    )
    if application is None:
        raise Http404("No such offer")
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_application(application, actor=request.user, approve=approve)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Offer approved." if approve else "Offer declined.")
    return redirect("initiatives:volunteers", code=initiative.code)


# --- Hours --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@with_initiative("initiatives.log_hours")
def hours(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """Log volunteer hours: organisers for any member, other members for themselves."""
    organiser = allowed(request.user, MANAGE, initiative)
    people = (
        _member_choices(initiative)
        if organiser
        else [(request.user.code, request.user.display_name)]
    )
    roles = [(r.code, r.title) for r in initiative.volunteer_roles.all()]
    form = HoursForm(
        request.POST or None, members=people, roles=roles, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = User.objects.get(code=data["member"])
        role = (
            initiative.volunteer_roles.filter(code=data["role"]).first() if data["role"] else None
        )
        try:
            services.log_hours(
                initiative,
                actor=request.user,
                user=person,
                on=data["date"],
                hours=data["hours"],
                role=role,
                note=data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{data['hours']} hours logged. Thank you.")
            return redirect("initiatives:hours", code=initiative.code)
    shifts = VolunteerShift.objects.filter(initiative=initiative).select_related("user", "role")
    if not organiser:
        shifts = shifts.filter(user=request.user)
    return render(
        request,
        "initiatives/hours.html",
        {
            "initiative": initiative,
            "form": form,
            "shifts": shifts[:100],
            "organiser": organiser,
        },
    )


@require_POST
@login_required
@with_initiative("initiatives.log_hours")
def delete_hours(request: HttpRequest, initiative: Initiative, pk: int) -> HttpResponse:
    shift = VolunteerShift.objects.filter(pk=pk, initiative=initiative).first()
    if shift is None:
        raise Http404("No such entry")
    try:
        services.delete_shift(shift, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Hours deleted.")
    return redirect("initiatives:hours", code=initiative.code)


# --- Impact -------------------------------------------------------------------------------


@require_safe
@login_required
@with_initiative("initiatives.view_dashboard")
def dashboard(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """The organisers' impact dashboard: charts with data tables, by month, and the CSV."""
    start, end = impact.default_window()
    table = impact.impact_table(initiative, start, end)
    return render(
        request,
        "initiatives/dashboard.html",
        {
            "initiative": initiative,
            "table": table,
            "charts": [impact.bar_chart(table, c) for c in table.columns],
            "is_organiser": allowed(request.user, MANAGE, initiative),
            "start": start,
            "end": end,
        },
    )


@require_safe
@login_required
@with_initiative("initiatives.view_dashboard")
def impact_csv(request: HttpRequest, initiative: Initiative) -> HttpResponse:
    """The dashboard's figures as CSV, suppressed exactly as on the page."""
    table = impact.impact_table(initiative, *impact.default_window())
    response = HttpResponse(impact.impact_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impact-{initiative.code}.csv"'
    return response
