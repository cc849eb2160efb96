"""Reading campaigns and pledges with their permission meaning (the queryset twins of
rules.py), and what a campaign page shows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from beacon.accounts.enums import Role
from beacon.campaigns.enums import CampaignState, CheckInState, CommitmentState, PledgeKind
from beacon.campaigns.models import (
    CallForStories,
    Campaign,
    CheckIn,
    OrganisationCommitment,
    Pledge,
    Signature,
)
from beacon.events.models import EventSeries
from beacon.events.queries import series_visible_to
from beacon.initiatives.queries import organises_any
from beacon.stories.models import Story
from beacon.stories.queries import public_stories

RECENT_SIGNERS = 12


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns anyone may see: published ones."""
    return Campaign.objects.filter(state=CampaignState.PUBLISHED)


def campaigns_managed_by(user: Any) -> QuerySet[Campaign]:
    """Campaigns `user` may change (twin of the `campaigns.change_campaign` rule)."""
    if _signed_in(user) and user.has_role(Role.MODERATOR):
        return Campaign.objects.all()
    if _signed_in(user) and organises_any(user):
        return Campaign.objects.filter(created_by=user)
    return Campaign.objects.none()


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    """Campaigns `user` may open: published ones and those they manage."""
    if _signed_in(user) and user.has_role(Role.MODERATOR):
        return Campaign.objects.all()
    if _signed_in(user) and organises_any(user):
        return Campaign.objects.filter(Q(state=CampaignState.PUBLISHED) | Q(created_by=user))
    return public_campaigns()


def campaign_listing() -> QuerySet[Campaign]:
    """Published campaigns, current and upcoming first by start date, newest first."""
    return public_campaigns().order_by("-starts_on", "-id")


def access_campaign(user: Any, code: str) -> Campaign | None:
    """The campaign with `code` if `user` may see it, else None (callers answer 404)."""
    return campaigns_visible_to(user).filter(code=code).first()


def access_pledge(user: Any, code: str) -> Pledge | None:
    """The pledge with `code` if `user` may see its campaign.

    One query for a published campaign's pledge (every signature goes through here); the
    visibility rule is asked only for the others."""
    pledge = Pledge.objects.select_related("campaign").filter(code=code).first()
    if pledge is None or pledge.campaign.state == CampaignState.PUBLISHED:
        return pledge
    return pledge if campaigns_visible_to(user).filter(pk=pledge.campaign_id).exists() else None


def public_call(code: str) -> CallForStories | None:
    """The call for stories with `code` if its campaign is public (open or closed)."""
    return (
        CallForStories.objects.select_related("campaign")
        .filter(code=code, campaign__in=public_campaigns().values("pk"))
        .first()
    )


def call_stories(call: CallForStories, *, limit: int | None = None) -> QuerySet[Story]:
    """Public stories answering `call`, newest first (published through moderation only).

    Once the call is closed, only stories sent for review (or published) before it closed.
    """
    qs = public_stories().filter(prompt_code=call.code)
    if not call.is_open:
        closed = call.closed_at or call.updated_at
        qs = qs.filter(Q(submitted_at__lte=closed) | Q(published_at__lte=closed))
    qs = qs.select_related("author").order_by("-published_at", "-id")
    return qs[:limit] if limit else qs


def recent_signers(pledge: Pledge, *, limit: int = RECENT_SIGNERS) -> list[Signature]:
    """The latest confirmed signatures, for "who signed" (names only with consent)."""
    return list(
        pledge.signatures.filter(confirmed_at__isnull=False)
        .select_related("user")
        .order_by("-confirmed_at", "-id")[:limit]
    )


def public_commitments(pledge: Pledge) -> QuerySet[OrganisationCommitment]:
    """Organisations' commitments a reader may see, oldest first, with their counts of
    public check-ins."""
    return pledge.commitments.filter(state=CommitmentState.PUBLISHED, is_hidden=False).annotate(
        check_in_count=Count("check_ins", filter=Q(check_ins__state=CheckInState.PUBLISHED))
    )


def pledge_total(pledge: Pledge) -> int:
    """What a pledge's counter shows: confirmed signatures, or published organisations."""
    if pledge.kind == PledgeKind.ORGANISATIONAL:
        return public_commitments(pledge).count()
    return pledge.signature_count


def pledge_counter(pledge: Pledge) -> dict[str, Any]:
    """What the counter shows: the total (signatures or organisations), the bar's value
    (capped at the goal) and the percentage of the goal."""
    total = pledge_total(pledge)
    return {
        "total": total,
        "shown": min(total, pledge.goal),
        "percent": min(100, round(100 * total / pledge.goal)) if pledge.goal else 100,
    }


def access_commitment(user: Any, code: str) -> OrganisationCommitment | None:
    """A commitment `user` may see: public ones, their own, all for moderators."""
    qs = OrganisationCommitment.objects.select_related("pledge__campaign")
    if _signed_in(user) and user.has_role(Role.MODERATOR):
        return qs.filter(code=code).first()
    visible = Q(state=CommitmentState.PUBLISHED, is_hidden=False)
    if _signed_in(user):
        visible |= Q(representative=user)
    commitment = qs.filter(visible, code=code).first()
    if commitment is None or access_campaign(user, commitment.pledge.campaign.code) is None:
        return None
    return commitment


def check_ins_visible_to(user: Any, commitment: OrganisationCommitment) -> QuerySet[CheckIn]:
    """The commitment's check-ins `user` may read, newest first: published ones for
    everyone; held and removed ones too for its representative and moderators."""
    qs = commitment.check_ins.all()
    if _signed_in(user) and (
        user.has_role(Role.MODERATOR) or commitment.representative_id == user.pk
    ):
        return qs
    return qs.filter(state=CheckInState.PUBLISHED)


def commitments_of(user: Any) -> QuerySet[OrganisationCommitment]:
    """The commitments a person represents, newest first."""
    if not _signed_in(user):
        return OrganisationCommitment.objects.none()
    return OrganisationCommitment.objects.filter(representative=user).select_related("pledge")


def signature_of(user: Any, pledge: Pledge) -> Signature | None:
    """The signed-in person's signature of `pledge`, if any."""
    if not _signed_in(user):
        return None
    return Signature.objects.filter(pledge=pledge, user=user).first()


def linked_events(campaign: Campaign, user: Any) -> QuerySet[EventSeries]:
    """The campaign's event series that `user` may see, soonest first."""
    return series_visible_to(user).filter(campaigns=campaign).order_by("start_date", "id")
