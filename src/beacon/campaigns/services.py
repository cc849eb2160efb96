"""Campaign and pledge workflows: campaigns and their toolkits, calls for stories, pledges,
signing (members at once, guests by emailed link), unsubscribing, organisations' commitments.

`set_campaign_state` is the only writer of `Campaign.state` and `set_commitment_state` of
`OrganisationCommitment.state`. `Pledge.signature_count` moves only here and in the
personal-data eraser, with F() in the transaction that changes the row it counts.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from beacon.accounts.models import User, normalise_email
from beacon.campaigns.enums import (
    CAMPAIGN_TRANSITIONS,
    CHECK_IN_TRANSITIONS,
    COMMITMENT_TRANSITIONS,
    CampaignState,
    CheckInState,
    CommitmentState,
    PledgeKind,
)
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
from beacon.campaigns.rules import can_create_campaign, can_manage_campaign
from beacon.campaigns.tokens import (
    code_from_confirm_token,
    code_from_unsubscribe_token,
    confirm_token,
)
from beacon.campaigns.validators import validate_share_image, validate_toolkit_file
from beacon.core.audit import log_action
from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.core.mail import queue_templated_email
from beacon.events.models import EventSeries
from beacon.events.queries import access_series
from beacon.moderation.services import enqueue_for_review
from beacon_safety import assess as assess_text

# A guest asking again for the same pledge gets at most one mail per this interval.
RESEND_INTERVAL = timedelta(minutes=10)


# --- campaigns -------------------------------------------------------------------------


def campaign_text(campaign: Campaign) -> str:
    """The text the engine reads and moderators see: title, goal and description."""
    return f"{campaign.title}\n\n{campaign.goal}\n\n{campaign.description}".strip()


def _require_manager(campaign: Campaign, actor: Any) -> None:
    if not can_manage_campaign(actor, campaign):
        raise PermissionRefused("Only the campaign team can change this campaign.")


@transaction.atomic
def save_campaign(
    campaign: Campaign | None,
    *,
    actor: User,
    title: str,
    goal: str,
    description: str,
    starts_on: date,
    ends_on: date | None,
) -> Campaign:
    """Create a campaign (moderators, admins, initiative organisers) or change one.

    The engine reads the words; a crisis reading puts the campaign in the moderators' urgent
    lane (the view shows the writer help at once). Raises PermissionRefused, DomainError.
    """
    if campaign is None:
        if not can_create_campaign(actor):
            raise PermissionRefused("Only moderators and initiative organisers start campaigns.")
        campaign = Campaign(created_by=actor)
    else:
        _require_manager(campaign, actor)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("The end date must be on or after the start date.", code="dates")
    campaign.title, campaign.goal = title.strip()[:140], goal.strip()[:300]
    campaign.description = description
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    result = assess_text(campaign_text(campaign), kind="generic").to_dict()
    campaign.assessment, campaign.risk = result, result["risk"]
    created = campaign.pk is None
    campaign.save()
    log_action(
        "campaigns.campaign." + ("created" if created else "changed"), actor=actor, target=campaign
    )
    if campaign.risk == "crisis":
        enqueue_for_review(campaign, assessment=result)
    return campaign


def set_campaign_state(
    campaign: Campaign, new_state: str, *, actor: User | None, message: str = ""
) -> None:
    """Move `campaign` to `new_state` if CAMPAIGN_TRANSITIONS allows it; audit it.

    Raises InvalidTransition otherwise. Sets `published_at` the first time it is published.
    """
    old = campaign.state
    if (old, new_state) not in CAMPAIGN_TRANSITIONS:
        raise InvalidTransition(
            f"A campaign that is {CampaignState(old).label.lower()} cannot become "
            f"{CampaignState(new_state).label.lower()}."
        )
    campaign.state = new_state
    fields = ["state", "updated_at"]
    if new_state == CampaignState.PUBLISHED and campaign.published_at is None:
        campaign.published_at = timezone.now()
        fields.append("published_at")
    campaign.save(update_fields=fields)
    log_action(
        f"campaigns.campaign.{new_state}",
        actor=actor,
        target=campaign,
        data={"from": old, "to": new_state, **({"message": message} if message else {})},
    )


@transaction.atomic
def change_campaign_state(campaign: Campaign, new_state: str, *, actor: User) -> None:
    """The campaign team publishes, takes down or archives its campaign."""
    _require_manager(campaign, actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    set_campaign_state(campaign, new_state, actor=actor)


# --- toolkit ---------------------------------------------------------------------------


def _clean_name(upload: Any) -> str:
    name = PurePath(str(upload.name or "file")).name
    return "".join(c for c in name if c.isalnum() or c in "._- ")[:200] or "file"


def _validated(validator: Any, upload: Any) -> None:
    try:
        validator(upload)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="upload") from error


@transaction.atomic
def add_toolkit_file(
    campaign: Campaign, *, actor: User, upload: Any, title: str, description: str = ""
) -> ToolkitFile:
    """Add a downloadable file to the toolkit after checking its type and size."""
    _require_manager(campaign, actor)
    _validated(validate_toolkit_file, upload)
    item = ToolkitFile(
        campaign=campaign,
        title=title.strip()[:140] or _clean_name(upload),
        description=description.strip()[:300],
        original_name=_clean_name(upload),
        size=upload.size,
    )
    item.file.save(upload.name, upload, save=False)
    item.save()
    log_action("campaigns.toolkitfile.added", actor=actor, target=item)
    return item


@transaction.atomic
def add_toolkit_image(
    campaign: Campaign, *, actor: User, upload: Any, alt_text: str, caption: str = ""
) -> ToolkitImage:
    """Add a shareable image; alt text is required (a clear DomainError without it)."""
    _require_manager(campaign, actor)
    if not alt_text.strip():
        raise DomainError(
            "Describe the image in a sentence (alt text) for people who cannot see it.",
            code="alt_text",
        )
    _validated(validate_share_image, upload)
    item = ToolkitImage(
        campaign=campaign,
        alt_text=alt_text.strip()[:300],
        caption=caption.strip()[:300],
        original_name=_clean_name(upload),
    )
    item.image.save(upload.name, upload, save=False)
    item.save()
    log_action("campaigns.toolkitimage.added", actor=actor, target=item)
    return item


@transaction.atomic
def add_toolkit_snippet(
    campaign: Campaign, *, actor: User, title: str, text: str
) -> ToolkitSnippet:
    """Add a text snippet people can copy and share."""
    _require_manager(campaign, actor)
    if not text.strip():
        raise DomainError("Write the text people will copy.", code="empty")
    item = ToolkitSnippet.objects.create(
        campaign=campaign, title=title.strip()[:140] or "Share this", text=text.strip()[:2000]
    )
    log_action("campaigns.toolkitsnippet.added", actor=actor, target=campaign)
    return item


@transaction.atomic
def remove_toolkit_item(item: ToolkitFile | ToolkitImage | ToolkitSnippet, *, actor: User) -> None:
    """Delete a toolkit item (and its stored file, once the deletion is committed)."""
    _require_manager(item.campaign, actor)
    stored = getattr(item, "file", None) or getattr(item, "image", None)
    log_action(f"campaigns.{item._meta.model_name}.removed", actor=actor, target=item.campaign)
    item.delete()
    if stored:
        storage, name = stored.storage, stored.name
        transaction.on_commit(lambda: storage.delete(name))


# --- linked events ---------------------------------------------------------------------


def _series_code(text: str) -> str:
    """The series code from a pasted code or event-series address (".../series/<code>/")."""
    parts = [p for p in text.strip().split("/") if p]
    return parts[-1] if parts else ""


@transaction.atomic
def link_event_series(campaign: Campaign, *, actor: User, code_or_url: str) -> EventSeries:
    """Link an event series the actor can see to the campaign (its page lists it)."""
    _require_manager(campaign, actor)
    series = access_series(actor, _series_code(code_or_url))
    if series is None:
        raise DomainError(
            "No event found with that code or address. Open the event's page and copy its address.",
            code="no_event",
        )
    campaign.events.add(series)
    log_action("campaigns.campaign.event_linked", actor=actor, target=campaign)
    return series


@transaction.atomic
def unlink_event_series(campaign: Campaign, *, actor: User, code: str) -> None:
    """Take an event series off the campaign (the event itself is not touched)."""
    _require_manager(campaign, actor)
    campaign.events.remove(*campaign.events.filter(code=code))
    log_action("campaigns.campaign.event_unlinked", actor=actor, target=campaign)


# --- calls for stories ---------------------------------------------------------------


@transaction.atomic
def save_call(
    campaign: Campaign,
    call: CallForStories | None,
    *,
    actor: User,
    prompt: str,
    guidance: str = "",
    is_open: bool = True,
) -> CallForStories:
    """Create or change a call for stories on `campaign`. Closing it records when
    (`closed_at`): stories sent afterwards no longer answer it; reopening clears it."""
    _require_manager(campaign, actor)
    if not prompt.strip():
        raise DomainError("Write the prompt people will answer.", code="empty")
    call = call or CallForStories(campaign=campaign)
    if not is_open and (call.is_open or call.closed_at is None):
        call.closed_at = timezone.now()
    elif is_open:
        call.closed_at = None
    call.prompt, call.guidance, call.is_open = prompt.strip()[:300], guidance, is_open
    call.save()
    log_action("campaigns.call.saved", actor=actor, target=call)
    return call


def story_editor_url(call: CallForStories) -> str:
    """Where someone answering `call` writes: the story editor, carrying the call's code."""
    return f"{reverse('stories:write')}?call={call.code}"


