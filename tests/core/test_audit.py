import pytest
from django.contrib.auth.models import AnonymousUser

from beacon.core.audit import log_action
from beacon.core.models import AuditEntry
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_log_action_records_actor_action_and_target():
    actor = UserFactory()
    target = UserFactory(display_name="Target Tia")

    entry = log_action(
        "accounts.user.role_changed", actor=actor, target=target, data={"to": "moderator"}
    )

    entry.refresh_from_db()
    assert (
        entry.actor,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.target_label,
        entry.data,
    ) == (
        actor,
        "accounts.user.role_changed",
        "accounts.user",
        target.code,
        "Target Tia",
        {"to": "moderator"},
    )


def test_log_action_stores_anonymous_actor_as_none():
    entry = log_action("help.crisis_lines.synced", actor=AnonymousUser())

    assert entry.actor is None
    assert AuditEntry.objects.count() == 1
