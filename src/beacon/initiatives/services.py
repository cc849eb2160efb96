"""Initiative workflows: listing and review, membership, training, volunteering, hours.

`set_initiative_status` is the only function that changes `Initiative.status`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.core.audit import log_action
from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.core.mail import queue_templated_email
from beacon.initiatives.enums import (
    APPLICATION_TRANSITIONS,
    EDITABLE_STATUSES,
    MEMBERSHIP_TRANSITIONS,
    TRANSITIONS,
    Activity,
    ApplicationState,
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
    VolunteerApplication,
    VolunteerRole,
    VolunteerShift,
)
from beacon.initiatives.signals import initiative_closed
from beacon.moderation.services import enqueue_for_review
from beacon_safety import assess as assess_text


def has_current_training(user: Any, kind: str, on: date) -> bool:
    """Whether `user` holds a training record of `kind` in force on day `on`."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TrainingRecord.objects.filter(user=user, kind=kind).current(on=on).exists()


def set_initiative_status(
    initiative: Initiative, new_status: str, *, actor: Any, message: str = ""
) -> None:
    """Move `initiative` to `new_status` if the state machine allows it; audit it.

    Raises InvalidTransition for any pair not in enums.TRANSITIONS. Sets submitted_at /
    listed_at, keeps the moderator's message for the organisers, saves with update_fields.
    Becoming archived sends `signals.initiative_closed` (the events app cancels the coming
    meetings, telling the people who answered).
    """
    old = initiative.status
    if (old, new_status) not in TRANSITIONS:
        raise InvalidTransition(
            f"An initiative that is {InitiativeStatus(old).label.lower()} cannot become "
            f"{InitiativeStatus(new_status).label.lower()}."
        )
    initiative.status = new_status
    now = timezone.now()
    fields = ["status", "updated_at"]
    if new_status == InitiativeStatus.PENDING:
        initiative.submitted_at = now
        initiative.moderator_message = ""
        fields += ["submitted_at", "moderator_message"]
    if new_status == InitiativeStatus.LISTED:
        initiative.listed_at = initiative.listed_at or now
        initiative.moderator_message = ""
        fields += ["listed_at", "moderator_message"]
    if new_status in (
        InitiativeStatus.CHANGES,
        InitiativeStatus.DECLINED,
        InitiativeStatus.ARCHIVED,
    ):
        initiative.moderator_message = message
        fields.append("moderator_message")
    if old == InitiativeStatus.LISTED and initiative.pending_edit:
        # Off the list nothing is public, so the words waiting for review become the
        # initiative's own (nothing the organisers typed is lost); reopening reviews them.
        _take_pending_words(initiative)
        fields += [*TEXT_FIELDS, *PENDING_FIELDS, "assessment", "risk"]
    initiative.save(update_fields=fields)
    log_action(
        f"initiatives.initiative.{new_status}",
        actor=actor,
        target=initiative,
        data={"from": old, "to": new_status},
    )
    if new_status == InitiativeStatus.ARCHIVED:
        initiative_closed.send(sender=Initiative, initiative=initiative, actor=actor)


# --- Reading the text ---------------------------------------------------------------------


def initiative_text(initiative: Initiative) -> str:
    """The text the engine reads and moderators see: name, mission, description."""
    return _words_text({f: getattr(initiative, f) for f in ("name", "mission", "description")})


def _words_text(words: dict[str, str]) -> str:
    parts = [words.get("name", ""), words.get("mission", ""), words.get("description", "")]
    return "\n\n".join(p for p in parts if p.strip())


def review_text(initiative: Initiative) -> str:
    """What a moderator reviews: the words waiting in a pending edit of a listed
    initiative, otherwise the initiative's own words."""
    if initiative.status == InitiativeStatus.LISTED and initiative.pending_edit:
        return _words_text(initiative.pending_edit)
    return initiative_text(initiative)


