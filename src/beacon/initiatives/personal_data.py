"""Personal-data handlers for initiatives: memberships, training, applications, hours.

Erasure choices (see docs/developer/initiatives.md):
- Initiatives a person created belong to the group: the link to the creator is removed in
  both modes; in "delete" mode an initiative nobody else organises is deleted too.
- Memberships, training records and volunteer applications are about the person only:
  deleted in both modes.
- Volunteer hours are deleted in "delete" mode; in "anonymise" mode they stay without a
  name, so the group's impact figures do not change.
"""

from __future__ import annotations

from typing import Any

from beacon.core.personal_data import ErasureMode, registry
from beacon.initiatives.enums import MemberRole, MembershipState
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


def _export_initiatives(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "status": i.status,
            "mission": i.mission,
            "description": i.description,
            "changed_words_waiting_for_review": i.pending_edit or None,
            "created_at": i.created_at.isoformat(),
        }
        for i in Initiative.objects.filter(created_by=user)
    ]


def _erase_initiatives(user: Any, mode: ErasureMode) -> None:
    created = Initiative.objects.filter(created_by=user)
    if mode == ErasureMode.DELETE:
        others = (
            Membership.objects.filter(state=MembershipState.ACTIVE, role=MemberRole.ORGANISER)
            .exclude(user=user)
            .values("initiative_id")
        )
        created.exclude(pk__in=others).delete()
    created.update(created_by=None)


def _export_memberships(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "initiative": m.initiative.code,
            "initiative_name": m.initiative.name,
            "role": m.role,
            "state": m.state,
            "message": m.message,
            "since": m.created_at.isoformat(),
        }
        for m in Membership.objects.filter(user=user).select_related("initiative")
    ]


def _erase_memberships(user: Any, mode: ErasureMode) -> None:
    Membership.objects.filter(user=user).delete()


def _export_training(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": t.kind,
            "title": t.title,
            "completed_on": t.completed_on.isoformat(),
            "expires_on": t.expires_on.isoformat() if t.expires_on else None,
            "initiative": t.initiative.code if t.initiative else None,
        }
        for t in TrainingRecord.objects.filter(user=user).select_related("initiative")
    ]


def _erase_training(user: Any, mode: ErasureMode) -> None:
    TrainingRecord.objects.filter(user=user).delete()


def _export_applications(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "initiative": a.role.initiative.code,
            "role": a.role.title,
            "state": a.state,
            "message": a.message,
            "at": a.created_at.isoformat(),
        }
        for a in VolunteerApplication.objects.filter(user=user).select_related("role__initiative")
    ]


def _erase_applications(user: Any, mode: ErasureMode) -> None:
    VolunteerApplication.objects.filter(user=user).delete()


def _export_shifts(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "initiative": s.initiative.code,
            "date": s.date.isoformat(),
            "hours": str(s.hours),
            "note": s.note,
        }
        for s in VolunteerShift.objects.filter(user=user).select_related("initiative")
    ]


def _erase_shifts(user: Any, mode: ErasureMode) -> None:
    shifts = VolunteerShift.objects.filter(user=user)
    if mode == ErasureMode.DELETE:
        shifts.delete()
    else:
        shifts.update(user=None, note="")


registry.register(
    Initiative,
    section="initiatives",
    export=_export_initiatives,
    erase=_erase_initiatives,
    order=20,
)
registry.register(
    Membership,
    section="initiative_memberships",
    export=_export_memberships,
    erase=_erase_memberships,
    order=30,
)
registry.register(
    TrainingRecord,
    section="training_records",
    export=_export_training,
    erase=_erase_training,
    order=10,
)
registry.register(
    VolunteerApplication,
    section="volunteer_applications",
    export=_export_applications,
    erase=_erase_applications,
    order=10,
)
registry.register(
    VolunteerShift,
    section="volunteer_hours",
    export=_export_shifts,
    erase=_erase_shifts,
    order=10,
)
registry.exempt(InitiativeAudience, reason="A tag on an Initiative; holds nothing about a person.")
registry.exempt(InitiativeActivity, reason="A tag on an Initiative; holds nothing about a person.")
registry.exempt(
    VolunteerRole, reason="Describes a role a group offers; holds nothing about a person."
)