# --- pledges ---------------------------------------------------------------------------


@transaction.atomic
def save_pledge(
    campaign: Campaign,
    pledge: Pledge | None,
    *,
    actor: User,
    title: str,
    statement: str,
    kind: str = PledgeKind.PERSONAL,
    goal: int = 100,
    is_open: bool = True,
    followup_7_action: str = "",
    followup_30_action: str = "",
) -> Pledge:
    """Create or change a pledge with its goal and the two follow-up actions.

    A personal pledge needs both actions (signers are told they will get them); an
    organisational one has no follow-up mail. Raises PermissionRefused, DomainError.
    """
    _require_manager(campaign, actor)
    if not title.strip() or not statement.strip():
        raise DomainError("A pledge needs a title and a statement.", code="empty")
    if pledge is None:
        pledge = Pledge(campaign=campaign, kind=kind if kind in PledgeKind.values else "personal")
    if pledge.kind == PledgeKind.PERSONAL and not (
        followup_7_action.strip() and followup_30_action.strip()
    ):
        raise DomainError(
            "Write the two follow-up actions: signers are emailed one after 7 days and one "
            "after 30 days.",
            code="followups",
        )
    pledge.title, pledge.statement = title.strip()[:140], statement.strip()[:2000]
    pledge.goal, pledge.is_open = max(1, int(goal)), is_open
    pledge.followup_7_action = followup_7_action.strip()[:2000]
    pledge.followup_30_action = followup_30_action.strip()[:2000]
    pledge.save()
    log_action("campaigns.pledge.saved", actor=actor, target=pledge)
    return pledge


