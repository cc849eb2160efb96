"""Reading initiatives and memberships with their permission meaning.

The functions `role_of`, `is_organiser`, `can_manage`, `organises_any` and
`can_facilitate` are the contract other apps (events) rely on; keep their names and
signatures.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from beacon.accounts.enums import Role
from beacon.initiatives.enums import (
    Activity,
    Audience,
    InitiativeStatus,
    MemberRole,
    MembershipState,
    Setting,
    TrainingKind,
)
from beacon.initiatives.models import (
    Initiative,
    InitiativeActivity,
    InitiativeAudience,
    Membership,
    TrainingRecord,
)
from beacon.places.geo import bounding_box, distance_km


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def public_initiative_q() -> Q:
    """The condition for an initiative anyone may see."""
    return Q(status=InitiativeStatus.LISTED, is_hidden=False)


def public_initiatives() -> QuerySet[Initiative]:
    """Initiatives anyone may see: listed and not hidden after reports."""
    return Initiative.objects.filter(public_initiative_q())


def _active_membership(user: Any, initiative: Initiative) -> Membership | None:
    if not _signed_in(user) or initiative is None or initiative.pk is None:
        return None
    return Membership.objects.filter(
        initiative=initiative, user=user, state=MembershipState.ACTIVE
    ).first()


def role_of(user: Any, initiative: Initiative) -> str | None:
    """The MemberRole value of `user`'s active membership of `initiative`, or None."""
    membership = _active_membership(user, initiative)
    return membership.role if membership else None


def is_organiser(user: Any, initiative: Initiative) -> bool:
    """Whether `user` is an active organiser of `initiative`."""
    return role_of(user, initiative) == MemberRole.ORGANISER


def organises_any(user: Any) -> bool:
    """Whether `user` is an active organiser of at least one initiative (in any status)."""
    if not _signed_in(user):
        return False
    return Membership.objects.filter(
        user=user, state=MembershipState.ACTIVE, role=MemberRole.ORGANISER
    ).exists()


def can_manage(user: Any, initiative: Initiative) -> bool:
    """Whether `user` may do organiser work on `initiative`: an active organiser of it, or a
    site administrator helping the group (the twin of `initiatives.manage_initiative`)."""
    if _signed_in(user) and user.has_role(Role.ADMIN):
        return True
    return is_organiser(user, initiative)


def can_facilitate(user: Any, initiative: Initiative, on: date) -> bool:
    """Whether `user` may facilitate for `initiative` on day `on`.

    True when they are an active member (any role) and hold a facilitator training record
    that is current on `on` (completed by then, not expired before it).
    """
    if _active_membership(user, initiative) is None:
        return False
    return (
        TrainingRecord.objects.filter(user=user, kind=TrainingKind.FACILITATOR)
        .current(on=on)
        .exists()
    )


def initiatives_visible_to(user: Any) -> QuerySet[Initiative]:
    """Initiatives `user` may open: public ones, any they belong to or created, all for
    moderators (the queryset twin of the `initiatives.view_initiative` rule)."""
    if _signed_in(user) and user.has_role(Role.MODERATOR):
        return Initiative.objects.all()
    if _signed_in(user):
        mine = Membership.objects.filter(user=user, state=MembershipState.ACTIVE).values(
            "initiative_id"
        )
        return Initiative.objects.filter(
            public_initiative_q() | Q(created_by=user) | Q(pk__in=mine)
        )
    return public_initiatives()


def organisers_of(initiative: Initiative) -> QuerySet[Membership]:
    """Active organiser memberships, oldest first, with the user loaded."""
    return (
        initiative.memberships.filter(state=MembershipState.ACTIVE, role=MemberRole.ORGANISER)
        .select_related("user")
        .order_by("created_at", "id")
    )


def memberships_of(user: Any) -> QuerySet[Membership]:
    """A person's memberships (not declined), with their initiatives, newest first."""
    if not _signed_in(user):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .exclude(state=MembershipState.DECLINED)
        .select_related("initiative")
        .order_by("-created_at")
    )


def access_initiative(user: Any, code: str) -> Initiative | None:
    """The initiative with public `code` if `user` may see it, else None."""
    return initiatives_visible_to(user).filter(code=code).first()


