"""Account forms: labels and help written for someone who may be having a hard day."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from beacon.accounts.enums import AccountClosure
from beacon.accounts.models import User
from beacon.core.mail import queue_templated_email


class SignUpForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=60,
        help_text="The name others see. A first name or a nickname is fine.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Only used to sign in and to send you mail. Never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        help_text="At least 10 characters. A few unrelated words work well.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Sign in by email. Unverified accounts are told how to finish signing up."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": (
            "That email and password don't match an account. Check them and try again."
        ),
        "inactive": "This account is not active.",
        "unverified": (
            "Please confirm your email address first: use the link we sent you. "
            "You can ask for a new link below."
        ),
    }

    def confirm_login_allowed(self, user: User) -> None:  # type: ignore[override]
        super().confirm_login_allowed(user)
        if not user.is_email_verified:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose mail goes through the background worker like all other mail."""

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        queue_templated_email(
            to=to_email,
            subject="Reset your password",
            template=email_template_name,
            context={"uid": context["uid"], "token": context["token"], "user": context["user"]},
        )


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name", max_length=60, help_text="The name others see."
    )
    country = forms.ChoiceField(
        label="Country for crisis lines",
        required=False,
        help_text="Which country's helplines we show you first.",
    )

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Site default"), *countries]


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right. Please try again.")
        return password


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label="New email address",
        help_text="We'll send a link there; your address changes when you open it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CloseAccountForm(forms.Form):
    mode = forms.ChoiceField(
        label="What should happen to what you shared?",
        choices=AccountClosure.choices,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone.",
        required=True,
    )