def assess_initiative(initiative: Initiative) -> dict[str, Any]:
    """Read the initiative with beacon_safety and keep the result on it (not saved)."""
    result = assess_text(initiative_text(initiative), kind="generic").to_dict()
    initiative.assessment = result
    initiative.risk = result["risk"]
    return result


# --- Creating and editing -----------------------------------------------------------------

TEXT_FIELDS = ("name", "mission", "description")
PENDING_FIELDS = ("pending_edit", "pending_assessment", "edit_submitted_at")
PLAIN_FIELDS = (
    "setting",
    "place_name",
    "latitude",
    "longitude",
    "country",
    "areas_served",
    "partners",
    "contact_url",
    "contact_phone",
    "contact_email",
)


def _require_organiser(initiative: Initiative, actor: Any) -> None:
    """Organiser work: the initiative's active organisers, or a site administrator helping
    the group (every act is audited under the actor's own name)."""
    if not (_is_active_organiser(actor, initiative) or _is_site_admin(actor)):
        raise PermissionRefused("Only the initiative's organisers can do this.")


def _is_site_admin(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.has_role(Role.ADMIN)
    )


def _is_active_organiser(user: Any, initiative: Initiative) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        initiative=initiative,
        user=user,
        state=MembershipState.ACTIVE,
        role=MemberRole.ORGANISER,
    ).exists()


def _apply_fields(initiative: Initiative, fields: dict[str, Any]) -> None:
    for name in (*TEXT_FIELDS, *PLAIN_FIELDS):
        if name in fields:
            value = fields[name]
            setattr(initiative, name, value.strip() if isinstance(value, str) else value)
    if initiative.setting == Setting.ONLINE and not initiative.place_name:
        initiative.latitude = initiative.longitude = None
    initiative.country = (initiative.country or "").upper()[:2]


def _set_tags(initiative: Initiative, fields: dict[str, Any]) -> None:
    if "audiences" in fields:
        wanted = {a for a in fields["audiences"] if a in Audience.values}
        initiative.audiences.exclude(audience__in=wanted).delete()
        have = set(initiative.audiences.values_list("audience", flat=True))
        InitiativeAudience.objects.bulk_create(
            InitiativeAudience(initiative=initiative, audience=a) for a in sorted(wanted - have)
        )
    if "activities" in fields:
        wanted = {a for a in fields["activities"] if a in Activity.values}
        initiative.activities.exclude(activity__in=wanted).delete()
        have = set(initiative.activities.values_list("activity", flat=True))
        InitiativeActivity.objects.bulk_create(
            InitiativeActivity(initiative=initiative, activity=a) for a in sorted(wanted - have)
        )


@transaction.atomic
def create_initiative(*, actor: Any, fields: dict[str, Any]) -> Initiative:
    """Create an initiative from `fields`, make `actor` its organiser, send it to review.

    New initiatives are `pending_review` and reach the moderators through the queue; a
    crisis reading of the text goes to the urgent (crisis) lane. Raises PermissionRefused
    for visitors and inactive accounts.
    """
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionRefused("Sign in to start an initiative.")
    if not str(fields.get("name", "")).strip() or not str(fields.get("mission", "")).strip():
        raise DomainError("An initiative needs a name and a mission.")
    initiative = Initiative(created_by=actor, status=InitiativeStatus.PENDING)
    _apply_fields(initiative, fields)
    initiative.submitted_at = timezone.now()
    assess_initiative(initiative)
    initiative.save()
    _set_tags(initiative, fields)
    Membership.objects.create(
        initiative=initiative,
        user=actor,
        role=MemberRole.ORGANISER,
        state=MembershipState.ACTIVE,
    )
    log_action("initiatives.initiative.created", actor=actor, target=initiative)
    enqueue_for_review(initiative, assessment=initiative.assessment)
    return initiative


