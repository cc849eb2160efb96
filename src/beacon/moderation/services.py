"""Moderation workflows: putting items in the queue, reports, decisions, crisis alerts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from beacon.accounts.enums import Role
from beacon.accounts.models import User
from beacon.core.audit import log_action
from beacon.core.errors import DomainError, PermissionRefused
from beacon.core.mail import queue_templated_email
from beacon.moderation.enums import LANE_PRIORITY, Action, CaseState, Lane
from beacon.moderation.models import Case, Decision, Report
from beacon.moderation.registry import moderated_type_for
from beacon.moderation.tasks import post_webhook


def _open_case_for(obj: models.Model) -> Case | None:
    content_type = ContentType.objects.get_for_model(obj)
    return (
        Case.objects.select_for_update()
        .filter(content_type=content_type, object_id=str(obj.pk), state=CaseState.OPEN)
        .first()
    )


def _get_or_open_case(obj: models.Model, *, lane: Lane, **fields: Any) -> tuple[Case, bool]:
    """Return the item's open case, locked, creating it in `lane` if none; and if created.

    Two requests may try to open it at once: the database allows one open case per item,
    and the loser of that race reads the winner's case.
    """
    case = _open_case_for(obj)
    if case is not None:
        return case, False
    try:
        with transaction.atomic():
            case = Case.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                lane=lane,
                priority=LANE_PRIORITY[lane],
                waiting_since=timezone.now(),
                **fields,
            )
        return case, True
    except IntegrityError:
        case = _open_case_for(obj)
        assert case is not None
        return case, False


def _raise_lane(case: Case, lane: Lane) -> bool:
    """Move `case` to `lane` if that lane is more urgent; return whether it moved."""
    if LANE_PRIORITY[lane] < case.priority:
        case.lane = lane
        case.priority = LANE_PRIORITY[lane]
        return True
    return False


@transaction.atomic
def enqueue_for_review(obj: models.Model, *, assessment: dict[str, Any]) -> Case:
    """Put `obj` in the queue (or refresh its open case) with the engine's `assessment`.

    A crisis assessment goes to the crisis lane and alerts moderators on duty at once.
    """
    moderated_type_for(obj)  # fail early for unregistered types
    risk = assessment.get("risk", "none")
    lane = Lane.CRISIS if risk == "crisis" else Lane.REVIEW
    case, created = _get_or_open_case(obj, lane=lane, risk=risk, assessment=assessment)
    if created:
        newly_crisis = lane == Lane.CRISIS
    else:
        newly_crisis = lane == Lane.CRISIS and case.lane != Lane.CRISIS
        _raise_lane(case, lane)
        case.risk, case.assessment = risk, assessment
        case.save(update_fields=["lane", "priority", "risk", "assessment", "updated_at"])
    log_action("moderation.case.opened", actor=None, target=case, data={"lane": case.lane})
    if newly_crisis:
        transaction.on_commit(lambda: alert_on_duty(case))
    return case


@transaction.atomic
def report_item(obj: models.Model, *, reporter: User, reason: str, note: str = "") -> Report:
    """Record a reader's report; the item joins the queue, and enough reports hide it.

    Raises DomainError when this person already reported this item.
    """
    moderated = moderated_type_for(obj)
    content_type = ContentType.objects.get_for_model(obj)
    case, created = _get_or_open_case(obj, lane=Lane.REPORT)
    if not created and _raise_lane(case, Lane.REPORT):
        case.waiting_since = timezone.now()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                content_type=content_type,
                object_id=str(obj.pk),
                reporter=reporter,
                reason=reason,
                note=note,
                case=case,
            )
    except IntegrityError as exc:
        raise DomainError(
            "You have already reported this. Thank you — a moderator will look.", code="duplicate"
        ) from exc
    case.report_count = Report.objects.filter(case=case).count()
    case.save(update_fields=["lane", "priority", "waiting_since", "report_count", "updated_at"])
    if case.report_count >= settings.BEACON_REPORTS_TO_HIDE:
        moderated.hide(obj, True)
    log_action(
        "moderation.report.created",
        actor=reporter,
        target=case,
        data={"reason": reason, "count": case.report_count},
    )
    return report


@transaction.atomic
def decide(case: Case, *, action: str, actor: User, message: str = "") -> Decision:
    """Take a decision on an open case: apply it to the item, close the case, tell the author.

    Raises PermissionRefused for non-moderators and DomainError when the case is already
    decided, the action does not fit the item, or a message is missing where one is needed.
    """
    if not actor.has_role(Role.MODERATOR):
        raise PermissionRefused("Only moderators can decide on cases.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.OPEN:
        raise DomainError("Another moderator has already decided this case.", code="decided")
    obj = case.target
    if obj is None:
        raise DomainError("This item no longer exists.", code="gone")
    moderated = moderated_type_for(obj)
    if action not in moderated.allowed_actions(obj):
        raise DomainError(
            "That decision does not fit this item in its current state.", code="invalid_action"
        )
    if action in (Action.REQUEST_CHANGES, Action.DECLINE, Action.REMOVE) and not message.strip():
        raise DomainError(
            "Please write a message for the author explaining why.", code="message_required"
        )
    moderated.apply_decision(obj, action, actor=actor, message=message.strip())
    if action == Action.KEEP or (action == Action.APPROVE and case.report_count):
        moderated.hide(obj, False)
    decision = Decision.objects.create(
        case=case, moderator=actor, action=action, message=message.strip()
    )
    case.state = CaseState.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "closed_at", "updated_at"])
    log_action(
        f"moderation.case.{action}",
        actor=actor,
        target=case,
        data={"item": moderated.label, "lane": case.lane},
    )
    author = moderated.author(obj)
    if author is not None and action != Action.KEEP:
        queue_templated_email(
            to=author.email,
            subject=f"About your {moderated.label}",
            template="moderation/email/decision.txt",
            context={
                "author": author,
                "label": moderated.label,
                "title": moderated.title(obj),
                "action": action,
                "message": message.strip(),
                "author_path": moderated.author_url(obj),
            },
        )
    return decision


def alert_on_duty(case: Case) -> None:
    """Tell moderators on duty that an item was flagged crisis (mail; webhook if set).

    The alert carries a link, never the text or the writer's identity, so nothing sensitive
    leaves Beacon through mail or the webhook.
    """
    path = reverse("moderation:case", args=[case.code])
    for moderator in User.objects.filter(
        on_duty=True, is_active=True, role__in=[Role.MODERATOR, Role.ADMIN]
    ):
        queue_templated_email(
            to=moderator.email,
            subject="Crisis flag: please look now",
            template="moderation/email/crisis_alert.txt",
            context={
                "moderator": moderator,
                "case_path": path,
                "target_minutes": settings.BEACON_CRISIS_TARGET_MINUTES,
            },
        )
    if settings.BEACON_MODERATION_WEBHOOK_URL:
        post_webhook.enqueue(
            url=settings.BEACON_MODERATION_WEBHOOK_URL,
            payload={
                "event": "crisis_flag",
                "case": case.code,
                "lane": case.lane,
                "url": f"{settings.BEACON_SITE_URL}{path}",
            },
        )


def set_on_duty(user: User, *, on_duty: bool) -> None:
    """Start or end a moderator's duty (who gets crisis alerts)."""
    if not user.has_role(Role.MODERATOR):
        raise PermissionRefused("Only moderators can be on duty.")
    user.on_duty = on_duty
    user.save(update_fields=["on_duty"])
    log_action(
        "moderation.duty.started" if on_duty else "moderation.duty.ended", actor=user, target=user
    )
