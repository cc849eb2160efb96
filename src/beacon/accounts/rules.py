"""Permission predicates about accounts and roles (django-rules)."""

import rules

from beacon.accounts.enums import ROLE_RANK, Role


def _has_rank(user: object, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return ROLE_RANK.get(getattr(user, "role", ""), 0) >= ROLE_RANK[role]


@rules.predicate
def is_member(user: object) -> bool:
    """A signed-in, active person."""
    return _has_rank(user, Role.MEMBER)


@rules.predicate
def is_curator(user: object) -> bool:
    """A directory curator or anyone above (moderators and administrators curate too)."""
    return _has_rank(user, Role.CURATOR)


@rules.predicate
def is_moderator(user: object) -> bool:
    """A moderator or anyone above."""
    return _has_rank(user, Role.MODERATOR)


@rules.predicate
def is_admin(user: object) -> bool:
    """A site administrator."""
    return _has_rank(user, Role.ADMIN)


rules.add_perm("accounts.curate", is_curator)
rules.add_perm("accounts.moderate", is_moderator)
rules.add_perm("accounts.administer", is_admin)