@transaction.atomic
def update_initiative(initiative: Initiative, *, actor: Any, fields: dict[str, Any]) -> bool:
    """Save an organiser's changes. Returns whether words went to a moderator for review.

    A listed initiative stays listed: changed words (name, mission, description) wait in
    `pending_edit` for a moderator while the listed words stay public, and its events stay
    open for answers; other fields (contact, place, audiences …) change at once. Saving
    the listed words again withdraws a pending edit. An initiative that is waiting, has
    changes requested or was declined takes the words at once and goes (back) to review.
    Raises PermissionRefused for non-organisers and DomainError for archived initiatives.
    """
    _require_organiser(initiative, actor)
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status not in EDITABLE_STATUSES:
        raise DomainError("This initiative is archived. Reopen it before editing.")
    if initiative.status == InitiativeStatus.LISTED:
        return _update_listed(initiative, actor=actor, fields=fields)
    before = tuple(getattr(initiative, f) for f in TEXT_FIELDS)
    _apply_fields(initiative, fields)
    text_changed = before != tuple(getattr(initiative, f) for f in TEXT_FIELDS)
    if text_changed:
        assess_initiative(initiative)
    initiative.save()
    _set_tags(initiative, fields)
    log_action("initiatives.initiative.edited", actor=actor, target=initiative)
    to_review = initiative.status in (InitiativeStatus.CHANGES, InitiativeStatus.DECLINED) or (
        text_changed and initiative.status == InitiativeStatus.PENDING
    )
    if to_review:
        if initiative.status != InitiativeStatus.PENDING:
            set_initiative_status(initiative, InitiativeStatus.PENDING, actor=actor)
        enqueue_for_review(initiative, assessment=initiative.assessment)
    return to_review


def _update_listed(initiative: Initiative, *, actor: Any, fields: dict[str, Any]) -> bool:
    """update_initiative for a listed initiative (row locked): words wait for review."""
    live = {f: getattr(initiative, f) for f in TEXT_FIELDS}
    current = initiative.pending_edit or live
    proposed = {
        f: (str(fields[f]).strip() if fields.get(f) is not None else "")
        if f in fields
        else current[f]
        for f in TEXT_FIELDS
    }
    _apply_fields(initiative, {k: v for k, v in fields.items() if k not in TEXT_FIELDS})
    to_review = False
    words = ""
    if proposed == live:
        if initiative.pending_edit:
            words = "withdrawn"
        _clear_pending(initiative)
    elif proposed != current:
        result = assess_text(_words_text(proposed), kind="generic").to_dict()
        initiative.pending_edit = proposed
        initiative.pending_assessment = result
        initiative.edit_submitted_at = timezone.now()
        initiative.moderator_message = ""  # an earlier request for changes is answered
        to_review = True
        words = "waiting_for_review"
    initiative.save()
    _set_tags(initiative, fields)
    log_action(
        "initiatives.initiative.edited",
        actor=actor,
        target=initiative,
        data={"new_words": words} if words else None,
    )
    if to_review:
        enqueue_for_review(initiative, assessment=initiative.pending_assessment)
    return to_review


def _clear_pending(initiative: Initiative) -> None:
    initiative.pending_edit = {}
    initiative.pending_assessment = {}
    initiative.edit_submitted_at = None


def _take_pending_words(initiative: Initiative) -> None:
    """Make the pending edit's words the initiative's own (not saved)."""
    for name in TEXT_FIELDS:
        setattr(initiative, name, initiative.pending_edit.get(name, getattr(initiative, name)))
    initiative.assessment = initiative.pending_assessment
    initiative.risk = initiative.pending_assessment.get("risk", "none")
    _clear_pending(initiative)


