"""Account workflows: sign-up, verification, email change, closing an account, data export.

Views, commands and tests call these; nothing else changes these states.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.accounts.models import User, normalise_email
from beacon.accounts.tokens import email_verification_token
from beacon.core.audit import log_action
from beacon.core.errors import DomainError
from beacon.core.mail import queue_templated_email
from beacon.core.personal_data import ErasureMode, registry

EMAIL_CHANGE_SALT = "beacon.accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 60 * 60 * 24


def register_user(*, email: str, display_name: str, password: str) -> User | None:
    """Create an unverified account and mail a verification link.

    If the address already has an account, no account is created and that address is told
    someone tried to sign up with it (so sign-up never reveals who has an account). Returns
    the new user, or None in that case.
    """
    email = normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        queue_templated_email(
            to=existing.email,
            subject="Someone tried to sign up with your address",
            template="accounts/email/signup_existing.txt",
            context={
                "user": existing,
                "login_path": reverse("accounts:login"),
                "reset_path": reverse("accounts:password_reset"),
            },
        )
        return None
    user = User.objects.create_user(
        email=email, password=password, display_name=display_name.strip(), role=Role.MEMBER
    )
    log_action("accounts.user.registered", actor=user, target=user)
    send_verification_email(user)
    return user


def send_verification_email(user: User) -> None:
    """Mail `user` a link that confirms their address (valid for PASSWORD_RESET_TIMEOUT)."""
    if user.is_email_verified:
        return
    token = email_verification_token.make_token(user)
    queue_templated_email(
        to=user.email,
        subject="Confirm your email address",
        template="accounts/email/verify.txt",
        context={
            "user": user,
            "verify_path": reverse("accounts:verify", args=[user.code, token]),
        },
    )


def verify_email(user: User, *, token: str) -> None:
    """Mark the address verified if `token` is valid; raise DomainError otherwise."""
    if user.is_email_verified:
        return
    if not email_verification_token.check_token(user, token):
        raise DomainError(
            "This link has expired or was already used. Ask for a new one below.",
            code="bad_token",
        )
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    log_action("accounts.user.email_verified", actor=user, target=user)


def update_profile(user: User, *, display_name: str, country: str) -> None:
    """Change what others see (display name) and the preferred crisis-line country."""
    user.display_name = display_name.strip()
    user.country = country.upper()
    user.save(update_fields=["display_name", "country"])
    log_action("accounts.user.profile_changed", actor=user, target=user)


def request_email_change(user: User, *, new_email: str) -> None:
    """Mail a confirmation link to `new_email`; the address changes only when it is used.

    Raises DomainError when the address is already in use (the person is signed in and
    has re-authenticated, so saying so reveals nothing to a stranger).
    """
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise DomainError("That is already your address.")
    if User.objects.filter(email__iexact=new_email).exists():
        raise DomainError("That address belongs to another account.")
    token = signing.dumps({"u": user.code, "e": new_email}, salt=EMAIL_CHANGE_SALT)
    queue_templated_email(
        to=new_email,
        subject="Confirm your new email address",
        template="accounts/email/email_change.txt",
        context={"user": user, "confirm_path": reverse("accounts:email_confirm", args=[token])},
    )
    log_action("accounts.user.email_change_requested", actor=user, target=user)


def confirm_email_change(user: User, *, token: str) -> None:
    """Apply an email change from its signed token; raise DomainError when it is invalid."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature as exc:
        raise DomainError("This link has expired or is not valid.", code="bad_token") from exc
    if data.get("u") != user.code:
        raise DomainError("This link belongs to a different account.", code="bad_token")
    new_email = data["e"]
    with transaction.atomic():
        if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
            raise DomainError("That address belongs to another account.")
        user.email = new_email
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        log_action("accounts.user.email_changed", actor=user, target=user)


def set_role(user: User, role: Role, *, actor: User) -> None:
    """Give `user` a new role. Only admins may; the change is audited."""
    if not actor.has_role(Role.ADMIN):
        raise DomainError("Only administrators can change roles.", code="permission")
    old = user.role
    user.role = role
    user.save(update_fields=["role"])
    log_action(
        "accounts.user.role_changed", actor=actor, target=user, data={"from": old, "to": str(role)}
    )


def export_personal_data(user: User) -> dict[str, Any]:
    """Return everything Beacon holds about `user`, as JSON-serialisable data."""
    return {
        "format": "beacon-personal-data",
        "format_version": 1,
        "exported_at": timezone.now().isoformat(),
        "data": registry.export_for(user),
    }


def close_account(user: User, *, mode: ErasureMode, actor: User) -> None:
    """Close `user`'s account, deleting or anonymising what they contributed.

    Every registered personal-data handler runs in one transaction (so a failure leaves
    the account as it was), then the account row is deleted. Only the person themself or
    an admin may do this.
    """
    if actor.pk != user.pk and not actor.has_role(Role.ADMIN):
        raise DomainError("You can only close your own account.", code="permission")
    with transaction.atomic():
        log_action(
            "accounts.user.closed",
            actor=None,
            target=None,
            data={"mode": str(mode), "by_admin": actor.pk != user.pk},
        )
        registry.erase_for(user, mode)
