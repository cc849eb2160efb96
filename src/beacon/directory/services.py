"""Changing the directory from its pages: problem reports and curators' work.

Every change re-indexes the service, is written to the audit log, and leaves an HSDS
`metadata` row (what changed, when, by whom: the curator's public code, never a name).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from beacon.core.audit import log_action
from beacon.core.errors import DomainError, PermissionRefused
from beacon.directory.enums import ReportReason, ReportState
from beacon.directory.indexing import reindex_services
from beacon.directory.models import DirectoryReport, Metadata, Service


def _can_curate(user: Any) -> bool:
    return bool(user and user.has_perm("accounts.curate"))


def _metadata(resource: Any, *, action: str, field: str, before: Any, after: Any, actor: Any):
    Metadata.objects.create(
        resource_id=resource.pk,
        resource_type=resource._meta.model_name,
        last_action_date=timezone.now(),
        last_action_type=action,
        field_name=field,
        previous_value="" if before is None else str(before),
        replacement_value="" if after is None else str(after),
        updated_by=f"curator:{getattr(actor, 'code', '')}",
    )


@transaction.atomic
def report_problem(service: Service, *, reason: str, note: str, reporter: Any) -> DirectoryReport:
    """A reader says something is wrong; it waits in the curator queue."""
    if reason not in ReportReason.values:
        raise DomainError("Please choose what is wrong.")
    report = DirectoryReport.objects.create(
        service=service,
        reason=reason,
        note=note.strip()[:1000],
        reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
    )
    log_action("directory.report.created", actor=reporter, target=service, data={"reason": reason})
    return report


@transaction.atomic
def verify_service(service: Service, *, actor: Any, note: str = "") -> Service:
    """A curator confirms the entry is right today."""
    if not _can_curate(actor):
        raise PermissionRefused("Only directory curators can verify entries.")
    today = timezone.localdate()
    before = service.assured_date
    service.assured_date = today
    service.save(update_fields=["assured_date", "last_modified"])
    _metadata(
        service, action="verify", field="assured_date", before=before, after=today, actor=actor
    )
    log_action("directory.service.verified", actor=actor, target=service, data={"note": note[:300]})
    reindex_services([service.id])
    return service


@transaction.atomic
def resolve_report(report: DirectoryReport, *, actor: Any, note: str = "") -> DirectoryReport:
    if not _can_curate(actor):
        raise PermissionRefused("Only directory curators can resolve reports.")
    if report.state == ReportState.RESOLVED:
        return report
    report.state = ReportState.RESOLVED
    report.resolved_at = timezone.now()
    report.resolved_by = actor
    report.save(update_fields=["state", "resolved_at", "resolved_by"])
    log_action(
        "directory.report.resolved", actor=actor, target=report.service, data={"note": note[:300]}
    )
    return report


@transaction.atomic
def save_curated_service(
    form: Any, phones: Any, *, actor: Any, hours: Any = None, closures: Any = None
) -> Service:
    """Save a curator's edit: the service form, the phone formset and, when given, the
    weekly-hours and closed-days formsets (all already valid); then re-index the service so
    search and "open now" see the change at once."""
    if not _can_curate(actor):
        raise PermissionRefused("Only directory curators can edit entries.")
    service = form.instance
    original = Service.objects.get(pk=service.pk)
    for field in form.changed_data:
        _metadata(
            service,
            action="update",
            field=field,
            before=getattr(original, field),
            after=form.cleaned_data[field],
            actor=actor,
        )
    form.save()
    changed = sorted(form.changed_data)
    for name, formset in (("phones", phones), ("hours", hours), ("closed_days", closures)):
        if formset is None:
            continue
        if formset.has_changed():
            before = _schedule_text(service) if name != "phones" else ""
            formset.save()
            after = _schedule_text(service) if name != "phones" else ""
            _metadata(service, action="update", field=name, before=before, after=after, actor=actor)
            changed.append(name)
        else:
            formset.save()
    log_action("directory.service.edited", actor=actor, target=service, data={"fields": changed})
    reindex_services([service.id])
    return service


def _schedule_text(service: Service) -> str:
    """The service's own schedule rows in words, for the change record."""
    rows = service.schedules.order_by("closed", "channel", "byday", "opens_at", "valid_from")
    return "; ".join(
        f"{s.channel or 'all'} "
        + (
            f"closed {s.valid_from}" + (f" to {s.valid_to}" if s.valid_to else "")
            if s.closed
            else f"{s.freq} {s.byday} {s.opens_at:%H:%M}-{s.closes_at:%H:%M}"
            if s.opens_at and s.closes_at
            else f"{s.freq} {s.byday} {s.description}"
        )
        for s in rows
    )