@transaction.atomic
def decide_pending_edit(initiative: Initiative, *, action: str, actor: Any, message: str) -> None:
    """A moderator's decision on the new words of a listed initiative (from the queue).

    `approve`: the new words become public. `request_changes`: they keep waiting with the
    moderator's message for the organisers. `decline`: they are dropped. The listed words
    stay public in the last two cases, and the initiative stays listed in all three; a
    moderator who wants it gone removes it instead. Audited as
    `EDIT_DECISION_AUDIT[action]`.
    """
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status != InitiativeStatus.LISTED or not initiative.pending_edit:
        raise DomainError("There are no changes waiting for review.")
    if action == "approve":
        _take_pending_words(initiative)
        initiative.moderator_message = ""
    elif action == "request_changes":
        initiative.moderator_message = message
    elif action == "decline":
        _clear_pending(initiative)
        initiative.moderator_message = message
    else:
        raise DomainError("That decision does not fit changes waiting for review.")
    initiative.save(
        update_fields=[
            *TEXT_FIELDS,
            *PENDING_FIELDS,
            "assessment",
            "risk",
            "moderator_message",
            "updated_at",
        ]
    )
    log_action(
        EDIT_DECISION_AUDIT[action],
        actor=actor,
        target=initiative,
        data={"message": message} if message else None,
    )


EDIT_DECISION_AUDIT = {
    "approve": "initiatives.initiative.edit_approved",
    "request_changes": "initiatives.initiative.edit_changes_requested",
    "decline": "initiatives.initiative.edit_declined",
}


@transaction.atomic
def archive_initiative(initiative: Initiative, *, actor: Any) -> None:
    """Close an initiative (organisers): it leaves the public list; members stay; its coming
    meetings are cancelled with a notice to the people who answered (through the
    `initiative_closed` signal)."""
    _require_organiser(initiative, actor)
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    set_initiative_status(locked, InitiativeStatus.ARCHIVED, actor=actor)
    initiative.status = locked.status


@transaction.atomic
def reopen_initiative(initiative: Initiative, *, actor: Any) -> None:
    """Send an archived initiative back to review (organisers)."""
    _require_organiser(initiative, actor)
    set_initiative_status(initiative, InitiativeStatus.PENDING, actor=actor)
    enqueue_for_review(initiative, assessment=assess_initiative(initiative))
    initiative.save(update_fields=["assessment", "risk", "updated_at"])


@transaction.atomic
def send_to_review(initiative: Initiative, *, actor: Any, hide: bool = False) -> Any:
    """A site moderator puts any initiative in the moderation queue (the review lane, or
    the crisis lane when the engine reads crisis in it) and returns the open case.

    With `hide`, a listed initiative also leaves every public list and page at once until
    a moderator decides in the queue ("keep" shows it again, "remove" archives it). Raises
    PermissionRefused for anyone below moderator.
    """
    if not (
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and actor.has_role(Role.MODERATOR)
    ):
        raise PermissionRefused("Only site moderators can send an initiative to review.")
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status == InitiativeStatus.LISTED and initiative.pending_edit:
        assessment = initiative.pending_assessment  # the queue shows the waiting words
    else:
        assessment = initiative.assessment or assess_initiative(initiative)
    case = enqueue_for_review(initiative, assessment=assessment)
    hidden = bool(hide and initiative.status == InitiativeStatus.LISTED)
    if hidden and not initiative.is_hidden:
        Initiative.objects.filter(pk=initiative.pk).update(is_hidden=True)
    log_action(
        "initiatives.initiative.sent_to_review",
        actor=actor,
        target=initiative,
        data={"hidden": hidden},
    )
    return case


# --- Membership ---------------------------------------------------------------------------


def set_membership_state(membership: Membership, new_state: str, *, actor: Any) -> None:
    """Move `membership` to `new_state` if allowed; audit it. The only writer of `state`."""
    old = membership.state
    if (old, new_state) not in MEMBERSHIP_TRANSITIONS:
        raise InvalidTransition(
            f"A membership that is {MembershipState(old).label.lower()} cannot become "
            f"{MembershipState(new_state).label.lower()}."
        )
    membership.state = new_state
    membership.save(update_fields=["state", "updated_at"])
    log_action(
        f"initiatives.membership.{new_state}",
        actor=actor,
        target=membership.initiative,
        data={"from": old, "to": new_state, "member": membership.user_id},
    )


