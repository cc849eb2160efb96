"""Permission predicates for events (django-rules), on an EventSeries. Each has a queryset
twin in queries.py; tests/events/test_rules.py proves they agree.

Names and contact details of attendees are for the initiative's organisers and the
series' own facilitator only (a facilitator of the initiative who does not run this series
sees counts); moderators and administrators see
counts like everyone else. Site administrators may plan and change an initiative's events
to help the group (as for initiatives: `initiatives.manage_initiative`), still without
the names.
"""

from __future__ import annotations

import rules

from beacon.accounts.rules import is_admin, is_member, is_moderator
from beacon.events.enums import NAME_READER_ROLES, SeriesStatus
from beacon.initiatives.queries import role_of


def _role(user, series) -> str | None:  # type: ignore[no-untyped-def]
    if series is None or not getattr(user, "is_authenticated", False):
        return None
    cache = series.__dict__.setdefault("_role_cache", {})
    if user.pk not in cache:
        cache[user.pk] = role_of(user, series.initiative)
    return cache[user.pk]


def series_is_public(series) -> bool:  # type: ignore[no-untyped-def]
    return bool(series is not None and series.initiative.is_public and not series.is_hidden)


@rules.predicate
def is_public_series(user, series) -> bool:  # type: ignore[no-untyped-def]
    return series_is_public(series)


@rules.predicate
def is_initiative_member(user, series) -> bool:  # type: ignore[no-untyped-def]
    return _role(user, series) is not None


@rules.predicate
def is_series_organiser(user, series) -> bool:  # type: ignore[no-untyped-def]
    return _role(user, series) == "organiser"


@rules.predicate
def reads_attendee_names(user, series) -> bool:  # type: ignore[no-untyped-def]
    if series is None or not getattr(user, "is_authenticated", False):
        return False
    if _role(user, series) in NAME_READER_ROLES:
        return True
    return bool(series.facilitator_id == user.pk and _role(user, series) is not None)


@rules.predicate
def is_active_series(user, series) -> bool:  # type: ignore[no-untyped-def]
    return series is not None and series.status == SeriesStatus.ACTIVE


can_view_series = is_public_series | is_initiative_member | is_moderator

rules.add_perm("events.view_series", can_view_series)
rules.add_perm("events.change_series", is_member & (is_series_organiser | is_admin))
rules.add_perm("events.view_attendees", is_member & reads_attendee_names)
rules.add_perm("events.mark_attendance", is_member & reads_attendee_names)
