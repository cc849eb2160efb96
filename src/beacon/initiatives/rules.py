"""Permission predicates for initiatives (django-rules). Each has a twin in queries.py;
tests/initiatives/test_permissions.py proves they agree.

Who may act on an initiative they do not belong to (docs/developer/initiatives.md,
"Permissions"):
- site moderators (and administrators, who rank above them) see every initiative in any
  status, decide it in the moderation queue, send any initiative to review or hide it at
  once (`moderate_initiative`), and read the impact dashboard; they do not edit it or
  manage its people;
- site administrators may also do everything an organiser does, to help a group (each act
  is audited under their own name);
- nobody outside the initiative reads attendee names (that is the events rules' business:
  the initiative's organisers and the event's own facilitator only).
"""

from __future__ import annotations

import rules

from beacon.accounts.rules import is_admin, is_member, is_moderator
from beacon.initiatives.enums import MemberRole, MembershipState


def _active_role(user, initiative) -> str | None:  # type: ignore[no-untyped-def]
    if initiative is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False):
        return None
    # Cached per request object: a page asks several rules about the same initiative.
    cache = initiative.__dict__.setdefault("_role_cache", {})
    if user.pk not in cache:
        cache[user.pk] = (
            initiative.memberships.filter(user=user, state=MembershipState.ACTIVE)
            .values_list("role", flat=True)
            .first()
        )
    return cache[user.pk]


@rules.predicate
def is_public_initiative(user, initiative) -> bool:  # type: ignore[no-untyped-def]
    return initiative is not None and initiative.is_public


@rules.predicate
def is_initiative_creator(user, initiative) -> bool:  # type: ignore[no-untyped-def]
    return bool(
        initiative is not None
        and getattr(user, "is_authenticated", False)
        and initiative.created_by_id == user.pk
    )


@rules.predicate
def is_initiative_member(user, initiative) -> bool:  # type: ignore[no-untyped-def]
    return _active_role(user, initiative) is not None


@rules.predicate
def is_initiative_organiser(user, initiative) -> bool:  # type: ignore[no-untyped-def]
    return _active_role(user, initiative) == MemberRole.ORGANISER


can_view_initiative = (
    is_public_initiative | is_initiative_creator | is_initiative_member | is_moderator
)

rules.add_perm("initiatives.view_initiative", can_view_initiative)
rules.add_perm("initiatives.add_initiative", is_member)
# Organiser work: the initiative's active organisers, and site administrators helping.
can_manage_initiative = is_member & (is_initiative_organiser | is_admin)

rules.add_perm("initiatives.change_initiative", can_manage_initiative)
rules.add_perm("initiatives.manage_initiative", can_manage_initiative)
rules.add_perm("initiatives.join_initiative", is_member & is_public_initiative)
rules.add_perm("initiatives.report_initiative", is_member & is_public_initiative)
rules.add_perm("initiatives.view_dashboard", is_member & (is_initiative_organiser | is_moderator))
rules.add_perm("initiatives.log_hours", is_member & (is_initiative_member | is_admin))
rules.add_perm("initiatives.moderate_initiative", is_moderator)