def _count(pledge_id: int, delta: int) -> None:
    """Move the pledge's counter; call in the transaction that changed the counted row."""
    Pledge.objects.filter(pk=pledge_id).update(signature_count=F("signature_count") + delta)


def closed_reason(pledge: Pledge) -> str:
    """Why `pledge` takes no new signatures or commitments now, or '' when it does: it was
    closed, its campaign is not published, or its campaign ended (`ends_on` has passed)."""
    noun = "commitments" if pledge.kind == PledgeKind.ORGANISATIONAL else "signatures"
    campaign = pledge.campaign
    if campaign.ends_on is not None and timezone.localdate() > campaign.ends_on:
        return (
            f"The campaign ended on {campaign.ends_on.day} {campaign.ends_on:%B %Y}, so this "
            f"pledge takes no new {noun}. Thank you to everyone who took part."
        )
    if not pledge.is_open or campaign.state != CampaignState.PUBLISHED:
        return f"This pledge is closed for new {noun}."
    return ""


def _require_signable(pledge: Pledge) -> None:
    if pledge.kind != PledgeKind.PERSONAL:
        raise DomainError("Organisations commit to this pledge with an action plan.")
    if reason := closed_reason(pledge):
        raise DomainError(reason, code="closed")


def sign_pledge(pledge: Pledge, *, user: User, show_name: bool) -> tuple[Signature, bool]:
    """Sign with an account: counted at once. Returns (signature, whether it is new).

    Signing twice changes only the name choice. A guest signature made earlier with the
    account's address becomes this account's signature (counted once). One signature per
    account is a database constraint; a concurrent duplicate reads the winner's row.

    The usual case (a new signature) is one transaction of three statements: one read that
    finds an existing or guest signature, the insert, and the counter's `F()` increment.
    A concurrent duplicate makes the insert fail; that transaction is rolled back whole
    (it changed nothing else) and the winner's row is read, so no savepoint is needed.
    """
    _require_signable(pledge)
    if connection.vendor == "postgresql" and (
        fresh := _sign_new_in_one_statement(pledge, user=user, show_name=show_name)
    ):
        return fresh, True
    try:
        return _sign(pledge, user=user, show_name=show_name)
    except IntegrityError:
        return Signature.objects.get(pledge=pledge, user=user), False