def _lock_organisers(initiative: Initiative) -> list[int]:
    """Lock the initiative's active organiser rows; return their user ids.

    Locking the initiative row first serialises every "last organiser" decision on it.
    """
    Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
    return list(
        Membership.objects.select_for_update()
        .filter(initiative=initiative, state=MembershipState.ACTIVE, role=MemberRole.ORGANISER)
        .values_list("user_id", flat=True)
    )


LAST_ORGANISER = "An initiative needs at least one organiser. Make someone else an organiser first."


@transaction.atomic
def request_membership(initiative: Initiative, *, actor: Any, message: str = "") -> Membership:
    """Ask to join a listed initiative; organisers approve or decline.

    Returns the (new or renewed) request. Raises DomainError when already a member, when a
    request is already waiting, or when the organisers declined an earlier request.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionRefused("Sign in to join an initiative.")
    if not initiative.is_public:
        raise DomainError("This initiative is not taking members right now.")
    Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
    membership = Membership.objects.filter(initiative=initiative, user=actor).first()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    initiative=initiative, user=actor, message=message.strip()[:1000]
                )
        except IntegrityError as exc:
            raise DomainError("You have already asked to join.", code="duplicate") from exc
        log_action("initiatives.membership.requested", actor=actor, target=initiative)
        _notify_organisers_of_request(membership)
        return membership
    if membership.state == MembershipState.ACTIVE:
        raise DomainError("You are already a member of this initiative.", code="duplicate")
    if membership.state == MembershipState.REQUESTED:
        raise DomainError("Your request is waiting for an organiser.", code="duplicate")
    if membership.state == MembershipState.DECLINED:
        raise DomainError(
            "The organisers declined your earlier request. You can contact them through the "
            "initiative's contact details.",
            code="declined",
        )
    membership.message = message.strip()[:1000]
    membership.role = MemberRole.MEMBER
    membership.save(update_fields=["message", "role", "updated_at"])
    set_membership_state(membership, MembershipState.REQUESTED, actor=actor)
    _notify_organisers_of_request(membership)
    return membership


def _notify_organisers_of_request(membership: Membership) -> None:
    initiative = membership.initiative
    organisers = Membership.objects.filter(
        initiative=initiative, state=MembershipState.ACTIVE, role=MemberRole.ORGANISER
    ).select_related("user")
    path = reverse("initiatives:members", args=[initiative.code])
    for organiser in organisers:
        queue_templated_email(
            to=organiser.user.email,
            subject=f"Someone asked to join {initiative.name}",
            template="initiatives/email/join_request.txt",
            context={"initiative": initiative, "members_path": path},
        )


@transaction.atomic
def decide_membership(membership: Membership, *, actor: Any, approve: bool) -> None:
    """An organiser approves (active member) or declines a join request."""
    _require_organiser(membership.initiative, actor)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != MembershipState.REQUESTED:
        raise DomainError("This request has already been answered.", code="decided")
    set_membership_state(
        membership,
        MembershipState.ACTIVE if approve else MembershipState.DECLINED,
        actor=actor,
    )


@transaction.atomic
def set_member_role(
    membership: Membership, role: str, *, actor: Any, on: date | None = None
) -> None:
    """An organiser changes an active member's role.

    Facilitator needs a current facilitator training record (on `on`, default today); the
    last organiser cannot be given another role. Raises DomainError with a clear message.
    """
    if role not in MemberRole.values:
        raise DomainError("Choose one of the roles offered.")
    _require_organiser(membership.initiative, actor)
    organisers = _lock_organisers(membership.initiative)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != MembershipState.ACTIVE:
        raise DomainError("Only active members can be given a role.")
    if membership.role == role:
        return
    on = on or timezone.localdate()
    if role == MemberRole.FACILITATOR and not has_current_training(
        membership.user, TrainingKind.FACILITATOR, on
    ):
        raise DomainError(
            f"{membership.user.display_name} has no current facilitator training record, so "
            "they cannot be a facilitator yet. Record their facilitator training (with its "
            "expiry date) under Training first.",
            code="training_required",
        )
    if membership.role == MemberRole.ORGANISER and organisers == [membership.user_id]:
        raise DomainError(LAST_ORGANISER, code="last_organiser")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    log_action(
        "initiatives.membership.role_changed",
        actor=actor,
        target=membership.initiative,
        data={"member": membership.user_id, "from": old, "to": role},
    )


@transaction.atomic
def remove_member(membership: Membership, *, actor: Any) -> None:
    """An organiser removes an active member (their membership becomes `left`)."""
    _require_organiser(membership.initiative, actor)
    organisers = _lock_organisers(membership.initiative)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.state != MembershipState.ACTIVE:
        raise DomainError("This person is not an active member.")
    if membership.role == MemberRole.ORGANISER and organisers == [membership.user_id]:
        raise DomainError(LAST_ORGANISER, code="last_organiser")
    set_membership_state(membership, MembershipState.LEFT, actor=actor)
    log_action(
        "initiatives.membership.removed",
        actor=actor,
        target=membership.initiative,
        data={"member": membership.user_id},
    )


@transaction.atomic
def leave_initiative(initiative: Initiative, *, actor: Any) -> None:
    """The person leaves (or takes back their request). The last organiser cannot leave."""
    organisers = _lock_organisers(initiative)
    membership = (
        Membership.objects.select_for_update().filter(initiative=initiative, user=actor).first()
    )
    if membership is None or membership.state not in (
        MembershipState.ACTIVE,
        MembershipState.REQUESTED,
    ):
        raise DomainError("You are not a member of this initiative.")
    if membership.role == MemberRole.ORGANISER and organisers == [actor.pk]:
        raise DomainError(
            "You are the only organiser, so you cannot leave yet. Make someone else an "
            "organiser first, or archive the initiative.",
            code="last_organiser",
        )
    set_membership_state(membership, MembershipState.LEFT, actor=actor)


# --- Training -----------------------------------------------------------------------------


@transaction.atomic
def record_training(
    initiative: Initiative,
    *,
    actor: Any,
    user: Any,
    kind: str,
    completed_on: date,
    expires_on: date | None = None,
    title: str = "",
) -> TrainingRecord:
    """An organiser records training a member of their initiative completed."""
    _require_organiser(initiative, actor)
    if kind not in TrainingKind.values:
        raise DomainError("Choose one of the training kinds offered.")
    if not Membership.objects.filter(
        initiative=initiative, user=user, state=MembershipState.ACTIVE
    ).exists():
        raise DomainError("Training can be recorded for active members of this initiative only.")
    if completed_on > timezone.localdate():
        raise DomainError("The completion date cannot be in the future.")
    if expires_on is not None and expires_on < completed_on:
        raise DomainError("The expiry date must be on or after the completion date.")
    record = TrainingRecord.objects.create(
        user=user,
        initiative=initiative,
        kind=kind,
        title=title.strip()[:120],
        completed_on=completed_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    log_action(
        "initiatives.training.recorded",
        actor=actor,
        target=initiative,
        data={"member": user.pk, "kind": kind},
    )
    return record


@transaction.atomic
def delete_training(record: TrainingRecord, *, actor: Any) -> None:
    """An organiser of the initiative that recorded it (or a site administrator) deletes a
    training record; site-wide records (no initiative) only administrators."""
    if record.initiative is None:
        if not _is_site_admin(actor):
            raise PermissionRefused("Site-wide training records are managed by administrators.")
    else:
        _require_organiser(record.initiative, actor)
    log_action(
        "initiatives.training.deleted",
        actor=actor,
        target=record.initiative or record.user,
        data={"member": record.user_id, "kind": record.kind},
    )
    record.delete()


# --- Volunteering -------------------------------------------------------------------------


@transaction.atomic
def save_volunteer_role(
    role: VolunteerRole | None,
    *,
    initiative: Initiative,
    actor: Any,
    title: str,
    description: str = "",
    requirements: list[str] | tuple[str, ...] = (),
    time_commitment: str = "",
    is_open: bool = True,
) -> VolunteerRole:
    """Create or update a volunteer role (organisers)."""
    _require_organiser(initiative, actor)
    if not title.strip():
        raise DomainError("Give the role a title.")
    if role is None:
        role = VolunteerRole(initiative=initiative)
    elif role.initiative_id != initiative.pk:
        raise PermissionRefused("This role belongs to another initiative.")
    role.title = title.strip()[:120]
    role.description = description.strip()
    role.requirements = sorted({r for r in requirements if r in TrainingKind.values})
    role.time_commitment = time_commitment.strip()[:120]
    role.is_open = is_open
    role.save()
    log_action("initiatives.volunteer_role.saved", actor=actor, target=initiative)
    return role


def set_application_state(application: VolunteerApplication, new_state: str, *, actor: Any) -> None:
    """Move `application` to `new_state` if allowed; audit it. The only writer of `state`."""
    old = application.state
    if (old, new_state) not in APPLICATION_TRANSITIONS:
        raise InvalidTransition(
            f"An application that is {ApplicationState(old).label.lower()} cannot become "
            f"{ApplicationState(new_state).label.lower()}."
        )
    application.state = new_state
    fields = ["state", "updated_at"]
    if new_state in (ApplicationState.APPROVED, ApplicationState.DECLINED):
        application.decided_by = actor
        application.decided_at = timezone.now()
        fields += ["decided_by", "decided_at"]
    application.save(update_fields=fields)
    log_action(
        f"initiatives.application.{new_state}",
        actor=actor,
        target=application.role.initiative,
        data={"from": old, "to": new_state, "role": application.role.code},
    )


def missing_training(user: Any, role: VolunteerRole, on: date | None = None) -> list[str]:
    """The labels of the training kinds `role` requires that `user` does not hold on `on`."""
    on = on or timezone.localdate()
    return [
        TrainingKind(kind).label
        for kind in role.requirements
        if kind in TrainingKind.values and not has_current_training(user, kind, on)
    ]


@transaction.atomic
def apply_for_role(role: VolunteerRole, *, actor: Any, message: str = "") -> VolunteerApplication:
    """Offer to take on an open volunteer role of a listed initiative."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionRefused("Sign in to volunteer.")
    role = VolunteerRole.objects.select_for_update().select_related("initiative").get(pk=role.pk)
    if not role.is_open or not role.initiative.is_public:
        raise DomainError("This role is not taking volunteers right now.")
    application = VolunteerApplication.objects.filter(role=role, user=actor).first()
    if application is None:
        try:
            with transaction.atomic():
                application = VolunteerApplication.objects.create(
                    role=role, user=actor, message=message.strip()[:2000]
                )
        except IntegrityError as exc:
            raise DomainError("You have already offered to help.", code="duplicate") from exc
        log_action("initiatives.application.requested", actor=actor, target=role.initiative)
        return application
    if application.state == ApplicationState.WITHDRAWN:
        application.message = message.strip()[:2000]
        application.save(update_fields=["message", "updated_at"])
        set_application_state(application, ApplicationState.REQUESTED, actor=actor)
        return application
    if application.state == ApplicationState.DECLINED:
        raise DomainError("The organisers declined your earlier offer for this role.")
    raise DomainError("You have already offered to help with this role.", code="duplicate")


