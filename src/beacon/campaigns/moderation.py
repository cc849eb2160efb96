"""How the moderation queue reads and decides campaigns and organisations' commitments.

Campaigns reach the queue only when the engine reads a crisis in their words (they are
written by moderators and organisers); commitments always wait for a first review; a
check-in reaches it (held, in the crisis lane) when the engine reads a crisis in it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from beacon.campaigns.enums import CampaignState, CheckInState, CommitmentState
from beacon.campaigns.models import Campaign, CheckIn, OrganisationCommitment
from beacon.campaigns.services import (
    campaign_text,
    commitment_text,
    set_campaign_state,
    set_check_in_state,
)
from beacon.campaigns.services import set_commitment_state as _set_commitment_state
from beacon.moderation.enums import Action
from beacon.moderation.registry import ModeratedType, register_moderated


def _campaign_actions(campaign: Campaign) -> list[str]:
    if campaign.state == CampaignState.PUBLISHED:
        return [Action.KEEP, Action.REMOVE]
    return [Action.KEEP]


def _apply_campaign(campaign: Campaign, action: str, *, actor: Any, message: str) -> None:
    if action == Action.REMOVE:
        set_campaign_state(campaign, CampaignState.ARCHIVED, actor=actor, message=message)


def _no_hiding(item: Campaign | CheckIn, hidden: bool) -> None:
    """Campaigns and check-ins are not reported by readers, so nothing hides them; removal
    archives a campaign and removes a check-in."""


def _commitment_actions(commitment: OrganisationCommitment) -> list[str]:
    if commitment.state == CommitmentState.PENDING:
        return [Action.APPROVE, Action.DECLINE]
    if commitment.state == CommitmentState.PUBLISHED:
        return [Action.KEEP, Action.REMOVE]
    return []


def _apply_commitment(
    commitment: OrganisationCommitment, action: str, *, actor: Any, message: str
) -> None:
    outcome = {
        Action.APPROVE: CommitmentState.PUBLISHED,
        Action.DECLINE: CommitmentState.DECLINED,
        Action.REMOVE: CommitmentState.REMOVED,
    }.get(action)
    if outcome:
        _set_commitment_state(commitment, outcome, actor=actor, message=message)


def _hide_commitment(commitment: OrganisationCommitment, hidden: bool) -> None:
    OrganisationCommitment.objects.filter(pk=commitment.pk).update(is_hidden=hidden)
    commitment.is_hidden = hidden


def _check_in_actions(check_in: CheckIn) -> list[str]:
    if check_in.state == CheckInState.HELD:
        return [Action.APPROVE, Action.REMOVE]
    if check_in.state == CheckInState.PUBLISHED:
        return [Action.KEEP, Action.REMOVE]
    return []


def _apply_check_in(check_in: CheckIn, action: str, *, actor: Any, message: str) -> None:
    outcome = {Action.APPROVE: CheckInState.PUBLISHED, Action.REMOVE: CheckInState.REMOVED}.get(
        action
    )
    if outcome:
        set_check_in_state(check_in, outcome, actor=actor, message=message)


def _commitment_url(commitment: OrganisationCommitment) -> str:
    return reverse("campaigns:commitment", args=[commitment.code])


register_moderated(
    ModeratedType(
        model=Campaign,
        label="campaign",
        title=lambda c: str(c),
        text=campaign_text,
        author=lambda c: c.created_by,
        apply_decision=_apply_campaign,
        hide=_no_hiding,
        public_url=lambda c: (
            reverse("campaigns:detail", args=[c.code]) if c.state == CampaignState.PUBLISHED else ""
        ),
        author_url=lambda c: reverse("campaigns:manage", args=[c.code]),
        allowed_actions=_campaign_actions,
    )
)

register_moderated(
    ModeratedType(
        model=OrganisationCommitment,
        label="organisation's commitment",
        title=lambda c: f"{c.organisation_name} commits to “{c.pledge}”",
        text=commitment_text,
        author=lambda c: c.representative,
        apply_decision=_apply_commitment,
        hide=_hide_commitment,
        public_url=lambda c: _commitment_url(c) if c.is_public else "",
        author_url=_commitment_url,
        allowed_actions=_commitment_actions,
    )
)

register_moderated(
    ModeratedType(
        model=CheckIn,
        label="check-in",
        title=lambda k: f"Check-in of {k.commitment.organisation_name} on {k.on:%Y-%m-%d}",
        text=lambda k: k.progress,
        author=lambda k: k.commitment.representative,
        apply_decision=_apply_check_in,
        hide=_no_hiding,
        public_url=lambda k: _commitment_url(k.commitment) if k.is_public else "",
        author_url=lambda k: _commitment_url(k.commitment),
        allowed_actions=_check_in_actions,
    )
)