def _sign_new_in_one_statement(pledge: Pledge, *, user: User, show_name: bool) -> Signature | None:
    """PostgreSQL: the usual case — nobody with this account or its address has signed —
    as one statement (look, insert, count; atomic on its own). Returns the new signature,
    or None when there was one already or a concurrent duplicate won; `_sign` then does
    the rest. Signing is the hottest write (a campaign launch brings hundreds a second):
    one round trip instead of five keeps it well inside 200/s.

    The row's values come from the model (defaults, `auto_now_add`), so a new field needs
    no change here; columns whose value is NULL are left to the column's own NULL.
    """
    now = timezone.now()
    signature = Signature(
        pledge=pledge, user=user, show_name=show_name, confirmed_at=now, created_at=now
    )
    columns, values = [], []
    for field in Signature._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.get_db_prep_save(getattr(signature, field.attname), connection)
        if value is not None:
            columns.append(connection.ops.quote_name(field.column))
            values.append(value)
    table = connection.ops.quote_name(Signature._meta.db_table)
    pledges = connection.ops.quote_name(Pledge._meta.db_table)
    sql = (  # names from the models' _meta; every value is a bound parameter
        f"WITH found AS (SELECT 1 FROM {table} WHERE pledge_id = %s"  # noqa: S608
        f" AND (user_id = %s OR (email = %s AND user_id IS NULL)) LIMIT 1),"
        f" added AS (INSERT INTO {table} ({', '.join(columns)})"
        f" SELECT {', '.join(['%s'] * len(values))} WHERE NOT EXISTS (SELECT 1 FROM found)"
        f" ON CONFLICT DO NOTHING RETURNING id),"
        f" counted AS (UPDATE {pledges} SET signature_count = signature_count + 1"
        f" WHERE id = %s AND EXISTS (SELECT 1 FROM added))"
        f" SELECT id FROM added"
    )
    params = [pledge.pk, user.pk, normalise_email(user.email), *values, pledge.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    signature.pk = row[0]
    signature._state.adding = False
    signature._state.db = connection.alias
    return signature


@transaction.atomic
def _sign(pledge: Pledge, *, user: User, show_name: bool) -> tuple[Signature, bool]:
    now = timezone.now()
    email = normalise_email(user.email)
    found = list(
        Signature.objects.filter(
            Q(user=user) | Q(email=email, user__isnull=True), pledge=pledge
        ).order_by(F("user_id").asc(nulls_last=True))[:2]
    )
    mine = next((s for s in found if s.user_id == user.pk), None)
    if mine is not None:
        if mine.show_name != show_name:
            Signature.objects.filter(pk=mine.pk).update(show_name=show_name)
            mine.show_name = show_name
        return mine, False
    if found:  # a guest signature with this account's address: claim it, under its lock
        guest = Signature.objects.select_for_update().filter(pk=found[0].pk, user__isnull=True)
        guest = guest.first()
        if guest is not None:
            newly = Signature.objects.filter(pk=guest.pk, confirmed_at__isnull=True).update(
                confirmed_at=now
            )
            Signature.objects.filter(pk=guest.pk).update(user=user, email="", show_name=show_name)
            if newly:
                _count(pledge.pk, +1)
            guest.refresh_from_db()
            log_action("campaigns.signature.claimed", actor=user, target=pledge)
            return guest, bool(newly)
    signature = Signature.objects.create(
        pledge=pledge, user=user, show_name=show_name, confirmed_at=now
    )
    _count(pledge.pk, +1)
    return signature, True


def _member_signature_with_address(pledge: Pledge, address: str) -> Signature | None:
    """The signature, locked, of the account whose address is `address`, if it signed."""
    account = (
        User.objects.alias(address=Lower("email"))
        .filter(address=address)
        .values_list("pk", flat=True)
        .first()
    )
    if account is None:
        return None
    return Signature.objects.select_for_update().filter(pledge=pledge, user_id=account).first()


@transaction.atomic
def request_guest_signature(pledge: Pledge, *, email: str, name: str, show_name: bool) -> None:
    """A guest signs with an email address: mail a link that confirms (and counts) it.

    What the guest sees never reveals whether the address had signed before: an address
    that has already confirmed, or whose account has signed, gets a short "you have signed"
    mail instead (no second signature, no second count). At most one mail
    per address and pledge every ten minutes. A confirmed signature's name is never changed
    from here (nobody can rename someone else's signature by typing their address).
    Raises DomainError for an invalid address or a closed pledge.
    """
    _require_signable(pledge)
    address = normalise_email(email.strip())
    try:
        validate_email(address)
    except ValidationError as error:
        raise DomainError("Enter a valid email address, like name@example.org.") from error
    now = timezone.now()
    # The address of an account that has signed: the same person, already counted.
    signature = _member_signature_with_address(pledge, address)
    if signature is None:
        signature = (
            Signature.objects.select_for_update().filter(pledge=pledge, email=address).first()
        )
    if signature is None:
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    pledge=pledge, email=address, name=name.strip()[:60], show_name=show_name
                )
        except IntegrityError:
            signature = Signature.objects.select_for_update().get(pledge=pledge, email=address)
    if signature.confirmation_sent_at and now - signature.confirmation_sent_at < RESEND_INTERVAL:
        return
    signature.confirmation_sent_at = now
    fields = ["confirmation_sent_at"]
    if signature.confirmed_at is None:
        signature.name, signature.show_name = name.strip()[:60], show_name
        fields += ["name", "show_name"]
    signature.save(update_fields=fields)
    pledge_path = reverse("campaigns:pledge", args=[pledge.code])
    if signature.confirmed_at is None:
        queue_templated_email(
            to=address,
            subject=f"Confirm your signature: {pledge.title}",
            template="campaigns/email/confirm_signature.txt",
            context={
                "pledge": pledge,
                "confirm_path": reverse("campaigns:confirm", args=[confirm_token(signature.code)]),
                "pledge_path": pledge_path,
            },
        )
    else:
        queue_templated_email(
            to=address,
            subject=f"You have already signed: {pledge.title}",
            template="campaigns/email/already_signed.txt",
            context={"pledge": pledge, "pledge_path": pledge_path},
        )


