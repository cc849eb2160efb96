"""Creating an initiative: the safety reading, review through the moderation queue."""

import pytest

from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.initiatives import services
from beacon.initiatives.enums import InitiativeStatus, MemberRole, MembershipState
from beacon.initiatives.models import Initiative, Membership
from beacon.initiatives.queries import public_initiatives
from beacon.moderation.enums import Action, Lane
from beacon.moderation.models import Case
from beacon.moderation.services import decide, report_item
from tests.conftest import logged_in_client
from tests.factories.initiatives import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.django_db

CRISIS = "Some nights I want to kill myself and I don't see a way out."


def test_new_initiative_is_pending_with_creator_as_organiser(member, fields):
    initiative = services.create_initiative(actor=member, fields=fields)

    assert initiative.status == InitiativeStatus.PENDING
    assert initiative.submitted_at is not None
    membership = Membership.objects.get(initiative=initiative)
    assert (membership.user, membership.role, membership.state) == (
        member,
        MemberRole.ORGANISER,
        MembershipState.ACTIVE,
    )
    assert sorted(initiative.audience_values) == ["adults", "lgbtq"]
    assert sorted(initiative.activity_values) == ["social_events", "support_groups"]
    case = Case.objects.get()
    assert case.lane == Lane.REVIEW and case.target == initiative
    assert initiative not in public_initiatives()


def test_crisis_text_goes_to_the_urgent_lane(member, fields):
    initiative = services.create_initiative(actor=member, fields=fields | {"description": CRISIS})

    assert initiative.risk == "crisis"
    assert Case.objects.get().lane == Lane.CRISIS


def test_visitors_cannot_create(fields):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionRefused):
        services.create_initiative(actor=AnonymousUser(), fields=fields)


def test_name_and_mission_are_required(member, fields):
    with pytest.raises(DomainError):
        services.create_initiative(actor=member, fields=fields | {"mission": "  "})
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.APPROVE, InitiativeStatus.LISTED),
        (Action.REQUEST_CHANGES, InitiativeStatus.CHANGES),
        (Action.DECLINE, InitiativeStatus.DECLINED),
    ],
)
def test_moderator_decisions(
    member, moderator, fields, action, status, mailoutbox, django_capture_on_commit_callbacks
):
    initiative = services.create_initiative(actor=member, fields=fields)

    with django_capture_on_commit_callbacks(execute=True):
        decide(Case.objects.get(), action=action, actor=moderator, message="Please add a contact.")

    initiative.refresh_from_db()
    assert initiative.status == status
    assert (initiative in public_initiatives()) is (status == InitiativeStatus.LISTED)
    assert mailoutbox[-1].to == [member.email]


def test_changes_requested_then_edited_goes_back_to_review(member, moderator, fields):
    initiative = services.create_initiative(actor=member, fields=fields)
    decide(Case.objects.get(), action=Action.REQUEST_CHANGES, actor=moderator, message="A phone?")

    went = services.update_initiative(
        initiative, actor=member, fields={"contact_phone": "503-555-0100"}
    )

    initiative.refresh_from_db()
    assert went and initiative.status == InitiativeStatus.PENDING
    assert Case.objects.filter(state="open").count() == 1


def test_editing_words_of_a_listed_initiative_reviews_them_again(member, fields):
    initiative = InitiativeFactory()
    MembershipFactory(initiative=initiative, user=member, role=MemberRole.ORGANISER)

    assert not services.update_initiative(initiative, actor=member, fields={"partners": "Library"})
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.LISTED

    assert services.update_initiative(initiative, actor=member, fields={"mission": "New words."})
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.PENDING


def test_only_organisers_edit(member, fields):
    initiative = InitiativeFactory()
    MembershipFactory(initiative=initiative, user=member, role=MemberRole.FACILITATOR)
    with pytest.raises(PermissionRefused):
        services.update_initiative(initiative, actor=member, fields={"name": "Mine now"})


def test_transition_table_refuses_other_moves(moderator):
    initiative = InitiativeFactory(status=InitiativeStatus.DECLINED)
    with pytest.raises(InvalidTransition):
        services.set_initiative_status(initiative, InitiativeStatus.LISTED, actor=moderator)


