"""Views for signing up, verifying an address, signing in and resetting a password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from beacon.accounts import services
from beacon.accounts.forms import (
    LoginForm,
    QueuedPasswordResetForm,
    ResendVerificationForm,
    SignUpForm,
)
from beacon.accounts.models import User, normalise_email
from beacon.core.errors import DomainError
from beacon.core.reauth import mark_reauthenticated


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account; the same 'check your email' answer whether or not it existed."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.register_user(
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password"],
        )
        return render(request, "accounts/signup_done.html")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """Confirm an address. GET shows a button so mail scanners that open links do nothing."""
    user = get_object_or_404(User, code=code)
    if user.is_email_verified:
        messages.success(request, "Your address is confirmed. You can sign in.")
        return redirect("accounts:login")
    if request.method == "POST":
        try:
            services.verify_email(user, token=token)
        except DomainError as error:
            return render(request, "accounts/verify.html", {"error": error.message}, status=400)
        messages.success(request, "Thank you — your address is confirmed. You can sign in now.")
        return redirect("accounts:login")
    return render(request, "accounts/verify.html", {})


@require_http_methods(["GET", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    """Send a fresh verification link. Says the same thing whether the account exists."""
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is not None:
            services.send_verification_email(user)
        return render(request, "accounts/signup_done.html", {"resent": True})
    return render(request, "accounts/resend.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        mark_reauthenticated(self.request)
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