@transaction.atomic
def confirm_signature(token: str) -> Signature:
    """Confirm a guest signature from its emailed link; counted once, however often opened.

    Raises DomainError when the link is bad, expired, or its signature is gone.
    """
    code = code_from_confirm_token(token)
    if code is None:
        raise DomainError(
            "This link has expired or is not valid. Sign again to get a new one.",
            code="bad_token",
        )
    signature = Signature.objects.select_related("pledge").filter(code=code).first()
    if signature is None:
        raise DomainError("This signature no longer exists.", code="gone")
    newly = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if newly:
        _count(signature.pledge_id, +1)
        log_action("campaigns.signature.confirmed", actor=None, target=signature.pledge)
    signature.refresh_from_db()
    return signature


def signature_for_unsubscribe(token: str) -> Signature:
    """The signature an unsubscribe link is for; DomainError when the link is not valid."""
    code = code_from_unsubscribe_token(token)
    signature = (
        Signature.objects.select_related("pledge").filter(code=code).first() if code else None
    )
    if signature is None:
        raise DomainError("This unsubscribe link is not valid.", code="bad_token")
    return signature


def unsubscribe(signature: Signature) -> bool:
    """Stop follow-up mail for `signature`; returns whether it changed (idempotent)."""
    changed = Signature.objects.filter(pk=signature.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    if changed:
        log_action("campaigns.signature.unsubscribed", actor=None, target=signature.pledge)
    signature.refresh_from_db()
    return bool(changed)


# --- organisations ---------------------------------------------------------------------


def commitment_text(commitment: OrganisationCommitment) -> str:
    """The text moderators read: the organisation, its plan and its latest public check-in
    (a held check-in has its own case)."""
    latest = (
        commitment.check_ins.filter(state=CheckInState.PUBLISHED).first() if commitment.pk else None
    )
    extra = f"\n\nLatest check-in ({latest.on:%Y-%m-%d}):\n{latest.progress}" if latest else ""
    return f"{commitment.organisation_name}\n\n{commitment.action_plan}{extra}"


@transaction.atomic
def commit_organisation(
    pledge: Pledge, *, actor: User, organisation_name: str, website: str, action_plan: str
) -> OrganisationCommitment:
    """A member commits an organisation they represent; public once a moderator approves.

    Raises DomainError when the pledge is closed (see `closed_reason`) or the plan is empty.
    """
    if pledge.kind != PledgeKind.ORGANISATIONAL:
        raise DomainError("People sign this pledge; it takes no organisations.")
    if reason := closed_reason(pledge):
        raise DomainError(reason, code="closed")
    if not organisation_name.strip() or len(action_plan.strip()) < 20:
        raise DomainError(
            "Give the organisation's name and an action plan of a few sentences.", code="empty"
        )
    result = assess_text(f"{organisation_name}\n\n{action_plan}", kind="generic").to_dict()
    try:
        with transaction.atomic():
            commitment = OrganisationCommitment.objects.create(
                pledge=pledge,
                organisation_name=organisation_name.strip()[:140],
                website=website.strip(),
                representative=actor,
                action_plan=action_plan.strip(),
                risk=result["risk"],
                assessment=result,
            )
    except IntegrityError as error:
        raise DomainError(
            "An organisation with this name has already committed to this pledge.",
            code="duplicate",
        ) from error
    enqueue_for_review(commitment, assessment=result)
    log_action("campaigns.commitment.created", actor=actor, target=commitment)
    return commitment


def set_commitment_state(
    commitment: OrganisationCommitment, new_state: str, *, actor: User | None, message: str = ""
) -> None:
    """Move a commitment along pending → published | declined, published → removed."""
    old = commitment.state
    if (old, new_state) not in COMMITMENT_TRANSITIONS:
        raise InvalidTransition("That change is not possible for this commitment.")
    commitment.state = new_state
    commitment.moderator_message = message
    commitment.save(update_fields=["state", "moderator_message", "updated_at"])
    log_action(f"campaigns.commitment.{new_state}", actor=actor, target=commitment)


@transaction.atomic
def add_check_in(
    commitment: OrganisationCommitment, *, actor: User, on: date, progress: str
) -> CheckIn:
    """The representative posts a dated progress update.

    A crisis reading holds the check-in (not public) and puts it in the moderators' crisis
    lane; the view shows the writer help at once. Raises PermissionRefused, DomainError.
    """
    if commitment.representative_id != actor.pk:
        raise PermissionRefused("Only the organisation's representative can post check-ins.")
    if commitment.state not in (CommitmentState.PENDING, CommitmentState.PUBLISHED):
        raise DomainError("This commitment is closed.", code="closed")
    if not progress.strip():
        raise DomainError("Write what has happened since the last check-in.", code="empty")
    if on > timezone.localdate():
        raise DomainError("A check-in is about what has happened: choose today or earlier.")
    result = assess_text(progress, kind="generic").to_dict()
    crisis = result["risk"] == "crisis"
    check_in = CheckIn.objects.create(
        commitment=commitment,
        on=on,
        progress=progress.strip()[:5000],
        risk=result["risk"],
        state=CheckInState.HELD if crisis else CheckInState.PUBLISHED,
    )
    if crisis:
        enqueue_for_review(check_in, assessment=result)
    log_action("campaigns.checkin.added", actor=actor, target=commitment)
    return check_in


def set_check_in_state(
    check_in: CheckIn, new_state: str, *, actor: User | None, message: str = ""
) -> None:
    """Move a check-in held → published | removed, or published → removed (moderators).

    Raises InvalidTransition for any other pair. Audited.
    """
    if (check_in.state, new_state) not in CHECK_IN_TRANSITIONS:
        raise InvalidTransition("That change is not possible for this check-in.")
    check_in.state = new_state
    check_in.moderator_message = message
    check_in.save(update_fields=["state", "moderator_message", "updated_at"])
    log_action(f"campaigns.checkin.{new_state}", actor=actor, target=check_in.commitment)