@transaction.atomic
def decide_application(application: VolunteerApplication, *, actor: Any, approve: bool) -> None:
    """An organiser approves or declines a volunteer's offer.

    Approving needs every training the role requires to be current for the volunteer, and
    makes them an active member with the volunteer role (a higher role is kept).
    """
    initiative = application.role.initiative
    _require_organiser(initiative, actor)
    application = VolunteerApplication.objects.select_for_update().get(pk=application.pk)
    if application.state != ApplicationState.REQUESTED:
        raise DomainError("This offer has already been answered.", code="decided")
    if not approve:
        set_application_state(application, ApplicationState.DECLINED, actor=actor)
        return
    missing = missing_training(application.user, application.role)
    if missing:
        raise DomainError(
            f"{application.user.display_name} needs current training before this role: "
            f"{', '.join(missing)}. Record it under Training, then approve.",
            code="training_required",
        )
    set_application_state(application, ApplicationState.APPROVED, actor=actor)
    membership, created = Membership.objects.select_for_update().get_or_create(
        initiative=initiative,
        user=application.user,
        defaults={"role": MemberRole.VOLUNTEER, "state": MembershipState.ACTIVE},
    )
    if created:
        log_action("initiatives.membership.active", actor=actor, target=initiative)
        return
    if membership.state != MembershipState.ACTIVE:
        membership.role = MemberRole.VOLUNTEER
        membership.save(update_fields=["role", "updated_at"])
        set_membership_state(membership, MembershipState.ACTIVE, actor=actor)
    elif membership.role == MemberRole.MEMBER:
        membership.role = MemberRole.VOLUNTEER
        membership.save(update_fields=["role", "updated_at"])


