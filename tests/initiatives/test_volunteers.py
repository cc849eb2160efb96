"""Volunteer roles, offers, training records and hours."""

import datetime
from decimal import Decimal

import pytest

from beacon.core.errors import DomainError, PermissionRefused
from beacon.initiatives import services
from beacon.initiatives.enums import ApplicationState, MemberRole, MembershipState, TrainingKind
from beacon.initiatives.models import Membership, TrainingRecord, VolunteerShift
from tests.conftest import logged_in_client
from tests.factories.initiatives import (
    TrainingRecordFactory,
    VolunteerApplicationFactory,
    VolunteerRoleFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_organiser_creates_a_role_with_requirements(crew):
    role = services.save_volunteer_role(
        None,
        initiative=crew["initiative"],
        actor=crew["organiser"],
        title="Co-facilitator",
        requirements=["safeguarding", "facilitator", "bogus"],
        time_commitment="Tuesday evenings",
    )
    assert role.requirements == ["facilitator", "safeguarding"]
    with pytest.raises(PermissionRefused):
        services.save_volunteer_role(
            role, initiative=crew["initiative"], actor=crew["facilitator"], title="Mine"
        )


def test_offer_then_approval_makes_a_volunteer_member(crew):
    role = VolunteerRoleFactory(initiative=crew["initiative"])
    application = services.apply_for_role(role, actor=crew["member"], message="Happy to")

    services.decide_application(application, actor=crew["organiser"], approve=True)

    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    assert application.decided_by == crew["organiser"]
    membership = Membership.objects.get(user=crew["member"], initiative=crew["initiative"])
    assert (membership.role, membership.state) == (MemberRole.VOLUNTEER, MembershipState.ACTIVE)


def test_approval_keeps_a_higher_role(crew):
    role = VolunteerRoleFactory(initiative=crew["initiative"])
    application = VolunteerApplicationFactory(role=role, user=crew["facilitator"])
    services.decide_application(application, actor=crew["organiser"], approve=True)
    assert Membership.objects.get(user=crew["facilitator"]).role == MemberRole.FACILITATOR


def test_approval_needs_the_required_training(crew):
    role = VolunteerRoleFactory(initiative=crew["initiative"], requirements=["safeguarding"])
    application = services.apply_for_role(role, actor=crew["member"])

    with pytest.raises(DomainError, match="Safeguarding"):
        services.decide_application(application, actor=crew["organiser"], approve=True)

    TrainingRecordFactory(user=crew["member"], kind=TrainingKind.SAFEGUARDING)
    services.decide_application(application, actor=crew["organiser"], approve=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED


def test_closed_roles_take_no_offers_and_offers_are_once(crew):
    closed = VolunteerRoleFactory(initiative=crew["initiative"], is_open=False)
    with pytest.raises(DomainError):
        services.apply_for_role(closed, actor=crew["member"])
    role = VolunteerRoleFactory(initiative=crew["initiative"])
    services.apply_for_role(role, actor=crew["member"])
    with pytest.raises(DomainError, match="already"):
        services.apply_for_role(role, actor=crew["member"])


def test_withdraw_and_offer_again(crew):
    role = VolunteerRoleFactory(initiative=crew["initiative"])
    application = services.apply_for_role(role, actor=crew["member"])
    with pytest.raises(PermissionRefused):
        services.withdraw_application(application, actor=crew["organiser"])
    services.withdraw_application(application, actor=crew["member"])
    again = services.apply_for_role(role, actor=crew["member"])
    assert again.pk == application.pk and again.state == ApplicationState.REQUESTED


def test_training_records_by_organisers_for_members_only(crew):
    record = services.record_training(
        crew["initiative"],
        actor=crew["organiser"],
        user=crew["facilitator"],
        kind=TrainingKind.FIRST_AID,
        completed_on=TODAY - datetime.timedelta(days=5),
        expires_on=TODAY + datetime.timedelta(days=700),
    )
    assert record.recorded_by == crew["organiser"]
    with pytest.raises(DomainError, match="active members"):
        services.record_training(
            crew["initiative"],
            actor=crew["organiser"],
            user=crew["member"],
            kind=TrainingKind.FIRST_AID,
            completed_on=TODAY,
        )
    with pytest.raises(DomainError, match="expiry"):
        services.record_training(
            crew["initiative"],
            actor=crew["organiser"],
            user=crew["facilitator"],
            kind=TrainingKind.FIRST_AID,
            completed_on=TODAY,
            expires_on=TODAY - datetime.timedelta(days=1),
        )
    with pytest.raises(PermissionRefused):
        services.record_training(
            crew["initiative"],
            actor=crew["facilitator"],
            user=crew["facilitator"],
            kind=TrainingKind.FACILITATOR,
            completed_on=TODAY,
        )
    services.delete_training(record, actor=crew["organiser"])
    assert not TrainingRecord.objects.filter(pk=record.pk).exists()


def test_hours_logged_by_self_or_organiser(crew):
    initiative = crew["initiative"]
    mine = services.log_hours(
        initiative, actor=crew["facilitator"], user=crew["facilitator"], on=TODAY, hours=Decimal(2)
    )
    services.log_hours(
        initiative,
        actor=crew["organiser"],
        user=crew["facilitator"],
        on=TODAY,
        hours=Decimal("1.5"),
    )
    assert VolunteerShift.objects.filter(user=crew["facilitator"]).count() == 2
    with pytest.raises(PermissionRefused):
        services.log_hours(
            initiative, actor=crew["facilitator"], user=crew["organiser"], on=TODAY, hours=1
        )
    with pytest.raises(DomainError, match="at most 24"):
        services.log_hours(
            initiative, actor=crew["organiser"], user=crew["organiser"], on=TODAY, hours=25
        )
    with pytest.raises(DomainError, match="future"):
        services.log_hours(
            initiative,
            actor=crew["organiser"],
            user=crew["organiser"],
            on=TODAY + datetime.timedelta(days=1),
            hours=1,
        )
    with pytest.raises(DomainError, match="active members"):
        services.log_hours(initiative, actor=crew["member"], user=crew["member"], on=TODAY, hours=1)
    services.delete_shift(mine, actor=crew["facilitator"])


# --- Through the pages --------------------------------------------------------------------


def test_volunteer_journey_through_the_pages(crew):
    initiative = crew["initiative"]
    organiser = logged_in_client(crew["organiser"])
    organiser.post(
        f"/initiatives/{initiative.code}/volunteers/",
        {"title": "Tea maker", "time_commitment": "1 hour a week", "is_open": "on"},
    )
    role = initiative.volunteer_roles.get()
    member = logged_in_client(crew["member"])
    page = member.get(f"/initiatives/{initiative.code}/").content.decode()
    assert "Tea maker" in page and "Offer to help" in page

    member.post(f"/initiatives/{initiative.code}/volunteers/{role.code}/apply/", {"message": "Hi"})
    offers = organiser.get(f"/initiatives/{initiative.code}/volunteers/").content.decode()
    assert "Member Max" in offers
    application = role.applications.get()
    organiser.post(
        f"/initiatives/{initiative.code}/offers/{application.pk}/decide/", {"decision": "approve"}
    )

    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED
    response = member.post(
        f"/initiatives/{initiative.code}/hours/",
        {"member": crew["member"].code, "date": TODAY.isoformat(), "hours": "3", "role": role.code},
    )
    assert response.status_code == 302
    assert VolunteerShift.objects.get().hours == Decimal("3")


def test_hours_form_keeps_input_on_error(crew):
    client = logged_in_client(crew["facilitator"])
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    html = client.post(
        f"/initiatives/{crew['initiative'].code}/hours/",
        {"member": crew["facilitator"].code, "date": tomorrow, "hours": "2", "note": "Setup"},
    ).content.decode()
    assert "cannot be in the future" in html and 'value="Setup"' in html


def test_member_cannot_log_hours_for_someone_else_through_the_form(crew):
    client = logged_in_client(crew["facilitator"])
    html = client.post(
        f"/initiatives/{crew['initiative'].code}/hours/",
        {"member": crew["organiser"].code, "date": TODAY.isoformat(), "hours": "2"},
    ).content.decode()
    assert "Select a valid choice" in html
    assert not VolunteerShift.objects.exists()


def test_training_page_records_with_expiry(crew):
    client = logged_in_client(crew["organiser"])
    response = client.post(
        f"/initiatives/{crew['initiative'].code}/training/",
        {
            "member": crew["facilitator"].code,
            "kind": "safeguarding",
            "completed_on": TODAY.isoformat(),
            "expires_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert "on or after completion" in response.content.decode()
    response = client.post(
        f"/initiatives/{crew['initiative'].code}/training/",
        {
            "member": crew["facilitator"].code,
            "kind": "safeguarding",
            "completed_on": TODAY.isoformat(),
            "expires_on": (TODAY + datetime.timedelta(days=365)).isoformat(),
        },
        follow=True,
    )
    assert "Training recorded" in response.content.decode()
    assert TrainingRecord.objects.filter(kind="safeguarding").count() == 1
