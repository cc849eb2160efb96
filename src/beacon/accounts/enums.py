"""Roles: a small ordered set. A higher role can do everything a lower one can."""

from django.db import models


class Role(models.TextChoices):
    """A person's role on this Beacon site. The rank gaps leave room for roles between."""

    MEMBER = "member", "Member"
    # Rank 20 stays free for a later site-wide role (organisers are per initiative).
    CURATOR = "curator", "Directory curator"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Administrator"

    @property
    def rank(self) -> int:
        return ROLE_RANK[self]


ROLE_RANK: dict[str, int] = {Role.MEMBER: 10, Role.CURATOR: 30, Role.MODERATOR: 40, Role.ADMIN: 50}


class AccountClosure(models.TextChoices):
    """What a person chooses when closing their account."""

    DELETE = "delete", "Delete my account and everything I wrote"
    ANONYMISE = "anonymise", ("Delete my account but keep what I shared, with no name attached")
