"""Views for a signed-in person's own account: profile, password, email, data, closing."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from beacon.accounts import services
from beacon.accounts.forms import (
    CloseAccountForm,
    ConfirmPasswordForm,
    EmailChangeForm,
    ProfileForm,
)
from beacon.core.errors import DomainError
from beacon.core.personal_data import ErasureMode
from beacon.core.reauth import mark_reauthenticated, reauth_required
from beacon.help.queries import country_choices


def mask_email(email: str) -> str:
    """Return a hint of an address ("s•••@e•••.org") that is never the address itself."""
    local, _, domain = email.partition("@")
    name, _, tld = domain.rpartition(".")
    return f"{local[:1]}•••@{name[:1]}•••.{tld}"


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """Account settings: display name and country, and links to the rest."""
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "country": user.country},
        countries=country_choices(),
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user,
            display_name=form.cleaned_data["display_name"],
            country=form.cleaned_data["country"],
        )
        messages.success(request, "Saved.")
        return redirect("accounts:home")
    return render(
        request, "accounts/home.html", {"form": form, "email_hint": mask_email(user.email)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    """Ask for the password again before a sensitive change, then go back to it."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = ConfirmPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        mark_reauthenticated(request)
        return redirect(next_url or "accounts:home")
    return render(request, "accounts/reauth.html", {"form": form, "next": next_url})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        mark_reauthenticated(self.request)
        messages.success(self.request, "Your password is changed.")
        return response


@reauth_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    """Ask for a new address; it changes only when the link sent there is opened."""
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_email_change(request.user, new_email=form.cleaned_data["new_email"])
        except DomainError as error:
            form.add_error("new_email", error.message)
        else:
            messages.success(request, "We sent a link to your new address. Open it to finish.")
            return redirect("accounts:home")
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Apply an email change from the emailed link (a button, so scanners change nothing)."""
    if request.method == "POST":
        try:
            services.confirm_email_change(request.user, token=token)
        except DomainError as error:
            return render(
                request, "accounts/email_confirm.html", {"error": error.message}, status=400
            )
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your email address is changed.")
        return redirect("accounts:home")
    return render(request, "accounts/email_confirm.html", {})


@reauth_required
@require_http_methods(["GET", "POST"])
def download_data(request: HttpRequest) -> HttpResponse:
    """Offer, then send, everything Beacon holds about this person as a JSON file."""
    if request.method == "POST":
        data = services.export_personal_data(request.user)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False, default=str),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="beacon-my-data-{stamp}.json"'
        return response
    return render(request, "accounts/download_data.html", {})


@reauth_required
@require_http_methods(["GET", "POST"])
def close_account(request: HttpRequest) -> HttpResponse:
    """Close the account: delete everything, or keep contributions without a name."""
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.close_account(user, mode=ErasureMode(form.cleaned_data["mode"]), actor=user)
        logout(request)
        return render(request, "accounts/closed.html", {})
    return render(request, "accounts/close.html", {"form": form})
