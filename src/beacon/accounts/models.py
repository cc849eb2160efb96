"""The account: login by email, a public display name, a role."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from beacon.accounts.enums import ROLE_RANK, Role
from beacon.core.models import PublicCodeModel


class UserManager(BaseUserManager["User"]):
    """Creates accounts with a normalised (lower-case) email."""

    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        fields.setdefault("display_name", "Member")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("is_superuser", True)
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)


def normalise_email(email: str) -> str:
    """Return the address stripped and lower-cased, so one mailbox is one account."""
    return email.strip().lower()


class User(PublicCodeModel, AbstractBaseUser, PermissionsMixin):
    """A person with an account.

    The email is private: it is used to log in and to receive mail, and is never shown on
    any page or API response (tests/test_no_email_leaks.py crawls the site to prove it).
    Others see only `display_name`.
    """

    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(
        max_length=60,
        help_text="The name others see. It does not have to be your real name.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(
        default=True, help_text="Unticked: the person cannot log in (blocked or closed)."
    )
    email_verified_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    country = models.CharField(
        max_length=2, blank=True, help_text="Preferred country for crisis lines."
    )
    is_trusted_author = models.BooleanField(
        default=False,
        help_text="Stories publish without waiting for review (when the site allows it).",
    )
    on_duty = models.BooleanField(
        default=False,
        help_text="Moderators on duty are alerted at once when something is flagged crisis.",
    )
    hidden_warnings = models.JSONField(
        default=dict,
        blank=True,
        help_text='Reader preferences: {"<content warning>": "hide" | "blur"}.',
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_staff(self) -> bool:
        """Admins reach the Django admin; nobody else does."""
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def role_rank(self) -> int:
        return ROLE_RANK.get(self.role, 0)

    def has_role(self, role: Role) -> bool:
        """Return whether this account holds `role` or one above it."""
        return self.is_active and self.role_rank >= ROLE_RANK[role]

    def has_perm(self, perm: str, obj: object = None) -> bool:
        if self.is_active and self.role == Role.ADMIN:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.role == Role.ADMIN:
            return True
        return super().has_module_perms(app_label)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name
