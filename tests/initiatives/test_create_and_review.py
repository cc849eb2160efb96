"""Creating an initiative: the safety reading, review through the moderation queue."""

import pytest

from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused
from beacon.events import services as event_services
from beacon.initiatives import services
from beacon.initiatives.enums import InitiativeStatus, MemberRole, MembershipState
from beacon.initiatives.models import Initiative, Membership
from beacon.initiatives.queries import public_initiatives
from beacon.moderation.enums import Action, Lane
from beacon.moderation.models import Case
from beacon.moderation.registry import moderated_type_for
from beacon.moderation.services import decide, report_item
from tests.conftest import logged_in_client
from tests.factories.events import EventSeriesFactory
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


def listed_with_organiser(member):
    initiative = InitiativeFactory(mission="The listed mission.")
    MembershipFactory(initiative=initiative, user=member, role=MemberRole.ORGANISER)
    return initiative


def test_editing_other_fields_of_a_listed_initiative_needs_no_review(member):
    initiative = listed_with_organiser(member)

    assert not services.update_initiative(initiative, actor=member, fields={"partners": "Library"})

    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.LISTED and initiative.partners == "Library"
    assert not initiative.has_pending_edit and not Case.objects.exists()


def test_new_words_of_a_listed_initiative_wait_while_the_listed_ones_stay_public(
    member, other_member, moderator, client
):
    initiative = listed_with_organiser(member)
    occurrence = EventSeriesFactory(initiative=initiative).occurrences.order_by("starts_at")[0]

    went = services.update_initiative(
        initiative, actor=member, fields={"mission": "New words.", "partners": "Library"}
    )

    initiative.refresh_from_db()
    assert went
    assert initiative.status == InitiativeStatus.LISTED and initiative in public_initiatives()
    assert initiative.mission == "The listed mission." and initiative.partners == "Library"
    assert initiative.pending_edit["mission"] == "New words."
    page = client.get(f"/initiatives/{initiative.code}/").content.decode()
    assert "The listed mission." in page and "New words." not in page
    # Its events stay listed and open for answers meanwhile.
    answer = event_services.rsvp_member(occurrence, actor=other_member)
    assert answer.state == "confirmed"
    case = Case.objects.get()
    assert case.lane == Lane.REVIEW and "New words." in moderated_type_for(initiative).text(
        initiative
    )

    decide(case, action=Action.APPROVE, actor=moderator)

    initiative.refresh_from_db()
    assert initiative.mission == "New words." and not initiative.has_pending_edit
    assert initiative.status == InitiativeStatus.LISTED


def test_a_moderator_can_send_new_words_back_or_drop_them(member, moderator):
    initiative = listed_with_organiser(member)
    services.update_initiative(initiative, actor=member, fields={"mission": "Draft one."})

    decide(Case.objects.get(), action=Action.REQUEST_CHANGES, actor=moderator, message="Shorter?")
    initiative.refresh_from_db()
    assert initiative.pending_edit["mission"] == "Draft one."
    assert initiative.moderator_message == "Shorter?" and initiative.is_public

    assert services.update_initiative(initiative, actor=member, fields={"mission": "Draft two."})
    initiative.refresh_from_db()
    assert initiative.moderator_message == ""
    decide(Case.objects.get(state="open"), action=Action.DECLINE, actor=moderator, message="No.")

    initiative.refresh_from_db()
    assert initiative.mission == "The listed mission." and not initiative.has_pending_edit
    assert initiative.status == InitiativeStatus.LISTED and initiative.is_public


def test_saving_the_listed_words_again_withdraws_the_new_ones(member):
    initiative = listed_with_organiser(member)
    services.update_initiative(initiative, actor=member, fields={"mission": "New words."})

    again = services.update_initiative(
        initiative, actor=member, fields={"mission": "The listed mission."}
    )

    initiative.refresh_from_db()
    assert not again and not initiative.has_pending_edit


def test_a_reported_initiative_with_new_words_is_shown_again_when_they_are_declined(
    member, other_member, moderator, settings
):
    settings.BEACON_REPORTS_TO_HIDE = 1
    initiative = listed_with_organiser(member)
    services.update_initiative(initiative, actor=member, fields={"mission": "New words."})
    report_item(initiative, reporter=other_member, reason="spam")
    initiative.refresh_from_db()
    assert initiative.is_hidden

    decide(Case.objects.get(), action=Action.DECLINE, actor=moderator, message="Keep the old.")

    initiative.refresh_from_db()
    assert initiative.is_public and initiative.mission == "The listed mission."


def test_archiving_keeps_the_new_words_for_the_next_review(member):
    initiative = listed_with_organiser(member)
    services.update_initiative(initiative, actor=member, fields={"mission": "New words."})

    services.archive_initiative(initiative, actor=member)

    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ARCHIVED
    assert initiative.mission == "New words." and not initiative.has_pending_edit


def test_the_edit_form_of_a_listed_initiative_warns_before_saving(member):
    initiative = listed_with_organiser(member)
    client = logged_in_client(member)

    before = client.get(f"/initiatives/{initiative.code}/edit/").content.decode()
    services.update_initiative(initiative, actor=member, fields={"mission": "New words."})
    after = client.get(f"/initiatives/{initiative.code}/edit/").content.decode()

    assert "Before you save:" in before and "your events stay listed and open" in before
    assert "waiting for a moderator" in after and "New words.</textarea>" in after


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
