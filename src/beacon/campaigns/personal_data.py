"""Personal-data handlers for campaigns: signatures (by account, and guest signatures made
with the account's address), organisations' commitments, campaigns a person started."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q

from beacon.campaigns.enums import CampaignState
from beacon.campaigns.models import (
    CallForStories,
    Campaign,
    CheckIn,
    OrganisationCommitment,
    Pledge,
    Signature,
    ToolkitFile,
    ToolkitImage,
    ToolkitSnippet,
)
from beacon.core.personal_data import ErasureMode, registry


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _signatures_of(user: Any):  # type: ignore[no-untyped-def]
    return Signature.objects.filter(Q(user=user) | Q(user__isnull=True, email=user.email.lower()))


def _export_signatures(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "pledge": s.pledge.title,
            "pledge_code": s.pledge.code,
            "signed_at": _iso(s.created_at),
            "confirmed_at": _iso(s.confirmed_at),
            "name_typed": s.name,
            "name_shown": s.show_name,
            "unsubscribed_at": _iso(s.unsubscribed_at),
            "followup_7_sent_at": _iso(s.followup_7_sent_at),
            "followup_30_sent_at": _iso(s.followup_30_sent_at),
        }
        for s in _signatures_of(user).select_related("pledge").order_by("created_at")
    ]


def _erase_signatures(user: Any, mode: ErasureMode) -> None:
    signatures = _signatures_of(user)
    if mode == ErasureMode.ANONYMISE:
        # The count stays (they did sign); nothing links the signature to the person.
        signatures.filter(confirmed_at__isnull=True).delete()
        signatures.update(
            user=None, email="", name="", show_name=False, unsubscribed_at=F("confirmed_at")
        )
        return
    confirmed = (
        signatures.filter(confirmed_at__isnull=False)
        .values("pledge_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in confirmed:
        Pledge.objects.filter(pk=row["pledge_id"]).update(
            signature_count=F("signature_count") - row["n"]
        )
    signatures.delete()


def _export_commitments(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation": c.organisation_name,
            "pledge": c.pledge.title,
            "state": c.state,
            "website": c.website,
            "action_plan": c.action_plan,
            "created_at": _iso(c.created_at),
            "check_ins": [
                {"on": _iso(k.on), "progress": k.progress, "state": k.state}
                for k in c.check_ins.all()
            ],
        }
        for c in OrganisationCommitment.objects.filter(representative=user)
        .select_related("pledge")
        .prefetch_related("check_ins")
    ]


def _erase_commitments(user: Any, mode: ErasureMode) -> None:
    commitments = OrganisationCommitment.objects.filter(representative=user)
    if mode == ErasureMode.DELETE:
        commitments.delete()
    else:
        # The organisation's public commitment stays; its representative is no longer known.
        commitments.update(representative=None)


def _export_campaigns(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "title": c.title,
            "state": c.state,
            "goal": c.goal,
            "description": c.description,
            "starts_on": _iso(c.starts_on),
            "ends_on": _iso(c.ends_on),
        }
        for c in Campaign.objects.filter(created_by=user)
    ]


def _erase_campaigns(user: Any, mode: ErasureMode) -> None:
    campaigns = Campaign.objects.filter(created_by=user)
    if mode == ErasureMode.DELETE:
        # Unpublished drafts are theirs alone; a published campaign holds other people's
        # signatures and stories, so it stays, without its starter's name.
        campaigns.filter(state=CampaignState.DRAFT, published_at__isnull=True).delete()
    campaigns.update(created_by=None)


registry.register(
    Signature, section="pledge_signatures", export=_export_signatures, erase=_erase_signatures
)
registry.register(
    OrganisationCommitment,
    section="organisation_commitments",
    export=_export_commitments,
    erase=_erase_commitments,
)
registry.register(Campaign, section="campaigns", export=_export_campaigns, erase=_erase_campaigns)
registry.exempt(CheckIn, reason="Part of an OrganisationCommitment; exported and erased with it.")
registry.exempt(Pledge, reason="A campaign's statement; holds nothing about a person.")
registry.exempt(CallForStories, reason="A campaign's prompt; holds nothing about a person.")
registry.exempt(ToolkitFile, reason="Campaign material; holds nothing about a person.")
registry.exempt(ToolkitImage, reason="Campaign material; holds nothing about a person.")
registry.exempt(ToolkitSnippet, reason="Campaign material; holds nothing about a person.")