@transaction.atomic
def withdraw_application(application: VolunteerApplication, *, actor: Any) -> None:
    """The volunteer takes back their offer, or steps down from the role."""
    if application.user_id != getattr(actor, "pk", None):
        raise PermissionRefused("Only the volunteer can withdraw their offer.")
    set_application_state(application, ApplicationState.WITHDRAWN, actor=actor)


# --- Volunteer hours ----------------------------------------------------------------------

MAX_HOURS = Decimal("24")


@transaction.atomic
def log_hours(
    initiative: Initiative,
    *,
    actor: Any,
    user: Any,
    on: date,
    hours: Decimal,
    role: VolunteerRole | None = None,
    note: str = "",
) -> VolunteerShift:
    """Record hours given to an initiative on one day.

    Organisers log hours for any active member; other active members log their own.
    Hours must be more than 0 and at most 24; the day cannot be in the future.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionRefused("Sign in to log hours.")
    if actor.pk != user.pk:
        _require_organiser(initiative, actor)
    if not Membership.objects.filter(
        initiative=initiative, user=user, state=MembershipState.ACTIVE
    ).exists():
        raise DomainError("Hours can be logged for active members of this initiative only.")
    if not (Decimal("0") < hours <= MAX_HOURS):
        raise DomainError("Hours must be more than 0 and at most 24 for one day.")
    if on > timezone.localdate():
        raise DomainError("The day cannot be in the future.")
    if role is not None and role.initiative_id != initiative.pk:
        raise DomainError("That role belongs to another initiative.")
    shift = VolunteerShift.objects.create(
        initiative=initiative,
        user=user,
        role=role,
        date=on,
        hours=hours,
        note=note.strip()[:200],
        recorded_by=actor,
    )
    log_action(
        "initiatives.hours.logged",
        actor=actor,
        target=initiative,
        data={"member": user.pk, "hours": str(hours), "date": on.isoformat()},
    )
    return shift


@transaction.atomic
def delete_shift(shift: VolunteerShift, *, actor: Any) -> None:
    """Delete logged hours: the person who gave them, or an organiser."""
    if shift.user_id != getattr(actor, "pk", None):
        _require_organiser(shift.initiative, actor)
    log_action(
        "initiatives.hours.deleted",
        actor=actor,
        target=shift.initiative,
        data={"hours": str(shift.hours), "date": shift.date.isoformat()},
    )
    shift.delete()
