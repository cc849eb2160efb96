"""Personal-data handlers for accounts, the audit log and login throttling records."""

from __future__ import annotations

import json
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django_tasks_db.models import DBTaskResult

from beacon.accounts.models import User
from beacon.core.models import AuditEntry
from beacon.core.personal_data import ErasureMode, registry


def _export_user(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "country": user.country,
        "date_joined": user.date_joined.isoformat(),
        "email_verified_at": user.email_verified_at.isoformat() if user.email_verified_at else None,
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def _erase_user(user: User, mode: ErasureMode) -> None:
    # Runs last: by now every app has deleted or detached what points at this account.
    user.delete()


def _export_audit(user: User) -> list[dict[str, Any]]:
    return [
        {"at": e.created_at.isoformat(), "action": e.action, "target": e.target_label}
        for e in AuditEntry.objects.filter(actor=user).order_by("created_at")
    ]


def _erase_audit(user: User, mode: ErasureMode) -> None:
    # The log keeps what happened, but no longer who did it.
    AuditEntry.objects.filter(actor=user).update(actor=None)


def _export_login_attempts(user: User) -> list[dict[str, Any]]:
    return [
        {
            "at": a.attempt_time.isoformat(),
            "ip_address": a.ip_address,
            "failures": a.failures_since_start,
        }
        for a in AccessAttempt.objects.filter(username__iexact=user.email)
    ]


def _erase_throttling(model: type) -> Any:
    def erase(user: User, mode: ErasureMode) -> None:
        model.objects.filter(username__iexact=user.email).delete()

    return erase


def _export_admin_log(user: User) -> list[dict[str, Any]]:
    return [
        {"at": e.action_time.isoformat(), "object": e.object_repr, "change": e.get_change_message()}
        for e in LogEntry.objects.filter(user=user)
    ]


def _erase_admin_log(user: User, mode: ErasureMode) -> None:
    LogEntry.objects.filter(user=user).delete()


def _erase_mail_tasks(user: User, mode: ErasureMode) -> None:
    # Queued and finished mail tasks carry the address in their arguments.
    needle = json.dumps(user.email)
    for result in DBTaskResult.objects.only("id", "args_kwargs").iterator():
        if needle in json.dumps(result.args_kwargs):
            result.delete()


registry.register(User, section="account", export=_export_user, erase=_erase_user, order=1000)
registry.register(AuditEntry, section="activity_log", export=_export_audit, erase=_erase_audit)
registry.register(
    AccessAttempt,
    section="login_attempts",
    export=_export_login_attempts,
    erase=_erase_throttling(AccessAttempt),
)
registry.register(
    AccessLog, section="login_attempts", export=lambda user: [], erase=_erase_throttling(AccessLog)
)
registry.register(
    AccessFailureLog,
    section="login_attempts",
    export=lambda user: [],
    erase=_erase_throttling(AccessFailureLog),
)
registry.register(
    LogEntry, section="admin_actions", export=_export_admin_log, erase=_erase_admin_log
)
registry.register(
    DBTaskResult, section="outgoing_mail", export=lambda user: [], erase=_erase_mail_tasks
)
registry.exempt(
    Session,
    reason=(
        "Sessions hold only a user id and an auth hash; closing the account invalidates them, "
        "and expired sessions are removed by `manage.py clearsessions`."
    ),
)
