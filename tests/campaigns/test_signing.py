"""Signing a pledge: members count at once, guests once they open the emailed link; names
only with consent; nothing a guest sees tells whether an address had signed before."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from beacon.campaigns import services
from beacon.campaigns.enums import CampaignState
from beacon.campaigns.models import Signature
from beacon.core.errors import DomainError
from tests.factories.campaigns import PledgeFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def confirm_path() -> str:
    return re.search(r"http://\S+(/campaigns/signatures/confirm/\S+/)", mail.outbox[-1].body)[1]


def count(pledge) -> int:
    pledge.refresh_from_db()
    return pledge.signature_count


def test_a_member_signs_once_and_is_counted_once(member):
    pledge = PledgeFactory()

    first = services.sign_pledge(pledge, user=member, show_name=False)
    again = services.sign_pledge(pledge, user=member, show_name=True)

    assert first[1] is True and again[1] is False
    assert count(pledge) == 1 == Signature.objects.filter(pledge=pledge).count()
    assert Signature.objects.get().show_name is True  # signing again changes only the choice


def test_a_guest_is_counted_only_after_opening_the_link(client, django_capture_on_commit_callbacks):
    pledge = PledgeFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/campaigns/pledges/{pledge.code}/",
            {"email": "Rae@Guests.example", "name": "Rae", "show_name": "on"},
        )

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert count(pledge) == 0
    assert mail.outbox[-1].to == ["rae@guests.example"]
    path = confirm_path()
    assert client.get(path).status_code == 200  # a page with a button: scanners only GET
    assert count(pledge) == 0

    response = client.post(path)
    client.post(path)  # opened twice: counted once

    assert response.status_code == 302
    assert count(pledge) == 1
    signature = Signature.objects.get()
    assert signature.confirmed_at is not None and signature.public_name == "Rae"


def test_a_bad_or_expired_link_says_what_to_do(client, django_capture_on_commit_callbacks):
    pledge = PledgeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_guest_signature(pledge, email="a@guests.example", name="", show_name=False)
    path = confirm_path()

    tampered = client.post(path[:-3] + "xx/")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("beacon.campaigns.tokens.CONFIRM_MAX_AGE", -1)
        expired = client.post(path)

    assert tampered.status_code == expired.status_code == 400
    assert "Sign again to get a new one" in expired.content.decode()
    assert count(pledge) == 0


def test_asking_again_within_ten_minutes_sends_no_second_mail(django_capture_on_commit_callbacks):
    pledge = PledgeFactory()

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.request_guest_signature(
                pledge, email="b@guests.example", name="", show_name=False
            )

    assert len(mail.outbox) == 1
    Signature.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        services.request_guest_signature(pledge, email="b@guests.example", name="", show_name=False)
    assert len(mail.outbox) == 2


def test_an_address_that_signed_gets_a_note_and_its_name_is_not_changed(
    client, django_capture_on_commit_callbacks
):
    signature = SignatureFactory(email="c@guests.example", name="Cleo", show_name=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/campaigns/pledges/{signature.pledge.code}/",
            {"email": "c@guests.example", "name": "Somebody Else", "show_name": ""},
        )

    assert "Check your email" in response.content.decode()  # same answer as a new address
    assert mail.outbox[-1].subject.endswith(f"You have already signed: {signature.pledge.title}")
    signature.refresh_from_db()
    assert (signature.name, signature.show_name) == ("Cleo", True)
    assert count(signature.pledge) == 1


def test_a_guest_typing_the_address_of_an_account_that_signed_is_not_counted_twice(
    client, member, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory()
    services.sign_pledge(pledge, user=member, show_name=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/campaigns/pledges/{pledge.code}/",
            {"email": member.email.upper(), "name": "Someone Else", "show_name": "on"},
        )
        services.request_guest_signature(pledge, email=member.email, name="", show_name=False)

    assert "Check your email" in response.content.decode()  # same answer as a new address
    assert len(mail.outbox) == 1  # the second request falls within the ten minutes
    assert mail.outbox[0].subject.endswith(f"You have already signed: {pledge.title}")
    assert mail.outbox[0].to == [member.email]
    assert count(pledge) == 1 == Signature.objects.filter(pledge=pledge).count()
    assert Signature.objects.get().public_name == member.display_name


def test_an_invalid_address_is_refused_and_the_typed_name_kept(client):
    pledge = PledgeFactory()

    response = client.post(
        f"/campaigns/pledges/{pledge.code}/", {"email": "not an address", "name": "Noor"}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address" in body
    assert 'value="Noor"' in body
    assert Signature.objects.count() == 0


def test_signing_a_closed_pledge_or_an_unpublished_campaign_is_refused(member):
    closed = PledgeFactory(is_open=False)
    draft = PledgeFactory(campaign__state=CampaignState.DRAFT)

    for pledge in (closed, draft):
        with pytest.raises(DomainError):
            services.sign_pledge(pledge, user=member, show_name=False)
        with pytest.raises(DomainError):
            services.request_guest_signature(
                pledge, email="d@guests.example", name="", show_name=False
            )
    assert Signature.objects.count() == 0


def test_an_account_takes_over_its_earlier_guest_signature_without_double_counting(member):
    pledge = PledgeFactory()
    SignatureFactory(pledge=pledge, email=member.email.upper().lower(), name="Mo")

    signature, new = services.sign_pledge(pledge, user=member, show_name=True)

    assert new is False
    assert count(pledge) == 1 == Signature.objects.count()
    assert signature.user == member and signature.email == ""
    assert signature.public_name == member.display_name


@pytest.mark.parametrize(
    ("show_name", "typed", "expected"),
    [(True, "Rosa", "Rosa"), (False, "Rosa", "someone"), (True, "", "someone")],
)
def test_a_guest_name_is_shown_only_with_consent(client, show_name, typed, expected):
    signature = SignatureFactory(name=typed, show_name=show_name)

    body = client.get(f"/campaigns/pledges/{signature.pledge.code}/").content.decode()

    assert f"<li>{expected}</li>" in body
    if expected == "someone" and typed:
        assert typed not in body


def test_a_member_name_is_their_display_name_only_with_consent(client, member, other_member):
    pledge = PledgeFactory()
    services.sign_pledge(pledge, user=member, show_name=True)
    services.sign_pledge(pledge, user=other_member, show_name=False)

    body = client.get(f"/campaigns/pledges/{pledge.code}/").content.decode()

    assert f"<li>{member.display_name}</li>" in body
    assert other_member.display_name not in body
    assert body.count("<li>someone</li>") == 1


def test_the_counter_fragment_shows_the_confirmed_count_and_progress(client):
    pledge = PledgeFactory(goal=4)
    SignatureFactory(pledge=pledge)
    SignatureFactory(pledge=pledge, confirmed_at=None)

    response = client.get(f"/campaigns/pledges/{pledge.code}/count/", HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "<strong>1</strong> signature " in body
    assert 'value="1"' in body and "25%" in body
    assert "<html" not in body


def test_the_pledge_page_polls_the_counter_and_works_without_javascript(client):
    pledge = PledgeFactory()
    SignatureFactory(pledge=pledge)

    body = client.get(f"/campaigns/pledges/{pledge.code}/").content.decode()

    assert f'hx-get="/campaigns/pledges/{pledge.code}/count/"' in body
    assert "<strong>1</strong> signature " in body
    assert "guests.example" not in body


def test_a_new_signature_is_one_statement_on_postgresql_and_three_elsewhere(member):
    """The hot path under load. On PostgreSQL one statement looks for an existing or guest
    signature, inserts and moves the counter; elsewhere: find, insert, `F()` counter update
    in one transaction (the test's own transaction makes it a savepoint)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pledge = PledgeFactory()
    pledge = type(pledge).objects.select_related("campaign").get(pk=pledge.pk)

    with CaptureQueriesContext(connection) as queries:
        signature, new = services.sign_pledge(pledge, user=member, show_name=True)

    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    work = [s for s in statements if s not in ("SAVEPOINT", "RELEASE")]
    expected = ["WITH"] if connection.vendor == "postgresql" else ["SELECT", "INSERT", "UPDATE"]
    assert work == expected, statements
    assert new is True and count(pledge) == 1
    stored = Signature.objects.get(pledge=pledge)
    assert stored.pk == signature.pk and stored.code == signature.code and len(stored.code) == 12
    assert (stored.user_id, stored.email, stored.name, stored.show_name) == (
        member.pk,
        "",
        "",
        True,
    )
    assert stored.confirmed_at == signature.confirmed_at and stored.created_at is not None
    assert stored.confirmation_sent_at is None and stored.unsubscribed_at is None
    assert stored.followup_7_sent_at is None and stored.followup_30_sent_at is None


def test_signing_again_or_over_a_guest_signature_never_counts_twice(member):
    """The one-statement path inserts only when nobody with this account or its address has
    signed; otherwise the full path changes the name choice or claims the guest row."""
    pledge = PledgeFactory()
    SignatureFactory(pledge=pledge, user=None, email=member.email.lower(), confirmed_at=None)
    other = PledgeFactory(campaign=pledge.campaign)

    claimed, new = services.sign_pledge(pledge, user=member, show_name=False)
    again, new_again = services.sign_pledge(pledge, user=member, show_name=True)
    services.sign_pledge(other, user=member, show_name=False)

    assert new is True and new_again is False and claimed.pk == again.pk
    assert Signature.objects.filter(pledge=pledge).count() == 1 == count(pledge)
    assert Signature.objects.get(pk=claimed.pk).show_name is True
    assert count(other) == 1


def test_a_duplicate_racing_in_reads_the_winner_and_counts_once(member, monkeypatch):
    """Two requests of one person at once: the loser's insert hits the constraint; its
    transaction is rolled back whole and it returns the winner's row."""
    from beacon.campaigns import services as module

    pledge = PledgeFactory()
    winner, _ = services.sign_pledge(pledge, user=member, show_name=False)
    original = Signature.objects.filter

    def blind_first_read(*args, **kwargs):  # the loser read before the winner committed
        qs = original(*args, **kwargs)
        return qs.none() if args and not kwargs.get("pk") else qs

    monkeypatch.setattr(module.Signature.objects, "filter", blind_first_read)
    signature, new = services.sign_pledge(pledge, user=member, show_name=True)

    assert (signature.pk, new) == (winner.pk, False)
    assert count(pledge) == 1 == Signature.objects.filter(pledge=pledge).count()


def test_a_pledge_of_a_campaign_that_has_ended_is_refused_with_its_date(client, member):
    yesterday = timezone.localdate() - timedelta(days=1)
    pledge = PledgeFactory(
        campaign__starts_on=yesterday - timedelta(days=30), campaign__ends_on=yesterday
    )
    SignatureFactory(pledge=pledge)
    ended = f"The campaign ended on {yesterday.day} {yesterday:%B %Y}"

    with pytest.raises(DomainError, match=ended):
        services.sign_pledge(pledge, user=member, show_name=False)
    with pytest.raises(DomainError, match=ended):
        services.request_guest_signature(pledge, email="e@guests.example", name="", show_name=False)
    response = client.post(f"/campaigns/pledges/{pledge.code}/", {"email": "e@guests.example"})
    page = client.get(f"/campaigns/pledges/{pledge.code}/").content.decode()
    campaign_page = client.get(f"/campaigns/{pledge.campaign.code}/").content.decode()

    assert response.status_code == 400 and ended in response.content.decode()
    assert count(pledge) == 1 == Signature.objects.count()
    for body in (page, campaign_page):
        assert ended in body
        assert "<strong>1</strong> signature " in body  # the counter stays
    assert 'name="email"' not in page and "Sign the pledge</a>" not in campaign_page


def test_a_pledge_can_be_signed_on_the_campaigns_last_day(member):
    pledge = PledgeFactory(campaign__ends_on=timezone.localdate())

    assert services.sign_pledge(pledge, user=member, show_name=False)[1] is True


def test_signing_through_the_page_reads_the_pledge_in_one_query(member, django_assert_num_queries):
    from tests.conftest import logged_in_client

    pledge = PledgeFactory()
    client = logged_in_client(member)
    client.get(f"/campaigns/pledges/{pledge.code}/")

    # Session, account, pledge with its campaign (no visibility subquery for a published
    # campaign); then signing: on PostgreSQL one statement, elsewhere a transaction (a
    # savepoint inside the test's own) with the read, the insert, the counter, the release.
    from django.db import connection

    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 8):
        response = client.post(f"/campaigns/pledges/{pledge.code}/", {"show_name": "on"})

    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.signature_count == 1