def test_reports_go_to_the_queue_and_enough_hide_it(member, other_member, moderator, settings):
    settings.BEACON_REPORTS_TO_HIDE = 2
    initiative = InitiativeFactory()
    report_item(initiative, reporter=member, reason="spam")
    report_item(initiative, reporter=other_member, reason="spam")

    initiative.refresh_from_db()
    case = Case.objects.get()
    assert case.lane == Lane.REPORT and initiative.is_hidden
    assert initiative not in public_initiatives()

    decide(case, action=Action.KEEP, actor=moderator)
    initiative.refresh_from_db()
    assert not initiative.is_hidden and initiative in public_initiatives()


def test_moderator_removes_a_listed_initiative(member, moderator):
    initiative = InitiativeFactory()
    report_item(initiative, reporter=member, reason="spam")
    decide(Case.objects.get(), action=Action.REMOVE, actor=moderator, message="Advertising.")
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ARCHIVED


# --- Through the pages --------------------------------------------------------------------


def _post(fields, **extra):
    data = {k: v for k, v in fields.items() if k not in ("latitude", "longitude", "country")}
    data["place"] = "Portland, OR"
    data.pop("place_name")
    return data | extra


def test_create_page_sends_for_review_and_shows_the_page(member, fields, places):
    client = logged_in_client(member)

    response = client.post("/initiatives/new/", _post(fields, action="submit"))

    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response.url == f"/initiatives/{initiative.code}/"
    assert initiative.place_name.startswith("Portland, OR")
    assert initiative.latitude == pytest.approx(45.52, abs=0.1)
    page = client.get(response.url).content.decode()
    assert "waiting for review" in page


def test_stigmatising_words_are_pointed_out_once_and_nothing_is_lost(member, fields, places):
    client = logged_in_client(member)
    data = _post(fields, action="submit", mission="A circle for people who feel crazy at times.")

    first = client.post("/initiatives/new/", data)

    html = first.content.decode()
    assert first.status_code == 200 and not Initiative.objects.exists()
    assert "Words that can sting" in html and "Nothing is sent yet" in html
    assert "A circle for people who feel crazy at times." in html  # kept as typed
    second = client.post("/initiatives/new/", data | {"seen_assistant": "1"})
    assert second.status_code == 302 and Initiative.objects.count() == 1


def test_personal_data_in_the_description_is_flagged(member, fields, places):
    client = logged_in_client(member)
    data = _post(fields, action="check", description="Call Jo at 503-555-0199 any time.")
    html = client.post("/initiatives/new/", data).content.decode()
    assert "Personal details" in html and "503-555-0199" in html
    assert not Initiative.objects.exists()


def test_crisis_text_shows_help_at_once(member, fields, places, crisis_lines):
    client = logged_in_client(member)
    response = client.post("/initiatives/new/", _post(fields, action="submit", description=CRISIS))
    html = response.content.decode()
    assert response.status_code == 200 and "Talk to someone now" in html
    assert Case.objects.get().lane == Lane.CRISIS


def test_unknown_place_is_a_clear_error_and_keeps_the_text(member, fields, places):
    client = logged_in_client(member)
    data = _post(fields, action="submit") | {"place": "Nowhereville Zzz"}
    html = client.post("/initiatives/new/", data).content.decode()
    assert "We could not find" in html and fields["mission"] in html
    assert not Initiative.objects.exists()


def test_online_initiatives_need_no_place(member, fields, places):
    client = logged_in_client(member)
    data = _post(fields, action="submit", setting="online") | {"place": ""}
    assert client.post("/initiatives/new/", data).status_code == 302
    assert Initiative.objects.get().latitude is None


def test_account_email_is_refused_as_public_contact(member, fields, places):
    client = logged_in_client(member)
    data = _post(fields, action="submit", contact_email=member.email)
    html = client.post("/initiatives/new/", data).content.decode()
    assert "address of your Beacon account" in html
    assert not Initiative.objects.exists()


def test_a_way_to_contact_is_required(member, fields, places):
    client = logged_in_client(member)
    data = _post(fields, action="submit", contact_url="")
    html = client.post("/initiatives/new/", data).content.decode()
    assert "at least one way to reach the group" in html


def test_moderator_approves_through_the_queue_page(member, moderator, fields):
    initiative = services.create_initiative(actor=member, fields=fields)
    case = Case.objects.get()

    page = logged_in_client(moderator).get(f"/moderation/case/{case.code}/")
    done = logged_in_client(moderator).post(f"/moderation/case/{case.code}/", {"action": "approve"})

    assert page.status_code == 200 and fields["mission"] in page.content.decode()
    assert done.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.LISTED
