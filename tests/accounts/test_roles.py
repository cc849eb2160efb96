import pytest

from beacon.accounts import rules as account_rules
from beacon.accounts.enums import Role
from beacon.accounts.services import set_role
from beacon.core.errors import DomainError
from beacon.core.models import AuditEntry
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_roles_are_ordered_member_below_moderator_below_admin():
    member, moderator, admin = (
        UserFactory(role=r) for r in (Role.MEMBER, Role.MODERATOR, Role.ADMIN)
    )

    matrix = [
        (u.has_role(Role.MEMBER), u.has_role(Role.MODERATOR), u.has_role(Role.ADMIN))
        for u in (member, moderator, admin)
    ]

    assert matrix == [(True, False, False), (True, True, False), (True, True, True)]


def test_role_predicates_agree_with_has_role_and_refuse_inactive_accounts():
    moderator = UserFactory(role=Role.MODERATOR)
    blocked = UserFactory(role=Role.ADMIN, is_active=False)

    assert account_rules.is_moderator(moderator) and not account_rules.is_admin(moderator)
    assert not account_rules.is_member(blocked) and not blocked.is_staff


def test_only_admins_reach_the_admin_site(client, moderator, admin_user):
    from tests.conftest import logged_in_client

    assert logged_in_client(moderator).get("/admin/").status_code == 302
    assert logged_in_client(admin_user).get("/admin/").status_code == 200


def test_set_role_is_admin_only_and_audited(member, admin_user):
    with pytest.raises(DomainError):
        set_role(member, Role.MODERATOR, actor=member)

    set_role(member, Role.MODERATOR, actor=admin_user)

    member.refresh_from_db()
    assert member.role == Role.MODERATOR
    assert AuditEntry.objects.filter(action="accounts.user.role_changed").get().data == {
        "from": "member",
        "to": "moderator",
    }