# What a result card shows (initiatives/_card.html); nothing else is loaded for a list.
CARD_FIELDS = (
    "code",
    "name",
    "mission",
    "setting",
    "place_name",
    "latitude",
    "longitude",
    "status",
    "is_hidden",
)


class SearchResults(Sequence[Initiative]):
    """Search results that load only what is shown: ids in order, objects per slice.

    Paginator asks for `len()` and one slice; only that slice's initiatives are fetched
    (the card's fields, `CARD_FIELDS`, and their audience and activity labels as
    `card_audiences` / `card_activities`: three queries a page whatever its size), each
    with `distance_km` set (None for online initiatives or when no place was given).
    """

    def __init__(
        self,
        ids: list[int] | QuerySet[Initiative, int],
        distances: dict[int, float] | None = None,
    ) -> None:
        self._ids = ids
        self._distances = distances or {}

    def __len__(self) -> int:
        ids = self._ids
        return len(ids) if isinstance(ids, list) else ids.count()

    def _load(self, ids: list[int]) -> list[Initiative]:
        if not ids:
            return []
        by_id = Initiative.objects.only(*CARD_FIELDS).in_bulk(ids)
        audiences: dict[int, list[str]] = {pk: [] for pk in ids}
        activities: dict[int, list[str]] = {pk: [] for pk in ids}
        for pk, value in InitiativeAudience.objects.filter(initiative_id__in=ids).values_list(
            "initiative_id", "audience"
        ):
            audiences[pk].append(value)
        for pk, value in InitiativeActivity.objects.filter(initiative_id__in=ids).values_list(
            "initiative_id", "activity"
        ):
            activities[pk].append(value)
        found = [by_id[pk] for pk in ids if pk in by_id]
        for initiative in found:
            initiative.distance_km = self._distances.get(initiative.pk)
            # Labels for the card, in the same order as on the initiative's page.
            pk = initiative.pk
            initiative.card_audiences = [Audience(v).label for v in sorted(audiences[pk])]
            initiative.card_activities = [Activity(v).label for v in sorted(activities[pk])]
        return found

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return self._load(list(self._ids[index]))
        return self._load([self._ids[index]])[0]

    def __iter__(self) -> Iterator[Initiative]:
        return iter(self[0 : len(self)])


def search_initiatives(
    *,
    text: str = "",
    setting: str = "",
    audience: str = "",
    activity: str = "",
    lat: float | None = None,
    lon: float | None = None,
    radius_km: float | None = None,
) -> SearchResults:
    """Public initiatives matching the filters, loaded page by page (see SearchResults).

    With a point and a radius: in-person initiatives within the radius (a bounding-box
    pre-filter on the indexed coordinates, then the exact distance on ids and coordinates
    only), nearest first, then online initiatives (they serve everyone) by name. Without a
    point: by name.
    """
    qs = public_initiatives()
    if setting in Setting.values:
        qs = qs.filter(setting=setting)
    if audience in Audience.values:
        qs = qs.filter(
            pk__in=InitiativeAudience.objects.filter(audience=audience).values("initiative_id")
        )
    if activity in Activity.values:
        qs = qs.filter(
            pk__in=InitiativeActivity.objects.filter(activity=activity).values("initiative_id")
        )
    for word in text.split()[:8]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(mission__icontains=word)
            | Q(description__icontains=word)
            | Q(areas_served__icontains=word)
            | Q(place_name__icontains=word)
        )
    if lat is None or lon is None or radius_km is None:
        return SearchResults(qs.order_by("name", "id").values_list("pk", flat=True))
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_km)
    candidates = (
        qs.exclude(setting=Setting.ONLINE)
        .filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        .order_by()  # ranked below, by distance
        .values_list("pk", "name", "latitude", "longitude")
    )
    distances: dict[int, float] = {}
    ranked = []
    for pk, name, lat2, lon2 in candidates:
        km = distance_km(lat, lon, lat2, lon2)
        if km <= radius_km:
            distances[pk] = km
            ranked.append((km, name, pk))
    ranked.sort()
    online = qs.filter(setting=Setting.ONLINE).order_by("name", "id").values_list("pk", flat=True)
    return SearchResults([pk for _, _, pk in ranked] + list(online), distances)
